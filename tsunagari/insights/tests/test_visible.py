"""The public dashboard /visible/: every chart's SVG says the same numbers as its table, its
CSV and its API answer; small counts are hidden in all of them; the page is bounded in
queries and refers to nothing outside the site."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html import unescape
from typing import Any
from unittest import mock

from django.test import TestCase, override_settings

from tsunagari.insights import builders
from tsunagari.insights.charts import CHARTS, Filters

SVG = "{http://www.w3.org/2000/svg}"
FUJISAWA, CHIGASAKI, HAYAMA = "142051", "142077", "143014"

# Resources: Fujisawa 25 (shown), Chigasaki 4 (hidden), Hayama 0 (shown as 0).
RESOURCES = {FUJISAWA: 25, CHIGASAKI: 4}
OPPORTUNITIES = {FUJISAWA: 12, CHIGASAKI: 3}
# (needs, seeds): Fujisawa koreisha 30 needs vs 12 seeds → gap 18; Chigasaki 5 needs → hidden.
NEEDS_SEEDS = {(FUJISAWA, "koreisha"): (30, 12), (CHIGASAKI, "koreisha"): (5, 20)}
# 40 proposed, 25 accepted or further, 12 completed, 15 across sectors.
FUNNEL = {"proposed": 40, "accepted": 25, "completed": 12, "cross_sector": 15}
SMALL_FUNNEL = {"proposed": 14, "accepted": 6, "completed": 2, "cross_sector": 3}


def sample_counts(funnel: dict[str, int] = FUNNEL) -> Any:
    """The heavy counts (tallies.py) replaced by known numbers: the builders' contract."""
    stack = mock.patch.multiple(
        "tsunagari.insights.tallies",
        resources_by_municipality=lambda opportunities=False: dict(
            OPPORTUNITIES if opportunities else RESOURCES
        ),
        needs_and_seeds=lambda: dict(NEEDS_SEEDS),
        collaboration_funnel=lambda fiscal_year=None, municipality=None: dict(funnel),
    )
    return stack


def svg_values(svg: str) -> dict[tuple[int, int], str]:
    root = ET.fromstring(svg)
    return {
        (int(t.get("data-category", "-1")), int(t.get("data-series", "-1"))): "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if t.get("data-category") is not None and t.get("data-category") != "-1"
    }


TD = re.compile(r'<td data-category="(\d+)" data-series="(\d+)"[^>]*>([^<]*)</td>')


def sections(html: str) -> dict[str, str]:
    parts = re.split(r'(?=<section class="chart" id="chart-)', html)
    found = {}
    for part in parts[1:]:
        slug = re.match(r'<section class="chart" id="chart-([\w-]+)"', part)
        assert slug
        found[slug[1]] = part.split("</section>")[0]
    return found


def table_values(section: str) -> dict[tuple[int, int], str]:
    return {(int(c), int(s)): unescape(text) for c, s, text in TD.findall(section)}


def the_svg(section: str) -> str:
    match = re.search(r"<svg .*?</svg>", section, re.S)
    assert match, "no SVG"
    return match[0]


class DashboardTestCase(TestCase):
    def page(self, query: str = "") -> str:
        with sample_counts():
            response = self.client.get("/visible/" + query)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


