"""The secretariat's and the officers' chart pages, and the operational funnel."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tsunagari.collaborations.models import Collaboration
from tsunagari.core.models import OutgoingMail
from tsunagari.factory import make_application, make_resource
from tsunagari.insights import operations
from tsunagari.insights.charts import Chart, ChartData, Filters, Series
from tsunagari.insights.tests.test_report import registered_charts
from tsunagari.matching.models import Need
from tsunagari.matching.tests.test_needs import make_need
from tsunagari.members.models import MembershipApplication
from tsunagari.test import BaseTestCase

SEEN: list[Filters] = []


def _people(filters: Filters) -> ChartData:
    """A chart whose small counts are hidden unless the viewer is the secretariat."""
    SEEN.append(filters)
    local = filters.municipality is not None
    small = 7 if filters.internal else None
    return ChartData(
        slug="test-people",
        title="テスト：講座の修了者",
        kind="bar",
        categories=["10代", "20代"],
        series=[Series("修了者", [small, 15 if local else 480])],
        reading="テスト：20代の修了者が多い。",
        source="テスト出典",
        as_of=dt.date(2026, 3, 31),
    )


PEOPLE = Chart("test-people", "テスト：講座の修了者", _people)


class StaffDashboardTests(BaseTestCase):
    def setUp(self) -> None:
        SEEN.clear()

    def test_the_secretariat_sees_unsuppressed_counts(self) -> None:
        self.login(self.secretariat)
        with registered_charts(PEOPLE):
            response = self.client.get("/visible/staff/?fiscal_year=2025")
        self.assertEqual(SEEN, [Filters(fiscal_year=2025, internal=True)])
        self.assertContains(response, "テスト：講座の修了者")
        self.assertContains(response, 'data-value="7">7</td>')
        self.assertContains(response, "/visible/report/2025.pdf")

    def test_a_year_outside_the_reports_means_every_year(self) -> None:
        self.login(self.secretariat)
        with registered_charts(PEOPLE):
            self.client.get("/visible/staff/?fiscal_year=1999")
        self.assertEqual(SEEN, [Filters(internal=True)])

    def test_the_funnel(self) -> None:
        now = timezone.now()
        for days in (0, 7, 8, 30, 31, 400):
            application = make_application(contact_email=f"a{days}@example.org")
            MembershipApplication.objects.filter(pk=application.pk).update(
                submitted_at=now - dt.timedelta(days=days)
            )
        decided = make_application(contact_email="decided@example.org")
        MembershipApplication.objects.filter(pk=decided.pk).update(
            status=MembershipApplication.Status.APPROVED
        )
        for days, answered in ((10, False), (45, False), (75, False), (100, False), (100, True)):
            need = make_need(organization=self.organization)
            Need.objects.filter(pk=need.pk).update(created_at=now - dt.timedelta(days=days))
            if answered:
                Collaboration.objects.create(
                    kind=Collaboration.Kind.RESPONSE,
                    proposer=self.other_organization,
                    partner=self.organization,
                    need=need,
                    title="応答",
                )
        make_need(organization=self.organization, status=Need.Status.CLOSED)
        make_resource("確認済み", last_verified_on=timezone.localdate())
        make_resource("古い", last_verified_on=timezone.localdate() - dt.timedelta(days=400))
        make_resource("未確認", last_verified_on=None)
        OutgoingMail.objects.create(
            to=["x@example.org"], subject="件名", status=OutgoingMail.Status.UNDELIVERED
        )

        funnel = operations.funnel()
        submitted = next(r for r in funnel.applications if r.status == "submitted")
        self.assertEqual(submitted.ages, [2, 2, 2])
        approved = next(r for r in funnel.applications if r.status == "approved")
        self.assertEqual((approved.is_open, approved.total), (False, 1))
        self.assertEqual(funnel.needs_waiting, {30: 3, 60: 2, 90: 1})
        self.assertGreaterEqual(funnel.stale_resources, 2)
        self.assertGreaterEqual(funnel.never_verified, 1)
        self.assertEqual(funnel.undelivered_mail, 1)

        self.login(self.secretariat)
        response = self.client.get("/visible/staff/")
        self.assertContains(response, "応答のないニーズ")
        self.assertContains(response, 'href="/secretariat/mail/"')

    def test_the_page_costs_the_same_with_more_rows(self) -> None:
        """The operational funnel (with one chart of known cost) is a fixed number of
        queries however many applications, needs and resources wait."""
        self.login(self.secretariat)
        with registered_charts(PEOPLE):
            self.client.get("/visible/staff/")  # warm the session and caches
            before = self._queries()
            for n in range(5):
                make_application(contact_email=f"more{n}@example.org")
                make_need(organization=self.organization)
                make_resource(f"資源{n}", last_verified_on=None)
            with self.assertNumQueries(before):
                self.client.get("/visible/staff/")
        self.assertLessEqual(before, 15)

    def _queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.client.get("/visible/staff/")
        return len(ctx.captured_queries)

    def test_only_the_secretariat(self) -> None:
        for user in (self.staff, self.officer):
            self.login(user)
            self.assertEqual(self.client.get("/visible/staff/").status_code, 403)


class MunicipalityViewTests(BaseTestCase):
    def setUp(self) -> None:
        SEEN.clear()

    def test_an_officer_sees_their_municipality_beside_the_prefecture(self) -> None:
        self.login(self.officer)
        with registered_charts(PEOPLE):
            response = self.client.get("/visible/municipality/")
        self.assertEqual(SEEN, [Filters(municipality="142051"), Filters()])
        self.assertContains(response, "藤沢市の可視化")
        # The municipality's value next to the prefecture's, small counts hidden.
        self.assertContains(
            response, '<tr><th scope="row">20代</th><td>15</td><td>480</td></tr>', html=True
        )
        self.assertContains(
            response, '<tr><th scope="row">10代</th><td>10未満</td><td>10未満</td></tr>', html=True
        )

    def test_an_officer_cannot_ask_for_another_municipality(self) -> None:
        self.login(self.officer)
        with registered_charts(PEOPLE):
            response = self.client.get("/visible/municipality/?municipality=141003")
        self.assertEqual(SEEN[0], Filters(municipality="142051"))
        self.assertContains(response, "藤沢市の可視化")

    def test_the_secretariat_chooses_any_municipality(self) -> None:
        self.login(self.secretariat)
        with registered_charts(PEOPLE):
            response = self.client.get("/visible/municipality/?municipality=141003")
        self.assertEqual(SEEN[0], Filters(municipality="141003"))
        self.assertContains(response, "横浜市の可視化")

    def test_member_staff_may_not(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get("/visible/municipality/").status_code, 403)

    def test_links_from_my_page(self) -> None:
        self.login(self.officer)
        self.assertContains(self.client.get("/my/"), "/visible/municipality/?municipality=142051")
        self.login(self.secretariat)
        response = self.client.get("/my/")
        self.assertContains(response, 'href="/visible/staff/"')
        self.assertContains(response, 'href="/secretariat/visible/survey/"')
