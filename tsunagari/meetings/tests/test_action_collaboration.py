"""An action item becomes a collaboration in one step: its owner leads, organisations that
attended the meeting are invited, and the item keeps the link."""

from __future__ import annotations

from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.meetings.models import ActionItem
from tsunagari.meetings.tests.factory import make_action, make_closed
from tsunagari.members.models import Organization
from tsunagari.test import BaseTestCase


class ActionToCollaborationTests(BaseTestCase):
    def setUp(self) -> None:
        self.third = Organization.objects.get(roster_no=15)
        self.meeting = make_closed(
            attending=(self.organization, self.other_organization, self.third)
        )
        self.item = make_action(self.meeting, self.organization, text="【テスト】合同で食堂を開く")
        self.url = f"/meetings/actions/{self.item.pk}/collaboration/"

    def test_the_owner_starts_a_three_party_collaboration_and_the_item_keeps_the_link(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertContains(r, self.other_organization.name)
        self.assertContains(r, "【テスト】合同で食堂を開く")
        r = self.client.post(
            self.url,
            {
                "title": "【テスト】合同の食堂",
                "partners": [self.other_organization.pk, self.third.pk],
            },
        )
        collaboration = Collaboration.objects.get()
        self.assertRedirects(
            r, f"/collaborations/{collaboration.pk}/", fetch_redirect_response=False
        )
        self.item.refresh_from_db()
        self.assertEqual(self.item.collaboration, collaboration)
        parties = {
            p.organization_id: (p.role, p.status)
            for p in CollaborationParty.objects.filter(collaboration=collaboration)
        }
        self.assertEqual(
            parties,
            {
                self.organization.pk: ("lead", "accepted"),
                self.other_organization.pk: ("partner", "invited"),
                self.third.pk: ("partner", "invited"),
            },
        )
        self.run_tasks()
        self.assertTrue(self.sent_to(self.other_staff.email))
        r = self.client.get("/meetings/actions/")
        self.assertContains(r, f"/collaborations/{collaboration.pk}/")

    def test_a_second_try_goes_to_the_collaboration_already_made(self) -> None:
        self.login(self.staff)
        data = {"title": "【テスト】合同の食堂", "partners": [self.other_organization.pk]}
        self.client.post(self.url, data)
        r = self.client.post(self.url, data)
        collaboration = Collaboration.objects.get()
        self.assertRedirects(
            r, f"/collaborations/{collaboration.pk}/", fetch_redirect_response=False
        )

    def test_only_organisations_that_attended_can_be_invited(self) -> None:
        outsider = Organization.objects.get(roster_no=16)
        self.login(self.staff)
        r = self.client.post(self.url, {"title": "【テスト】外の団体と", "partners": [outsider.pk]})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "【テスト】外の団体と", status_code=400)  # what was typed stays
        self.assertFalse(Collaboration.objects.exists())

    def test_the_secretariat_picks_a_lead_for_its_own_items(self) -> None:
        item = make_action(self.meeting, None, text="【テスト】事務局の宿題")
        url = f"/meetings/actions/{item.pk}/collaboration/"
        self.login(self.secretariat)
        r = self.client.post(url, {"title": "【テスト】連携", "partners": [self.third.pk]})
        self.assertEqual(r.status_code, 400)
        r = self.client.post(
            url,
            {
                "title": "【テスト】連携",
                "lead": self.other_organization.pk,
                "partners": [self.third.pk],
            },
        )
        collaboration = Collaboration.objects.get()
        self.assertEqual(collaboration.proposer, self.other_organization)
        self.assertEqual(ActionItem.objects.get(pk=item.pk).collaboration, collaboration)

    def test_staff_of_another_organisation_may_not(self) -> None:
        self.login(self.other_staff)
        r = self.client.post(self.url, {"title": "x", "partners": [self.third.pk]})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Collaboration.objects.exists())
