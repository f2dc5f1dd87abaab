"""The engine's pure parts: BM25, signals, fusion, area levels, schedule hints, reasons."""

from __future__ import annotations

import numpy as np
from django.test import SimpleTestCase

from tsunagari.matching import area, hints
from tsunagari.matching.engine import (
    HYBRID,
    LEXICAL_ONLY,
    Corpus,
    NeedQuery,
    Seed,
    Weights,
    fuse,
    top_indices,
)
from tsunagari.matching.lexical import BM25Index, tokens

KOHOKU, AOBA, TSURUMI, YOKOHAMA = "141097", "141178", "141011", "141003"
FUJISAWA, PREFECTURE = "142051", "140007"


def seed(id: str, title: str, text: str = "", **fields: object) -> Seed:
    return Seed(id=id, title=title, text=text, **fields)  # type: ignore[arg-type]


def need(title: str, text: str = "", **fields: object) -> NeedQuery:
    return NeedQuery(id="n", title=title, text=text, **fields)  # type: ignore[arg-type]


class BM25Test(SimpleTestCase):
    def test_it_ranks_the_document_sharing_the_rare_word_first(self) -> None:
        index = BM25Index(
            [
                tokens("子ども食堂 地域の居場所"),
                tokens("日本語教室 地域の居場所"),
                tokens("地域の居場所"),
            ]
        )
        scores = index.scores(tokens("日本語を学べる居場所"))
        self.assertEqual(int(np.argmax(scores)), 1)
        self.assertGreater(scores[1], scores[2])
        self.assertGreater(scores[2], 0)

    def test_it_finds_variant_spellings_as_one_word(self) -> None:
        index = BM25Index([tokens("子供の学習支援"), tokens("高齢者の体操")])
        self.assertGreater(index.scores(tokens("こどもの勉強"))[0], 0)
        self.assertEqual(index.scores(tokens("こどもの勉強"))[1], 0)

    def test_a_short_document_beats_a_long_one_with_the_same_word_once(self) -> None:
        long_text = "相談 " + "散歩 体操 手芸 合唱 俳句 " * 10
        index = BM25Index([tokens(long_text), tokens("相談 窓口"), tokens("体操")])
        scores = index.scores(tokens("相談"))
        self.assertGreater(scores[1], scores[0])

    def test_it_ignores_words_that_say_nothing(self) -> None:
        self.assertEqual(tokens("場がほしい、参加できる"), ["参加"])


class AreaTest(SimpleTestCase):
    def test_levels_go_from_the_same_ward_to_elsewhere(self) -> None:
        self.assertEqual(area.level(KOHOKU, (KOHOKU,), False), area.SAME)
        self.assertEqual(area.level(KOHOKU, (AOBA,), False), area.SAME_CITY)
        self.assertEqual(area.level(KOHOKU, (YOKOHAMA,), False), area.SAME_CITY)
        self.assertEqual(area.level(YOKOHAMA, (TSURUMI,), False), area.SAME_CITY)
        self.assertEqual(area.level(KOHOKU, (PREFECTURE,), False), area.WIDE)
        self.assertEqual(area.level(KOHOKU, (FUJISAWA,), True), area.WIDE)
        self.assertEqual(area.level(KOHOKU, (FUJISAWA,), False), area.ELSEWHERE)

    def test_a_city_that_is_not_designated_has_no_city_level(self) -> None:
        self.assertEqual(area.same_city_codes(FUJISAWA), frozenset())
        self.assertEqual(area.level(FUJISAWA, ("142042",), False), area.ELSEWHERE)

    def test_the_corpus_computes_the_same_levels_for_every_seed(self) -> None:
        seeds = [
            seed("a", "x", municipality_codes=(KOHOKU,)),
            seed("b", "x", municipality_codes=(AOBA,)),
            seed("c", "x", municipality_codes=(PREFECTURE,)),
            seed("d", "x", municipality_codes=(FUJISAWA,), online=True),
            seed("e", "x", municipality_codes=(FUJISAWA,)),
        ]
        corpus = Corpus(seeds)
        expected = [area.level(KOHOKU, s.municipality_codes, s.online) for s in seeds]
        self.assertEqual(corpus.area_levels(KOHOKU).tolist(), expected)
        self.assertEqual(expected, [3, 2, 1, 1, 0])


class HintsTest(SimpleTestCase):
    def test_it_reads_weekends_weekdays_and_evenings(self) -> None:
        self.assertEqual(hints.read("週末に親子で").days, hints.WEEKEND)
        self.assertEqual(hints.read("平日の午前").days, hints.WEEKDAYS)
        self.assertTrue(hints.read("仕事帰りの夜に").evening)
        self.assertFalse(hints.read("午前中").evening)

    def test_a_day_the_need_rules_out_is_not_wanted(self) -> None:
        wanted = hints.read("平日は参加できない。土日に行きたい")
        self.assertEqual(wanted.days, hints.WEEKEND)
        self.assertEqual(hints.label(wanted), "土日")


