"""Collaborations under concurrency (PostgreSQL, real threads): exactly one of many
simultaneous clicks changes the state, records it and mails about it; the others are told
kindly what happened instead. With many parties: one acceptance per organisation, and the
collaboration becomes accepted exactly once when the last two parties accept together."""

from __future__ import annotations

from django.core import mail

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.collaborations import services
from tsunagari.collaborations.models import Collaboration, CollaborationMessage, CollaborationParty
from tsunagari.collaborations.tests.test_services import make_collaboration
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of
from tsunagari.test import run_tasks

Status = Collaboration.Status
Party = CollaborationParty


class CollaborationStepRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.proposer = Organization.objects.get(roster_no=13)
        self.partner = Organization.objects.get(roster_no=14)
        self.proposer_staff = factory.make_user(
            "proposer@example.jp", User.Role.MEMBER, password=None, organization=self.proposer
        )
        self.partner_staff = make_people(20, "partner", User.Role.MEMBER, organization=self.partner)
        self.collaboration = make_collaboration(self.proposer, self.partner)
        self.url = f"/collaborations/{self.collaboration.pk}"

    def steps(self) -> list[str]:
        return list(
            CollaborationMessage.objects.filter(collaboration=self.collaboration)
            .exclude(status=Status.PROPOSED)
            .exclude(status="")
            .values_list("status", flat=True)
        )

    def status_events(self) -> int:
        return AuditEvent.objects.filter(
            action=AuditEvent.Action.STATUS, object_id=str(self.collaboration.pk)
        ).count()

    def test_twenty_accepts_at_once_accept_once(self) -> None:
        outcomes = at_once(
            [Post(u, f"{self.url}/accept/", {"accept-note": ""}) for u in self.partner_staff]
        )
        self.assertEqual([o.status for o in outcomes], [302] * 20)
        self.assertEqual(self.steps(), [Status.ACCEPTED])
        self.assertEqual(self.status_events(), 1)
        run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["proposer@example.jp"]])
        said = messages_of(outcomes)
        self.assertEqual(sum("「合意」にしました" in m for m in said), 1)
        self.assertEqual(said.count("この連携はすでに承諾されています。"), 19, said)

    def test_accepts_and_declines_at_once_make_one_answer(self) -> None:
        posts = [
            Post(u, f"{self.url}/accept/", {"accept-note": ""}) for u in self.partner_staff[:10]
        ] + [
            Post(u, f"{self.url}/decline/", {"decline-note": "今回は見送ります"})
            for u in self.partner_staff[10:]
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 20)
        [step] = self.steps()
        self.collaboration.refresh_from_db()
        self.assertEqual(self.collaboration.status, step)
        self.assertEqual(self.status_events(), 1)
        run_tasks()
        self.assertEqual(len(mail.outbox), 1)
        answers: dict[str, str] = {
            Status.ACCEPTED: "この連携はすでに承諾されています。",
            Status.DECLINED: "この連携はすでに見送られています。",
        }
        already = answers[step]
        self.assertEqual(messages_of(outcomes).count(already), 19)

    def test_completing_twice_at_once_records_one_outcome(self) -> None:
        Collaboration.objects.filter(pk=self.collaboration.pk).update(status=Status.IN_PROGRESS)
        posts = [
            Post(self.proposer_staff, f"{self.url}/complete/", {"complete-note": "10組が参加"}),
            *(
                Post(u, f"{self.url}/complete/", {"complete-note": f"{n}組が参加"})
                for n, u in enumerate(self.partner_staff[:5])
            ),
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 6)
        self.assertEqual(self.steps(), [Status.COMPLETED])
        self.assertEqual(self.status_events(), 1)
        self.assertEqual(messages_of(outcomes).count("この連携はすでに完了しています。"), 5)

    def test_withdrawing_while_the_partner_accepts_leaves_one_answer(self) -> None:
        posts = [
            Post(self.proposer_staff, f"{self.url}/withdraw/", {"withdraw-note": ""}),
            *(Post(u, f"{self.url}/accept/", {"accept-note": ""}) for u in self.partner_staff[:9]),
        ]
        at_once(posts)
        steps = self.steps()
        # Withdrawing an accepted collaboration is allowed, so the proposer may come second.
        self.assertIn(
            steps,
            ([Status.WITHDRAWN], [Status.ACCEPTED], [Status.ACCEPTED, Status.WITHDRAWN]),
        )
        self.assertEqual(self.status_events(), len(steps))


class PartiesRaceTestCase(RaceTestCase):
    """A lead (13) invites a partner (14) and a venue (32)."""

    def setUp(self) -> None:
        self.lead, self.partner, self.venue = (
            Organization.objects.get(roster_no=n) for n in (13, 14, 32)
        )
        self.lead_staff = factory.make_user(
            "lead@example.jp", User.Role.MEMBER, password=None, organization=self.lead
        )
        self.partner_staff = make_people(2, "partner", User.Role.MEMBER, organization=self.partner)
        self.venue_staff = make_people(1, "venue", User.Role.MEMBER, organization=self.venue)
        self.collaboration = services.start_collaboration(
            lead=self.lead,
            parties=[(self.partner, Party.Role.PARTNER), (self.venue, Party.Role.VENUE)],
            title="三者の連携",
            by=self.lead_staff,
        )
        run_tasks()
        mail.outbox.clear()

    def answer_url(self, organization: Organization) -> str:
        party = self.collaboration.parties.get(organization=organization)
        return f"/collaborations/{self.collaboration.pk}/parties/{party.pk}/accept/"

    def test_two_staff_of_one_organisation_accept_it_once(self) -> None:
        url = self.answer_url(self.partner)
        outcomes = at_once([Post(u, url, {}) for u in self.partner_staff])
        self.assertEqual([o.status for o in outcomes], [302, 302])
        party = self.collaboration.parties.get(organization=self.partner)
        self.assertEqual(party.status, Party.Status.ACCEPTED)
        self.assertEqual(
            AuditEvent.objects.filter(
                action=AuditEvent.Action.STATUS, object_id=str(self.collaboration.pk)
            ).count(),
            1,
        )
        run_tasks()
        # One acceptance: the lead's and the venue's staff hear of it once each.
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["lead@example.jp", self.venue_staff[0].email]
        )
        said = messages_of(outcomes)
        self.assertEqual(sum("として参加を承諾しました" in m for m in said), 1)
        self.assertEqual(said.count("あなたの団体はすでに回答しています。"), 1)
        self.collaboration.refresh_from_db()
        self.assertEqual(self.collaboration.status, Status.PROPOSED)

    def test_the_last_two_parties_accepting_at_once_accept_the_collaboration_once(self) -> None:
        outcomes = at_once(
            [
                Post(self.partner_staff[0], self.answer_url(self.partner), {}),
                Post(self.venue_staff[0], self.answer_url(self.venue), {}),
            ]
        )
        self.assertEqual([o.status for o in outcomes], [302, 302])
        self.collaboration.refresh_from_db()
        self.assertEqual(self.collaboration.status, Status.ACCEPTED)
        self.assertEqual(
            list(
                CollaborationMessage.objects.filter(
                    collaboration=self.collaboration, status=Status.ACCEPTED
                ).values_list("status", flat=True)
            ),
            [Status.ACCEPTED],
        )
        self.assertEqual(self.collaboration.parties.filter(status=Party.Status.ACCEPTED).count(), 3)
