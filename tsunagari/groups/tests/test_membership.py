"""Joining, leaving and conveners: dated history for the graph, audit events, races."""

from __future__ import annotations

from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.groups import services
from tsunagari.groups.models import GroupMembership
from tsunagari.groups.tests.factory import make_group
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of
from tsunagari.test import MultiRoleTestCase


class JoinTest(MultiRoleTestCase):
    def test_staff_join_for_their_organisation_directly(self) -> None:
        group = make_group()
        self.login(self.staff)
        r = self.client.post(f"/groups/{group.pk}/join/")
        self.assertRedirects(r, f"/groups/{group.pk}/")
        membership = group.memberships.get()
        self.assertEqual(membership.organization, self.organization)
        self.assertEqual(membership.joined_on, timezone.localdate())
        self.assertTrue(AuditEvent.objects.filter(note="join").exists())

    def test_staff_of_two_organisations_say_in_which_capacity(self) -> None:
        group = make_group()
        self.login(self.two_org_staff)
        page = self.client.get(f"/groups/{group.pk}/")
        self.assertContains(page, "どの立場で")
        self.client.post(
            f"/groups/{group.pk}/join/", {"acting_for": str(self.other_organization.pk)}
        )
        self.assertEqual(group.memberships.get().organization, self.other_organization)
        # The other organisation can still join; the member one is no longer offered.
        page = self.client.get(f"/groups/{group.pk}/")
        self.assertContains(page, f"{self.organization.name}として参加する")

    def test_joining_twice_is_refused_kindly(self) -> None:
        group = make_group(self.organization)
        with self.assertRaises(AlreadyChanged):
            services.join(self.staff, group, self.organization)

    def test_people_without_an_organisation_cannot_join(self) -> None:
        group = make_group()
        self.login(self.officer)
        self.assertEqual(self.client.post(f"/groups/{group.pk}/join/").status_code, 403)


class LeaveTest(MultiRoleTestCase):
    def test_leaving_keeps_the_dated_row_and_a_new_join_starts_a_new_one(self) -> None:
        group = make_group(self.organization)
        membership = group.memberships.get()
        self.login(self.staff)
        self.client.post(f"/groups/{group.pk}/members/{membership.pk}/leave/")
        membership.refresh_from_db()
        self.assertEqual(membership.left_on, timezone.localdate())
        self.client.post(f"/groups/{group.pk}/join/")
        self.assertEqual(GroupMembership.objects.filter(group=group).count(), 2)
        self.assertEqual(group.memberships.filter(left_on__isnull=True).count(), 1)

    def test_a_convener_removes_a_member_and_others_may_not(self) -> None:
        group = make_group(self.other_organization, conveners=(self.organization,))
        membership = group.memberships.get(organization=self.other_organization)
        self.login(self.officer)
        url = f"/groups/{group.pk}/members/{membership.pk}/leave/"
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.staff)
        self.client.post(url)
        membership.refresh_from_db()
        self.assertIsNotNone(membership.left_on)
        self.assertTrue(AuditEvent.objects.filter(note="removed").exists())

    def test_leaving_twice_says_it_already_happened(self) -> None:
        group = make_group(self.organization)
        membership = group.memberships.get()
        services.leave(self.staff, membership)
        with self.assertRaises(AlreadyChanged):
            services.leave(self.staff, membership)

    def test_the_secretariat_names_and_drops_conveners(self) -> None:
        group = make_group(self.organization)
        membership = group.memberships.get()
        self.login(self.secretariat)
        url = f"/groups/{group.pk}/members/{membership.pk}/convener/"
        self.client.post(url, {"is_convener": "1"})
        membership.refresh_from_db()
        self.assertTrue(membership.is_convener)
        self.client.post(url, {"is_convener": "0"})
        membership.refresh_from_db()
        self.assertFalse(membership.is_convener)
        self.assertEqual(AuditEvent.objects.filter(object_type="groups.groupmembership").count(), 2)


class JoinRaceTest(RaceTestCase):
    def test_two_staff_joining_at_once_make_one_membership(self) -> None:
        from tsunagari.accounts.models import User
        from tsunagari.members.models import Organization

        organization = Organization.objects.get(roster_no=13)
        people = make_people(2, "race-join", User.Role.MEMBER, organization=organization)
        group = make_group()
        outcomes = at_once([Post(p, f"/groups/{group.pk}/join/") for p in people])
        self.assertEqual([o.status for o in outcomes], [302, 302])
        self.assertEqual(GroupMembership.objects.filter(group=group).count(), 1)
        self.assertIn(
            f"{organization.name}はすでにこの分科会に参加しています。", messages_of(outcomes)
        )
