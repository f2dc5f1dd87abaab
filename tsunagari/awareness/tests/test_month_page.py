from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.utils import timezone

from tsunagari.awareness.tests.factory import make_item, make_may_event
from tsunagari.directory.models import Resource
from tsunagari.members.models import Organization
from tsunagari.test import BaseTestCase

TOKYO = ZoneInfo("Asia/Tokyo")


def at(day: dt.date) -> mock._patch[Any]:
    """Freeze the clock at noon of `day`, Japan time."""
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=TOKYO)
    return mock.patch("django.utils.timezone.now", return_value=moment)


@override_settings(PAGE_CACHE_SECONDS=0)
class MonthPageTest(BaseTestCase):
    url = "/awareness-month/2027/"

    def test_it_lists_member_events_of_may_by_municipality_then_kind(self) -> None:
        salon = make_may_event("【テスト】藤沢の交流会", self.organization)
        make_may_event(
            "【テスト】港北の居場所",
            self.other_organization,
            kinds=("ibasho",),
            municipality="141097",  # 横浜市港北区: listed under 横浜市
            schedules=({"frequency": "weekly", "weekdays": "3"},),
        )
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "令和9年5月 孤独・孤立対策強化月間")
        self.assertContains(r, f'href="/resources/{salon.pk}/"')
        html = r.content.decode()
        self.assertLess(html.index("横浜市"), html.index("藤沢市"))  # by municipality code
        self.assertIn("5月12日（水）", html)
        self.assertIn("5月5日（水）、12日（水）、19日（水）、26日（水）", html)
        groups = r.context["groups"]
        self.assertEqual([g.area.name for g in groups], ["横浜市", "藤沢市"])
        self.assertEqual([k.kind.slug for k in groups[0].kinds], ["ibasho"])
        self.assertEqual(r.context["total"], 2)

    def test_only_published_member_events_meeting_in_may_are_listed(self) -> None:
        make_may_event("【テスト】載る催し", self.organization)
        make_may_event("【テスト】下書き", self.organization, status=Resource.Status.DRAFT)
        make_may_event("【テスト】構成員以外", None)  # provider_name only
        outsider = Organization.objects.create(name="構成員でない団体", sector="community")
        make_may_event("【テスト】退会した団体", outsider)
        make_may_event("【テスト】6月の催し", self.organization, day=dt.date(2027, 6, 2))
        make_may_event(
            "【テスト】不定期",
            self.organization,
            schedules=({"frequency": "irregular", "note": "お問い合わせください"},),
        )
        make_may_event(
            "【テスト】相談窓口",
            self.organization,
            kinds=("consultation",),
            schedules=({"frequency": "daily"},),
        )
        r = self.client.get(self.url)
        self.assertContains(r, "【テスト】載る催し")
        for name in ("下書き", "構成員以外", "退会した団体", "6月の催し", "不定期", "相談窓口"):
            self.assertNotContains(r, f"【テスト】{name}")

    def test_a_run_of_dates_from_april_counts_with_its_may_days(self) -> None:
        make_may_event(
            "【テスト】連休の催し",
            self.organization,
            schedules=({"frequency": "once", "starts_on": "2027-04-29", "ends_on": "2027-05-03"},),
        )
        r = self.client.get(self.url)
        self.assertContains(r, "5月1日（土）、2日（日）、3日（月）")

    def test_the_filters_narrow_by_place_kind_target_week_day_and_mode(self) -> None:
        make_may_event("【テスト】藤沢の催し", self.organization, targets=("koreisha",))
        make_may_event(
            "【テスト】港北の居場所",
            self.organization,
            kinds=("ibasho",),
            municipality="141097",
            day=dt.date(2027, 5, 3),
        )
        make_may_event(
            "【テスト】オンライン交流会",
            self.organization,
            municipality=None,
            online_only=True,
            is_online=True,
            day=dt.date(2027, 5, 28),
        )

        def names(query: str) -> set[str]:
            r = self.client.get(self.url + "?" + query)
            self.assertEqual(r.status_code, 200)
            return {
                e.resource.name.removeprefix("【テスト】")
                for g in r.context["groups"]
                for k in g.kinds
                for e in k.events
            }

        self.assertEqual(names("municipality=141003"), {"港北の居場所"})  # 横浜市 holds its wards
        self.assertEqual(names("municipality=142051"), {"藤沢の催し"})
        self.assertEqual(names("kind=ibasho"), {"港北の居場所"})
        self.assertEqual(names("target=koreisha"), {"藤沢の催し"})
        self.assertEqual(names("week=1"), {"港北の居場所"})
        self.assertEqual(names("day=2027-05-12"), {"藤沢の催し"})
        self.assertEqual(names("mode=online"), {"オンライン交流会"})
        self.assertEqual(names("mode=in_person"), {"藤沢の催し", "港北の居場所"})
        self.assertEqual(len(names("week=9&kind=nonsense")), 3)  # bad values are dropped

    def test_the_map_gets_the_public_pins_only(self) -> None:
        shown = make_may_event("【テスト】地図に出る", self.organization)
        shown.locations.update(latitude="35.339", longitude="139.490")
        hidden = make_may_event("【テスト】住所非公開", self.organization)
        hidden.locations.update(latitude="35.3", longitude="139.4", hide_address=True)
        r = self.client.get(self.url)
        self.assertEqual(
            r.context["places"], [{"name": "【テスト】地図に出る", "lat": 35.339, "lon": 139.49}]
        )
        self.assertContains(r, 'id="resource-map"')
        self.assertContains(r, "leaflet.js")

    def test_the_months_own_items_are_shown_with_their_source(self) -> None:
        make_item(description="5月だけの窓口")
        make_item(
            "【テスト】4月の取組", starts_on=dt.date(2027, 4, 1), ends_on=dt.date(2027, 4, 30)
        )
        r = self.client.get(self.url)
        self.assertContains(r, "【テスト】月間の特別電話相談")
        self.assertContains(r, "テスト用の出典")
        self.assertContains(r, "国の特別な相談窓口")
        self.assertNotContains(r, "【テスト】4月の取組")

    def test_a_year_without_data_says_so_kindly(self) -> None:
        r = self.client.get("/awareness-month/2031/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "2031年5月の催しの情報は、まだありません。")
        self.assertContains(r, "事務局からの取組の案内は、まだありません。")

    def test_a_year_out_of_range_is_not_found(self) -> None:
        self.assertEqual(self.client.get("/awareness-month/1999/").status_code, 404)

    def test_it_reads_a_fixed_number_of_queries_however_many_events(self) -> None:
        for i in range(3):
            make_may_event(f"【テスト】催し{i}", self.organization, targets=("koreisha",))
        make_item()
        self.client.get(self.url)  # warm the filter choices
        with self.assertNumQueries(11) as first:
            self.client.get(self.url)
        for i in range(3, 12):
            make_may_event(f"【テスト】催し{i}", self.other_organization, municipality="141097")
        with self.assertNumQueries(len(first.captured_queries)):
            r = self.client.get(self.url)
        self.assertEqual(r.context["total"], 12)

    def test_it_is_in_english_too(self) -> None:
        make_may_event("【テスト】藤沢の催し", self.organization)
        r = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(r, "May 2027")
        self.assertContains(r, "Fujisawa")


class CurrentYearTest(BaseTestCase):
    def test_it_goes_to_this_may_until_it_ends_then_to_next_may(self) -> None:
        for today, year in (
            (dt.date(2026, 12, 3), 2027),
            (dt.date(2027, 5, 31), 2027),
            (dt.date(2027, 6, 1), 2028),
        ):
            with self.subTest(today=today), at(today):
                r = self.client.get("/awareness-month/")
                self.assertRedirects(r, f"/awareness-month/{year}/", fetch_redirect_response=False)
                self.assertEqual(timezone.localdate(), today)
