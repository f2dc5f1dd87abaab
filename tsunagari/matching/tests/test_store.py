"""The seed store: rankings from the files equal the in-memory corpus's; a change reaches
the next ranking without a rebuild; processes share the files; bad files are rebuilt."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.test import SimpleTestCase

from tsunagari.directory import services
from tsunagari.directory.models import Resource
from tsunagari.factory import make_resource
from tsunagari.matching import engine, store
from tsunagari.matching.engine import Corpus, NeedQuery, Seed
from tsunagari.matching.evaluation import need_from_json, read_jsonl, seed_from_json
from tsunagari.matching.tests.test_engine_suggestions import make_need
from tsunagari.test import BaseTestCase

DATA = Path(settings.BASE_DIR) / "bench" / "data" / "matching"


def unit_vectors(count: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, 512)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def labelled() -> tuple[list[Seed], np.ndarray, list[NeedQuery], np.ndarray]:
    """The labelled set's seeds (numbered, as resources are) and needs, with vectors that
    bring some seeds near some needs."""
    seeds = [
        dataclasses.replace(seed_from_json(row), id=i + 1)
        for i, row in enumerate(read_jsonl(DATA / "seeds.jsonl"))
    ]
    needs = [need_from_json(row) for row in read_jsonl(DATA / "needs.jsonl")]
    vectors = unit_vectors(len(seeds), 1)
    need_vectors = unit_vectors(len(needs), 2)
    need_vectors[: len(needs) // 2] = vectors[: len(needs) // 2]
    return seeds, vectors, needs, need_vectors


def stored(root: Path, seeds: list[Seed], vectors: np.ndarray) -> Corpus:
    rows = [store.row_from_seed(s, v) for s, v in zip(seeds, vectors, strict=True)]
    with store.writer_lock(root):
        store.build(root, rows, len(rows), 1, "t1")
    return store.open_corpus(root).corpus


def header_of(root: Path) -> dict[str, Any]:
    header = store.read_current(root)
    assert header is not None
    return header


Ranking = list[tuple[Any, float, tuple[str, ...]]]


def rankings(corpus: Corpus, needs: list[NeedQuery], vectors: np.ndarray) -> list[Ranking]:
    return [
        [(r.seed_id, r.score, tuple(r.reasons)) for r in corpus.rank(need, vector, top=10)]
        for need, vector in zip(needs, vectors, strict=True)
    ]


class StoredRankingTest(SimpleTestCase):
    """On the labelled set: the store ranks as the in-memory corpus does, before and after
    changes recorded in its delta, and after a compaction."""

    seeds: list[Seed]
    vectors: np.ndarray
    needs: list[NeedQuery]
    need_vectors: np.ndarray

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.seeds, cls.vectors, cls.needs, cls.need_vectors = labelled()

    def setUp(self) -> None:
        self.root = Path(settings.MATCHING_STORE_DIR)

    def assertSameRankings(self, corpus: Corpus, expected: Corpus) -> None:
        got = rankings(corpus, self.needs, self.need_vectors)
        want = rankings(expected, self.needs, self.need_vectors)
        for need, a, b in zip(self.needs, got, want, strict=True):
            with self.subTest(need=need.id):
                # Equal scores may come in another order (rows move to the delta).
                self.assertEqual(sorted(a, key=str), sorted(b, key=str))

    def test_a_built_store_ranks_as_the_corpus_in_memory(self) -> None:
        corpus = stored(self.root, self.seeds, self.vectors)
        expected = Corpus(self.seeds, self.vectors)
        self.assertEqual(
            rankings(corpus, self.needs, self.need_vectors),
            rankings(expected, self.needs, self.need_vectors),
        )
        self.assertEqual(len(self.seeds), corpus.size)

    def test_changed_new_and_removed_seeds_rank_as_a_fresh_build(self) -> None:
        stored(self.root, self.seeds, self.vectors)
        changed = dataclasses.replace(self.seeds[3], title="子ども食堂と学習支援", text="夜に開く")
        new = dataclasses.replace(self.seeds[5], id=10_000, title="高齢者の見守り")
        gone = self.seeds[7]
        with store.writer_lock(self.root):
            store.apply(
                self.root,
                {
                    changed.id: store.row_from_seed(changed, self.vectors[3]),
                    new.id: store.row_from_seed(new, self.vectors[5]),
                    gone.id: None,
                },
                2,
                "t2",
            )
        corpus = store.open_corpus(self.root).corpus
        self.assertEqual(header_of(self.root)["generation"], 1)  # no rebuild
        seeds = [s for s in self.seeds if s.id not in (changed.id, gone.id)] + [changed, new]
        vectors = np.array(
            [self.vectors[s.id - 1] for s in seeds[:-2]] + [self.vectors[3], self.vectors[5]]
        )
        self.assertSameRankings(corpus, Corpus(seeds, vectors))
        self.assertNotIn(gone.id, corpus.seed_ids())

    def test_a_large_delta_is_merged_into_a_new_generation(self) -> None:
        stored(self.root, self.seeds, self.vectors)
        half = self.seeds[: len(self.seeds) // 2]
        renamed = [dataclasses.replace(s, title=f"{s.title} 夜間") for s in half]
        changes = {s.id: store.row_from_seed(s, self.vectors[s.id - 1]) for s in renamed} | {
            self.seeds[-1].id: None
        }
        with store.writer_lock(self.root):
            old_delta_min, store.DELTA_MIN = store.DELTA_MIN, 10
            try:
                header = store.apply(self.root, changes, 2, "t2")
            finally:
                store.DELTA_MIN = old_delta_min
        self.assertEqual((header["generation"], header["delta"]), (2, None))
        self.assertFalse((self.root / "gen-1").exists())
        seeds = renamed + self.seeds[len(half) : -1]
        corpus = store.open_corpus(self.root).corpus
        self.assertSameRankings(corpus, Corpus(seeds, self.vectors[: len(seeds)]))

    def test_the_nightly_compaction_keeps_the_rankings(self) -> None:
        stored(self.root, self.seeds, self.vectors)
        changed = dataclasses.replace(self.seeds[2], title="日本語教室 夜間")
        with store.writer_lock(self.root):
            store.apply(
                self.root,
                {changed.id: store.row_from_seed(changed, self.vectors[2]), 5: None},
                2,
                "t2",
            )
        before = store.open_corpus(self.root).corpus
        header = store.compact(self.root)
        assert header is not None
        self.assertEqual((header["generation"], header["delta"], header["version"]), (2, None, 2))
        after = store.open_corpus(self.root).corpus
        self.assertEqual(sorted(after.seed_ids()), sorted(before.seed_ids()))
        self.assertSameRankings(after, before)


class SharedStoreTest(SimpleTestCase):
    def test_a_second_process_opens_the_store_and_its_change_reaches_the_first(self) -> None:
        root = Path(settings.MATCHING_STORE_DIR)
        seeds, vectors, _needs, _vectors = labelled()
        corpus = stored(root, seeds, vectors)
        built = (root / "gen-1" / "vectors.npy").stat().st_mtime_ns
        script = f"""
