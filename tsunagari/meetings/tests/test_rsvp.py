"""Answering for an organisation: people and names, changes until the deadline, capacity."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tsunagari.meetings.models import Rsvp
from tsunagari.meetings.tests.factory import make_meeting, make_rsvp
from tsunagari.test import MultiRoleTestCase


class RsvpTests(MultiRoleTestCase):
    def test_staff_answers_for_their_organisation_with_people_and_names(self) -> None:
        meeting = make_meeting(capacity=10)
        self.login(self.staff)
        r = self.client.post(
            f"/meetings/{meeting.pk}/rsvp/",
            {"status": "attending", "people": "２", "names": "山田\n佐藤"},
        )
        self.assertRedirects(r, f"/meetings/{meeting.pk}/")
        rsvp = Rsvp.objects.get(meeting=meeting)
        self.assertEqual((rsvp.organization, rsvp.people), (self.organization, 2))
        self.assertEqual(rsvp.names, "山田\n佐藤")

    def test_a_second_answer_changes_the_first(self) -> None:
        meeting = make_meeting()
        make_rsvp(meeting, self.organization, people=3)
        self.login(self.staff)
        self.client.post(f"/meetings/{meeting.pk}/rsvp/", {"status": "declined"})
        rsvp = Rsvp.objects.get(meeting=meeting)
        self.assertEqual((rsvp.status, rsvp.people), ("declined", 0))

    def test_someone_with_two_organisations_is_asked_as_whom(self) -> None:
        meeting = make_meeting()
        self.login(self.two_org_staff)
        page = self.client.get(f"/meetings/{meeting.pk}/")
        self.assertContains(page, "どの立場で")
        r = self.client.post(
            f"/meetings/{meeting.pk}/rsvp/", {"status": "attending", "people": "1"}
        )
        self.assertEqual(r.status_code, 400)
        self.client.post(
            f"/meetings/{meeting.pk}/rsvp/",
            {"acting_for": self.other_organization.pk, "status": "attending", "people": "1"},
        )
        self.assertEqual(Rsvp.objects.get(meeting=meeting).organization, self.other_organization)

    def test_over_the_capacity_is_refused_kindly(self) -> None:
        meeting = make_meeting(capacity=3)
        make_rsvp(meeting, self.other_organization, people=2)
        self.login(self.staff)
        r = self.client.post(
            f"/meetings/{meeting.pk}/rsvp/", {"status": "attending", "people": "2"}, follow=True
        )
        self.assertContains(r, "残り1人")
        self.assertFalse(Rsvp.objects.filter(organization=self.organization).exists())

    def test_after_the_deadline_answers_are_refused(self) -> None:
        meeting = make_meeting(rsvp_deadline=timezone.now() - dt.timedelta(hours=1))
        self.login(self.staff)
        r = self.client.post(
            f"/meetings/{meeting.pk}/rsvp/", {"status": "attending", "people": "1"}, follow=True
        )
        self.assertContains(r, "締め切りました")
        self.assertFalse(Rsvp.objects.exists())

    def test_the_online_link_is_shown_only_to_attending_organisations(self) -> None:
        meeting = make_meeting(format="online", venue="", online_url="https://meet.example.jp/x")
        self.login(self.staff)
        self.assertNotContains(self.client.get(f"/meetings/{meeting.pk}/"), "meet.example.jp/x")
        make_rsvp(meeting, self.organization)
        self.assertContains(self.client.get(f"/meetings/{meeting.pk}/"), "meet.example.jp/x")


class CancelTests(MultiRoleTestCase):
    def test_the_organiser_cancels_and_attending_organisations_are_told(self) -> None:
        meeting = make_meeting(kind="member", organization=self.organization)
        make_rsvp(meeting, self.other_organization)
        self.login(self.staff)
        r = self.client.post(f"/meetings/{meeting.pk}/cancel/", follow=True)
        self.assertContains(r, "この会議は中止になりました")
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, "cancelled")
        self.client.post(f"/meetings/{meeting.pk}/rsvp/", {"status": "attending", "people": "1"})
        self.assertFalse(meeting.rsvps.filter(organization=self.organization).exists())
        self.run_tasks()
        [message] = self.sent_to("other@example.jp")
        self.assertIn("中止", message.subject)
