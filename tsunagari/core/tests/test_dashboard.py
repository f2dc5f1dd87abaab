from __future__ import annotations

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.factory import make_application
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Membership, Organization
from tsunagari.test import BaseTestCase


class DashboardTestCase(BaseTestCase):
    url = "/my/"

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, "/accounts/login/?next=/my/")

    def test_secretariat_sees_the_number_of_open_applications(self) -> None:
        make_application(contact_email="a@example.org")
        make_application(contact_email="b@example.org")
        declined = make_application(contact_email="c@example.org")
        declined.decline(by=self.secretariat, reason="対象外")
        self.login(self.secretariat)
        r = self.client.get(self.url)
        self.assertContains(r, "jimukyoku さん（事務局）")
        self.assertEqual(r.context["open_applications"], 2)
        self.assertContains(
            r,
            '<a href="/secretariat/applications/">未処理の参加申込</a> <strong>2</strong>件',
            html=True,
        )
        self.assertContains(r, "<strong>35</strong>団体")
        self.assertContains(r, 'href="/accounts/users/"')
        self.assertContains(r, 'href="/secretariat/audit/"')

    def test_a_municipality_officer_sees_the_members_serving_their_municipality(self) -> None:
        self.login(self.officer)
        r = self.client.get(self.url)
        self.assertContains(r, "fujisawa さん（市町村担当者）")
        self.assertContains(r, "藤沢市で活動する構成員")
        fujisawa = Organization.objects.get(roster_no=31)
        self.assertEqual(list(r.context["officer_sections"][0]["local_members"]), [fujisawa])
        self.assertContains(r, f'<a href="/members/{fujisawa.pk}/">藤沢市</a>', html=True)
        self.assertNotContains(r, "未処理の参加申込")

    def test_an_officer_of_a_designated_city_also_sees_members_serving_its_wards(self) -> None:
        yokohama = Municipality.objects.get(name="横浜市")
        officer = factory.make_user(
            "yokohama@example.jp", User.Role.MUNICIPALITY, municipality=yokohama
        )
        self.organization.municipalities.set([Municipality.objects.get(name="横浜市港北区")])
        self.login(officer)
        r = self.client.get(self.url)
        names = [o.name for o in r.context["officer_sections"][0]["local_members"]]
        self.assertEqual(names, ["特定非営利活動法人ひまわり", "横浜市"])
        self.assertContains(r, "横浜市で活動する構成員")

    def test_an_officer_does_not_see_a_member_that_left(self) -> None:
        self.other_organization.municipalities.set([self.municipality])
        self.login(self.officer)
        self.assertEqual(
            len(self.client.get(self.url).context["officer_sections"][0]["local_members"]), 2
        )
        Membership.objects.filter(organization=self.other_organization).update(
            ended_on="2025-08-31"
        )
        r = self.client.get(self.url)
        self.assertEqual(
            [o.roster_no for o in r.context["officer_sections"][0]["local_members"]], [31]
        )

    def test_an_officer_with_no_local_members_is_told_so(self) -> None:
        officer = factory.make_user(
            "kiyokawa@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(name="清川村"),
        )
        self.login(officer)
        r = self.client.get(self.url)
        self.assertContains(r, "活動地域にこの市町村を登録している構成員はまだいません。")

    def test_member_staff_see_their_organisation_and_the_edit_link(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertContains(r, "staff さん（構成員団体の職員）")
        self.assertContains(r, f"{self.organization.name}の職員として")
        self.assertContains(
            r, '<a class="button" href="/my/organization/">団体情報を編集する</a>', html=True
        )
        self.assertNotContains(r, self.other_organization.name)
        self.assertNotContains(r, "未処理の参加申込")

    def test_the_dashboard_is_reached_from_the_header(self) -> None:
        self.login(self.staff)
        r = self.client.get("/")
        self.assertContains(r, '<a href="/my/">マイページ</a>', html=True)

    def test_an_officer_also_sees_members_working_across_the_prefecture(self) -> None:
        prefecture = Municipality.objects.get(kind="prefecture")
        self.organization.municipalities.set([prefecture])
        self.login(self.officer)
        r = self.client.get(self.url)
        self.assertContains(r, "県全域で活動する構成員")
        wide = [o.name for o in r.context["officer_sections"][0]["prefecture_wide_members"]]
        self.assertEqual(wide, ["特定非営利活動法人ひまわり", "神奈川県"])
        self.assertEqual(
            [o.roster_no for o in r.context["officer_sections"][0]["local_members"]], [31]
        )

    def test_a_member_serving_both_is_listed_once_as_local(self) -> None:
        prefecture = Municipality.objects.get(kind="prefecture")
        self.organization.municipalities.set([prefecture, self.municipality])
        self.login(self.officer)
        r = self.client.get(self.url)
        self.assertEqual(
            [o.roster_no for o in r.context["officer_sections"][0]["local_members"]], [13, 31]
        )
        self.assertEqual(
            [o.roster_no for o in r.context["officer_sections"][0]["prefecture_wide_members"]], [34]
        )

    def test_the_officer_page_does_not_grow_in_queries_with_members(self) -> None:
        self.login(self.officer)
        self.client.get(self.url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            self.client.get(self.url)
        for org in Organization.objects.filter(roster_no__lte=10):
            org.municipalities.add(self.municipality)
        with self.assertNumQueries(len(before.captured_queries)):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["officer_sections"][0]["local_members"]), 11)
