"""Introductions: suggestions with a reason, asking the secretariat, deciding."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.audit.models import AuditEvent
from tsunagari.factory import add_capacities, make_resource
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.network import introductions as services
from tsunagari.network.models import IntroductionRequest
from tsunagari.network.tests.factory import attend, make_member
from tsunagari.test import BaseTestCase

PAGE = "/network/introductions/"
ASK = "/network/introductions/ask/"


class SuggestionTests(BaseTestCase):
    def setUp(self) -> None:
        self.a = make_member("【テスト】団体A", municipalities=("142051",))
        self.b = make_member("【テスト】団体B", municipalities=("142051",))
        self.c = make_member("【テスト】団体C", municipalities=("141003",))
        make_resource("【テスト】居場所A", organization=self.a, targets=("koreisha",))
        make_resource("【テスト】居場所B", organization=self.b, targets=("koreisha",))
        make_resource(
            "【テスト】居場所C", organization=self.c, municipality="141003", kinds=("ibasho",)
        )

    def names(self, organization_id: int) -> list[str]:
        return [s.organization.name for s in services.suggestions_for(organization_id)]

    def test_it_suggests_members_sharing_area_targets_and_kinds_with_the_reason(self) -> None:
        found = services.suggestions_for(self.a.pk)
        self.assertEqual(found[0].organization.name, "【テスト】団体B")
        self.assertEqual(found[0].reason, "同じ藤沢市で高齢者の居場所を運営、まだ接点なし")

    def test_a_shared_kind_alone_is_a_weaker_suggestion(self) -> None:
        names = self.names(self.a.pk)
        self.assertLess(names.index("【テスト】団体B"), names.index("【テスト】団体C"))
        reason = next(
            s.reason for s in services.suggestions_for(self.a.pk) if s.organization.id == self.c.pk
        )
        self.assertEqual(reason, "同じく居場所を運営、まだ接点なし")

    def test_members_already_tied_are_not_suggested(self) -> None:
        attend(self.a, self.b, on=date(2025, 5, 1))
        self.assertNotIn("【テスト】団体B", self.names(self.a.pk))

    def test_the_reason_is_in_english_for_english_readers(self) -> None:
        from django.utils import translation

        with translation.override("en"):
            reason = services.suggestions_for(self.a.pk)[0].reason
        self.assertIn("Fujisawa", reason)
        self.assertIn("no tie yet", reason)


class AskingTests(BaseTestCase):
    def setUp(self) -> None:
        make_resource("【テスト】居場所13", organization=self.organization, targets=("koreisha",))
        make_resource(
            "【テスト】居場所14", organization=self.other_organization, targets=("koreisha",)
        )

    def test_staff_see_their_suggestions_with_few_queries(self) -> None:
        self.login(self.staff)
        with CaptureQueriesContext(connection) as queries:
            r = self.client.get(PAGE)
        self.assertContains(r, self.other_organization.name)
        self.assertContains(r, "高齢者の居場所を運営、まだ接点なし")
        for i in range(3):
            other = make_member(f"【テスト】追加{i}")
            make_resource(f"【テスト】追加の居場所{i}", organization=other, targets=("koreisha",))
            IntroductionRequest.objects.create(
                from_organization=self.organization, to_organization=other
            )
        with self.assertNumQueries(len(queries)):
            self.client.get(PAGE)

    def test_staff_ask_for_an_introduction_and_the_secretariat_hears_of_it(self) -> None:
        self.login(self.staff)
        r = self.client.post(ASK, {"to_organization": self.other_organization.pk, "note": "ぜひ"})
        self.assertRedirects(r, f"{PAGE}?organization={self.organization.pk}")
        asked = IntroductionRequest.objects.get()
        self.assertEqual(
            (asked.from_organization, asked.to_organization, asked.requested_by, asked.note),
            (self.organization, self.other_organization, self.staff, "ぜひ"),
        )
        self.assertIn("高齢者の居場所を運営", asked.reason)
        self.assertTrue(
            AuditEvent.objects.filter(object_type="network.introductionrequest").exists()
        )
        self.run_tasks()
        self.assertEqual(len(self.sent_to(settings.SECRETARIAT_EMAIL)), 1)
        page = self.client.get(PAGE)
        self.assertContains(page, "紹介を依頼中です")

    def test_one_open_request_per_pair_whichever_side_asks(self) -> None:
        services.ask(
            by=self.staff,
            from_organization=self.organization,
            to_organization=self.other_organization,
        )
        with self.assertRaises(AlreadyChanged):
            services.ask(
                by=self.other_staff,
                from_organization=self.other_organization,
                to_organization=self.organization,
            )
        self.login(self.staff)
        r = self.client.post(ASK, {"to_organization": self.other_organization.pk}, follow=True)
        self.assertContains(r, "すでに依頼されています")
        self.assertEqual(IntroductionRequest.objects.count(), 1)

    def test_staff_of_two_members_choose_which_one(self) -> None:
        add_capacities(self.staff, organizations=(self.other_organization,))
        self.login(self.staff)
        r = self.client.get(PAGE, {"organization": self.other_organization.pk})
        self.assertContains(r, "どの立場で")
        self.assertContains(r, f'<option value="{self.other_organization.pk}" selected>')

    def test_staff_may_not_act_for_someone_elses_organisation(self) -> None:
        self.login(self.staff)
        r = self.client.get(PAGE, {"organization": self.other_organization.pk})
        self.assertEqual(r.status_code, 403)

    def test_the_secretariat_introduces_and_both_sides_are_mailed(self) -> None:
        asked = services.ask(
            by=self.staff,
            from_organization=self.organization,
            to_organization=self.other_organization,
        )
        self.login(self.secretariat)
        r = self.client.post(
            f"/secretariat/network/introductions/{asked.pk}/decide/",
            {"status": "introduced", "note": "来週の会議で"},
        )
        self.assertRedirects(r, "/secretariat/network/introductions/")
        asked.refresh_from_db()
        self.assertEqual((asked.status, asked.decided_by), ("introduced", self.secretariat))
        self.run_tasks()
        self.assertEqual(len(self.sent_to(self.staff.email)), 1)
        self.assertEqual(len(self.sent_to(self.other_staff.email)), 1)
        self.assertIn(self.other_organization.name, self.sent_to(self.staff.email)[0].subject)

    def test_declining_needs_a_note_and_tells_the_asker(self) -> None:
        asked = services.ask(
            by=self.staff,
            from_organization=self.organization,
            to_organization=self.other_organization,
        )
        self.login(self.secretariat)
        url = f"/secretariat/network/introductions/{asked.pk}/decide/"
        r = self.client.post(url, {"status": "declined"}, follow=True)
        self.assertContains(r, "見送る理由を書いてください。")
        self.client.post(url, {"status": "declined", "note": "先方が多忙のため"})
        asked.refresh_from_db()
        self.assertEqual(asked.status, "declined")
        self.run_tasks()
        self.assertEqual(len(self.sent_to(self.staff.email)), 1)
        self.assertEqual(self.sent_to(self.other_staff.email), [])

    def test_the_second_decision_is_refused_kindly(self) -> None:
        asked = services.ask(
            by=self.staff,
            from_organization=self.organization,
            to_organization=self.other_organization,
        )
        services.decide(asked, by=self.secretariat, status="introduced")
        self.login(self.secretariat)
        r = self.client.post(
            f"/secretariat/network/introductions/{asked.pk}/decide/",
            {"status": "declined", "note": "重複"},
            follow=True,
        )
        self.assertContains(r, "すでに「紹介済み」になっています")
        asked.refresh_from_db()
        self.assertEqual(asked.status, "introduced")

    def test_the_secretariat_introduces_an_isolated_member_directly(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            "/secretariat/network/introduce/",
            {
                "from_organization": self.organization.pk,
                "to_organization": self.other_organization.pk,
            },
        )
        self.assertRedirects(r, "/secretariat/network/introductions/")
        made = IntroductionRequest.objects.get()
        self.assertTrue(made.started_by_secretariat)
        self.assertEqual(made.status, "introduced")
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 2)

    def test_the_secretariat_list_shows_requests_with_few_queries(self) -> None:
        services.ask(
            by=self.staff,
            from_organization=self.organization,
            to_organization=self.other_organization,
        )
        self.login(self.secretariat)
        with CaptureQueriesContext(connection) as queries:
            r = self.client.get("/secretariat/network/introductions/")
        self.assertContains(r, self.organization.name)
        for i in range(3):
            IntroductionRequest.objects.create(
                from_organization=make_member(f"【テスト】追加{i}"),
                to_organization=self.organization,
                requested_by=self.staff,
            )
        with self.assertNumQueries(len(queries)):
            self.client.get("/secretariat/network/introductions/")


class FormerMemberTests(BaseTestCase):
    def test_a_former_member_cannot_be_asked_for(self) -> None:
        from tsunagari.members.models import Membership, Organization

        gone = Organization.objects.create(name="【テスト】退会した団体", sector="community")
        Membership.objects.create(organization=gone, started_on="2024-04-01", ended_on="2024-05-01")
        self.login(self.staff)
        r = self.client.post(ASK, {"to_organization": gone.pk})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(IntroductionRequest.objects.exists())
