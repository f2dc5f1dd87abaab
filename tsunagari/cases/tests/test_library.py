"""The public library: filters (theme, municipality with its wards, target group, sector
mix), keyword search with the directory's Japanese tokens (the same on SQLite and
PostgreSQL), the case page with its partners, steps, photos and before/after figures."""

from __future__ import annotations

from typing import Any

from tsunagari.cases.models import ModelCase
from tsunagari.cases.search import keyword_filter
from tsunagari.cases.tests.factory_cases import make_case, make_photo
from tsunagari.directory.models import TargetGroup
from tsunagari.members.models import Theme
from tsunagari.surveys.tests.test_campaign_report import AFTER, BEFORE, store_pairs
from tsunagari.surveys.tests.test_campaigns import make_campaign
from tsunagari.test import BaseTestCase


def titles(response: Any) -> list[str]:
    return [c.title for c in response.context["cases"]]


class LibraryTest(BaseTestCase):
    def test_only_published_cases_are_listed(self) -> None:
        make_case("【テスト】公開中の事例")
        make_case("【テスト】下書きの事例", status=ModelCase.Status.DRAFT)
        make_case("【テスト】確認待ちの事例", status=ModelCase.Status.REVIEW)
        r = self.client.get("/cases/")
        self.assertEqual(titles(r), ["【テスト】公開中の事例"])
        self.assertContains(r, "【テスト】公開中の事例")
        self.assertNotContains(r, "下書きの事例")

    def test_a_city_includes_its_wards(self) -> None:
        make_case("【テスト】青葉区の事例", municipalities=("141178",))  # 横浜市青葉区
        make_case("【テスト】横浜市全体の事例", municipalities=("141003",))
        make_case("【テスト】藤沢市の事例", municipalities=("142051",))
        r = self.client.get("/cases/?municipality=141003")
        self.assertCountEqual(titles(r), ["【テスト】青葉区の事例", "【テスト】横浜市全体の事例"])

    def test_theme_and_target_group(self) -> None:
        theme = Theme.objects.get(name="居場所づくり")
        target = TargetGroup.objects.get(slug="koreisha")
        a = make_case("【テスト】テーマあり")
        a.themes.add(theme)
        b = make_case("【テスト】高齢者向け")
        b.target_groups.add(target)
        make_case("【テスト】どちらもなし")
        self.assertEqual(titles(self.client.get(f"/cases/?theme={theme.pk}")), [a.title])
        self.assertEqual(titles(self.client.get(f"/cases/?target={target.pk}")), [b.title])

    def test_sector_mix_needs_every_chosen_sector(self) -> None:
        make_case("【テスト】地域と行政", partners=(("会", "community"), ("市", "government")))
        make_case("【テスト】地域だけ", partners=(("会", "community"), ("会2", "community")))
        make_case("【テスト】民間と行政", partners=(("社", "private"), ("市", "government")))
        r = self.client.get("/cases/?sector=community&sector=government")
        self.assertEqual(titles(r), ["【テスト】地域と行政"])
        r = self.client.get("/cases/?sector=government")
        self.assertCountEqual(titles(r), ["【テスト】地域と行政", "【テスト】民間と行政"])

    def test_keyword_search_uses_normalised_japanese_words(self) -> None:
        make_case("【テスト】こどもの居場所", summary="こども食堂を開いた。")
        make_case("【テスト】高齢者サロン", summary="お茶会を開いた。")
        # 子供 / こども / 子ども are one word after Sudachi's normalisation.
        self.assertEqual(titles(self.client.get("/cases/?q=子ども")), ["【テスト】こどもの居場所"])
        self.assertEqual(titles(self.client.get("/cases/?q=食堂")), ["【テスト】こどもの居場所"])
        # Every word must match.
        self.assertEqual(titles(self.client.get("/cases/?q=子ども サロン")), [])
        # A full-width query is normalised.
        self.assertEqual(titles(self.client.get("/cases/?q=サロン　")), ["【テスト】高齢者サロン"])

    def test_a_partial_token_does_not_match_inside_another(self) -> None:
        case = make_case("【テスト】場所づくり", summary="空き店舗を活用した。")
        self.assertTrue(case.search_tokens.startswith(" ") and case.search_tokens.endswith(" "))
        condition = keyword_filter("店")
        assert condition is not None
        self.assertFalse(ModelCase.objects.filter(condition).exists())

    def test_the_list_takes_a_fixed_number_of_queries(self) -> None:
        for n in range(3):
            make_case(f"【テスト】事例{n}", municipalities=("142051",))
        self.client.get("/cases/")
        # The filter's three lists, the count, the page, its municipalities and partners.
        with self.assertNumQueries(7):
            self.client.get("/cases/")
        for n in range(10):
            make_case(f"【テスト】追加{n}", municipalities=("142051",))
        with self.assertNumQueries(7):
            r = self.client.get("/cases/")
        self.assertEqual(len(r.context["cases"]), 13)

    def test_it_is_paginated(self) -> None:
        for n in range(21):
            make_case(f"【テスト】事例{n:02}")
        r = self.client.get("/cases/?q=&page=2")
        self.assertEqual(len(r.context["cases"]), 1)
        self.assertContains(r, "2／2ページ")


