"""The lay-language table (data/lay_terms.tsv): everyday words find service words.

Every pair of the shipped file is tried: a resource described only with the service word
is found by searching the everyday word. The validation tests write small tables of their
own, so a mistake in the file is reported with its line before any search runs.
"""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from tsunagari.directory import lay_terms, tokens
from tsunagari.directory.checks import check_lay_terms
from tsunagari.directory.models import Resource
from tsunagari.directory.sample import load_sample_resources
from tsunagari.directory.search import reindex, search
from tsunagari.factory import make_resource

HEADER = "ふだんの言葉\t資源の言葉\tメモ\n"
UNRELATED = "将棋盤の貸し出し"


def table(text: str) -> lay_terms.Table:
    return lay_terms.parse(HEADER + text, "test.tsv")


class EveryPairTestCase(TestCase):
    """One resource per service word, each described with that word alone."""

    table: lay_terms.Table
    by_service: dict[str, int]
    unrelated: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        cls.table = lay_terms.table()
        cls.by_service = {}
        for n, service in enumerate(sorted({s for _e, s in cls.table.pairs()})):
            resource = make_resource(
                f"第{n}番", description=service, kinds=(), languages=(), municipality=None
            )
            cls.by_service[service] = resource.pk
        cls.unrelated = make_resource(
            "第九十九番", description=UNRELATED, kinds=(), languages=(), municipality=None
        )
        reindex(Resource.objects.values_list("pk", flat=True))

    def test_the_table_has_at_least_sixty_pairs(self) -> None:
        self.assertGreaterEqual(len(self.table.pairs()), 60)
        self.assertGreaterEqual(len(self.table.lines), 60)

    def test_searching_each_everyday_word_finds_the_service_word(self) -> None:
        for everyday, service in self.table.pairs():
            with self.subTest(everyday=everyday, service=service):
                found = set(search(q=everyday).values_list("pk", flat=True))
                self.assertIn(self.by_service[service], found)
                self.assertNotIn(self.unrelated.pk, found)

    def test_a_service_word_is_not_widened(self) -> None:
        lay = make_resource("第百一番", description="お年寄りの集い", kinds=(), municipality=None)
        reindex(lay)
        self.assertIn(lay, search(q="お年寄り"))
        self.assertNotIn(lay, search(q="高齢者"))

    def test_a_lay_word_combines_with_other_words(self) -> None:
        """お年寄り 居場所: each word must still match (AND), お年寄り through 高齢者."""
        both = make_resource("第百番", description="高齢者の居場所", kinds=(), municipality=None)
        reindex(both)
        self.assertEqual(list(search(q="お年寄りの居場所")), [both])


class DemoWordsTestCase(TestCase):
    def test_words_people_type_find_the_demo_resources(self) -> None:
        """The issue's words: お年寄り and 認知症 found nothing while 高齢者 found 80."""
        load_sample_resources(60)
        older = search(q="高齢者").count()
        self.assertGreater(older, 0)
        self.assertGreaterEqual(search(q="お年寄り").count(), older)
        self.assertGreater(search(q="認知症").count(), 0)
        self.assertGreater(search(q="家から出られない").count(), 0)


class PhraseTestCase(SimpleTestCase):
    def test_a_phrase_matches_with_other_particles_but_not_another_wish(self) -> None:
        lay = table("家から出られない\tひきこもり\n")
        for text in ("家から出られない", "家を出られない息子"):
            with self.subTest(text):
                self.assertEqual([line.number for _w, line in tokens.lay_phrases(text, lay)], [2])
        self.assertEqual(tokens.lay_phrases("家を出たい", lay), [])

    def test_the_longest_phrase_wins(self) -> None:
        lay = table("介護\tケアラー\n介護予防\t体操\n")
        found = tokens.lay_phrases("介護予防の教室", lay)
        self.assertEqual([(w, line.service) for w, line in found], [("介護予防", ("体操",))])

    def test_the_query_group_holds_the_phrase_and_its_line(self) -> None:
        lay = table("お年寄り/シニア\t高齢者\n")
        self.assertEqual(
            tokens.parse_query("お年寄り", lay),
            [[("御", "年寄り"), ("シニア",), ("高齢者",), ("高齢", "者")]],
        )


