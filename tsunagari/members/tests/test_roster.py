from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.factory import make_application
from tsunagari.lib.wareki import format_wareki
from tsunagari.members.models import ROSTER_BASELINE_DATE, Membership, Organization
from tsunagari.members.tests.helpers import make_member, roster_groups, roster_names
from tsunagari.test import BaseTestCase

SECTORS_IN_OFFICIAL_ORDER = ["民間事業者", "地域", "学識者", "行政", "当事者"]
GOVERNMENTS = [
    "座間市",
    "鎌倉市",
    "横浜市",
    "相模原市",
    "横須賀市",
    "藤沢市",
    "小田原市",
    "茅ヶ崎市",
    "神奈川県",
]


class RosterTestCase(BaseTestCase):
    url = "/roster/"

    def test_it_lists_the_official_roster_by_sector_in_the_official_order(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        groups = roster_groups(r.content.decode())
        self.assertEqual([label for label, _ in groups], SECTORS_IN_OFFICIAL_ORDER)
        numbers = [int(no) for _, rows in groups for no, _ in rows]
        self.assertEqual(sorted(numbers), list(range(1, 36)))
        by_sector = dict(groups)
        self.assertEqual(by_sector["地域"], [("2", "神奈川県民生委員児童委員協議会")])
        self.assertEqual(by_sector["学識者"], [("25", "日本福祉大学")])
        self.assertEqual(by_sector["当事者"], [("35", "ブリュッケ利用者")])
        self.assertEqual([name for _, name in by_sector["行政"]], GOVERNMENTS)
        private_numbers = [int(no) for no, _ in by_sector["民間事業者"]]
        self.assertEqual(private_numbers, sorted(private_numbers))
        self.assertEqual(by_sector["民間事業者"][0], ("1", "社会福祉法人神奈川県社会福祉協議会"))

    def test_it_is_dated_like_the_official_roster(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "令和7年7月30日時点")
        self.assertContains(r, "35団体")

    def test_the_home_page_shows_the_same_roster(self) -> None:
        roster = roster_groups(self.client.get(self.url).content.decode())
        r = self.client.get("/")
        self.assertContains(r, "令和7年7月30日時点")
        self.assertEqual(roster_groups(r.content.decode()), roster)

    def test_it_filters_by_sector(self) -> None:
        r = self.client.get(self.url, {"sector": "government"})
        groups = roster_groups(r.content.decode())
        self.assertEqual([label for label, _ in groups], ["行政"])
        self.assertEqual([name for _, name in groups[0][1]], GOVERNMENTS)
        self.assertContains(r, "9団体")

    def test_before_the_baseline_join_dates_are_unknown_not_zero(self) -> None:
        r = self.client.get(self.url, {"as_of": "2025-07-29"})
        self.assertEqual(roster_groups(r.content.decode()), [])
        self.assertContains(r, "令和7年7月29日時点の団体数は分かりません")
        self.assertNotContains(r, "0団体")
        self.assertNotContains(r, "この条件に当てはまる構成員はいません。")

    def test_a_withdrawn_member_leaves_later_rosters_but_stays_on_earlier_ones(self) -> None:
        withdrawn_on = ROSTER_BASELINE_DATE + timedelta(days=30)
        Membership.objects.filter(organization=self.organization).update(
            ended_on=withdrawn_on, end_reason="活動終了"
        )
        name = self.organization.name

        latest = self.client.get(self.url)
        self.assertNotIn(name, roster_names(latest.content.decode()))
        self.assertEqual(len(roster_names(latest.content.decode())), 34)
        self.assertContains(latest, "令和7年8月29日時点")

        on_the_day = self.client.get(self.url, {"as_of": withdrawn_on.isoformat()})
        self.assertNotIn(name, roster_names(on_the_day.content.decode()))

        day_before = self.client.get(
            self.url, {"as_of": (withdrawn_on - timedelta(days=1)).isoformat()}
        )
        self.assertIn(name, roster_names(day_before.content.decode()))
        self.assertEqual(len(roster_names(day_before.content.decode())), 35)

    def test_a_newly_approved_member_gets_the_next_number_and_moves_the_date(self) -> None:
        application = make_application(name="一般社団法人あたらしい会", sector="community")
        self.login(self.secretariat)
        self.client.post(f"/secretariat/applications/{application.pk}/approve/")
        self.client.logout()

        r = self.client.get(self.url)
        community = dict(roster_groups(r.content.decode()))["地域"]
        self.assertIn(("36", "一般社団法人あたらしい会"), community)
        joined_on = Organization.objects.get(roster_no=36).memberships.get().started_on
        self.assertNotEqual(joined_on, ROSTER_BASELINE_DATE)
        self.assertContains(r, f"{format_wareki(joined_on)}時点")
        self.assertContains(r, "36団体")

        before = self.client.get(self.url, {"as_of": ROSTER_BASELINE_DATE.isoformat()})
        self.assertNotIn("一般社団法人あたらしい会", roster_names(before.content.decode()))

    def test_it_accepts_a_japanese_era_date(self) -> None:
        withdrawn_on = ROSTER_BASELINE_DATE + timedelta(days=30)
        Membership.objects.filter(organization=self.organization).update(ended_on=withdrawn_on)
        r = self.client.get(self.url, {"as_of": "令和7年8月1日"})
        self.assertContains(r, "令和7年8月1日時点")
        self.assertIn(self.organization.name, roster_names(r.content.decode()))
        self.assertNotContains(r, "日付の形式が正しくありません")

    def test_a_bad_date_shows_an_error_and_the_latest_roster(self) -> None:
        r = self.client.get(self.url, {"as_of": "きのう"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "日付の形式が正しくありません。")
        self.assertContains(r, "令和7年7月30日時点")
        self.assertEqual(len(roster_names(r.content.decode())), 35)

    def test_an_impossible_date_is_an_error_too(self) -> None:
        r = self.client.get(self.url, {"as_of": "2025-02-30"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "「2025-02-30」は存在しない日付です。")
        self.assertContains(r, "令和7年7月30日時点")

    def test_a_date_outside_its_era_is_an_error(self) -> None:
        r = self.client.get(self.url, {"as_of": "平成31年5月1日"})
        self.assertContains(r, "平成の期間外の日付です。")

    def test_a_date_before_the_japanese_eras_is_an_error_not_a_crash(self) -> None:
        r = self.client.get(self.url, {"as_of": "1800-01-01"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "明治以降の日付を指定してください。")
        self.assertEqual(len(roster_names(r.content.decode())), 35)

    def test_a_bad_date_keeps_the_sector_filter(self) -> None:
        r = self.client.get(self.url, {"as_of": "bad", "sector": "government"})
        self.assertContains(r, "日付の形式が正しくありません。")
        self.assertEqual([label for label, _ in roster_groups(r.content.decode())], ["行政"])

    def test_an_htmx_request_gets_only_the_roster_fragment(self) -> None:
        r = self.client.get(self.url, {"sector": "academic"}, headers={"HX-Request": "true"})
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        self.assertTrue(html.lstrip().startswith('<div id="roster"'))
        self.assertNotIn("<html", html)
        self.assertNotIn("<form", html)
        self.assertEqual(roster_groups(html), [("学識者", [("25", "日本福祉大学")])])

    def test_the_filter_form_replaces_the_whole_fragment(self) -> None:
        # The fragment is the #roster element itself: swapping only its inside would
        # nest a second #roster in the first on every change.
        r = self.client.get(self.url)
        self.assertRegex(
            r.content.decode(), r'<form [^>]*hx-target="#roster"[^>]*hx-swap="outerHTML"'
        )

    def test_the_fragment_brings_export_links_for_its_date(self) -> None:
        self.login(self.secretariat)
        r = self.client.get(self.url, {"as_of": "2025-08-01"}, headers={"HX-Request": "true"})
        self.assertContains(r, 'href="/secretariat/roster.csv?as_of=2025-08-01"')
        self.assertContains(r, 'href="/secretariat/roster.xlsx?as_of=2025-08-01"')

    def test_each_name_links_to_the_member_page(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, f'href="/members/{self.organization.pk}/"')
        self.assertContains(r, 'href="/members/', count=35)

    def test_a_past_roster_names_a_former_member_without_a_dead_link(self) -> None:
        Membership.objects.filter(organization=self.organization).update(
            ended_on=ROSTER_BASELINE_DATE + timedelta(days=30)
        )
        r = self.client.get(self.url, {"as_of": "2025-08-01"})
        self.assertIn(self.organization.name, roster_names(r.content.decode()))
        self.assertNotContains(r, f'href="/members/{self.organization.pk}/"')
        self.assertContains(r, f'href="/members/{self.other_organization.pk}/"')
        self.assertEqual(self.client.get(f"/members/{self.organization.pk}/").status_code, 404)


class RosterQueryCountTestCase(BaseTestCase):
    """The number of queries does not grow with the number of members."""

    def count_queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        return len(queries)

    def add_members(self, count: int) -> None:
        for i in range(count):
            make_member(
                f"追加の団体{i}",
                started_on=ROSTER_BASELINE_DATE,
                sector=["private", "community", "academic"][i % 3],
                municipalities=("142051", "141097"),
            )

    def test_the_roster_page(self) -> None:
        baseline = self.count_queries("/roster/")
        self.add_members(15)
        with self.assertNumQueries(baseline):
            r = self.client.get("/roster/")
        self.assertEqual(len(roster_names(r.content.decode())), 50)

    def test_the_home_page(self) -> None:
        baseline = self.count_queries("/")
        self.add_members(15)
        with self.assertNumQueries(baseline):
            r = self.client.get("/")
        self.assertEqual(len(roster_names(r.content.decode())), 50)

    def test_the_roster_page_for_a_signed_in_secretariat(self) -> None:
        self.login(self.secretariat)
        baseline = self.count_queries("/roster/")
        self.add_members(15)
        with self.assertNumQueries(baseline):
            self.client.get("/roster/")