class CaseDetailTest(BaseTestCase):
    def test_a_case_shows_its_structured_fields(self) -> None:
        case = make_case(
            "【テスト】朝カフェ",
            partners=(("朝カフェの会", "community"), ("藤沢市福祉課", "government")),
            municipalities=("142051",),
            cost_yen=12000,
            outcomes="常連が20人になった。",
            started_on="2025-04-01",
            contact_email="cafe@example.org",
        )
        r = self.client.get(f"/cases/{case.pk}/")
        self.assertContains(r, "朝カフェの会</span>（地域）")
        self.assertContains(r, "藤沢市福祉課</span>（行政）")
        self.assertContains(r, "12000円")
        self.assertContains(r, "令和7年4月1日")
        self.assertContains(r, "関係者で話し合う")
        self.assertContains(r, "常連が20人になった。")
        self.assertContains(r, "cafe@example.org")

    def test_a_draft_is_not_found_by_the_public_nor_other_members(self) -> None:
        case = make_case(status=ModelCase.Status.DRAFT, organization=self.organization)
        self.assertEqual(self.client.get(f"/cases/{case.pk}/").status_code, 404)
        self.login(self.other_staff)
        self.assertEqual(self.client.get(f"/cases/{case.pk}/").status_code, 404)
        self.login(self.staff)
        self.assertContains(self.client.get(f"/cases/{case.pk}/"), "下書き")

    def test_photos_are_served_with_nosniff_and_only_when_visible(self) -> None:
        published = make_case()
        photo = make_photo(published)
        r = self.client.get(f"/cases/photos/{photo.pk}/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "image/png")
        self.assertEqual(r["X-Content-Type-Options"], "nosniff")
        detail = self.client.get(f"/cases/{published.pk}/")
        self.assertContains(detail, 'alt="テーブルを囲む親子"')
        draft_photo = make_photo(make_case(status="draft", organization=self.organization))
        self.assertEqual(self.client.get(f"/cases/photos/{draft_photo.pk}/").status_code, 404)

    def test_before_after_figures_are_those_of_the_campaign_report(self) -> None:
        campaign = make_campaign(self.organization, before_after=True)
        store_pairs(campaign, BEFORE, AFTER)
        case = make_case(campaign=campaign)
        r = self.client.get(f"/cases/{case.pk}/")
        self.login(self.staff)
        report = self.client.get(f"/surveys/{campaign.pk}/report/").context["report"]
        shown = r.context["report"]
        self.assertEqual(shown.pairs, 10)
        self.assertEqual(
            [(m.key, m.result) for m in shown.measures],
            [(m.key, m.result) for m in report.measures],
        )
        score = report.measures[0].result
        self.assertContains(r, f"{score.mean_before:.2f} → {score.mean_after:.2f}")

    def test_few_pairs_are_suppressed_like_the_report(self) -> None:
        campaign = make_campaign(self.organization, before_after=True)
        store_pairs(campaign, BEFORE[:9], AFTER[:9])
        case = make_case(campaign=campaign)
        r = self.client.get(f"/cases/{case.pk}/")
        self.assertContains(r, "比較は表示しません")
        self.assertNotContains(r, "平均（事前 → 事後）")