class ValidationTestCase(SimpleTestCase):
    def assertRefused(self, text: str, *words: str) -> None:
        with self.assertRaises(lay_terms.LayTermsError) as caught:
            table(text) if not text.startswith("!") else lay_terms.parse(text[1:], "test.tsv")
        for word in words:
            self.assertIn(word, str(caught.exception))

    def test_the_shipped_file_is_valid(self) -> None:
        self.assertTrue(lay_terms.load().lines)

    def test_it_refuses_an_empty_cell_or_word(self) -> None:
        self.assertRefused("お年寄り\t\n", "test.tsv:2", "資源の言葉")
        self.assertRefused("お年寄り//シニア\t高齢者\n", "test.tsv:2", "空の言葉")

    def test_it_refuses_a_word_that_is_only_particles(self) -> None:
        self.assertRefused("の\t高齢者\n", "test.tsv:2", "「の」")
        self.assertRefused("お年寄り\t、\n", "test.tsv:2", "「、」")

    def test_it_refuses_an_everyday_word_on_two_lines(self) -> None:
        self.assertRefused("お年寄り\t高齢者\nシニア/お年寄り\t高齢\n", "test.tsv:3", "2行目")

    def test_it_refuses_two_spellings_read_as_one_word_on_two_lines(self) -> None:
        self.assertRefused("一人暮らし\tひとり暮らし\n独り暮らし\t単身\n", "test.tsv:3", "2行目")

    def test_two_spellings_of_one_word_may_share_a_line(self) -> None:
        self.assertEqual(len(table("一人暮らし/ひとり暮らし\t単身\n").lines), 1)

    def test_it_refuses_a_service_word_twice_on_a_line(self) -> None:
        self.assertRefused("お年寄り\t高齢者/高齢者\n", "test.tsv:2", "2回")

    def test_it_refuses_a_missing_header_or_column(self) -> None:
        self.assertRefused("!お年寄り\t高齢者\n", "見出し")
        self.assertRefused("お年寄り\n", "test.tsv:2", "2列")
        self.assertRefused("!# only a comment\n", "ありません")

    def test_comments_and_blank_lines_are_skipped(self) -> None:
        lay = lay_terms.parse("# 説明\n\n" + HEADER + "# もう一つ\nお年寄り\t高齢者\n", "t")
        self.assertEqual([line.number for line in lay.lines], [5])


class CommandTestCase(TestCase):
    def test_it_counts_what_each_line_finds_and_names_unused_service_words(self) -> None:
        reindex(make_resource("シニアの集い", targets=("koreisha",)))
        out = StringIO()
        call_command("lay_terms", stdout=out)
        self.assertIn("お年寄り/年寄り", out.getvalue())
        self.assertRegex(out.getvalue(), r"→ 高齢者/高齢: 1件")
        self.assertIn("「ひきこもり」を含む公開中の資源はまだありません。", out.getvalue())


class SystemCheckTestCase(SimpleTestCase):
    def test_a_broken_table_stops_the_start_up_with_its_line(self) -> None:
        self.assertEqual(check_lay_terms(), [])
        with tempfile.TemporaryDirectory() as folder:
            broken = Path(folder) / "lay_terms.tsv"
            broken.write_text(HEADER + "お年寄り\t\n", encoding="utf-8")
            with mock.patch.object(lay_terms, "PATH", broken):
                errors = check_lay_terms()
        self.assertEqual([e.id for e in errors], ["tsunagari.directory.E001"])
        self.assertIn("lay_terms.tsv:2", errors[0].msg)
