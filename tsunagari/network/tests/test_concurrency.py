"""Introductions under concurrency (PostgreSQL, real threads): of many people asking for
the same pair, or deciding the same request, at the same moment, one wins and the others
are told kindly."""

from __future__ import annotations

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.members.models import Organization
from tsunagari.network.models import IntroductionRequest
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of


class IntroductionRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.organization = Organization.objects.get(roster_no=13)
        self.other = Organization.objects.get(roster_no=14)

    def test_asking_for_the_same_pair_at_once_opens_one_request(self) -> None:
        ours = make_people(4, "staff13", User.Role.MEMBER, organization=self.organization)
        theirs = make_people(4, "staff14", User.Role.MEMBER, organization=self.other)
        posts = [
            Post(u, "/network/introductions/ask/", {"to_organization": self.other.pk}) for u in ours
        ] + [
            Post(u, "/network/introductions/ask/", {"to_organization": self.organization.pk})
            for u in theirs
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * len(posts))
        self.assertEqual(IntroductionRequest.objects.count(), 1)
        said = messages_of(outcomes)
        self.assertEqual(sum("すでに依頼されています" in m for m in said), len(posts) - 1)

    def test_deciding_at_once_decides_once(self) -> None:
        asked = IntroductionRequest.objects.create(
            from_organization=self.organization, to_organization=self.other
        )
        people = make_people(6, "jimukyoku", User.Role.SECRETARIAT)
        url = f"/secretariat/network/introductions/{asked.pk}/decide/"
        outcomes = at_once([Post(u, url, {"status": "introduced"}) for u in people])
        self.assertEqual([o.status for o in outcomes], [302] * len(people))
        events = AuditEvent.objects.filter(
            object_type="network.introductionrequest", action=AuditEvent.Action.STATUS
        )
        self.assertEqual(events.count(), 1)
        said = messages_of(outcomes)
        self.assertEqual(sum("すでに「紹介済み」" in m for m in said), len(people) - 1)