class ChartsAgreeTests(DashboardTestCase):
    def test_every_chart_draws_the_numbers_of_its_table(self) -> None:
        found = sections(self.page())
        self.assertEqual(list(found), list(CHARTS))
        for slug, section in found.items():
            with self.subTest(chart=slug):
                drawn = svg_values(the_svg(section))
                table = table_values(section)
                self.assertTrue(drawn, "the SVG prints its values")
                for key, text in drawn.items():
                    self.assertIn(key, table)
                    self.assertEqual(text.split(" ")[-1].split("（")[0], table[key])

    def test_small_counts_read_under_ten_in_the_svg_and_the_table(self) -> None:
        found = sections(self.page())
        resources = found["resources"]
        codes = list(builders.municipalities())
        chigasaki, fujisawa = codes.index(CHIGASAKI), codes.index(FUJISAWA)
        table = table_values(resources)
        drawn = svg_values(the_svg(resources))
        self.assertEqual(table[(chigasaki, 0)], "10未満")
        self.assertEqual(table[(chigasaki, 2)], "10未満")  # the rate of a hidden count
        self.assertEqual(drawn[(chigasaki, 2)], "10未満")
        self.assertEqual(table[(fujisawa, 0)], "25")
        self.assertNotIn("4", [table[(chigasaki, s)] for s in (0, 2)])
        gap = table_values(found["needs-seeds"])
        self.assertIn("18", gap.values())  # Fujisawa: 30 needs − 12 seeds
        from tsunagari.directory.models import TargetGroup

        koreisha = list(TargetGroup.objects.values_list("slug", flat=True)).index("koreisha")
        self.assertEqual(gap[(codes.index(CHIGASAKI), koreisha)], "10未満")  # 5 needs

    def test_the_funnel_hides_a_stage_that_would_give_a_small_one_away(self) -> None:
        with sample_counts(SMALL_FUNNEL):
            chart = CHARTS["collaborations"].build(Filters())
        # 14 proposed: 8 not accepted, 4 accepted only, 2 completed → every part < 10.
        self.assertEqual(chart.series[0].values, [14, None, None, None])
        with sample_counts(SMALL_FUNNEL):
            internal = CHARTS["collaborations"].build(Filters(internal=True))
        self.assertEqual(internal.series[0].values, [14, 6, 2, 3])

    def test_the_funnel_shows_stages_of_ten_or_more(self) -> None:
        with sample_counts():
            chart = CHARTS["collaborations"].build(Filters())
        self.assertEqual(chart.series[0].values, [40, 25, 12, 15])
        self.assertIn("38%", chart.reading)  # 15 of 40 across sectors

    def test_the_kpi_line_is_the_r5_survey_with_its_source(self) -> None:
        chart = CHARTS["kenmin-kpi"].build(Filters())
        self.assertEqual(chart.series[0].values, [11.4])
        self.assertEqual(chart.target, 11.4)  # type: ignore[attr-defined]
        self.assertIn("県民ニーズ調査", chart.source)
        survey = CHARTS["kenmin-survey"].build(Filters())
        self.assertEqual(survey.series[0].values, [1.3, 10.1, 45.9, 20.4, 8.4, 10.8, 3.1])

    def test_the_self_check_sits_next_to_the_national_figures(self) -> None:
        chart = CHARTS["selfcheck"].build(Filters())
        self.assertEqual(chart.series[1].values, [45.7, 39.3])
        self.assertEqual(chart.series[0].values, [None, None])  # no answers: nothing shown

    def test_members_by_sector_says_why_the_first_year_is_missing(self) -> None:
        chart = CHARTS["members"].build(Filters())
        self.assertNotIn("令和6年度末", chart.categories)
        self.assertTrue(any("加入日が分かりません" in note for note in chart.notes))
        government = next(s for s in chart.series if s.label == "行政")
        self.assertEqual(government.values[-1], 9)  # the public roster: shown as it is


