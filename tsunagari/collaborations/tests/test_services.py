"""Collaborations (連携・協働): the state machine by side, the sector flag, e-mails, audit."""

from __future__ import annotations

from typing import Any

from django.core import mail

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.collaborations import services
from tsunagari.collaborations.models import (
    Collaboration,
    CollaborationMessage,
    CollaborationParty,
)
from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.matching.models import Need
from tsunagari.members.models import Organization
from tsunagari.test import BaseTestCase

Status = Collaboration.Status
Party = CollaborationParty


def make_need(title: str = "週末に親子で参加できる場がほしい", **fields: Any) -> Need:
    fields.setdefault("description", "土日に親子で気軽に過ごせる場所が近くにありません。")
    fields.setdefault("municipality_id", "142051")
    targets = fields.pop("targets", ("kosodate",))
    kinds = fields.pop("kinds", ("ibasho",))
    need = Need.objects.create(title=title, **fields)
    need.target_groups.set(TargetGroup.objects.filter(slug__in=targets))
    need.kinds_wanted.set(Kind.objects.filter(slug__in=kinds))
    return need


def make_collaboration(
    proposer: Organization, partner: Organization, status: str = Status.PROPOSED, **fields: Any
) -> Collaboration:
    """A collaboration as if proposed (and moved to `status`), without e-mails."""
    fields.setdefault("title", "親子の居場所を一緒に開く（サンプル）")
    collaboration = Collaboration.objects.create(
        proposer=proposer,
        partner=partner,
        status=status,
        cross_sector=proposer.sector != partner.sector,
        **fields,
    )
    CollaborationMessage.objects.create(
        collaboration=collaboration,
        organization=proposer,
        body="一緒に取り組みませんか。",
        status=Status.PROPOSED,
    )
    answered: dict[str, str] = {
        Status.ACCEPTED: Party.Status.ACCEPTED,
        Status.IN_PROGRESS: Party.Status.ACCEPTED,
        Status.COMPLETED: Party.Status.ACCEPTED,
        Status.DECLINED: Party.Status.DECLINED,
    }
    CollaborationParty.objects.create(
        collaboration=collaboration,
        organization=proposer,
        role=Party.Role.LEAD,
        status=Party.Status.ACCEPTED,
    )
    CollaborationParty.objects.create(
        collaboration=collaboration,
        organization=partner,
        role=Party.Role.PARTNER,
        status=answered.get(status, Party.Status.INVITED),
    )
    services.update_sectors(collaboration)
    collaboration.save(update_fields=["sector_count", "cross_sector"])
    return collaboration


# Every step that is allowed, as (status it starts from, action, side taking it).
ALLOWED = {
    (Status.PROPOSED, "accept", "partner"),
    (Status.PROPOSED, "decline", "partner"),
    (Status.PROPOSED, "withdraw", "proposer"),
    (Status.ACCEPTED, "start", "proposer"),
    (Status.ACCEPTED, "start", "partner"),
    (Status.ACCEPTED, "complete", "proposer"),
    (Status.ACCEPTED, "complete", "partner"),
    (Status.ACCEPTED, "withdraw", "proposer"),
    (Status.IN_PROGRESS, "complete", "proposer"),
    (Status.IN_PROGRESS, "complete", "partner"),
    (Status.IN_PROGRESS, "withdraw", "proposer"),
}


class CollaborationTestCase(BaseTestCase):
    """Org 13 (staff) and org 14 (other_staff) are both 民間事業者; 藤沢市 is 行政."""

    city: Organization
    city_staff: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.city = Organization.objects.get(roster_no=31)
        cls.city_staff = factory.make_user(
            "city@example.jp", User.Role.MEMBER, organization=cls.city
        )


