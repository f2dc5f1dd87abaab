"""The recipe PDF and the HSDS-like JSON of a case."""

from __future__ import annotations

import datetime as dt
import json
import unittest

from tsunagari.cases import adoption as services
from tsunagari.cases import exports
from tsunagari.cases.models import ModelCase
from tsunagari.cases.tests.adoption_factory import make_case
from tsunagari.directory.hsds import hsds_id
from tsunagari.directory.models import TargetGroup
from tsunagari.geo.models import Municipality
from tsunagari.lib.pdf import find_font
from tsunagari.members.models import Theme
from tsunagari.test import BaseTestCase


@unittest.skipIf(find_font() is None, "needs the Japanese font (fonts-noto-cjk)")
class RecipeTest(BaseTestCase):
    def test_the_recipe_of_a_published_case_holds_its_steps_and_partners(self) -> None:
        case = make_case()
        services.set_stage(
            case, Municipality.objects.get(pk="142166"), stage="interest", on=dt.date(2025, 5, 1)
        )
        r = self.client.get(f"/cases/{case.pk}/recipe.pdf")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF"))
        self.assertIn(b"NotoSansCJKJP", r.content)
        self.assertIn(b"/FontFile", r.content, "the Japanese font is embedded")
        # pypdf is not installed: read what the document drew instead.
        doc = exports.build_recipe(
            exports.with_everything(ModelCase.objects.filter(pk=case.pk)).get()
        )
        text = "\n".join(doc.drawn)
        for expected in (
            "【テスト】地域の居場所をつなぐ",
            "1. 担い手に声をかける",
            "2. 月例会を開く",
            "【テスト】まちの社協（地域）：事務局",
            "【テスト】ひまわり商店会（民間事業者）",
            "令和6年4月1日〜",
            "30,000円",
            "この事例を取り入れた市町村：1",
            f"/cases/{case.pk}/",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("【サンプル】", text)

    def test_a_sample_case_says_so(self) -> None:
        case = make_case()
        ModelCase.objects.filter(pk=case.pk).update(is_sample=True)
        case.refresh_from_db()
        self.assertIn("【サンプル】", "\n".join(exports.build_recipe(case).drawn))

    def test_a_draft_is_only_for_its_writers_and_the_secretariat(self) -> None:
        draft = make_case(status=ModelCase.Status.DRAFT, organization=self.organization)
        url = f"/cases/{draft.pk}/recipe.pdf"
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.other_staff)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.staff)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.secretariat)
        self.assertEqual(self.client.get(url).status_code, 200)


class JsonTest(BaseTestCase):
    def setUp(self) -> None:
        self.case = make_case()
        theme = Theme.objects.first()
        target = TargetGroup.objects.first()
        assert theme is not None and target is not None
        self.theme, self.target = theme, target
        self.case.themes.set([self.theme])
        self.case.target_groups.set([self.target])
        services.set_stage(
            self.case,
            Municipality.objects.get(pk="142166"),
            stage="implementing",
            on=dt.date(2025, 5, 1),
        )

    def test_one_case_in_hsds_like_json(self) -> None:
        r = self.client.get(f"/cases/{self.case.pk}.json")
        self.assertEqual(r.status_code, 200)
        body = json.loads(r.content)
        self.assertEqual(body["id"], hsds_id("model_case", self.case.pk))
        self.assertEqual(body["name"], "【テスト】地域の居場所をつなぐ")
        self.assertEqual(
            [(o["name"], o["sector"]) for o in body["organizations"]],
            [("【テスト】まちの社協", "community"), ("【テスト】ひまわり商店会", "private")],
        )
        self.assertEqual([a["code"] for a in body["areas"]], ["142051"])
        self.assertEqual(
            [s["title"] for s in body["steps"]], ["担い手に声をかける", "月例会を開く"]
        )
        self.assertEqual({t["taxonomy"] for t in body["taxonomy_terms"]}, {"theme", "target_group"})
        self.assertEqual(body["adoption"]["by_stage"]["implementing"], 1)
        self.assertEqual(body["adoption"]["municipalities"][0]["municipality"]["code"], "142166")
        self.assertNotIn("note", json.dumps(body["adoption"]), "officers' notes stay on the site")

    def test_drafts_are_not_exported(self) -> None:
        draft = make_case("【テスト】下書き", status=ModelCase.Status.DRAFT)
        self.assertEqual(self.client.get(f"/cases/{draft.pk}.json").status_code, 404)
        body = json.loads(self.client.get("/cases.json").content)
        self.assertEqual([c["name"] for c in body["contents"]], ["【テスト】地域の居場所をつなぐ"])

    def test_the_list_filters_like_the_library(self) -> None:
        make_case("【テスト】座間の事例").municipalities.set(
            Municipality.objects.filter(pk="142166")
        )

        def names(query: str) -> list[str]:
            return [
                c["name"]
                for c in json.loads(self.client.get("/cases.json" + query).content)["contents"]
            ]

        self.assertEqual(len(names("")), 2)
        self.assertEqual(names("?municipality=142166"), ["【テスト】座間の事例"])
        self.assertEqual(names(f"?theme={self.theme.pk}"), ["【テスト】地域の居場所をつなぐ"])
        self.assertEqual(
            names(f"?target_group={self.target.slug}"), ["【テスト】地域の居場所をつなぐ"]
        )
        self.assertEqual(names("?q=座間"), ["【テスト】座間の事例"])
        self.assertEqual(len(names("?municipality=999999&theme=abc")), 2, "unknown values ignored")

    def test_the_list_does_not_grow_its_queries_with_the_cases(self) -> None:
        for n in range(5):
            make_case(f"【テスト】事例{n}")
        with self.assertNumQueries(7):
            self.client.get("/cases.json")

    def test_the_case_page_links_the_downloads(self) -> None:
        r = self.client.get(f"/cases/{self.case.pk}/")
        self.assertContains(r, f'href="/cases/{self.case.pk}/recipe.pdf"')
        self.assertContains(r, f'href="/cases/{self.case.pk}.json"')