import json, sys
import django
django.setup()
from pathlib import Path
from tsunagari.matching import store
from tsunagari.matching.engine import Seed
root = Path({str(root)!r})
opened = store.open_corpus(root)
before = opened.corpus.seed_ids()
seed = Seed(id=99999, title="外国籍の親子の日本語ひろば", text="日曜日の午後")
with store.writer_lock(root):
    store.apply(root, {{99999: store.row_from_seed(seed, None), 1: None}}, 2, "t2")
print(json.dumps({{"seeds": len(before), "generation": opened.header["generation"]}}))
"""
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="tsunagari.settings")
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        seen = json.loads(result.stdout.strip().splitlines()[-1])
        # The other process read this process's files: same generation, same seeds.
        self.assertEqual(seen, {"seeds": len(seeds), "generation": 1})
        self.assertEqual((root / "gen-1" / "vectors.npy").stat().st_mtime_ns, built)
        # Its change reaches this process when it opens the store again.
        self.assertIn(1, corpus.seed_ids())
        again = store.open_corpus(root)
        self.assertEqual(again.header["generation"], 1)
        self.assertIn(99999, again.corpus.seed_ids())
        self.assertNotIn(1, again.corpus.seed_ids())
        need = NeedQuery(id="n", title="日本語ひろば", text="外国籍の親子")
        self.assertEqual(again.corpus.rank(need, None, top=1)[0].seed_id, 99999)


class PublishedCorpusTest(BaseTestCase):
    """The web app's corpus: kept in step with the database through the corpus version."""

    def setUp(self) -> None:
        self.root = Path(settings.MATCHING_STORE_DIR)
        self.cafe = make_resource(
            "サンプル 親子カフェ", description="親子で過ごせるカフェ。", targets=("kosodate",)
        )
        self.salon = make_resource(
            "サンプル 高齢者のお茶会", description="高齢者が集うお茶会。", targets=("koreisha",)
        )
        self.need = make_need(
            "外国籍の親子が日本語を話せる場", "日本語で話せる場所を探しています。"
        )

    def ranked(self) -> list[int]:
        return [s.resource_id for s in engine.compute_suggestions(self.need)]

    def test_a_changed_resource_is_ranked_by_its_new_text_without_a_rebuild(self) -> None:
        self.assertNotIn(self.salon.pk, self.ranked())
        self.salon.description = "外国籍の方が日本語で話せるお茶会。"
        self.salon.save()
        self.assertIn(self.salon.pk, self.ranked())
        header = header_of(self.root)
        self.assertEqual(header["generation"], 1)
        self.assertIsNotNone(header["delta"])

    def test_an_unpublished_resource_leaves_the_next_ranking(self) -> None:
        self.cafe.description = "外国籍の親子が日本語で話せるカフェ。"
        self.cafe.save()
        self.assertIn(self.cafe.pk, self.ranked())
        services.unpublish(self.cafe, by=self.secretariat, reason="終了")
        self.assertNotIn(self.cafe.pk, self.ranked())
        self.assertNotIn(self.cafe.pk, engine.published_corpus().seed_ids())
        self.assertEqual(header_of(self.root)["generation"], 1)

    def test_a_deleted_resource_leaves_the_corpus(self) -> None:
        engine.published_corpus()
        services.delete_resource(self.salon, by=self.secretariat)
        self.assertEqual(engine.published_corpus().seed_ids(), [self.cafe.pk])

    def test_a_store_of_another_format_is_rebuilt(self) -> None:
        engine.published_corpus()
        header = json.loads((self.root / "CURRENT").read_text())
        (self.root / "CURRENT").write_text(json.dumps(dict(header, format=0)))
        engine.clear_cache()
        self.assertEqual(
            sorted(engine.published_corpus().seed_ids()), [self.cafe.pk, self.salon.pk]
        )
        self.assertEqual(header_of(self.root)["generation"], 1)
        self.assertEqual(header_of(self.root)["format"], store.FORMAT)

    def test_a_corrupt_store_is_rebuilt(self) -> None:
        engine.published_corpus()
        (self.root / "gen-1" / "vectors.npy").write_bytes(b"not an array")
        engine.clear_cache()
        self.assertEqual(
            sorted(engine.published_corpus().seed_ids()), [self.cafe.pk, self.salon.pk]
        )
        self.assertEqual(header_of(self.root)["generation"], 2)

    def test_a_store_the_database_does_not_know_is_rebuilt(self) -> None:
        """E.g. the database restored from a backup taken before the store's version."""
        engine.published_corpus()
        header = header_of(self.root)
        (self.root / "CURRENT").write_text(json.dumps(dict(header, version=999, token="x")))
        engine.clear_cache()
        Resource.objects.filter(pk=self.salon.pk).update(name="サンプル 改名")
        self.assertEqual(
            sorted(engine.published_corpus().seed_ids()), [self.cafe.pk, self.salon.pk]
        )
        self.assertEqual(header_of(self.root)["generation"], 2)

    def test_the_rebuild_command_writes_a_new_generation_of_the_published_resources(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        engine.published_corpus()
        out = StringIO()
        call_command("rebuild_matching_store", stdout=out)
        self.assertIn("Stored 2 published resources", out.getvalue())
        self.assertEqual(header_of(self.root)["generation"], 2)
        self.assertEqual(
            sorted(engine.published_corpus().seed_ids()), [self.cafe.pk, self.salon.pk]
        )
