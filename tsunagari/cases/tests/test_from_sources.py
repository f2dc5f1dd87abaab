"""A case in one step from a completed collaboration or a meeting's action item: what is
carried over, who may, and that a second click opens the first draft instead of a new one."""

from __future__ import annotations

from tsunagari.cases.models import ModelCase
from tsunagari.collaborations.models import CollaborationParty
from tsunagari.collaborations.tests.test_services import make_collaboration, make_need
from tsunagari.geo.models import Municipality
from tsunagari.meetings.tests.factory import make_action, make_closed
from tsunagari.members.models import Organization
from tsunagari.test import MultiRoleTestCase


class FromCollaborationTest(MultiRoleTestCase):
    def setUp(self) -> None:
        self.city = Organization.objects.get(roster_no=32)  # 小田原市 (行政)
        self.collaboration = make_collaboration(
            self.organization,
            self.city,
            "completed",
            title="【テスト】駅前の見守りカフェ",
            outcome="毎月30人が来るようになった。",
        )
        self.url = f"/cases/new/from-collaboration/{self.collaboration.pk}/"

    def test_partners_area_and_outcome_are_carried_over(self) -> None:
        need = make_need(organization=self.organization)
        need.municipality = Municipality.objects.get(code="142069")  # 小田原市
        need.save()
        self.collaboration.need = need
        self.collaboration.save()
        self.login(self.staff)
        self.assertContains(self.client.get(self.url), "下書きを作る")
        r = self.client.post(self.url)
        case = ModelCase.objects.get()
        self.assertRedirects(r, f"/cases/{case.pk}/edit/")
        self.assertEqual(case.status, ModelCase.Status.DRAFT)
        self.assertEqual(case.collaboration, self.collaboration)
        self.assertEqual(case.title, "【テスト】駅前の見守りカフェ")
        self.assertEqual(case.outcomes, "毎月30人が来るようになった。")
        self.assertEqual(case.organization, self.organization)
        self.assertEqual(
            [(p.organization, p.sector, p.role) for p in case.partners.all()],
            [
                (self.organization, self.organization.sector, "主体"),
                (self.city, "government", "連携先"),
            ],
        )
        self.assertEqual([m.code for m in case.municipalities.all()], ["142069"])
        self.assertIn(" 駅前 ", case.search_tokens)

    def test_only_accepted_parties_are_carried(self) -> None:
        third = Organization.objects.get(roster_no=15)
        CollaborationParty.objects.create(
            collaboration=self.collaboration,
            organization=third,
            role="partner",
            status=CollaborationParty.Status.DECLINED,
        )
        self.login(self.staff)
        self.client.post(self.url)
        self.assertNotIn(third.name, [p.name for p in ModelCase.objects.get().partners.all()])

    def test_a_second_click_opens_the_first_draft(self) -> None:
        self.login(self.staff)
        self.client.post(self.url)
        r = self.client.post(self.url)
        case = ModelCase.objects.get()
        self.assertRedirects(r, f"/cases/{case.pk}/")
        self.assertContains(self.client.get(self.url), "すでにあります")

    def test_an_unfinished_collaboration_is_not_a_case_yet(self) -> None:
        open_one = make_collaboration(self.organization, self.city, "in_progress")
        self.login(self.staff)
        r = self.client.post(f"/cases/new/from-collaboration/{open_one.pk}/")
        self.assertRedirects(r, f"/collaborations/{open_one.pk}/", fetch_redirect_response=False)
        self.assertFalse(ModelCase.objects.exists())

    def test_outsiders_may_not_and_the_secretariat_may(self) -> None:
        self.login(self.other_staff)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.login(self.secretariat)
        self.client.post(self.url)
        self.assertIsNone(ModelCase.objects.get().organization)

    def test_the_completed_collaboration_links_to_it(self) -> None:
        self.login(self.staff)
        r = self.client.get(f"/collaborations/{self.collaboration.pk}/")
        self.assertContains(r, self.url)


class FromActionTest(MultiRoleTestCase):
    def setUp(self) -> None:
        meeting = make_closed(
            attending=[self.organization, self.other_organization],
            municipality=self.municipality,
        )
        self.item = make_action(meeting, self.organization, text="【テスト】空き家で茶話会を開く")
        self.url = f"/cases/new/from-action/{self.item.pk}/"

    def test_text_attendees_and_municipality_are_carried_over(self) -> None:
        self.login(self.staff)
        self.client.post(self.url)
        case = ModelCase.objects.get()
        self.assertEqual(case.action_item, self.item)
        self.assertEqual(case.title, "【テスト】空き家で茶話会を開く")
        self.assertIn("空き家で茶話会を開く", case.issue)
        self.assertCountEqual(
            [p.organization for p in case.partners.all()],
            [self.organization, self.other_organization],
        )
        self.assertEqual([m.code for m in case.municipalities.all()], ["142051"])

    def test_other_staff_may_not_and_twice_makes_one(self) -> None:
        self.login(self.other_staff)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.login(self.secretariat)
        self.client.post(self.url)
        self.client.post(self.url)
        self.assertEqual(ModelCase.objects.count(), 1)

    def test_the_candidates_list_links_to_it(self) -> None:
        from django.utils import timezone

        self.item.case_candidate_at = timezone.now()
        self.item.save()
        self.login(self.secretariat)
        self.assertContains(self.client.get("/meetings/case-candidates/"), self.url)
