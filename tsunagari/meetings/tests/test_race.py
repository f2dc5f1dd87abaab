"""Many organisations pressing 「出欠を答える」 at once (PostgreSQL only): the seats are
never over-booked, and exactly the capacity is filled."""

from __future__ import annotations

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.meetings.models import Rsvp
from tsunagari.meetings.services import seats_taken
from tsunagari.meetings.tests.factory import make_meeting
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once

N = 8
CAPACITY = 5


class RsvpRaceTests(RaceTestCase):
    def test_many_organisations_at_once_fill_exactly_the_seats(self) -> None:
        meeting = make_meeting(capacity=CAPACITY)
        organizations = list(Organization.objects.order_by("roster_no")[:N])
        people = [
            factory.make_user(f"race{n}@example.jp", User.Role.MEMBER, organization=o)
            for n, o in enumerate(organizations)
        ]
        url = f"/meetings/{meeting.pk}/rsvp/"
        outcomes = at_once([Post(p, url, {"status": "attending", "people": "1"}) for p in people])
        self.assertEqual([o.status for o in outcomes], [302] * N)
        self.assertEqual(seats_taken(meeting), CAPACITY)
        self.assertEqual(Rsvp.objects.filter(meeting=meeting).count(), CAPACITY)
        refused = [o for o in outcomes if any("定員" in m for m in o.messages)]
        self.assertEqual(len(refused), N - CAPACITY)
