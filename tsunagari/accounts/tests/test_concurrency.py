"""The secretariat's changes to an account's capacities under concurrency (PostgreSQL, real
threads): the account's row is locked, so adding or removing one capacity many times at
once changes and records it once."""

from __future__ import annotations

from tsunagari import factory
from tsunagari.accounts.models import Affiliation, User
from tsunagari.audit.models import AuditEvent
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of


class CapacityRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.officers = make_people(8, "jimukyoku", User.Role.SECRETARIAT)
        self.organization = Organization.objects.get(roster_no=13)
        self.account = factory.make_user(
            "officer@example.jp",
            User.Role.MUNICIPALITY,
            password=None,
            municipality=Municipality.objects.get(code="142051"),
        )
        self.url = f"/accounts/users/{self.account.pk}/"

    def recorded(self) -> int:
        return AuditEvent.objects.filter(action="update", object_id=str(self.account.pk)).count()

    def test_adding_a_capacity_at_once_adds_it_once(self) -> None:
        data = {"role": "member", "organization": str(self.organization.pk)}
        outcomes = at_once([Post(u, self.url, data) for u in self.officers])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.assertEqual(Affiliation.objects.filter(user=self.account).count(), 1)
        self.assertEqual(self.recorded(), 1)
        self.assertEqual(messages_of(outcomes).count("その立場はすでにあります。"), 7)

    def test_removing_a_capacity_at_once_removes_it_once(self) -> None:
        factory.add_capacities(self.account, organizations=(self.organization,))
        data = {"role": "member", "target": str(self.organization.pk)}
        outcomes = at_once([Post(u, f"{self.url}capacities/remove/", data) for u in self.officers])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.assertFalse(Affiliation.objects.filter(user=self.account).exists())
        self.assertEqual(self.recorded(), 1)
        self.assertEqual(messages_of(outcomes).count("その立場はすでに外されています。"), 7)

    def test_making_someone_secretariat_at_once_records_it_once(self) -> None:
        outcomes = at_once([Post(u, self.url, {"role": "secretariat"}) for u in self.officers])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.account.refresh_from_db()
        self.assertTrue(self.account.secretariat)
        self.assertEqual(self.recorded(), 1)
