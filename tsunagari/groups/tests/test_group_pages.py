"""The list of working groups and a group's page: members, conveners, meetings, documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagari.groups.models import WorkingGroup
from tsunagari.groups.tests.factory import make_group
from tsunagari.meetings.models import Meeting, MeetingDocument
from tsunagari.test import BaseTestCase


def make_meeting(group: WorkingGroup, title: str, days: int, **fields: Any) -> Meeting:
    starts = timezone.now() + dt.timedelta(days=days)
    return Meeting.objects.create(
        kind=Meeting.Kind.GROUP,
        group=group,
        title=title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        status=fields.pop("status", Meeting.Status.PUBLISHED),
        **fields,
    )


class GroupListTest(BaseTestCase):
    def test_anyone_sees_names_themes_member_counts_and_conveners(self) -> None:
        group = make_group(
            self.organization, conveners=(self.other_organization,), theme="居場所の続け方"
        )
        r = self.client.get("/groups/")
        self.assertContains(r, group.name)
        self.assertContains(r, "居場所の続け方")
        self.assertContains(r, "参加団体 2団体")
        self.assertContains(r, self.other_organization.name)
        # The group's own page is for signed-in people: no link for anonymous visitors.
        self.assertNotContains(r, f'href="/groups/{group.pk}/"')

    def test_signed_in_people_get_links_to_the_groups(self) -> None:
        group = make_group(self.organization)
        self.login(self.officer)
        self.assertContains(self.client.get("/groups/"), f'href="/groups/{group.pk}/"')

    def test_the_list_reads_a_fixed_number_of_queries(self) -> None:
        for _ in range(5):
            make_group(self.organization, conveners=(self.other_organization,))
        self.client.get("/groups/")  # warm up caches of the chrome
        with self.assertNumQueries(2):
            self.client.get("/groups/")

    def test_left_members_are_not_counted(self) -> None:
        group = make_group(self.organization, self.other_organization)
        group.memberships.filter(organization=self.other_organization).update(
            left_on=timezone.localdate()
        )
        self.assertContains(self.client.get("/groups/"), "参加団体 1団体")


class GroupPageTest(BaseTestCase):
    def test_shows_members_with_conveners_marked(self) -> None:
        group = make_group(self.organization, conveners=(self.other_organization,))
        self.login(self.officer)
        r = self.client.get(f"/groups/{group.pk}/")
        self.assertContains(r, self.organization.name)
        self.assertContains(r, '<span class="badge">世話人</span>', count=1)

    def test_lists_upcoming_and_past_meetings_and_their_documents(self) -> None:
        group = make_group(self.organization)
        coming = make_meeting(group, "次回の分科会", 7)
        held = make_meeting(group, "前回の分科会", -7, status=Meeting.Status.CLOSED)
        make_meeting(group, "下書きの会議", 14, status=Meeting.Status.DRAFT)
        MeetingDocument.objects.create(
            meeting=held,
            title="前回の資料",
            file="meetings/x.pdf",
            content_type="application/pdf",
            size=10,
        )
        self.login(self.staff)
        r = self.client.get(f"/groups/{group.pk}/")
        self.assertEqual(r.context["upcoming"], [coming])
        self.assertEqual(r.context["past"], [held])
        self.assertContains(r, f'href="/meetings/{coming.pk}/"')
        self.assertContains(r, "前回の資料")
        self.assertNotContains(r, "下書きの会議")

    def test_non_members_see_the_page_but_not_the_board(self) -> None:
        group = make_group(self.organization)
        from tsunagari.groups.tests.factory import make_post

        make_post(group, self.staff, body="メンバーだけの話")
        self.login(self.other_staff)
        r = self.client.get(f"/groups/{group.pk}/")
        self.assertNotContains(r, "メンバーだけの話")
        self.assertContains(r, "掲示板は、参加団体の職員と事務局だけが読み書きできます。")

    def test_the_secretariat_creates_and_edits_a_group_with_an_audit_record(self) -> None:
        from tsunagari.audit.models import AuditEvent
        from tsunagari.groups.models import WorkingGroup

        self.login(self.secretariat)
        r = self.client.post(
            "/groups/new/", {"name": "ＡＢＣ分科会", "theme": "学び", "status": "active"}
        )
        group = WorkingGroup.objects.get()
        self.assertRedirects(r, f"/groups/{group.pk}/")
        self.assertEqual(group.name, "ABC分科会")  # full width made plain
        self.client.post(
            f"/groups/{group.pk}/edit/",
            {"name": "ABC分科会", "theme": "学びの場", "status": "active"},
        )
        group.refresh_from_db()
        self.assertEqual(group.theme, "学びの場")
        self.assertEqual(AuditEvent.objects.filter(object_type="groups.workinggroup").count(), 2)

    def test_a_form_with_errors_keeps_what_was_typed(self) -> None:
        self.login(self.secretariat)
        r = self.client.post("/groups/new/", {"name": "書きかけの分科会", "theme": ""})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "書きかけの分科会", status_code=400)
