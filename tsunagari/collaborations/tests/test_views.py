"""Collaboration pages: proposing, the list, the thread, the step buttons, who sees what."""

from __future__ import annotations

from django.core import mail

from tsunagari import factory
from tsunagari.audit.models import AuditEvent
from tsunagari.collaborations.models import Collaboration
from tsunagari.collaborations.tests.test_services import (
    CollaborationTestCase,
    make_collaboration,
    make_need,
)
from tsunagari.matching.models import Need

Status = Collaboration.Status


class ProposeViewTestCase(CollaborationTestCase):
    def test_it_proposes_to_the_owner_of_the_resource_about_the_need(self) -> None:
        need = make_need(organization=self.organization)
        resource = factory.make_resource("サンプル 親子ひろば", organization=self.city)
        self.login(self.staff)
        url = f"/collaborations/new/?need={need.pk}&resource={resource.pk}"
        r = self.client.get(url)
        self.assertContains(r, "藤沢市")
        self.assertContains(r, "サンプル 親子ひろば")
        self.assertContains(r, "「週末に親子で参加できる場がほしい」について")
        self.assertNotContains(r, "選んでください")  # no select: the partner is the owner

        r = self.client.post(
            url,
            {
                "partner": self.city.pk,
                "title": "週末の親子の場",
                "message": "土曜にも開けませんか。",
            },
        )
        c = Collaboration.objects.get()
        self.assertRedirects(r, f"/collaborations/{c.pk}/")
        self.assertEqual(
            (c.proposer, c.partner, c.need, c.resource),
            (self.organization, self.city, need, resource),
        )
        self.assertTrue(c.cross_sector)
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["city@example.jp"]])

    def test_without_a_resource_the_partner_is_chosen_among_current_members(self) -> None:
        self.login(self.staff)
        r = self.client.get("/collaborations/new/")
        self.assertContains(r, "認定特定非営利活動法人こまちぷらす")
        self.assertNotContains(r, f'<option value="{self.organization.pk}"')

    def test_a_missing_message_keeps_what_was_typed(self) -> None:
        self.login(self.staff)
        r = self.client.post(
            "/collaborations/new/",
            {"partner": self.other_organization.pk, "title": "いっしょに子ども食堂", "message": ""},
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "いっしょに子ども食堂", status_code=400)
        self.assertContains(r, "error-summary", status_code=400)
        self.assertFalse(Collaboration.objects.exists())

    def test_it_refuses_the_own_organisation_as_partner(self) -> None:
        self.login(self.staff)
        r = self.client.post(
            "/collaborations/new/",
            {"partner": self.organization.pk, "title": "自分へ", "message": "……"},
        )
        self.assertContains(r, "error-summary", status_code=400)
        self.assertFalse(Collaboration.objects.exists())

    def test_a_withdrawn_need_cannot_be_the_subject(self) -> None:
        need = make_need(organization=self.other_organization, status=Need.Status.WITHDRAWN)
        self.login(self.staff)
        self.assertEqual(self.client.get(f"/collaborations/new/?need={need.pk}").status_code, 404)
        self.assertEqual(self.client.get("/collaborations/new/?need=abc").status_code, 404)

    def test_only_member_staff_propose(self) -> None:
        for user in (self.secretariat, self.officer):
            with self.subTest(user=user.email):
                self.login(user)
                self.assertEqual(self.client.get("/collaborations/new/").status_code, 403)


class ListViewTestCase(CollaborationTestCase):
    def test_staff_see_what_their_organisation_proposed_or_received(self) -> None:
        make_collaboration(self.organization, self.city, title="提案したもの")
        make_collaboration(self.other_organization, self.organization, title="届いたもの")
        make_collaboration(self.other_organization, self.city, title="よその連携")
        self.login(self.staff)
        with self.assertNumQueries(5):  # session, user, count, page, its parties (no summary)
            r = self.client.get("/collaborations/")
        self.assertContains(r, "提案したもの")
        self.assertContains(r, "届いたもの")
        self.assertContains(r, "返事を待っています")
        self.assertNotContains(r, "よその連携")
        self.assertNotContains(r, "分野をこえた連携 ")

    def test_the_status_filter_separates_finished_collaborations(self) -> None:
        make_collaboration(self.organization, self.city, Status.COMPLETED, title="終わった連携")
        make_collaboration(self.organization, self.city, Status.IN_PROGRESS, title="実施中の連携")
        self.login(self.staff)
        r = self.client.get("/collaborations/")
        self.assertContains(r, "実施中の連携")
        self.assertNotContains(r, "終わった連携")
        r = self.client.get("/collaborations/?status=completed")
        self.assertContains(r, "終わった連携")
        self.assertNotContains(r, "実施中の連携")
        r = self.client.get("/collaborations/?status=all", headers={"HX-Request": "true"})
        self.assertContains(r, "終わった連携")
        self.assertNotContains(r, "<h1>")

    def test_the_secretariat_sees_all_with_the_cross_sector_share(self) -> None:
        for i in range(3):
            make_collaboration(self.organization, self.city, title=f"分野をこえて{i}")
        make_collaboration(self.organization, self.other_organization, title="同じ分野")
        self.login(self.secretariat)
        with self.assertNumQueries(6):  # session, user, summary, count, page, its parties
            r = self.client.get("/collaborations/?status=all")
        self.assertContains(r, "分野をこえた連携 4件中3件")
        self.assertContains(r, "同じ分野")

    def test_officers_are_refused(self) -> None:
        self.login(self.officer)
        self.assertEqual(self.client.get("/collaborations/").status_code, 403)