class RankingTest(SimpleTestCase):
    def setUp(self) -> None:
        self.seeds = [
            seed(
                "weekend",
                "土曜の親子ひろば",
                "毎週土曜日、親子で遊べる居場所です。",
                municipality_codes=(AOBA,),
                target_groups=frozenset({"kosodate"}),
                kinds=frozenset({"ibasho"}),
            ),
            seed(
                "weekday",
                "平日の子育てサロン",
                "平日の午前、親子で集うサロンです。",
                municipality_codes=(FUJISAWA,),
                target_groups=frozenset({"kosodate"}),
                kinds=frozenset({"ibasho"}),
            ),
            seed(
                "elderly",
                "高齢者のお茶会",
                "ひとり暮らしの高齢者が集う会。",
                municipality_codes=(KOHOKU,),
                target_groups=frozenset({"koreisha"}),
                kinds=frozenset({"ibasho"}),
            ),
        ]
        self.corpus = Corpus(self.seeds)
        self.need = need(
            "週末に親子で参加できる場がほしい",
            municipality_code=KOHOKU,
            target_groups=frozenset({"kosodate"}),
            kinds=frozenset({"ibasho"}),
        )

    def test_the_weekend_family_place_nearby_comes_first_with_its_reasons(self) -> None:
        ranked = self.corpus.rank(self.need, None, top=3)
        self.assertEqual(ranked[0].seed_id, "weekend")
        self.assertEqual(
            ranked[0].reasons,
            # 週末 reaches the seed's 土曜 through the lay-language table.
            [
                "同じ市内",
                "対象: 子育て世帯",
                "種類: 居場所",
                "土日に開いている",
                "「土曜」「親子」が一致",
            ],
        )

    def test_reasons_name_the_same_ward_and_the_matched_words_as_written(self) -> None:
        ranked = self.corpus.rank(need("高齢者の集まり", municipality_code=KOHOKU), None, top=1)
        self.assertEqual(ranked[0].seed_id, "elderly")
        self.assertEqual(ranked[0].reasons, ["同じ区", "「高齢者」が一致"])

    def test_semantic_closeness_is_a_reason(self) -> None:
        vectors = np.eye(3, 512, dtype=np.float32)
        corpus = Corpus(self.seeds, vectors)
        query = np.eye(1, 512, 2, dtype=np.float32)[0]
        ranked = corpus.rank(need("お年寄り"), query, top=1, weights=Weights(0, 1))
        self.assertEqual(ranked[0].seed_id, "elderly")
        self.assertIn("意味が近い", ranked[0].reasons)

    def test_seeds_with_nothing_in_common_are_left_out(self) -> None:
        ranked = self.corpus.rank(need("日本語教室"), None, top=3, weights=LEXICAL_ONLY)
        self.assertEqual(ranked, [])

    def test_rank_many_gives_the_same_results_as_rank(self) -> None:
        vectors = np.random.default_rng(1).normal(size=(3, 512)).astype(np.float32)
        corpus = Corpus(self.seeds, vectors)
        needs = [self.need, need("高齢者の集まり", municipality_code=KOHOKU)]
        queries = np.random.default_rng(2).normal(size=(2, 512)).astype(np.float32)
        one_by_one = [corpus.rank(n, q, top=3) for n, q in zip(needs, queries, strict=True)]
        self.assertEqual(corpus.rank_many(needs, queries, top=3, batch=1), one_by_one)


class FusionTest(SimpleTestCase):
    def signals(self, **values: list[float]) -> dict[str, np.ndarray]:
        size = len(next(iter(values.values())))
        empty = {name: np.zeros(size, dtype=np.float32) for name, _ in HYBRID.items()}
        return empty | {k: np.array(v, dtype=np.float32) for k, v in values.items()}

    def test_a_seed_good_on_every_signal_beats_one_best_on_a_single_signal(self) -> None:
        signals = self.signals(lexical=[1.0, 0.8], semantic=[0.2, 0.6], area=[0.0, 1.0])
        for fusion in ("weighted", "rrf"):
            with self.subTest(fusion=fusion):
                self.assertEqual(int(np.argmax(fuse(signals, HYBRID, fusion))), 1)

    def test_weights_of_zero_ignore_a_signal(self) -> None:
        signals = self.signals(lexical=[1.0, 0.0], semantic=[0.0, 1.0])
        self.assertEqual(int(np.argmax(fuse(signals, LEXICAL_ONLY))), 0)
        self.assertEqual(int(np.argmax(fuse(signals, Weights(0, 1)))), 1)

    def test_top_indices_are_best_first(self) -> None:
        score = np.array([0.1, 0.9, 0.5, 0.7], dtype=np.float32)
        self.assertEqual(top_indices(score, 2).tolist(), [1, 3])
        self.assertEqual(top_indices(score, 10).tolist(), [1, 3, 2, 0])
