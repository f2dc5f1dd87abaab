"""Closing a meeting with its minutes; the minutes page and PDF; confidential minutes."""

from __future__ import annotations

from unittest import mock

from tsunagari.audit.models import AuditEvent
from tsunagari.meetings.models import ActionItem, Meeting
from tsunagari.meetings.tests.factory import make_closed, make_meeting, make_rsvp
from tsunagari.test import BaseTestCase


def close_data(**overrides: str) -> dict[str, str]:
    data = {
        "minutes": "各団体から報告があった。",
        "decisions": "次回は3月。",
        "attendee_count": "7",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-0-text": "居場所の一覧を作る",
        "actions-0-owner": "",
        "actions-0-owner_name": "山田",
        "actions-0-due_on": "2030-01-31",
        "actions-1-text": "",
    }
    data.update(overrides)
    return data


class ClosingTests(BaseTestCase):
    def test_the_organiser_closes_with_minutes_attendance_and_action_items(self) -> None:
        meeting = make_meeting(days=-1, kind="member", organization=self.organization)
        make_rsvp(meeting, self.other_organization, people=3)
        self.login(self.staff)
        form = self.client.get(f"/meetings/{meeting.pk}/close/")
        self.assertEqual(form.context["form"].initial["attending"], [self.other_organization.pk])
        data = close_data(**{"actions-0-owner": str(self.other_organization.pk)})
        data["attending"] = [str(self.other_organization.pk)]  # type: ignore[assignment]
        r = self.client.post(f"/meetings/{meeting.pk}/close/", data)
        self.assertRedirects(r, f"/meetings/{meeting.pk}/minutes/")
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.CLOSED)
        self.assertEqual(meeting.attendee_count, 7)
        self.assertEqual(list(meeting.attending_organizations.all()), [self.other_organization])
        item = ActionItem.objects.get(meeting=meeting)
        self.assertEqual(
            (item.owner_organization, item.owner_name), (self.other_organization, "山田")
        )

    def test_minutes_and_attendee_count_are_required(self) -> None:
        meeting = make_meeting(days=-1)
        self.login(self.secretariat)
        r = self.client.post(
            f"/meetings/{meeting.pk}/close/", close_data(minutes="", attendee_count="")
        )
        self.assertContains(r, "議事録を入力してください", status_code=400)
        self.assertContains(r, "出席者数を入力してください", status_code=400)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.PUBLISHED)

    def test_a_meeting_not_started_yet_cannot_be_closed(self) -> None:
        meeting = make_meeting(days=2)
        self.login(self.secretariat)
        r = self.client.post(f"/meetings/{meeting.pk}/close/", close_data(), follow=True)
        self.assertContains(r, "開始後")
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.PUBLISHED)

    def test_a_second_close_is_refused_kindly(self) -> None:
        meeting = make_meeting(days=-1)
        self.login(self.secretariat)
        self.client.post(f"/meetings/{meeting.pk}/close/", close_data())
        r = self.client.post(f"/meetings/{meeting.pk}/close/", close_data(), follow=True)
        self.assertContains(r, "開始後で終了処理の前")
        self.assertEqual(ActionItem.objects.filter(meeting=meeting).count(), 1)

    def test_confidential_minutes_are_refused_to_a_non_attendee(self) -> None:
        meeting = make_closed(attending=[self.organization], confidential=True)
        self.login(self.other_staff)
        self.assertEqual(self.client.get(f"/meetings/{meeting.pk}/minutes/").status_code, 403)
        self.assertEqual(self.client.get(f"/meetings/{meeting.pk}/minutes.pdf").status_code, 403)
        detail = self.client.get(f"/meetings/{meeting.pk}/")
        self.assertContains(detail, "出席した団体と事務局だけが読めます")

    def test_every_read_of_confidential_minutes_is_audited(self) -> None:
        meeting = make_closed(attending=[self.organization], confidential=True)
        self.login(self.staff)
        self.assertContains(self.client.get(f"/meetings/{meeting.pk}/minutes/"), "議事の記録です")
        r = self.client.get(f"/meetings/{meeting.pk}/minutes.pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        reads = AuditEvent.objects.filter(
            object_type="meetings.meeting", object_id=str(meeting.pk), actor=self.staff
        )
        self.assertEqual(reads.count(), 2)

    def test_open_minutes_are_not_audited_and_read_by_everyone_in_the_network(self) -> None:
        meeting = make_closed(attending=[self.organization])
        self.login(self.officer)
        self.assertContains(self.client.get(f"/meetings/{meeting.pk}/minutes/"), "議事の記録です")
        self.assertFalse(AuditEvent.objects.filter(object_type="meetings.meeting").exists())

    def test_the_pdf_holds_the_title_wareki_date_attendees_and_actions(self) -> None:
        from tsunagari.meetings import minutes_pdf
        from tsunagari.meetings.tests.factory import make_action
        from tsunagari.meetings.views import _minutes_context

        meeting = make_closed(attending=[self.organization], decisions="決定の内容")
        make_action(meeting, self.organization, text="資料をまとめる")
        with mock.patch("django.utils.translation.get_language", return_value="ja"):
            doc = minutes_pdf.build(_minutes_context(meeting))
        text = "\n".join(doc.drawn)
        self.assertIn(meeting.title, text)
        self.assertIn("令和", text)
        self.assertIn(self.organization.name, text)
        self.assertIn("決定の内容", text)
        self.assertIn("資料をまとめる", text)
