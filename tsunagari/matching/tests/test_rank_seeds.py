"""`manage.py rank_seeds`: the evaluation contract, and nothing written to the database."""

from __future__ import annotations

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tsunagari.directory.models import Resource
from tsunagari.matching.models import Need, SeedEmbedding, Suggestion

SEEDS = [
    {
        "id": "s1",
        "title": "親子のひろば",
        "text": "毎週土曜日に親子で遊べる居場所です。",
        "municipality_code": "141097",
        "target_groups": ["kosodate"],
        "kinds": ["ibasho"],
    },
    {"id": "s2", "title": "高齢者の見守り活動", "text": "ひとり暮らしの高齢者を訪問します。"},
    {
        "id": 3,
        "title": "日本語教室",
        "text": "外国籍の方の日本語教室",
        "municipality_code": "142051",
    },
]
NEEDS = [
    {
        "id": "n1",
        "title": "週末に親子で参加できる場がほしい",
        "text": "",
        "municipality_code": "141178",
        "target_groups": ["kosodate"],
        "kinds": ["ibasho"],
    },
    {"id": 2, "title": "日本語を学びたい", "text": "外国籍の住民が日本語を学べる教室"},
]


class RankSeedsTest(TestCase):
    def run_command(self, top: int = 2) -> list[dict[str, object]]:
        with tempfile.TemporaryDirectory() as folder:
            needs, seeds = Path(folder, "needs.jsonl"), Path(folder, "seeds.jsonl")
            needs.write_text("\n".join(json.dumps(n, ensure_ascii=False) for n in NEEDS))
            seeds.write_text("\n".join(json.dumps(s, ensure_ascii=False) for s in SEEDS))
            out = StringIO()
            call_command("rank_seeds", needs=needs, seeds=seeds, top=top, stdout=out)
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def test_it_prints_one_json_line_per_need_with_ranked_seeds_and_reasons(self) -> None:
        lines = self.run_command()
        self.assertEqual([line["need_id"] for line in lines], ["n1", 2])
        first = lines[0]["ranked"]
        assert isinstance(first, list)
        self.assertEqual(first[0]["seed_id"], "s1")
        self.assertEqual(set(first[0]), {"seed_id", "score", "reasons"})
        self.assertIn("同じ市内", first[0]["reasons"])
        self.assertIn("対象: 子育て世帯", first[0]["reasons"])
        self.assertLessEqual(len(first), 2)
        second = lines[1]["ranked"]
        assert isinstance(second, list)
        self.assertEqual(second[0]["seed_id"], 3)

    def test_it_writes_nothing_to_the_database(self) -> None:
        models = (Need, Suggestion, SeedEmbedding, Resource)
        before = [m.objects.count() for m in models]
        with CaptureQueriesContext(connection) as queries:
            self.run_command()
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE", "CREATE"}
        ]
        self.assertEqual(writes, [])
        self.assertEqual([m.objects.count() for m in models], before)

    def test_japanese_is_printed_as_is(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "x.jsonl")
            path.write_text(json.dumps(NEEDS[0], ensure_ascii=False))
            out = StringIO()
            call_command("rank_seeds", needs=path, seeds=path, top=1, stdout=out)
        self.assertIn("同じ区", out.getvalue())
        self.assertNotIn("\\u", out.getvalue())

    def test_it_rejects_a_bad_file(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "bad.jsonl")
            path.write_text("{not json")
            with self.assertRaisesMessage(CommandError, "bad.jsonl:1"):
                call_command("rank_seeds", needs=path, seeds=path, stdout=StringIO())
