"""/secretariat/network/: the graph drawn in SVG, the same data in a table, the isolated."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.factory import make_resource
from tsunagari.network.tests.factory import attend, collaborate, make_member
from tsunagari.test import BaseTestCase

URL = "/secretariat/network/"


class Ties(HTMLParser):
    """The edges drawn in the SVG and the rows of the table, as (a, b, weight)."""

    def __init__(self) -> None:
        super().__init__()
        self.svg: set[tuple[int, int, int]] = set()
        self.table: set[tuple[int, int, int]] = set()
        self.in_svg = False
        self.svg_attrs: dict[str, str | None] = {}
        self.titles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg" and a.get("class") == "network-graph":
            self.in_svg, self.svg_attrs = True, a
        if tag == "title" and self.in_svg:
            self.titles += 1
        if "data-a" in a:
            tie = (int(a["data-a"] or 0), int(a["data-b"] or 0), int(a["data-weight"] or 0))
            (self.svg if tag == "line" and self.in_svg else self.table).add(tie)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.in_svg = False


class NetworkPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.a = make_member("【テスト】団体A", municipalities=("142051",))
        self.b = make_member("【テスト】団体B", "private", municipalities=("142051",))
        self.c = make_member("【テスト】団体C", "academic")
        collaborate(self.a, self.b, on=date(2025, 6, 1))
        attend(self.a, self.c, on=date(2025, 7, 15))

    def parse(self, **params: str) -> tuple[Ties, str]:
        self.login(self.secretariat)
        r = self.client.get(URL, params)
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        ties = Ties()
        ties.feed(html)
        return ties, html

    def test_the_svg_and_the_table_hold_the_same_edges(self) -> None:
        ties, _html = self.parse()
        self.assertEqual(ties.svg, ties.table)
        self.assertIn((min(self.a.pk, self.b.pk), max(self.a.pk, self.b.pk), 3), ties.svg)
        self.assertEqual(len(ties.svg), 2)

    def test_the_svg_is_an_accessible_image(self) -> None:
        ties, html = self.parse()
        self.assertEqual(ties.svg_attrs["role"], "img")
        self.assertTrue(ties.svg_attrs["aria-label"])
        self.assertIn("<desc", html)
        self.assertGreater(ties.titles, 2)

    def test_the_table_shows_kinds_and_wareki_dates(self) -> None:
        _ties, html = self.parse()
        self.assertIn("連携・協働 1", html)
        self.assertIn("令和7年6月1日", html)

    def test_filters_by_since_and_kind(self) -> None:
        ties, html = self.parse(since="2025-07-01")
        self.assertEqual(len(ties.svg), 1)
        self.assertIn("令和7年7月1日以降", html)
        ties, _html = self.parse(kind="collaboration")
        self.assertEqual(
            {(t[0], t[1]) for t in ties.table},
            {(min(self.a.pk, self.b.pk), max(self.a.pk, self.b.pk))},
        )

    def test_a_bad_filter_shows_every_tie_and_says_why(self) -> None:
        ties, html = self.parse(since="いつか")
        self.assertEqual(len(ties.table), 2)
        self.assertIn("has-error", html)

    def test_the_isolated_are_listed_with_someone_to_introduce(self) -> None:
        make_resource("【テスト】居場所B", organization=self.b, targets=("koreisha",))
        make_resource("【テスト】居場所D", organization=self.organization, targets=("koreisha",))
        _ties, html = self.parse()
        self.assertIn("つながりの少ない構成員", html)
        self.assertIn(self.organization.name, html)
        self.assertIn("同じ藤沢市で高齢者の居場所を運営、まだ接点なし", html)

    def test_the_page_takes_a_fixed_number_of_queries(self) -> None:
        make_resource("【テスト】居場所B", organization=self.b, targets=("koreisha",))
        self.login(self.secretariat)
        with CaptureQueriesContext(connection) as before:
            self.client.get(URL)
        for i in range(4):
            other = make_member(f"【テスト】追加{i}", municipalities=("142051",))
            make_resource(f"【テスト】居場所{i}", organization=other, targets=("koreisha",))
            attend(self.b, other, on=date(2025, 8, 1))
        with self.assertNumQueries(len(before)):
            self.client.get(URL)
        self.assertLess(len(before), 20)