class CsvAndApiTests(DashboardTestCase):
    def test_each_csv_equals_its_table(self) -> None:
        found = sections(self.page("?fiscal_year=2025"))
        for slug, section in found.items():
            with self.subTest(chart=slug), sample_counts():
                response = self.client.get(f"/visible/{slug}.csv?fiscal_year=2025")
            self.assertEqual(response.status_code, 200)
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            table = table_values(section)
            body = rows[1 : rows.index([]) if [] in rows else None]
            cells = {(i, j): v for i, row in enumerate(body) for j, v in enumerate(row[1:])}
            self.assertEqual(cells, table)
            self.assertTrue(any(row[:1] == ["データの日付"] for row in rows))
            self.assertTrue(any(row[:1] == ["出典"] for row in rows))

    def test_the_api_answers_the_table(self) -> None:
        found = sections(self.page())
        for slug, section in found.items():
            with self.subTest(chart=slug), sample_counts():
                body = self.client.get(f"/api/v1/visible/{slug}").json()
            values = {
                (i, j): builders.format_value(v)
                for j, s in enumerate(body["series"])
                for i, v in enumerate(s["values"])
            }
            self.assertEqual(values, table_values(section))

    def test_the_api_hides_small_counts_as_null(self) -> None:
        with sample_counts():
            body = self.client.get("/api/v1/visible/resources").json()
        at = body["codes"].index(CHIGASAKI)
        self.assertIsNone(body["series"][0]["values"][at])
        self.assertEqual(body["suppression_threshold"], 10)

    def test_the_api_refuses_bad_filters_and_unknown_charts(self) -> None:
        self.assertEqual(self.client.get("/api/v1/visible/nothing").status_code, 404)
        r = self.client.get("/api/v1/visible/resources?municipality=999999")
        self.assertEqual(r.status_code, 422)
        self.assertIn("municipality", r.json()["errors"])
        self.assertEqual(self.client.get("/api/v1/visible/cases?fiscal_year=1999").status_code, 422)
        listed = self.client.get("/api/v1/visible").json()
        self.assertEqual([c["slug"] for c in listed], list(CHARTS))

    def test_the_openapi_lists_the_municipality_codes(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        parameters = schema["paths"]["/api/v1/visible/{chart}"]["get"]["parameters"]
        municipality = next(p for p in parameters if p["name"] == "municipality")
        self.assertIn(FUJISAWA, municipality["schema"]["enum"])
        self.assertEqual(len(municipality["schema"]["enum"]), 33)


class PageTests(DashboardTestCase):
    def test_a_municipality_view_shows_its_charts(self) -> None:
        html = self.page(f"?municipality={FUJISAWA}")
        found = sections(html)
        self.assertEqual(set(found), builders.PER_MUNICIPALITY)
        self.assertIn("藤沢市", html)
        self.assertIn(f'data-code="{FUJISAWA}"><rect', html)
        self.assertIn(f"/visible/resources.csv?municipality={FUJISAWA}", html)

    def test_bad_filters_are_said_and_the_prefecture_is_shown(self) -> None:
        with sample_counts():
            r = self.client.get("/visible/?fiscal_year=1999&municipality=abc")
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, 'role="alert"', status_code=400)
        self.assertEqual(len(sections(r.content.decode())), len(CHARTS))

    def test_every_chart_has_its_date_source_and_csv(self) -> None:
        for slug, section in sections(self.page()).items():
            with self.subTest(chart=slug):
                self.assertIn("データの日付", section)
                self.assertIn("出典", section)
                self.assertIn(f"/visible/{slug}.csv", section)
                self.assertIn('role="img"', section)
                self.assertIn("<table", section)

    def test_the_page_is_bounded_in_queries(self) -> None:
        self.page()  # warm: the version keys of the page cache
        with override_settings(PAGE_CACHE_SECONDS=0), sample_counts(), self.assertNumQueries(14):
            self.client.get("/visible/")

    def test_it_refers_to_nothing_outside_the_site(self) -> None:
        with sample_counts():
            response = self.client.get("/visible/")
        html = response.content.decode()
        external = re.findall(r'(?:src|href|action)="(https?://[^"]+)"', html)
        self.assertEqual(external, [])
        self.assertNotIn("url(http", html)
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("script-src 'self'", policy)

    def test_anonymous_visitors_get_the_cached_page(self) -> None:
        with sample_counts():
            self.client.get("/visible/")
            second = self.client.get("/visible/")
        self.assertEqual(getattr(second, "pagecache", ""), "hit")


class CachedPageFollowsTheDataTests(TestCase):
    """The page cache keeps /visible/ cheap under a spike, yet a change in the data shows
    on the next request: a new model case (read directly), a new resource (read through
    the tallies, which bump the page's family when they move)."""

    def test_a_published_case_is_not_hidden_by_the_cache(self) -> None:
        from tsunagari.cases.tests.factory_cases import make_case

        self.client.get("/visible/")
        self.assertEqual(getattr(self.client.get("/visible/"), "pagecache", ""), "hit")
        make_case()
        self.assertNotEqual(getattr(self.client.get("/visible/"), "pagecache", ""), "hit")

    def test_a_new_resource_is_not_hidden_by_the_cache(self) -> None:
        from django.core.management import call_command

        from tsunagari.factory import make_resource

        call_command("rebuild_tallies", stdout=io.StringIO())
        self.client.get("/visible/")
        self.assertEqual(getattr(self.client.get("/visible/"), "pagecache", ""), "hit")
        with self.captureOnCommitCallbacks(execute=True):
            make_resource()
        self.assertNotEqual(getattr(self.client.get("/visible/"), "pagecache", ""), "hit")


class SampleDataIsMarkedTests(TestCase):
    """On the demo, the dashboard says its figures include sample data; a real site does
    not carry the note."""

    def test_the_demo_marks_its_figures_as_samples(self) -> None:
        with override_settings(DEMO=True), sample_counts():
            self.assertContains(self.client.get("/visible/"), "実際の数ではありません")
        with override_settings(DEMO=False), sample_counts():
            self.assertNotContains(self.client.get("/visible/?fiscal_year=2025"), "実際の数では")


class ReadingsTests(TestCase):
    def test_a_hidden_count_reads_as_fewer_than_ten(self) -> None:
        from tsunagari.cases.tests.factory_cases import make_case

        make_case()
        reading = CHARTS["cases"].build(Filters()).reading
        self.assertIn("公開されたモデル事例は10件未満です", reading)
        self.assertNotIn("未満件", reading)

    def test_no_ranking_is_read_when_every_municipality_shows_none(self) -> None:
        with mock.patch(
            "tsunagari.insights.tallies.resources_by_municipality", lambda opportunities=False: {}
        ):
            reading = CHARTS["opportunities"].build(Filters()).reading
        self.assertNotIn("最も多い", reading)
