"""The gap view: open needs without a good seed, by area × target group and by kind; CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from tsunagari.collaborations.tests.test_services import make_need
from tsunagari.factory import make_resource
from tsunagari.matching import gap
from tsunagari.matching.models import Need, Suggestion
from tsunagari.test import BaseTestCase

GOOD = gap.GOOD_MATCH_SCORE
WEAK = gap.GOOD_MATCH_SCORE - 0.01


class GapTestCase(BaseTestCase):
    """藤沢市: 2 子育て needs (one met), 1 高齢者 need with only a weak seed;
    横浜市港北区: 1 外国籍住民 need with no suggestion; 川崎市: 1 need whose good seed
    was dismissed; plus a closed need that never counts."""

    met: Need
    unmet_kosodate: Need
    elderly: Need
    foreign: Need
    dismissed: Need

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed = make_resource("サンプル 親子ひろば")
        cls.met = make_need("週末に親子で参加できる場がほしい", organization=cls.organization)
        Suggestion.objects.create(need=cls.met, resource=seed, rank=1, score=GOOD)
        cls.unmet_kosodate = make_need(
            "夜に子どもを預けられる場所", kinds=("ibasho", "food"), urgency=Need.Urgency.HIGH
        )
        Suggestion.objects.create(need=cls.unmet_kosodate, resource=seed, rank=1, score=WEAK)
        cls.elderly = make_need(
            "ひとり暮らしの高齢者の話し相手", targets=("koreisha",), kinds=("volunteer",)
        )
        Suggestion.objects.create(need=cls.elderly, resource=seed, rank=1, score=WEAK / 2)
        cls.foreign = make_need(
            "外国籍の単身者が入居できる住まい",
            targets=("gaikoku",),
            kinds=("housing",),
            municipality_id="141097",  # 横浜市港北区
        )
        cls.dismissed = make_need(
            "不登校の中学生の居場所", targets=(), kinds=(), municipality_id="141305"
        )
        Suggestion.objects.create(
            need=cls.dismissed,
            resource=seed,
            rank=1,
            score=GOOD * 2,
            state=Suggestion.State.DISMISSED,
        )
        closed = make_need("終わったニーズ", status=Need.Status.CLOSED)
        Suggestion.objects.create(need=closed, resource=seed, rank=1, score=0.0)

    def rows(self, result: list[gap.GapRow]) -> dict[tuple[str, ...], tuple[int, int]]:
        return {row.labels: (row.open_needs, row.unmet_needs) for row in result}


class GapCountsTestCase(GapTestCase):
    def test_a_need_is_unmet_without_a_suggestion_at_or_above_the_threshold(self) -> None:
        unmet = set(gap.unmet_needs())
        self.assertEqual(unmet, {self.unmet_kosodate, self.elderly, self.foreign, self.dismissed})
        self.assertEqual(gap.unmet_needs()[0], self.unmet_kosodate, "the urgent one first")

    def test_it_counts_open_and_unmet_needs_by_area_and_target_group(self) -> None:
        result = gap.gaps()
        self.assertEqual((result.open_needs, result.unmet_needs), (5, 4))
        self.assertEqual(
            self.rows(result.by_area_and_target),
            {
                ("藤沢市", "子育て世帯"): (2, 1),
                ("藤沢市", "高齢者"): (1, 1),
                ("横浜市港北区", "外国籍住民"): (1, 1),
                ("川崎市", "指定なし"): (1, 1),
            },
        )

    def test_it_counts_a_need_once_for_each_kind_it_wants(self) -> None:
        self.assertEqual(
            self.rows(gap.gaps().by_kind),
            {
                ("居場所",): (2, 1),
                ("食の支援",): (1, 1),
                ("ボランティア",): (1, 1),
                ("住まいの支援",): (1, 1),
                ("指定なし",): (1, 1),
            },
        )

    def test_a_designated_city_covers_its_wards(self) -> None:
        from tsunagari.geo.models import Municipality

        yokohama = Municipality.objects.get(code="141003")
        result = gap.gaps(gap.area_scope(yokohama))
        self.assertEqual(
            self.rows(result.by_area_and_target), {("横浜市港北区", "外国籍住民"): (1, 1)}
        )
        kohoku = Municipality.objects.get(code="141097")
        self.assertIn("141003", gap.area_scope(kohoku))


class GapPageTestCase(GapTestCase):
    def test_the_secretariat_sees_the_whole_prefecture(self) -> None:
        self.login(self.secretariat)
        with self.assertNumQueries(10):
            r = self.client.get("/gaps/")
        self.assertContains(r, "神奈川県全体")
        self.assertContains(r, "横浜市港北区")
        self.assertContains(r, "外国籍の単身者が入居できる住まい")
        self.assertContains(r, f'href="/needs/{self.elderly.pk}/"')
        self.assertNotContains(r, "週末に親子で参加できる場がほしい")  # met
        self.assertNotContains(r, "終わったニーズ")

    def test_the_query_count_does_not_grow_with_the_needs(self) -> None:
        for i in range(5):
            make_need(f"追加のニーズ{i}", municipality_id="141500", targets=("wakamono",))
        self.login(self.secretariat)
        with self.assertNumQueries(10):
            self.client.get("/gaps/")

    def test_an_officer_starts_with_their_own_municipality(self) -> None:
        self.login(self.officer)  # 藤沢市
        r = self.client.get("/gaps/")
        self.assertContains(r, "藤沢市（区を含む）")
        self.assertContains(r, "夜に子どもを預けられる場所")
        self.assertNotContains(r, "外国籍の単身者が入居できる住まい")
        r = self.client.get("/gaps/?area=all")
        self.assertContains(r, "外国籍の単身者が入居できる住まい")

    def test_a_bad_area_falls_back_to_the_whole_prefecture(self) -> None:
        self.login(self.officer)
        r = self.client.get("/gaps/?area=999999")
        self.assertContains(r, "外国籍の単身者が入居できる住まい")

    def test_member_staff_are_refused_and_visitors_sent_to_sign_in(self) -> None:
        for url in ("/gaps/", "/gaps.csv"):
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertRedirects(
                    r, f"/accounts/login/?next={url}", fetch_redirect_response=False
                )
                for user in (self.staff, self.other_staff):
                    self.login(user)
                    self.assertEqual(self.client.get(url).status_code, 403)
                self.client.logout()


class GapCsvTestCase(GapTestCase):
    def read(self, response: Any) -> list[list[str]]:
        body = response.content
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel")
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))

    def test_it_exports_both_tables_in_utf8_with_bom(self) -> None:
        self.login(self.secretariat)
        r = self.client.get("/gaps.csv")
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", r["Content-Disposition"])
        rows = self.read(r)
        self.assertEqual(rows[0], gap.CSV_HEADER)
        self.assertIn(["市区町村×対象", "142051", "藤沢市", "子育て世帯", "", "2", "1"], rows)
        self.assertIn(["市区町村×対象", "141097", "横浜市港北区", "外国籍住民", "", "1", "1"], rows)
        self.assertIn(["求める資源の種類", "", "", "", "食の支援", "1", "1"], rows)
        self.assertEqual(len(rows), 1 + 4 + 5)

    def test_it_follows_the_area_chosen(self) -> None:
        self.login(self.officer)
        rows = self.read(self.client.get("/gaps.csv"))
        self.assertEqual({row[2] for row in rows[1:] if row[0] == "市区町村×対象"}, {"藤沢市"})
        rows = self.read(self.client.get("/gaps.csv?area=all"))
        self.assertIn("川崎市", {row[2] for row in rows[1:]})
