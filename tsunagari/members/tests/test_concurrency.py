"""Membership applications under concurrency (PostgreSQL, real threads): approving twice at
once approves once; different approvals at once get different roster numbers; every
other review step is taken once."""

from __future__ import annotations

from django.core import mail

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.members.models import ApplicationEvent, MembershipApplication, Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of
from tsunagari.test import run_tasks

Status = MembershipApplication.Status


class ApplicationRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.officers = make_people(20, "jimukyoku", User.Role.SECRETARIAT)

    def steps(self, application: MembershipApplication, to: str) -> int:
        return ApplicationEvent.objects.filter(application=application, to_status=to).count()

    def test_twenty_approvals_of_one_application_approve_it_once(self) -> None:
        application = factory.make_application(contact_email="taro@example.org")
        url = f"/secretariat/applications/{application.pk}/approve/"
        outcomes = at_once([Post(u, url, {"reason": ""}) for u in self.officers])
        self.assertEqual([o.status for o in outcomes], [302] * 20)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.APPROVED)
        self.assertEqual(self.steps(application, Status.APPROVED), 1)
        self.assertEqual(Organization.objects.filter(applications=application).count(), 1)
        self.assertEqual(User.objects.filter(email="taro@example.org").count(), 1)
        self.assertEqual(
            AuditEvent.objects.filter(
                action=AuditEvent.Action.CREATE, object_type="members.organization"
            ).count(),
            1,
        )
        run_tasks()
        # The approval and the invitation, once each.
        self.assertEqual([m.to for m in mail.outbox], [["taro@example.org"]] * 2)
        said = messages_of(outcomes)
        self.assertEqual(sum(m.startswith("承認しました。") for m in said), 1)
        self.assertEqual(said.count("この申込はすでに承認されています。"), 19)

    def test_different_approvals_at_once_get_different_roster_numbers(self) -> None:
        before = Organization.next_roster_no()
        applications = [
            factory.make_application(name=f"同時の会{n}", contact_email=f"c{n}@example.org")
            for n in range(10)
        ]
        outcomes = at_once(
            [
                Post(u, f"/secretariat/applications/{a.pk}/approve/", {"reason": ""})
                for u, a in zip(self.officers, applications, strict=False)
            ]
        )
        self.assertEqual([o.status for o in outcomes], [302] * 10)
        numbers = sorted(
            o.roster_no or 0 for o in Organization.objects.filter(applications__in=applications)
        )
        self.assertEqual(numbers, list(range(before, before + 10)))

    def test_two_applications_with_one_contact_approved_at_once_make_one_account(self) -> None:
        applications = [
            factory.make_application(name=f"同じ担当者の会{n}", contact_email="same@example.org")
            for n in range(2)
        ]
        outcomes = at_once(
            [
                Post(u, f"/secretariat/applications/{a.pk}/approve/", {"reason": ""})
                for u, a in zip(self.officers, applications, strict=False)
            ]
        )
        self.assertEqual([o.status for o in outcomes], [302] * 2)
        self.assertEqual(User.objects.filter(email="same@example.org").count(), 1)
        statuses = sorted(MembershipApplication.objects.values_list("status", flat=True))
        self.assertEqual(statuses, [Status.APPROVED, Status.SUBMITTED])
        self.assertEqual(
            sum("すでに別のアカウントで使われています" in m for m in messages_of(outcomes)), 1
        )

    def test_starting_a_review_twice_at_once_starts_it_once(self) -> None:
        application = factory.make_application()
        url = f"/secretariat/applications/{application.pk}/review/"
        outcomes = at_once([Post(u, url, {"reason": ""}) for u in self.officers[:8]])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.assertEqual(self.steps(application, Status.UNDER_REVIEW), 1)
        self.assertEqual(messages_of(outcomes).count("この申込はすでに審査中です。"), 7)

    def test_approving_and_declining_at_once_decide_once(self) -> None:
        application = factory.make_application(contact_email="taro@example.org")
        application.start_review(by=self.officers[0])
        posts = [
            Post(u, f"/secretariat/applications/{application.pk}/{action}/", {"reason": "理由"})
            for u, action in zip(self.officers[:8], ["approve", "decline"] * 4, strict=True)
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        application.refresh_from_db()
        self.assertIn(application.status, (Status.APPROVED, Status.DECLINED))
        self.assertEqual(application.events.count(), 3)  # submitted, under review, the answer
        answers: dict[str, str] = {
            Status.APPROVED: "この申込はすでに承認されています。",
            Status.DECLINED: "この申込はすでに不承認になっています。",
        }
        already = answers[application.status]
        self.assertEqual(messages_of(outcomes).count(already), 7)

    def test_returning_twice_at_once_asks_once(self) -> None:
        application = factory.make_application(contact_email="taro@example.org")
        url = f"/secretariat/applications/{application.pk}/return/"
        outcomes = at_once([Post(u, url, {"reason": "所在地を確認"}) for u in self.officers[:8]])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.assertEqual(self.steps(application, Status.RETURNED), 1)
        run_tasks()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(messages_of(outcomes).count("この申込はすでに修正を依頼しています。"), 7)

    def test_declining_twice_at_once_declines_once(self) -> None:
        application = factory.make_application(contact_email="taro@example.org")
        url = f"/secretariat/applications/{application.pk}/decline/"
        outcomes = at_once([Post(u, url, {"reason": "対象外"}) for u in self.officers[:8]])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.assertEqual(self.steps(application, Status.DECLINED), 1)
        run_tasks()
        self.assertEqual(len(mail.outbox), 1)

    def test_resubmitting_twice_at_once_resubmits_once(self) -> None:
        application = factory.make_application(contact_email="taro@example.org")
        application.return_for_changes(by=self.officers[0], reason="所在地を確認してください")
        data = factory.application_data(contact_email="taro@example.org")
        url = f"/apply/{application.edit_token}/edit/"
        outcomes = at_once([Post(None, url, data) for _ in range(5)])
        self.assertEqual([o.status for o in outcomes], [302] * 5)
        self.assertEqual(self.steps(application, Status.SUBMITTED), 2)  # first and again
        run_tasks()
        self.assertEqual(len(mail.outbox), 1)
