"""The results page, its CSV, the codebook, the researcher export, the API and the
rebuild command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.geo.models import Municipality
from tsunagari.surveys import aggregates, results_views, scoring, services
from tsunagari.surveys.models import Help, SelfCheckHelpTally, SelfCheckTally
from tsunagari.test import BaseTestCase

FUJISAWA, KAMAKURA, YOKOHAMA, YOKOSUKA = "142051", "142042", "141003", "142018"


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def tally(
    n: int, *, band: str = "hardly", direct: int = 2, city: str = FUJISAWA, age: str = "60s"
) -> None:
    SelfCheckTally.objects.create(
        month=this_month(),
        municipality_code=city,
        age_band=age,
        indirect_band=band,
        direct=direct,
        n=n,
    )
    services.rebuild_month_tallies()  # as services.bump_tallies keeps it


def help_tally(n: int, help: str = "talk", *, city: str = FUJISAWA, age: str = "60s") -> None:
    SelfCheckHelpTally.objects.create(
        month=this_month(), municipality_code=city, age_band=age, help=help, n=n
    )


def helps_of_fujisawa(money: int = 0) -> None:
    """100 of 藤沢市 answered what would help: talk 45, place 60, money `money`."""
    help_tally(100, SelfCheckHelpTally.ANSWERED)
    help_tally(45, "talk")
    help_tally(60, "place")
    if money:
        help_tally(money, "money")


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


class ResultsPageTests(BaseTestCase):
    def setUp(self) -> None:
        # 藤沢市: 45 of 100 feel lonely on the indirect items; 鎌倉市: only 5 responses,
        # published only with 横須賀市's 50 (else 藤沢市 beside the total would give 5).
        tally(55, band="hardly", direct=2)
        tally(30, band="sometimes", direct=3)
        tally(15, band="always", direct=5)
        tally(5, city=KAMAKURA)
        tally(50, city=YOKOSUKA)

    def test_it_shows_shares_with_their_interval_next_to_the_national_figures(self) -> None:
        response = self.client.get("/selfcheck/results/?city=142051")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "45.0%（95%信頼区間 35.6–54.8%）")
        for figure in ("36.4%", "40.3%", "39.3%", "45.7%"):  # 令和3〜6年 as published
            self.assertContains(response, figure)

    def test_a_small_city_shows_the_suppressed_mark_and_no_share(self) -> None:
        response = self.client.get("/selfcheck/results/")
        kamakura = response.context["result"].by_city
        row = next(r for r in kamakura if r.key == KAMAKURA)
        self.assertIsNone(row.n)
        self.assertContains(response, "&lt;10")
        self.assertNotContains(response, ">5<")

    def test_it_explains_suppression(self) -> None:
        response = self.client.get("/selfcheck/results/")
        self.assertContains(response, "10件未満")

    def test_it_has_no_inline_styles_and_labelled_tables(self) -> None:
        content = self.client.get("/selfcheck/results/").content.decode()
        self.assertNotIn("style=", content)
        self.assertEqual(content.count("<table"), content.count("<caption>"))
        self.assertIn("<meter", content)

    def test_periods_are_shown_in_wareki(self) -> None:
        response = self.client.get(
            "/selfcheck/results/?fiscal_year=2024", HTTP_ACCEPT_LANGUAGE="ja"
        )
        self.assertContains(response, "令和6年度 第1四半期（4〜6月）")
        self.assertContains(response, "令和6年度・")

    def test_a_municipality_officer_lands_on_their_own_city(self) -> None:
        self.login(self.officer)
        response = self.client.get("/selfcheck/results/")
        self.assertEqual(response.context["result"].filters.city, FUJISAWA)
        self.assertEqual(response.context["result"].n, 100)

    def test_a_ward_officer_lands_on_the_ward_s_city(self) -> None:
        ward = Municipality.objects.filter(parent_id=YOKOHAMA).first()
        assert ward is not None
        officer = factory.make_user("ward@example.jp", User.Role.MUNICIPALITY, municipality=ward)
        self.login(officer)
        response = self.client.get("/selfcheck/results/")
        self.assertEqual(response.context["result"].filters.city, YOKOHAMA)

    def test_an_officer_can_choose_the_whole_prefecture_or_another_city(self) -> None:
        self.login(self.officer)
        everything = self.client.get("/selfcheck/results/?city=")
        self.assertEqual(everything.context["result"].filters.city, "")
        self.assertEqual(everything.context["result"].n, 155)
        other = self.client.get(f"/selfcheck/results/?city={KAMAKURA}")
        self.assertIsNone(other.context["result"].n)

    def test_bad_filters_keep_what_was_chosen_and_say_why(self) -> None:
        response = self.client.get("/selfcheck/results/?period=FY2025-Q7&city=142051")
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["result"])
        self.assertContains(response, "error-summary")
        self.assertContains(response, '<option value="142051" selected>', html=False)

    def test_an_arbitrary_range_shows_the_nearest_fiscal_year_and_says_so(self) -> None:
        response = self.client.get("/selfcheck/results/?start=2024-08&end=2025-07")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["result"].filters.period_key, "FY2025")
        self.assertContains(response, 'id="period-note"')
        self.assertContains(response, "任意の期間は選べません")
        self.assertContains(response, '<option value="FY2025" selected>', html=False)

    def test_a_city_with_a_quarter_shows_the_city_s_fiscal_year(self) -> None:
        period = aggregates.period_key(this_month(), aggregates.BY_QUARTER)
        response = self.client.get(f"/selfcheck/results/?period={period}&city={FUJISAWA}")
        result = response.context["result"]
        self.assertEqual((result.filters.period, result.n), ("fiscal_year", 100))
        self.assertContains(response, "年度単位でのみ公開")

    def test_a_quarter_of_the_prefecture_is_shown_without_distributions(self) -> None:
        period = aggregates.period_key(this_month(), aggregates.BY_QUARTER)
        response = self.client.get(f"/selfcheck/results/?period={period}&by=month")
        result = response.context["result"]
        self.assertEqual(result.n, 155)
        self.assertEqual(len(result.over_time), 3)
        self.assertContains(response, "年度単位でのみ公開しています")
        self.assertNotContains(response, 'id="by-city"')

    def test_the_page_reads_a_fixed_number_of_queries(self) -> None:
        # municipalities + two GROUP BYs over the tallies + one over the help tallies
        with self.assertNumQueries(4):
            self.client.get("/selfcheck/results/")
        tally(500, city=YOKOHAMA, age="20s")
        help_tally(400, SelfCheckHelpTally.ANSWERED, city=YOKOHAMA, age="20s")
        for code in ("talk", "hobby", "place", "work", "mind"):
            help_tally(100, code, city=YOKOHAMA, age="20s")
        with self.assertNumQueries(4):
            self.client.get("/selfcheck/results/?by=month&age_band=20s")

    def test_an_officer_s_page_adds_only_the_sign_in_queries(self) -> None:
        self.login(self.officer)
        # session, user, the officer's municipality, then the same four.
        with self.assertNumQueries(7):
            self.client.get("/selfcheck/results/")

    def test_it_shows_what_would_help_as_shares_of_those_who_answered(self) -> None:
        helps_of_fujisawa()
        response = self.client.get(f"/selfcheck/results/?city={FUJISAWA}")
        content = response.content.decode()
        start = content.index('<table class="data results-table" id="helps">')
        table = content[start : content.index("</table>", start)]
        self.assertIn("<caption>あるとよいもの（回答した人のうち選んだ人の割合）</caption>", table)
        self.assertIn('<th scope="col">', table)
        self.assertEqual(table.count('<th scope="row">'), len(Help.values))
        talk = table[table.index("話し相手") : table.index("</tr>", table.index("話し相手"))]
        self.assertIn('<td class="num">45</td>', talk)
        self.assertIn("45.0%（95%信頼区間 35.6–54.8%）", talk)
        self.assertIn('<meter class="share-bar" min="0" max="100" value="45.0"', talk)
        money = table[table.index("お金・生活") :]
        money = money[: money.index("</tr>")]
        self.assertEqual(money.count("&lt;10"), 2)  # nobody chose it: shown as suppressed
        self.assertNotIn("<meter", money)
        self.assertContains(response, "いくつでも選べる")
        self.assertContains(response, "1つ以上選んだ人（100人）")
        # The table comes after the direct-question table and before the breakdowns.
        direct = content.index("直接質問（孤独であると感じることがあるか）の回答")
        self.assertLess(direct, start)
        self.assertLess(start, content.index('id="by-city"'))

    def test_a_help_chosen_by_nine_hides_the_whole_table(self) -> None:
        helps_of_fujisawa(money=9)
        response = self.client.get(f"/selfcheck/results/?city={FUJISAWA}")
        helps = response.context["result"].helps
        self.assertIsNone(helps.answered)
        self.assertTrue(all(c.n is None for c in helps.cells))

    def test_a_small_denominator_hides_every_help(self) -> None:
        help_tally(9, SelfCheckHelpTally.ANSWERED)
        help_tally(9, "talk")
        response = self.client.get(f"/selfcheck/results/?city={FUJISAWA}")
        self.assertIsNone(response.context["result"].helps.answered)
        self.assertContains(response, "1つ以上選んだ人（&lt;10人）")


class ResultsCsvTests(BaseTestCase):
    def setUp(self) -> None:
        tally(55)
        tally(30, band="sometimes", direct=3)
        tally(15, band="always", direct=5)
        tally(5, city=KAMAKURA)
        tally(50, city=YOKOSUKA)

    def test_it_is_utf8_with_bom_and_suppressed_like_the_page(self) -> None:
        response = self.client.get("/selfcheck/results.csv")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith("\ufeff".encode()))
        rows = read_csv(response.content)
        kamakura = next(r for r in rows if r["section"] == "city" and r["key"] == KAMAKURA)
        self.assertEqual(kamakura["n"], "<10")
        self.assertEqual(kamakura["indirect_lonely_percent"], "")
        total = next(r for r in rows if r["section"] == "total")
        self.assertEqual(total["n"], "155")
        self.assertEqual(total["scale_version"], scoring.SCALE_VERSION)
        page = self.client.get("/selfcheck/results/").context["result"]
        shown = {r.key: r.n_text.replace(",", "") for r in page.by_city}
        self.assertEqual({r["key"]: r["n"] for r in rows if r["section"] == "city"}, shown)

    def test_it_follows_the_filters(self) -> None:
        rows = read_csv(self.client.get(f"/selfcheck/results.csv?city={FUJISAWA}").content)
        total = next(r for r in rows if r["section"] == "total")
        self.assertEqual((total["n"], total["city_filter"]), ("100", FUJISAWA))
        self.assertEqual(total["indirect_lonely_percent"], "45.0")
        self.assertEqual(
            (total["indirect_lonely_ci95_low"], total["indirect_lonely_ci95_high"]),
            ("35.6", "54.8"),
        )

    def test_bad_filters_are_a_bad_request(self) -> None:
        self.assertEqual(self.client.get("/selfcheck/results.csv?age_band=x").status_code, 400)

    def test_it_has_a_row_for_each_help_and_one_for_those_who_answered(self) -> None:
        helps_of_fujisawa()
        rows = read_csv(self.client.get(f"/selfcheck/results.csv?city={FUJISAWA}").content)
        self.assertEqual(list(rows[0]), results_views.RESULTS_HEADER)
        answered = [r for r in rows if r["section"] == "help_answered"]
        self.assertEqual(len(answered), 1)
        self.assertEqual((answered[0]["n"], answered[0]["percent"]), ("100", ""))
        helps = {r["key"]: r for r in rows if r["section"] == "help"}
        self.assertEqual(list(helps), list(Help.values))
        talk = helps["talk"]
        self.assertEqual(
            [talk[k] for k in ("label", "n", "percent", "percent_ci95_low", "percent_ci95_high")],
            ["話し相手", "45", "45.0", "35.6", "54.8"],
        )
        self.assertEqual((talk["city_filter"], talk["indirect_lonely_percent"]), (FUJISAWA, ""))
        self.assertEqual(helps["place"]["n"], "60")
        for key in ("money", "hobby"):
            with self.subTest(key):
                self.assertEqual(helps[key]["n"], "<10")
                self.assertEqual(helps[key]["percent"], "")
                self.assertEqual(helps[key]["percent_ci95_low"], "")
        total = next(r for r in rows if r["section"] == "total")
        self.assertEqual(total["percent_ci95_low"], "")  # only help rows have this interval


class CodebookTests(BaseTestCase):
    def test_every_exported_variable_has_labels_in_both_languages(self) -> None:
        response = self.client.get("/selfcheck/codebook.csv")
        self.assertTrue(response.content.startswith("\ufeff".encode()))
        rows = read_csv(response.content)
        documented = {(r["file"], r["variable"]) for r in rows}
        for variable in results_views.RESPONSES_HEADER:
            self.assertIn(("responses.csv", variable), documented)
        for variable in results_views.RESULTS_HEADER:
            self.assertIn(("results.csv", variable), documented)
        self.assertEqual(len(documented), len(rows))
        for row in rows:
            self.assertTrue(row["label_ja"] and row["label_en"], row["variable"])
        direct = next(r for r in rows if r["variable"] == "direct")
        self.assertIn("5=しばしばある・常にある", direct["values"])
        self.assertEqual(direct["scale_version"], scoring.SCALE_VERSION)

    def test_it_describes_the_help_rows(self) -> None:
        rows = read_csv(self.client.get("/selfcheck/codebook.csv").content)
        results = {r["variable"]: r for r in rows if r["file"] == "results.csv"}
        self.assertIn("help_answered; help", results["section"]["values"])
        self.assertIn("optional", results["section"]["label_en"])
        self.assertIn("talk=話し相手", results["key"]["values"])
        self.assertIn("learning=学び", results["key"]["values"])
        self.assertIn("help_answered", results["percent"]["label_en"])
        self.assertIn("Wilson", results["percent_ci95_low"]["label_en"])


class ResponsesExportTests(BaseTestCase):
    def setUp(self) -> None:
        ward = Municipality.objects.filter(parent_id=YOKOHAMA).first()
        assert ward is not None
        self.ward = ward
        answered = dt.date(2024, 5, 17)
        services.record_selfcheck(
            scoring.score([3, 3, 4], 5),
            municipality=ward,
            age_band="20s",
            helps=["talk", "money"],
            answered_on=answered,
        )
        services.record_selfcheck(
            scoring.score([1, 1, 1], 1),
            municipality=self.municipality,
            answered_on=dt.date(2024, 6, 3),
        )

    def export(self, query: str = "fiscal_year=2024") -> Any:
        self.login(self.secretariat)
        return self.client.get(f"/surveys/export/responses.csv?{query}")

    def test_it_streams_month_precision_and_city_level_rows(self) -> None:
        response = self.export()
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content)
        self.assertTrue(content.startswith("\ufeff".encode()))
        self.assertIsNone(re.search(rb"\d{4}-\d{2}-\d{2}", content))
        rows = read_csv(content)
        self.assertEqual(len(rows), 2)
        first = rows[0]
        self.assertEqual(first["month"], "2024-05")
        self.assertEqual(first["municipality_code"], YOKOHAMA)  # the ward's city
        self.assertEqual(
            [first[k] for k in ("indirect_1", "indirect_2", "indirect_3", "direct")],
            ["3", "3", "4", "5"],
        )
        self.assertEqual((first["indirect_score"], first["indirect_band"]), ("10", "always"))
        self.assertEqual(
            (first["help_talk"], first["help_money"], first["help_work"]), ("1", "1", "0")
        )
        self.assertEqual(first["scale_version"], scoring.SCALE_VERSION)
        self.assertEqual((first["channel"], first["wording"]), ("web", "ja"))

    def test_it_filters_by_city_including_its_wards(self) -> None:
        rows = read_csv(
            b"".join(self.export(f"fiscal_year=2024&city={YOKOHAMA}").streaming_content)
        )
        self.assertEqual([r["municipality_code"] for r in rows], [YOKOHAMA])

    def test_every_export_is_in_the_audit_log_with_its_filters(self) -> None:
        self.export(f"fiscal_year=2024&city={FUJISAWA}")
        event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
        self.assertEqual(event.actor, self.secretariat)
        self.assertEqual(event.changes["filters"], {"fiscal_year": "2024", "city": FUJISAWA})

    def test_only_the_secretariat_may_export(self) -> None:
        for user in (self.officer, self.staff):
            self.login(user)
            response = self.client.get("/surveys/export/responses.csv")
            self.assertEqual(response.status_code, 403)
        self.assertFalse(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists())

    def test_bad_filters_are_a_bad_request_and_not_exported(self) -> None:
        self.assertEqual(self.export("start=2024-99").status_code, 400)
        self.assertFalse(AuditEvent.objects.exists())


class AggregatesApiTests(BaseTestCase):
    def test_it_returns_suppressed_aggregates_with_the_national_figures(self) -> None:
        tally(55)
        tally(30, band="sometimes", direct=3)
        tally(15, band="always", direct=5)
        tally(5, city=KAMAKURA)
        tally(50, city=YOKOSUKA)
        response = self.client.get(f"/api/v1/selfcheck/aggregates?city={FUJISAWA}")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["suppression_threshold"], 10)
        self.assertEqual(body["scale_version"], scoring.SCALE_VERSION)
        self.assertEqual(body["n"], 100)
        self.assertEqual(body["indirect_lonely"]["percent"], 45.0)
        self.assertEqual(
            (body["indirect_lonely"]["ci95_low"], body["indirect_lonely"]["ci95_high"]),
            (35.6, 54.8),
        )
        kamakura = next(r for r in body["by_city"] if r["key"] == KAMAKURA)
        self.assertIsNone(kamakura["n"])
        self.assertIsNone(kamakura["indirect_lonely"]["percent"])
        self.assertEqual(
            [s["direct_lonely_percent"] for s in body["national"]], [36.4, 40.3, 39.3, 39.3]
        )

    def test_it_returns_what_would_help_with_nulls_where_suppressed(self) -> None:
        tally(100)
        tally(50, city=YOKOSUKA)
        helps_of_fujisawa()
        body = self.client.get(f"/api/v1/selfcheck/aggregates?city={FUJISAWA}").json()
        self.assertEqual(body["helps"]["answered"], 100)
        items = {item["key"]: item for item in body["helps"]["items"]}
        self.assertEqual(list(items), list(Help.values))
        self.assertEqual(
            items["talk"],
            {
                "key": "talk",
                "label": "話し相手",
                "n": 45,
                "percent": 45.0,
                "ci_low": 35.6,
                "ci_high": 54.8,
            },
        )
        self.assertEqual(items["place"]["n"], 60)
        for key in ("money", "learning"):
            with self.subTest(key):
                self.assertEqual(
                    [items[key][k] for k in ("n", "percent", "ci_low", "ci_high")],
                    [None, None, None, None],
                )
        other = self.client.get(f"/api/v1/selfcheck/aggregates?city={KAMAKURA}").json()
        self.assertIsNone(other["helps"]["answered"])

    def test_bad_parameters_get_422_with_a_json_explanation(self) -> None:
        for query in (
            "city=999999",
            "city=141011",  # a ward: aggregates are by city
            "city=abc",
            "start=2024-13",
            "start=2024-1",
            "start=2025-05&end=2025-01",
            "period=FY2025-Q5",
            "period=2025",
            "fiscal_year=abc",
            "fiscal_year=1999",
            "age_band=teen",
            "by=week",
        ):
            with self.subTest(query):
                response = self.client.get(f"/api/v1/selfcheck/aggregates?{query}")
                self.assertEqual(response.status_code, 422)
                self.assertIn("detail", response.json())

    def test_it_is_documented_in_openapi(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        operation = schema["paths"]["/api/v1/selfcheck/aggregates"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        self.assertEqual(names, {"period", "start", "end", "fiscal_year", "city", "age_band", "by"})
        parameters = {p["name"]: p for p in operation["parameters"]}
        self.assertIn("-Q([1-4])", json.dumps(parameters["period"]))
        self.assertIn('"deprecated": true', json.dumps(parameters["start"]))
        self.assertIn("enum", json.dumps(parameters["age_band"]))
        self.assertEqual(set(operation["responses"]), {"200", "400", "422", "429"})
        schemas = schema["components"]["schemas"]
        self.assertIn("helps", schemas["AggregatesOut"]["properties"])
        self.assertEqual(set(schemas["HelpsOut"]["properties"]), {"answered", "items"})
        self.assertEqual(
            set(schemas["HelpOut"]["properties"]),
            {"key", "label", "n", "percent", "ci_low", "ci_high"},
        )

    def test_it_reads_a_fixed_number_of_queries(self) -> None:
        tally(50)
        helps_of_fujisawa()
        with self.assertNumQueries(4):
            self.client.get("/api/v1/selfcheck/aggregates?by=month")


class RebuildTalliesTests(BaseTestCase):
    def test_tallies_equal_a_recount_and_wards_count_under_their_city(self) -> None:
        ward = Municipality.objects.filter(parent_id=YOKOHAMA).first()
        day = dt.date(2025, 4, 10)
        for indirect, direct, place, age in (
            ([1, 1, 1], 1, ward, "20s"),
            ([1, 1, 1], 1, ward, "20s"),
            ([4, 4, 4], 5, self.municipality, "80+"),
            ([2, 3, 2], 3, None, ""),
        ):
            services.record_selfcheck(
                scoring.score(indirect, direct), municipality=place, age_band=age, answered_on=day
            )
        before = set(
            SelfCheckTally.objects.values_list(
                "month", "municipality_code", "age_band", "indirect_band", "direct", "n"
            )
        )
        self.assertIn((dt.date(2025, 4, 1), YOKOHAMA, "20s", "never", 1, 2), before)
        out = io.StringIO()
        call_command("rebuild_selfcheck_tallies", stdout=out)
        self.assertIn("4", out.getvalue())
        after = set(
            SelfCheckTally.objects.values_list(
                "month", "municipality_code", "age_band", "indirect_band", "direct", "n"
            )
        )
        self.assertEqual(before, after)

    def test_it_repairs_tallies_that_drifted(self) -> None:
        services.record_selfcheck(scoring.score([2, 2, 2], 2), answered_on=dt.date(2025, 4, 10))
        SelfCheckTally.objects.update(n=99)
        call_command("rebuild_selfcheck_tallies", stdout=io.StringIO())
        self.assertEqual(list(SelfCheckTally.objects.values_list("n", flat=True)), [1])
