"""The meetings list, the organiser's form, documents, calendars, reminders, the API, the sample."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from tsunagari.meetings.models import Meeting, MeetingDocument
from tsunagari.meetings.sample import load_sample_meetings
from tsunagari.meetings.services import feed_token, send_reminders
from tsunagari.meetings.tests.factory import make_meeting, make_rsvp
from tsunagari.test import BaseTestCase


class ListTests(BaseTestCase):
    def test_the_list_shows_upcoming_and_past_meetings_in_few_queries(self) -> None:
        for n in range(4):
            meeting = make_meeting(f"会議{n}", days=n + 1)
            make_rsvp(meeting, self.organization, people=2)
        make_meeting("終わった会議", days=-3)
        self.login(self.staff)
        with self.assertNumQueries(7):
            r = self.client.get("/meetings/")
        self.assertContains(r, "会議3")
        self.assertContains(r, "終わった会議")
        self.assertContains(r, "令和")
        self.assertContains(r, feed_token(self.organization))

    def test_anonymous_visitors_see_only_titles_and_dates_of_network_meetings(self) -> None:
        make_meeting("ネットワークの会議", online_url="https://meet.example.jp/secret")
        make_meeting("団体の会議", kind="member", organization=self.organization)
        r = self.client.get("/meetings/")
        self.assertContains(r, "ネットワークの会議")
        self.assertNotContains(r, "団体の会議")
        self.assertNotContains(r, "meet.example.jp")

    def test_a_council_meeting_is_hidden_from_others(self) -> None:
        from tsunagari.councils.models import LocalCouncil

        council = LocalCouncil.objects.create(
            municipality=self.municipality,
            name="協議会",
            coordinating_body="市",
            established_on=dt.date(2025, 4, 1),
        )
        make_meeting("個別事例の検討会", kind="council", council=council)
        self.login(self.other_staff)
        self.assertNotContains(self.client.get("/meetings/"), "個別事例の検討会")
        self.login(self.officer)
        self.assertContains(self.client.get("/meetings/"), "個別事例の検討会")


class OrganiserTests(BaseTestCase):
    def data(self, **overrides: str) -> dict[str, str]:
        data = {
            "title": "団体の勉強会",
            "format": "hybrid",
            "venue": "公民館",
            "online_url": "https://meet.example.jp/a",
            "day": "2031-06-01",
            "start_time": "14:00",
            "end_time": "16:00",
            "capacity": "20",
            "publish": "on",
            "agenda-TOTAL_FORMS": "1",
            "agenda-INITIAL_FORMS": "0",
            "agenda-0-title": "取組の紹介",
            "agenda-0-presenter": "山田",
        }
        data.update(overrides)
        return data

    def test_staff_organise_a_meeting_of_their_organisation_with_an_agenda(self) -> None:
        self.login(self.staff)
        r = self.client.post("/meetings/new/", self.data(kind="member"))
        meeting = Meeting.objects.get()
        self.assertRedirects(r, f"/meetings/{meeting.pk}/")
        self.assertEqual((meeting.kind, meeting.organization), ("member", self.organization))
        self.assertEqual(meeting.agenda.get().presenter, "山田")

    def test_officers_organise_municipal_meetings_for_their_municipality(self) -> None:
        self.login(self.officer)
        self.client.post("/meetings/new/", self.data(kind="municipal"))
        self.assertEqual(Meeting.objects.get().municipality, self.municipality)

    def test_a_council_meeting_has_confidential_minutes_by_default(self) -> None:
        from tsunagari.councils.models import LocalCouncil

        council = LocalCouncil.objects.create(
            municipality=self.municipality,
            name="協議会",
            coordinating_body="市",
            established_on=dt.date(2025, 4, 1),
        )
        self.login(self.officer)
        self.client.post("/meetings/new/", self.data(kind="council", council=str(council.pk)))
        self.assertTrue(Meeting.objects.get().confidential)

    def test_staff_cannot_hold_a_network_meeting(self) -> None:
        self.login(self.staff)
        r = self.client.post("/meetings/new/", self.data(kind="network"))
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Meeting.objects.exists())

    def test_in_person_needs_a_venue_and_online_a_link(self) -> None:
        self.login(self.staff)
        r = self.client.post("/meetings/new/", self.data(kind="member", venue="", online_url=""))
        self.assertContains(r, "会場を選ぶか", status_code=400)
        self.assertContains(r, "オンライン参加のURLを入力してください", status_code=400)


@override_settings(MEETING_DOCUMENT_MAX_MB=1)
class DocumentTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.meeting = make_meeting(kind="member", organization=self.organization)
        self.login(self.staff)

    def upload(self, name: str, content: bytes) -> None:
        self.client.post(
            f"/meetings/{self.meeting.pk}/documents/",
            {"title": "", "file": SimpleUploadedFile(name, content)},
        )

    def test_a_pdf_and_slides_are_attached_and_served_as_downloads(self) -> None:
        self.upload("shiryo.pdf", b"%PDF-1.7 content")
        self.upload("slides.pptx", b"PK\x03\x04 zip")
        self.assertEqual(MeetingDocument.objects.count(), 2)
        document = MeetingDocument.objects.get(title="shiryo.pdf")
        self.login(self.other_staff)
        r = self.client.get(f"/meetings/documents/{document.pk}/")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r["Content-Disposition"].startswith("attachment"))
        self.assertEqual(r["X-Content-Type-Options"], "nosniff")

    def test_a_file_whose_content_does_not_match_its_extension_is_refused(self) -> None:
        self.upload("fake.pdf", b"<html>not a pdf</html>")
        self.upload("script.html", b"<script></script>")
        self.assertFalse(MeetingDocument.objects.exists())

    def test_a_file_over_the_limit_is_refused(self) -> None:
        self.upload("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
        self.assertFalse(MeetingDocument.objects.exists())


class CalendarTests(BaseTestCase):
    def test_a_meeting_ics_has_the_event_without_the_online_link(self) -> None:
        meeting = make_meeting(
            "情報交換会", format="hybrid", online_url="https://meet.example.jp/z"
        )
        self.login(self.staff)
        r = self.client.get(f"/meetings/{meeting.pk}.ics")
        body = r.content.decode()
        self.assertIn("BEGIN:VEVENT", body)
        self.assertIn("情報交換会", body)
        self.assertNotIn("meet.example.jp", body)

    def test_the_member_feed_lists_invited_meetings_and_refuses_forged_tokens(self) -> None:
        make_meeting("みんなの会議")
        make_meeting("下書き", status="draft")
        r = self.client.get(f"/meetings/feed/{feed_token(self.organization)}.ics")
        self.assertIn("みんなの会議", r.content.decode())
        self.assertNotIn("下書き", r.content.decode())
        self.assertEqual(
            self.client.get(f"/meetings/feed/{self.organization.pk}:x.ics").status_code, 404
        )


class ReminderTests(BaseTestCase):
    def test_attending_organisations_are_reminded_once_the_day_before(self) -> None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        starts = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(14)))
        meeting = make_meeting(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
        make_rsvp(meeting, self.organization)
        make_rsvp(meeting, self.other_organization, status="declined")
        self.assertEqual(send_reminders(), 1)
        self.assertEqual(send_reminders(), 0)
        self.run_tasks()
        [message] = self.sent_to("staff@example.jp")
        self.assertIn(meeting.title, message.subject)
        self.assertEqual(self.sent_to("other@example.jp"), [])


class ApiAndSampleTests(BaseTestCase):
    def test_the_api_lists_upcoming_network_meetings_without_links(self) -> None:
        make_meeting("公開の会議", online_url="https://meet.example.jp/q")
        make_meeting("団体の会議", kind="member", organization=self.organization)
        r = self.client.get("/api/v1/meetings")
        self.assertEqual([m["title"] for m in r.json()], ["公開の会議"])
        self.assertNotIn("meet.example.jp", r.content.decode())

    def test_the_sample_is_made_once(self) -> None:
        from tsunagari.directory.sample import load_sample_organizations

        load_sample_organizations()
        self.assertTrue(load_sample_meetings())
        self.assertEqual(load_sample_meetings(), [])
        closed = Meeting.objects.get(status="closed")
        self.assertTrue(closed.action_items.filter(due_on__lt=timezone.localdate()).exists())
        self.assertEqual(Meeting.objects.filter(is_sample=True).count(), 3)


class EditTests(BaseTestCase):
    def test_the_organiser_edits_the_meeting_and_its_agenda(self) -> None:
        meeting = make_meeting("古い名前", kind="member", organization=self.organization)
        self.login(self.staff)
        form = self.client.get(f"/meetings/{meeting.pk}/edit/")
        self.assertEqual(form.context["form"].initial["publish"], True)
        r = self.client.post(
            f"/meetings/{meeting.pk}/edit/",
            {
                "title": "新しい名前",
                "format": "in_person",
                "venue": "公民館",
                "day": "2031-07-01",
                "start_time": "10:00",
                "end_time": "11:30",
                "publish": "on",
                "agenda-TOTAL_FORMS": "1",
                "agenda-INITIAL_FORMS": "0",
                "agenda-0-title": "近況報告",
            },
        )
        self.assertRedirects(r, f"/meetings/{meeting.pk}/", fetch_redirect_response=False)
        meeting.refresh_from_db()
        self.assertEqual(meeting.title, "新しい名前")
        self.assertEqual(timezone.localtime(meeting.starts_at).hour, 10)
        self.assertEqual(meeting.agenda.get().title, "近況報告")

    def test_a_closed_meeting_cannot_be_edited(self) -> None:
        from tsunagari.meetings.tests.factory import make_closed

        meeting = make_closed(make_meeting(kind="member", organization=self.organization, days=-2))
        self.login(self.staff)
        self.assertEqual(self.client.get(f"/meetings/{meeting.pk}/edit/").status_code, 404)