class DetailViewTestCase(CollaborationTestCase):
    def test_the_partner_sees_the_thread_and_the_answer_buttons(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.other_staff)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "一緒に取り組みませんか。")
        self.assertContains(r, "提案を受ける")
        self.assertContains(r, "見送る")
        self.assertNotContains(r, "提案を取り下げる")
        self.assertContains(r, "メッセージを送る")

    def test_the_proposer_may_only_withdraw_a_proposal(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.staff)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "提案を取り下げる")
        self.assertNotContains(r, "提案を受ける")

    def test_the_secretariat_reads_but_has_no_buttons_or_message_form(self) -> None:
        c = make_collaboration(self.organization, self.other_organization, Status.ACCEPTED)
        self.login(self.secretariat)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "一緒に取り組みませんか。")
        self.assertContains(r, "団体に代わって操作やメッセージの送信はできません")
        self.assertNotContains(r, "メッセージを送る")
        self.assertNotContains(r, "実施中にする")
        r = self.client.post(f"/collaborations/{c.pk}/start/")
        self.assertEqual(r.status_code, 403)

    def test_an_outsider_gets_403(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        for user in (self.city_staff, self.officer):
            with self.subTest(user=user.email):
                self.login(user)
                self.assertEqual(self.client.get(f"/collaborations/{c.pk}/").status_code, 403)

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertRedirects(
            r, f"/accounts/login/?next=/collaborations/{c.pk}/", fetch_redirect_response=False
        )


class MessageViewTestCase(CollaborationTestCase):
    def test_posting_without_javascript_redirects_to_the_new_message(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.other_staff)
        r = self.client.post(f"/collaborations/{c.pk}/messages/", {"body": "お電話します。"})
        message = c.messages.last()
        assert message is not None
        self.assertRedirects(r, f"/collaborations/{c.pk}/#message-{message.pk}")
        self.assertEqual(message.body, "お電話します。")
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["staff@example.jp"]])

    def test_with_htmx_the_message_is_appended_and_the_form_cleared(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.staff)
        r = self.client.post(
            f"/collaborations/{c.pk}/messages/",
            {"body": "日程の候補を送ります。"},
            headers={"HX-Request": "true"},
        )
        self.assertContains(r, "日程の候補を送ります。")
        self.assertContains(r, 'class="thread-item"')
        self.assertContains(r, 'hx-swap-oob="true"')
        self.assertNotContains(r, "<h1>")

    def test_an_empty_message_is_refused_with_the_error_shown(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.staff)
        r = self.client.post(f"/collaborations/{c.pk}/messages/", {"body": " "})
        self.assertContains(r, 'id="id_body_error"')
        r = self.client.post(
            f"/collaborations/{c.pk}/messages/", {"body": ""}, headers={"HX-Request": "true"}
        )
        self.assertContains(r, 'hx-swap-oob="true"')
        self.assertEqual(c.messages.count(), 1)


class StepViewTestCase(CollaborationTestCase):
    def test_the_partner_accepts_and_the_proposer_is_told(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.other_staff)
        r = self.client.post(f"/collaborations/{c.pk}/accept/")
        self.assertRedirects(r, f"/collaborations/{c.pk}/", fetch_redirect_response=False)
        c.refresh_from_db()
        self.assertEqual(c.status, Status.ACCEPTED)
        self.assertContains(self.client.get(r["Location"]), "「合意」にしました")
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["staff@example.jp"]])

    def test_declining_carries_the_optional_reason(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.other_staff)
        self.client.post(f"/collaborations/{c.pk}/decline/", {"decline-note": "時期が合いません。"})
        c.refresh_from_db()
        self.assertEqual(c.status, Status.DECLINED)
        self.assertEqual(c.messages.last().body, "時期が合いません。")  # type: ignore[union-attr]

    def test_completing_without_an_outcome_shows_the_error_and_changes_nothing(self) -> None:
        c = make_collaboration(self.organization, self.other_organization, Status.IN_PROGRESS)
        self.login(self.staff)
        r = self.client.post(f"/collaborations/{c.pk}/complete/", {"complete-note": ""})
        self.assertContains(r, "error-summary")
        c.refresh_from_db()
        self.assertEqual(c.status, Status.IN_PROGRESS)
        r = self.client.post(
            f"/collaborations/{c.pk}/complete/", {"complete-note": "サロンを3回開きました。"}
        )
        c.refresh_from_db()
        self.assertEqual((c.status, c.outcome), (Status.COMPLETED, "サロンを3回開きました。"))
        self.assertContains(self.client.get(f"/collaborations/{c.pk}/"), "サロンを3回開きました。")
        self.assertEqual(
            AuditEvent.objects.for_object(c).get().changes, {"status": ["in_progress", "completed"]}
        )

    def test_a_step_the_status_does_not_allow_is_refused_with_a_message(self) -> None:
        c = make_collaboration(self.organization, self.other_organization, Status.COMPLETED)
        self.login(self.staff)
        r = self.client.post(f"/collaborations/{c.pk}/start/", follow=True)
        self.assertContains(r, "この連携はすでに完了しています。")
        c.refresh_from_db()
        self.assertEqual(c.status, Status.COMPLETED)

    def test_the_wrong_side_gets_403(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.staff)  # the proposer cannot accept its own proposal
        self.assertEqual(self.client.post(f"/collaborations/{c.pk}/accept/").status_code, 403)
        self.login(self.other_staff)  # nor can the partner withdraw it
        self.assertEqual(self.client.post(f"/collaborations/{c.pk}/withdraw/").status_code, 403)

    def test_an_unknown_action_is_404(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.staff)
        self.assertEqual(self.client.post(f"/collaborations/{c.pk}/approve/").status_code, 404)
