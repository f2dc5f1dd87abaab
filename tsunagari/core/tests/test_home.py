from __future__ import annotations

from django.test import TestCase

from tsunagari.members.models import Membership, Organization


class HomeTestCase(TestCase):
    def test_it_describes_the_network_in_japanese(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, '<html lang="ja">')
        self.assertContains(r, "<h1>かながわつながりネットワーク</h1>", html=True)
        self.assertContains(r, "神奈川県版 孤独・孤立対策 官民連携プラットフォーム")
        self.assertContains(r, "構成員として参加を申し込む")

    def test_it_shows_the_roster_as_of_its_date_with_35_organisations(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, "令和7年7月30日時点　35団体")
        self.assertEqual(r.context["total"], 35)
        self.assertContains(r, "社会福祉法人神奈川県社会福祉協議会")
        self.assertContains(r, "ブリュッケ利用者")

    def test_the_roster_is_grouped_by_sector_in_the_official_order(self) -> None:
        r = self.client.get("/")
        self.assertEqual(
            [(label, len(orgs)) for _, label, orgs in r.context["groups"]],
            [("民間事業者", 23), ("地域", 1), ("学識者", 1), ("行政", 9), ("当事者", 1)],
        )

    def test_an_organisation_that_left_is_not_on_the_home_page(self) -> None:
        Membership.objects.filter(organization__roster_no=35).update(ended_on="2025-08-31")
        r = self.client.get("/")
        self.assertNotContains(r, "ブリュッケ利用者")
        self.assertContains(r, "令和7年8月31日時点　34団体")

    def test_it_needs_no_sign_in(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'href="/accounts/login/"')

    def test_switching_to_english_changes_the_page_language(self) -> None:
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        r = self.client.get("/")
        self.assertContains(r, '<html lang="en">')
        self.assertEqual(r["Content-Language"], "en")

    def test_english_dates_are_not_in_the_japanese_era(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        r = self.client.get("/")
        self.assertNotContains(r, "令和7年7月30日")
        self.assertContains(r, "30 July 2025")

    def test_switching_back_to_japanese(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
        self.assertContains(self.client.get("/"), '<html lang="ja">')

    def test_an_organisation_link_leads_to_its_page(self) -> None:
        org = Organization.objects.get(roster_no=31)
        r = self.client.get("/")
        self.assertContains(r, f'href="/members/{org.pk}/"')

    def test_it_invites_residents_to_the_self_check_in_plain_and_easy_japanese(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, 'href="/selfcheck/"')
        self.assertContains(r, 'href="/selfcheck/?wording=easy" lang="ja"')

    def test_a_demo_site_says_on_every_page_that_its_answers_are_samples(self) -> None:
        banner = "セルフチェックと調査の回答はサンプルデータです"
        self.assertNotContains(self.client.get("/"), banner)
        with self.settings(DEMO=True):
            self.assertContains(self.client.get("/"), banner)
            self.assertContains(self.client.get("/roster/"), banner)
