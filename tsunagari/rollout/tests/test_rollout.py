"""The roll-out pages: /rollout/, a municipality's page, the secretariat's edits with
their history, population figures, the API and /about/."""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.cases.models import CaseAdoption, ModelCase
from tsunagari.councils.models import LocalCouncil
from tsunagari.factory import make_resource
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Membership, Organization
from tsunagari.rollout import services
from tsunagari.rollout.models import MunicipalityRollout, PopulationFigure, RolloutChange
from tsunagari.rollout.tilemap import GRID
from tsunagari.test import BaseTestCase

FUJISAWA = "142051"


def edit_data(row: MunicipalityRollout, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "stage": row.stage,
        "local_platform": row.local_platform,
        "local_platform_name": row.local_platform_name,
        "local_platform_since": row.local_platform_since or "",
        "local_platform_url": row.local_platform_url,
        "note": row.note,
        "source": row.source,
        "reason": "市の担当課に確認",
        "seen": row.updated_at.isoformat(),
    }
    data.update(overrides)
    return data


class ServicesTests(BaseTestCase):
    def test_population_uses_the_newest_figure_up_to_the_day(self) -> None:
        census = services.population_of(FUJISAWA)
        assert census is not None
        self.assertEqual(census.as_of, dt.date(2020, 10, 1))
        PopulationFigure.objects.create(
            municipality_id=FUJISAWA,
            population=445000,
            as_of=dt.date(2025, 1, 1),
            source_name="藤沢市 住民基本台帳（テスト）",
        )
        newest = services.population_of(FUJISAWA)
        assert newest is not None
        self.assertEqual(newest.population, 445000)
        old = services.population_of(FUJISAWA, on=dt.date(2024, 1, 1))
        assert old is not None
        self.assertEqual(old.as_of, dt.date(2020, 10, 1))

    def test_per_10k(self) -> None:
        self.assertEqual(services.per_10k(5, 50_000), 1.0)
        self.assertIsNone(services.per_10k(5, None))
        self.assertIsNone(services.per_10k(5, 0))

    def test_figures_cover_the_33_and_wards_roll_up_to_their_city(self) -> None:
        make_resource("港北の居場所", municipality="141097", address="横浜市港北区1")
        make_resource("藤沢のイベント", kinds=("event",))
        figures = services.municipality_figures()
        self.assertEqual(len(figures), 33)
        self.assertNotIn("141097", figures)
        yokohama, fujisawa = figures["141003"], figures[FUJISAWA]
        self.assertGreaterEqual(yokohama.resources, 1)
        self.assertEqual(fujisawa.opportunities, 1)
        self.assertIsNotNone(fujisawa.resources_per_10k)

    def test_tile_map_places_each_of_the_33_once(self) -> None:
        codes = set(Municipality.objects.municipalities().values_list("code", flat=True))
        self.assertEqual(set(GRID), codes)
        self.assertEqual(len(set(GRID.values())), 33)


class RolloutPageTests(BaseTestCase):
    def test_table_and_map_show_every_municipality_with_its_stage(self) -> None:
        MunicipalityRollout.objects.filter(pk=FUJISAWA).update(stage="third")
        r = self.client.get("/rollout/")
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        self.assertEqual(html.count('<tr data-code="'), 33)
        self.assertEqual(html.count('<g data-code="'), 33)
        self.assertIn('role="img"', html)
        self.assertIn("第3", html)
        self.assertIn("/municipalities/142051/", html)
        self.assertNotIn("/rollout/142051/edit/", html)

    def test_secretariat_sees_edit_links(self) -> None:
        self.login(self.secretariat)
        self.assertContains(self.client.get("/rollout/"), "/rollout/142051/edit/")

    def test_queries_do_not_grow_with_rows(self) -> None:
        self.client.get("/rollout/")
        with CaptureQueriesContext(connection) as before:
            self.client.get("/rollout/")
        for n in range(5):
            make_resource(f"資源{n}", municipality="142042", address="鎌倉市1")
        case = ModelCase.objects.create(title="事例", status=ModelCase.Status.PUBLISHED)
        CaseAdoption.objects.create(case=case, municipality_id="142042", stage="implementing")
        with self.assertNumQueries(len(before)):
            self.client.get("/rollout/")

    def test_csv(self) -> None:
        r = self.client.get("/rollout.csv")
        self.assertEqual(r.status_code, 200)
        text = r.content.decode("utf-8-sig")
        self.assertIn("藤沢市", text)
        self.assertEqual(len(text.strip().splitlines()), 34)


