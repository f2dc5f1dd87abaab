"""Action items: the list of due and not done, turning one into a need or a model-case
candidate, marking done; the weekly digest."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from tsunagari.matching.models import Need
from tsunagari.matching.tests.test_needs import need_data
from tsunagari.meetings.models import ActionItem
from tsunagari.meetings.services import send_action_digest
from tsunagari.meetings.tests.factory import make_action, make_closed
from tsunagari.test import BaseTestCase


class ActionItemTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.meeting = make_closed()

    def test_staff_see_their_organisations_items_by_due_date_overdue_highlighted(self) -> None:
        later = make_action(self.meeting, self.organization, due_in=5, text="あとでやる")
        overdue = make_action(self.meeting, self.organization, due_in=-2, text="遅れている")
        make_action(self.meeting, self.other_organization, text="よその団体の項目")
        make_action(self.meeting, self.organization, text="終わった", done_at=timezone.now())
        self.login(self.staff)
        with self.assertNumQueries(3):
            r = self.client.get("/meetings/actions/")
        body = r.content.decode()
        self.assertLess(body.index(overdue.text), body.index(later.text))
        self.assertContains(r, 'class="overdue"')
        self.assertNotContains(r, "よその団体の項目")
        self.assertNotContains(r, "終わった")

    def test_the_secretariat_sees_every_open_item(self) -> None:
        for n in range(5):
            make_action(self.meeting, self.other_organization if n % 2 else None, text=f"項目{n}")
        self.login(self.secretariat)
        with self.assertNumQueries(3):
            r = self.client.get("/meetings/actions/")
        self.assertContains(r, "項目4")

    def test_an_item_becomes_a_need_of_its_owner_keeping_the_link(self) -> None:
        item = make_action(self.meeting, self.organization, text="週末の居場所を探す")
        self.login(self.staff)
        form = self.client.get(f"/meetings/actions/{item.pk}/need/")
        self.assertContains(form, "週末の居場所を探す")
        r = self.client.post(f"/meetings/actions/{item.pk}/need/", need_data())
        need = Need.objects.get()
        self.assertRedirects(r, f"/needs/{need.pk}/", fetch_redirect_response=False)
        item.refresh_from_db()
        self.assertEqual(item.need, need)
        self.assertEqual(need.organization, self.organization)

    def test_an_item_becomes_a_model_case_candidate_listed_for_the_secretariat(self) -> None:
        item = make_action(self.meeting, self.organization, text="好事例になりそう")
        self.login(self.staff)
        self.client.post(f"/meetings/actions/{item.pk}/case/")
        item.refresh_from_db()
        self.assertIsNotNone(item.case_candidate_at)
        self.login(self.secretariat)
        with self.assertNumQueries(3):
            r = self.client.get("/meetings/case-candidates/")
        self.assertContains(r, "好事例になりそう")

    def test_the_owner_marks_an_item_done(self) -> None:
        item = make_action(self.meeting, self.organization)
        self.login(self.staff)
        self.client.post(f"/meetings/actions/{item.pk}/done/")
        item.refresh_from_db()
        self.assertIsNotNone(item.done_at)

    def test_the_weekly_digest_mails_owners_once_a_week(self) -> None:
        make_action(self.meeting, self.organization, due_in=-3, text="遅れている項目")
        make_action(self.meeting, self.organization, due_in=30, text="まだ先の項目")
        make_action(self.meeting, None, due_in=-3, text="事務局の項目")
        self.assertEqual(send_action_digest(), 1)
        self.assertEqual(send_action_digest(), 0)
        self.run_tasks()
        [message] = self.sent_to("staff@example.jp")
        self.assertIn("遅れている項目", message.body)
        self.assertNotIn("まだ先の項目", message.body)
        self.assertEqual(len(mail.outbox), 1)
        next_week = timezone.now() + dt.timedelta(days=7)
        self.assertEqual(send_action_digest(next_week), 1)
        self.assertEqual(ActionItem.objects.filter(last_reminded_at__isnull=False).count(), 1)
