from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import count

from django.db import IntegrityError, transaction

from tsunagari.accounts.models import User
from tsunagari.factory import make_application
from tsunagari.members.models import (
    ROSTER_BASELINE_DATE,
    ContactAlreadyRegistered,
    InvalidTransition,
    Membership,
    MembershipApplication,
    Organization,
)
from tsunagari.members.tests.helpers import make_member
from tsunagari.test import BaseTestCase

Status = MembershipApplication.Status

# The review workflow as the secretariat described it: a clear case may be decided
# straight from 受付済み; a returned application goes back to 受付済み when the applicant
# resubmits it, or may be declined if they never do; decisions are final.
ALLOWED = {
    (Status.SUBMITTED, Status.UNDER_REVIEW),
    (Status.SUBMITTED, Status.APPROVED),
    (Status.SUBMITTED, Status.RETURNED),
    (Status.SUBMITTED, Status.DECLINED),
    (Status.UNDER_REVIEW, Status.APPROVED),
    (Status.UNDER_REVIEW, Status.RETURNED),
    (Status.UNDER_REVIEW, Status.DECLINED),
    (Status.RETURNED, Status.SUBMITTED),
    (Status.RETURNED, Status.DECLINED),
}


class TransitionTestCase(BaseTestCase):
    emails = count()

    def application_in(self, status: str) -> MembershipApplication:
        application = make_application(contact_email=f"applicant{next(self.emails)}@example.org")
        MembershipApplication.objects.filter(pk=application.pk).update(status=status)
        application.refresh_from_db()
        return application

    def move(self, application: MembershipApplication, to: str) -> Callable[[], object]:
        by = self.secretariat
        moves: dict[str, Callable[[], object]] = {
            Status.SUBMITTED: application.resubmit,
            Status.UNDER_REVIEW: lambda: application.start_review(by=by),
            Status.APPROVED: lambda: application.approve(by=by),
            Status.RETURNED: lambda: application.return_for_changes(by=by, reason="理由"),
            Status.DECLINED: lambda: application.decline(by=by, reason="理由"),
        }
        return moves[to]

    def test_every_allowed_move_happens_and_is_recorded(self) -> None:
        for from_status, to_status in sorted(ALLOWED):
            with self.subTest(f"{from_status} → {to_status}"):
                application = self.application_in(from_status)
                self.assertTrue(application.can_move_to(to_status))
                self.move(application, to_status)()
                application.refresh_from_db()
                self.assertEqual(application.status, to_status)
                event = application.events.last()
                assert event is not None
                self.assertEqual((event.from_status, event.to_status), (from_status, to_status))

    def test_every_other_move_is_refused_and_changes_nothing(self) -> None:
        organizations = Organization.objects.count()
        for from_status in Status.values:
            for to_status in Status.values:
                if (from_status, to_status) in ALLOWED:
                    continue
                with self.subTest(f"{from_status} → {to_status}"):
                    application = self.application_in(from_status)
                    self.assertFalse(application.can_move_to(to_status))
                    with self.assertRaises(InvalidTransition):
                        self.move(application, to_status)()
                    application.refresh_from_db()
                    self.assertEqual(application.status, from_status)
                    self.assertEqual(application.events.count(), 1)
                    self.assertIsNone(application.decided_at)
        self.assertEqual(Organization.objects.count(), organizations)
        self.assertEqual(User.objects.filter(affiliations__isnull=False).count(), 2)

    def test_decisions_are_dated_and_other_moves_are_not(self) -> None:
        declined = self.application_in(Status.SUBMITTED)
        declined.decline(by=self.secretariat, reason="理由")
        self.assertIsNotNone(declined.decided_at)
        reviewing = self.application_in(Status.SUBMITTED)
        reviewing.start_review(by=self.secretariat)
        self.assertIsNone(reviewing.decided_at)

    def test_open_applications(self) -> None:
        for status in Status.values:
            self.application_in(status)
        self.assertEqual(
            sorted(MembershipApplication.objects.open().values_list("status", flat=True)),
            sorted([Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED]),
        )

    def test_approval_is_all_or_nothing(self) -> None:
        application = self.application_in(Status.SUBMITTED)
        User.objects.create_user(application.contact_email, role=User.Role.SECRETARIAT)
        with self.assertRaises(ContactAlreadyRegistered), transaction.atomic():
            application.approve(by=self.secretariat)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)
        self.assertFalse(Organization.objects.filter(name=application.name).exists())

    def test_the_reference_is_shown_with_five_digits(self) -> None:
        application = self.application_in(Status.SUBMITTED)
        self.assertRegex(application.reference, r"^A\d{5}$")
        self.assertEqual(int(application.reference[1:]), application.pk)

    def test_each_application_gets_its_own_edit_token(self) -> None:
        a, b = self.application_in(Status.SUBMITTED), self.application_in(Status.SUBMITTED)
        self.assertGreaterEqual(len(a.edit_token), 40)
        self.assertNotEqual(a.edit_token, b.edit_token)


class MembersOnTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.start = ROSTER_BASELINE_DATE + timedelta(days=40)
        self.end = self.start + timedelta(days=30)
        self.member = make_member("期間のある団体", started_on=self.start, ended_on=self.end)

    def is_member_on(self, day: date) -> bool:
        return Organization.objects.members_on(day).filter(pk=self.member.pk).exists()

    def test_the_start_date_is_included(self) -> None:
        self.assertFalse(self.is_member_on(self.start - timedelta(days=1)))
        self.assertTrue(self.is_member_on(self.start))

    def test_the_end_date_is_excluded(self) -> None:
        self.assertTrue(self.is_member_on(self.end - timedelta(days=1)))
        self.assertFalse(self.is_member_on(self.end))

    def test_an_open_membership_has_no_end(self) -> None:
        Membership.objects.filter(organization=self.member).update(ended_on=None)
        self.assertTrue(self.is_member_on(date(2100, 1, 1)))

    def test_a_second_period_after_a_gap(self) -> None:
        rejoined = self.end + timedelta(days=10)
        Membership.objects.create(organization=self.member, started_on=rejoined)
        self.assertFalse(self.is_member_on(self.end + timedelta(days=5)))
        self.assertTrue(self.is_member_on(rejoined))
        self.assertEqual(
            Organization.objects.members_on(rejoined).filter(pk=self.member.pk).count(), 1
        )

    def test_the_official_roster_on_its_date(self) -> None:
        on_the_day = Organization.objects.members_on(ROSTER_BASELINE_DATE)
        self.assertEqual(on_the_day.count(), 35)
        self.assertFalse(
            Organization.objects.members_on(ROSTER_BASELINE_DATE - timedelta(days=1)).exists()
        )

    def test_a_membership_cannot_end_before_it_starts(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(
                organization=self.member, started_on=self.start, ended_on=self.start
            )


class ByReadingTestCase(BaseTestCase):
    def test_it_orders_by_furigana_and_falls_back_to_the_name(self) -> None:
        kaki = make_member("漢字の団体", name_kana="カキク", started_on=ROSTER_BASELINE_DATE)
        aiu = make_member("別の漢字の団体", name_kana="アイウ", started_on=ROSTER_BASELINE_DATE)
        iroha = make_member("イロハ会", started_on=ROSTER_BASELINE_DATE)
        ordered = list(Organization.objects.filter(pk__in=[kaki.pk, aiu.pk, iroha.pk]).by_reading())
        self.assertEqual(ordered, [aiu, iroha, kaki])