class MunicipalityPageTests(BaseTestCase):
    def test_public_page_shows_figures_with_population_source(self) -> None:
        make_resource("藤沢の居場所")
        LocalCouncil.objects.create(
            municipality_id=FUJISAWA,
            name="藤沢市孤独・孤立対策地域協議会（テスト）",
            coordinating_body="藤沢市",
            established_on=dt.date(2025, 4, 1),
        )
        r = self.client.get("/municipalities/142051/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "藤沢市")
        self.assertContains(r, "令和2年国勢調査")
        self.assertContains(r, "藤沢市孤独・孤立対策地域協議会（テスト）")
        self.assertContains(r, "1万人あたり")
        self.assertContains(r, 'href="/visible/?municipality=142051"')  # the same charts, here
        self.assertNotContains(r, 'class="officer-links"')
        self.assertFalse(r.context["is_officer_here"])

    def test_members_active_in_a_ward_count_for_the_city(self) -> None:
        org = Organization.objects.create(name="港北の団体（テスト）", sector="community")
        org.municipalities.set(Municipality.objects.filter(code="141097"))
        Membership.objects.create(organization=org, started_on=dt.date(2024, 4, 1))
        r = self.client.get("/municipalities/141003/")
        self.assertContains(r, "港北の団体（テスト）")

    def test_ward_redirects_permanently_to_its_city(self) -> None:
        r = self.client.get("/municipalities/141097/")
        self.assertEqual(r.status_code, 301)
        self.assertEqual(r["Location"], "/municipalities/141003/")

    def test_unknown_and_prefecture_are_404(self) -> None:
        self.assertEqual(self.client.get("/municipalities/999999/").status_code, 404)
        self.assertEqual(self.client.get("/municipalities/140007/").status_code, 404)

    def test_officer_of_the_municipality_only_sees_management_links(self) -> None:
        self.login(self.officer)
        self.assertTrue(self.client.get("/municipalities/142051/").context["is_officer_here"])
        self.assertFalse(self.client.get("/municipalities/142042/").context["is_officer_here"])
        self.login(self.secretariat)
        self.assertFalse(self.client.get("/municipalities/142051/").context["is_officer_here"])

    def test_cases_adopted_are_listed(self) -> None:
        case = ModelCase.objects.create(title="居場所の事例", status=ModelCase.Status.PUBLISHED)
        CaseAdoption.objects.create(case=case, municipality_id=FUJISAWA, stage="established")
        self.assertContains(self.client.get("/municipalities/142051/"), "居場所の事例")

    def test_queries_are_bounded(self) -> None:
        self.client.get("/municipalities/142051/")
        with CaptureQueriesContext(connection) as before:
            self.client.get("/municipalities/142051/")
        for n in range(4):
            make_resource(f"資源{n}")
            org = Organization.objects.create(name=f"団体{n}", sector="community")
            org.municipalities.set(Municipality.objects.filter(code=FUJISAWA))
            Membership.objects.create(organization=org, started_on=dt.date(2024, 4, 1))
        with self.assertNumQueries(len(before)):
            self.client.get("/municipalities/142051/")


class EditTests(BaseTestCase):
    def test_secretariat_edit_records_the_diff_and_reason(self) -> None:
        self.login(self.secretariat)
        row = MunicipalityRollout.objects.get(pk=FUJISAWA)
        r = self.client.post("/rollout/142051/edit/", edit_data(row, stage="second", note="第2へ"))
        self.assertRedirects(r, "/rollout/142051/history/")
        row.refresh_from_db()
        self.assertEqual(row.stage, "second")
        change = RolloutChange.objects.get(rollout=row)
        self.assertEqual(change.changes["stage"], ["first", "second"])
        self.assertEqual(change.note, "市の担当課に確認")
        self.assertEqual(change.by, self.secretariat)
        history = self.client.get("/rollout/142051/history/")
        self.assertContains(history, "市の担当課に確認")
        self.assertContains(history, "second")

    def test_reason_is_required_and_input_is_kept(self) -> None:
        self.login(self.secretariat)
        row = MunicipalityRollout.objects.get(pk=FUJISAWA)
        r = self.client.post("/rollout/142051/edit/", edit_data(row, reason="", note="残るメモ"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "残るメモ")
        self.assertFalse(RolloutChange.objects.filter(rollout=row).exists())

    def test_running_platform_needs_a_date(self) -> None:
        self.login(self.secretariat)
        row = MunicipalityRollout.objects.get(pk=FUJISAWA)
        r = self.client.post("/rollout/142051/edit/", edit_data(row, local_platform="running"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "設置日を入れてください")

    def test_stale_edit_is_refused(self) -> None:
        self.login(self.secretariat)
        row = MunicipalityRollout.objects.get(pk=FUJISAWA)
        first = edit_data(row, stage="second")
        second = edit_data(row, stage="third", note="後から")
        self.client.post("/rollout/142051/edit/", first)
        r = self.client.post("/rollout/142051/edit/", second)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "ほかの人が変更を保存しました")
        self.assertContains(r, "後から")
        row.refresh_from_db()
        self.assertEqual(row.stage, "second")
        self.assertEqual(RolloutChange.objects.filter(rollout=row).count(), 1)

    def test_history_is_for_the_secretariat_and_that_municipality_officers(self) -> None:
        self.login(self.officer)
        self.assertEqual(self.client.get("/rollout/142051/history/").status_code, 200)
        self.assertEqual(self.client.get("/rollout/142042/history/").status_code, 403)
        self.assertEqual(self.client.get("/rollout/142051/edit/").status_code, 403)


def population_data(**fields: str) -> dict[str, str]:
    return {
        "municipality": FUJISAWA,
        "population": "445000",
        "households": "",
        "as_of": "2025-01-01",
        "source_name": "藤沢市　住民基本台帳",
        "source_url": "",
        **fields,
    }


class PopulationTests(BaseTestCase):
    def test_newer_figure_is_used_everywhere(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            "/secretariat/population/",
            {
                "municipality": FUJISAWA,
                "population": "４４５０００",
                "households": "",
                "as_of": "2025-01-01",
                "source_name": "藤沢市　住民基本台帳",
                "source_url": "",
            },
        )
        self.assertRedirects(r, "/secretariat/population/")
        figure = PopulationFigure.objects.get(municipality_id=FUJISAWA, as_of="2025-01-01")
        self.assertEqual(figure.population, 445000)
        self.assertEqual(figure.entered_by, self.secretariat)
        self.client.logout()
        page = self.client.get("/municipalities/142051/")
        self.assertContains(page, "住民基本台帳")
        self.assertEqual(page.context["f"].population.population, 445000)

    def test_source_is_required(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            "/secretariat/population/",
            {"municipality": FUJISAWA, "population": "1", "as_of": "2025-01-01"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertFalse(PopulationFigure.objects.filter(as_of="2025-01-01").exists())

    def test_the_same_figure_twice_is_refused_with_what_was_typed(self) -> None:
        self.login(self.secretariat)
        data = population_data()
        self.assertEqual(self.client.post("/secretariat/population/", data).status_code, 302)
        r = self.client.post("/secretariat/population/", {**data, "population": "445001"})
        self.assertContains(r, "すでに登録されています", status_code=400)
        self.assertContains(r, 'value="445001"', status_code=400)
        self.assertEqual(
            PopulationFigure.objects.get(municipality_id=FUJISAWA, as_of="2025-01-01").population,
            445000,
        )


class ApiTests(BaseTestCase):
    def test_list_has_the_33(self) -> None:
        r = self.client.get("/api/v1/rollout")
        self.assertEqual(r.status_code, 200)
        rows = r.json()
        self.assertEqual(len(rows), 33)
        fujisawa = next(row for row in rows if row["code"] == FUJISAWA)
        self.assertEqual(fujisawa["stage"], "first")
        self.assertEqual(fujisawa["population"]["as_of"], "2020-10-01")

    def test_detail_and_404(self) -> None:
        r = self.client.get("/api/v1/rollout/142051")
        self.assertEqual(r.status_code, 200)
        self.assertIn("open_needs", r.json())
        for code in ("999999", "141097", "140007"):
            bad = self.client.get(f"/api/v1/rollout/{code}")
            self.assertEqual(bad.status_code, 404, code)
            self.assertEqual(bad["Content-Type"].split(";")[0], "application/json")

    def test_openapi_lists_the_codes(self) -> None:
        schema = json.loads(self.client.get("/api/v1/openapi.json").content)
        op = schema["paths"]["/api/v1/rollout/{code}"]["get"]
        [param] = [p for p in op["parameters"] if p["name"] == "code"]
        self.assertEqual(len(param["schema"]["enum"]), 33)
        self.assertIn("404", op["responses"])


class AboutTests(BaseTestCase):
    def test_about_states_the_stages_and_the_roster(self) -> None:
        r = self.client.get("/about/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "令和6年4月1日")
        self.assertContains(r, "公式の構成員名簿（令和7年7月30日時点）: 35団体")
        self.assertContains(r, "第3ステージ")
        self.assertContains(r, "第1ステージ: 33市町村")
        self.assertContains(r, "/rollout/")


class RosterBeforeKnownDatesTests(BaseTestCase):
    def test_roster_before_the_first_known_date_says_join_dates_are_unknown(self) -> None:
        r = self.client.get("/roster/?as_of=2024-06-01")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "加入日が分からない")
        self.assertNotContains(r, "0団体")

    def test_roster_on_the_official_date_counts_its_members(self) -> None:
        r = self.client.get("/roster/?as_of=2025-07-30")
        self.assertNotContains(r, "加入日が分からない")
        self.assertContains(r, "35団体")


class DataTests(BaseTestCase):
    def test_kamakura_platform_is_shown_with_its_source(self) -> None:
        r = self.client.get("/municipalities/142042/")
        self.assertContains(r, "人と地域がつながるプラットフォームかまくら")
        self.assertContains(r, "令和6年4月1日から")
        self.assertContains(r, "タウンニュース鎌倉版")
        row = MunicipalityRollout.objects.get(pk="142042")
        self.assertEqual(row.stage, "first")
        self.assertFalse(row.is_sample)

    def test_sample_rollout_is_marked_and_loads_once(self) -> None:
        from tsunagari.rollout.sample import load_sample_rollout

        made = load_sample_rollout()
        self.assertTrue(made)
        self.assertTrue(all(line.startswith("【サンプル】") for line in made))
        self.assertEqual(load_sample_rollout(), [])
        samples = MunicipalityRollout.objects.filter(is_sample=True)
        self.assertEqual({r.stage for r in samples}, {"second", "third"})
        self.assertTrue(all(r.note.startswith("【サンプル】") for r in samples))
        r = self.client.get("/rollout/")
        self.assertContains(r, "badge-sample")