class StateMachineTestCase(CollaborationTestCase):
    def test_each_side_may_take_exactly_the_allowed_steps_from_each_status(self) -> None:
        actors = {"proposer": self.staff, "partner": self.other_staff}
        for status in Status.values:
            for action, step in services.STEPS.items():
                for side, user in actors.items():
                    with self.subTest(status=status, action=action, side=side):
                        c = make_collaboration(self.organization, self.other_organization, status)
                        allowed = (status, action, side) in ALLOWED
                        self.assertEqual(
                            step in services.available_steps(c, services.acting_for(c, user)),
                            allowed,
                        )
                        if allowed:
                            services.take_step(c, action, by=user, note="成果です。")
                            c.refresh_from_db()
                            self.assertEqual(c.status, step.to)
                        else:
                            with self.assertRaises(services.StepRefused):
                                services.take_step(c, action, by=user, note="成果です。")
                            c.refresh_from_db()
                            self.assertEqual(c.status, status)

    def test_it_refuses_every_step_to_an_outsider_and_the_secretariat(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        for user in (self.city_staff, self.secretariat, self.officer):
            for action in services.STEPS:
                with (
                    self.subTest(user=user.email, action=action),
                    self.assertRaises(services.StepRefused),
                ):
                    services.take_step(c, action, by=user)
        self.assertEqual(c.messages.count(), 1)

    def test_it_refuses_to_complete_without_an_outcome(self) -> None:
        c = make_collaboration(self.organization, self.other_organization, Status.IN_PROGRESS)
        with self.assertRaises(services.StepRefused):
            services.take_step(c, "complete", by=self.staff, note="  ")
        c.refresh_from_db()
        self.assertEqual(c.status, Status.IN_PROGRESS)

    def test_completing_keeps_the_outcome_and_records_the_step_in_the_thread(self) -> None:
        c = make_collaboration(self.organization, self.other_organization, Status.IN_PROGRESS)
        services.take_step(c, "complete", by=self.other_staff, note="親子12組が参加しました。")
        c.refresh_from_db()
        self.assertEqual(c.outcome, "親子12組が参加しました。")
        last = c.messages.last()
        assert last is not None
        self.assertEqual(
            (last.status, last.body, last.organization_id, last.author_id),
            (
                Status.COMPLETED,
                "親子12組が参加しました。",
                self.other_organization.pk,
                self.other_staff.pk,
            ),
        )
        event = AuditEvent.objects.for_object(c).get()
        self.assertEqual(event.action, AuditEvent.Action.STATUS)
        self.assertEqual(event.changes, {"status": ["in_progress", "completed"]})
        self.assertEqual(event.actor, self.other_staff)


class ProposeTestCase(CollaborationTestCase):
    def test_it_records_whether_the_two_members_are_from_different_sectors(self) -> None:
        same = services.propose(
            by=self.staff, partner=self.other_organization, title="同じ分野", message="よろしく"
        )
        across = services.propose(
            by=self.staff, partner=self.city, title="分野をこえて", message="よろしく"
        )
        self.assertFalse(same.cross_sector)
        self.assertTrue(across.cross_sector)

    def test_it_starts_the_thread_with_the_message_and_audits_the_proposal(self) -> None:
        need = make_need(organization=self.organization)
        resource = factory.make_resource("サンプル 親子ひろば", organization=self.city)
        c = services.propose(
            by=self.staff,
            partner=self.city,
            title="週末の親子の場",
            message="ひろばを土曜にも開けませんか。",
            need=need,
            resource=resource,
        )
        self.assertEqual((c.status, c.need, c.resource), (Status.PROPOSED, need, resource))
        first = c.messages.get()
        self.assertEqual(first.body, "ひろばを土曜にも開けませんか。")
        self.assertEqual(first.status, Status.PROPOSED)
        event = AuditEvent.objects.for_object(c).get()
        self.assertEqual((event.action, event.actor), (AuditEvent.Action.CREATE, self.staff))

    def test_it_refuses_a_proposal_to_ones_own_organisation(self) -> None:
        with self.assertRaises(services.StepRefused):
            services.propose(by=self.staff, partner=self.organization, title="自分へ", message="……")

    def test_the_partners_active_staff_get_an_email_once_the_worker_runs(self) -> None:
        factory.make_user(
            "former@example.jp", User.Role.MEMBER, organization=self.city, is_active=False
        )
        services.propose(
            by=self.staff,
            partner=self.city,
            title="週末の親子の場",
            message="土曜にも開けませんか。",
        )
        self.assertEqual(mail.outbox, [])
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["city@example.jp"]])
        message = mail.outbox[0]
        self.assertIn("特定非営利活動法人ひまわり", message.subject)
        self.assertIn("土曜にも開けませんか。", message.body)
        self.assertRegex(str(message.body), r"/collaborations/\d+/")

    def test_current_partners_are_todays_members_but_not_oneself(self) -> None:
        partners = list(services.current_partners(self.organization))
        self.assertIn(self.other_organization, partners)
        self.assertNotIn(self.organization, partners)
        self.assertEqual(len(partners), 34)


class NotificationTestCase(CollaborationTestCase):
    def test_each_step_emails_the_other_side_and_not_the_one_who_took_it(self) -> None:
        colleague = factory.make_user(
            "colleague@example.jp", User.Role.MEMBER, organization=self.organization
        )
        c = make_collaboration(self.organization, self.city)
        steps = [
            ("accept", self.city_staff, ["colleague@example.jp", "staff@example.jp"], "合意"),
            ("start", self.staff, ["city@example.jp"], "実施中"),
            ("complete", colleague, ["city@example.jp"], "完了"),
        ]
        for action, user, expected, label in steps:
            with self.subTest(action=action):
                mail.outbox.clear()
                services.take_step(c, action, by=user, note="成果：サロンを2回開きました。")
                self.run_tasks()
                self.assertEqual(sorted(a for m in mail.outbox for a in m.to), expected)
                self.assertIn(f"「{label}」", mail.outbox[0].subject)

    def test_a_decline_reason_reaches_the_proposer(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        services.take_step(c, "decline", by=self.other_staff, note="今年度は人手が足りません。")
        self.run_tasks()
        (message,) = self.sent_to("staff@example.jp")
        self.assertIn("今年度は人手が足りません。", message.body)
        self.assertIn("見送り", message.subject)

    def test_a_message_notifies_the_other_side(self) -> None:
        c = make_collaboration(self.organization, self.other_organization, Status.ACCEPTED)
        services.post_message(c, by=self.other_staff, body="来週お電話します。")
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["staff@example.jp"]])
        self.assertIn("来週お電話します。", mail.outbox[0].body)

    def test_an_outsider_cannot_post(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        with self.assertRaises(services.StepRefused):
            services.post_message(c, by=self.city_staff, body="割り込み")
