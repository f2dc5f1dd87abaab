"""Responding to a need (この声に応えられます / 協力を申し出る): a collaboration with its owner.

A member's need: the owner's staff are told. A need published from a resident's voice:
the secretariat is the other side, and relays the offer to the resident only if they
consented to be contacted.
"""

from __future__ import annotations

import threading
import unittest
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client, TransactionTestCase

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.collaborations.models import Collaboration
from tsunagari.collaborations.tests.test_services import make_need
from tsunagari.matching.models import Need
from tsunagari.matching.tests.test_requests_screening import make_request
from tsunagari.members.models import Organization
from tsunagari.test import BaseTestCase, run_tasks, sign_in

MESSAGE = "土曜の午後に会場を開けられます。子ども向けの工作も用意できます。"


def make_voice_need(*, consent: bool = True) -> Need:
    """A need the secretariat published from a resident's voice."""
    contact: dict[str, Any] = (
        {"contact_consent": True, "contact_name": "神奈川 花子", "contact_phone": "0466-00-0000"}
        if consent
        else {}
    )
    voice = make_request(**contact)
    need = make_need(origin=Need.Origin.RESIDENT, organization=None)
    voice.need = need
    voice.status = voice.Status.PUBLISHED
    voice.save(update_fields=["need", "status"])
    return need


class RespondToMemberNeedTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.need = make_need(organization=self.organization)
        self.resource = factory.make_resource(
            "サンプル 土曜ひろば", organization=self.other_organization
        )

    def test_another_member_offers_help_and_the_owner_hears_of_it(self) -> None:
        self.login(self.other_staff)
        r = self.client.get(f"/needs/{self.need.pk}/respond/")
        self.assertContains(r, "協力を申し出る")
        self.assertContains(r, "サンプル 土曜ひろば")  # one of our resources to choose
        r = self.client.post(
            f"/needs/{self.need.pk}/respond/", {"resource": self.resource.pk, "message": MESSAGE}
        )
        c = Collaboration.objects.get()
        self.assertRedirects(r, f"/collaborations/{c.pk}/", fetch_redirect_response=False)
        self.assertEqual(
            (c.kind, c.proposer, c.partner, c.need, c.resource),
            (
                Collaboration.Kind.RESPONSE,
                self.other_organization,
                self.organization,
                self.need,
                self.resource,
            ),
        )
        run_tasks()
        [email] = self.sent_to(self.staff.email)
        self.assertIn("ニーズへの申し出", email.subject)
        self.assertIn(MESSAGE, email.body)
        # The owner's staff see it and may accept it.
        self.login(self.staff)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, MESSAGE)
        self.assertContains(r, "提案を受ける")

    def test_a_second_offer_shows_the_first_instead_of_a_duplicate(self) -> None:
        self.login(self.other_staff)
        self.client.post(f"/needs/{self.need.pk}/respond/", {"message": MESSAGE})
        first = Collaboration.objects.get()
        r = self.client.get(f"/needs/{self.need.pk}/respond/")
        self.assertRedirects(r, f"/collaborations/{first.pk}/", fetch_redirect_response=False)
        r = self.client.get(f"/needs/{self.need.pk}/")
        self.assertContains(r, "申し出のやりとりを見る")
        self.assertNotContains(r, f"/needs/{self.need.pk}/respond/")
        self.assertEqual(Collaboration.objects.count(), 1)

    def test_after_a_withdrawal_the_member_may_offer_again(self) -> None:
        self.login(self.other_staff)
        self.client.post(f"/needs/{self.need.pk}/respond/", {"message": MESSAGE})
        first = Collaboration.objects.get()
        self.client.post(f"/collaborations/{first.pk}/withdraw/", {"withdraw-note": ""})
        self.client.post(f"/needs/{self.need.pk}/respond/", {"message": MESSAGE})
        self.assertEqual(Collaboration.objects.count(), 2)

    def test_an_empty_message_is_refused_and_what_was_chosen_is_kept(self) -> None:
        self.login(self.other_staff)
        r = self.client.post(
            f"/needs/{self.need.pk}/respond/", {"resource": self.resource.pk, "message": " "}
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(
            r, f'<option value="{self.resource.pk}" selected>', html=False, status_code=400
        )
        self.assertFalse(Collaboration.objects.exists())

    def test_the_owner_an_officer_and_the_secretariat_cannot_respond(self) -> None:
        for user in (self.staff, self.officer, self.secretariat):
            with self.subTest(user=user.email):
                self.login(user)
                r = self.client.post(f"/needs/{self.need.pk}/respond/", {"message": MESSAGE})
                self.assertEqual(r.status_code, 403)
        self.assertFalse(Collaboration.objects.exists())

    def test_a_closed_need_takes_no_new_offer(self) -> None:
        self.need.status = Need.Status.CLOSED
        self.need.save()
        self.login(self.other_staff)
        r = self.client.post(f"/needs/{self.need.pk}/respond/", {"message": MESSAGE})
        self.assertRedirects(r, f"/needs/{self.need.pk}/", fetch_redirect_response=False)
        self.assertFalse(Collaboration.objects.exists())

    def test_the_waiting_list_offers_the_button_with_the_resource_chosen(self) -> None:
        from unittest import mock

        self.login(self.other_staff)
        with mock.patch(
            "tsunagari.matching.engine.needs_for_resources",
            lambda resources, limit=10: {
                r.pk: [(self.need, 0.5, ["同じ市町村"])] for r in resources
            },
        ):
            r = self.client.get("/needs/waiting/")
        self.assertContains(r, f'href="/needs/{self.need.pk}/respond/?resource={self.resource.pk}"')


class RespondToVoiceTestCase(BaseTestCase):
    def test_a_member_answers_a_voice_and_the_secretariat_is_the_other_side(self) -> None:
        need = make_voice_need()
        self.login(self.other_staff)
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertContains(r, "この声に応えられます")
        r = self.client.get(f"/needs/{need.pk}/respond/")
        self.assertContains(r, "申し出は事務局に届きます")
        self.client.post(f"/needs/{need.pk}/respond/", {"message": MESSAGE})
        c = Collaboration.objects.get()
        self.assertIsNone(c.partner)
        run_tasks()
        [email] = self.sent_to(settings.SECRETARIAT_EMAIL)
        self.assertIn(MESSAGE, email.body)
        self.assertIn("声の主に連絡する", email.body)

        # The secretariat sees it waiting, answers and writes in the thread.
        self.login(self.secretariat)
        r = self.client.get("/collaborations/")
        self.assertContains(r, "返事を待っています")
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "事務局（住民の声から作成したニーズ）")
        self.assertContains(r, f'href="/collaborations/{c.pk}/relay/"')
        self.assertNotContains(r, "神奈川 花子")  # the contact only on the audited page
        r = self.client.post(f"/collaborations/{c.pk}/accept/", {"accept-note": ""})
        c.refresh_from_db()
        self.assertEqual(c.status, Collaboration.Status.ACCEPTED)
        mail.outbox.clear()
        self.client.post(f"/collaborations/{c.pk}/messages/", {"body": "ありがとうございます。"})
        run_tasks()
        self.assertEqual(len(self.sent_to(self.other_staff.email)), 2)  # the step, the message
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "<strong>事務局</strong>", html=False)

    def test_relaying_shows_the_consented_contact_and_is_audited(self) -> None:
        need = make_voice_need(consent=True)
        self.login(self.other_staff)
        self.client.post(f"/needs/{need.pk}/respond/", {"message": MESSAGE})
        c = Collaboration.objects.get()
        voice = need.resident_request
        self.login(self.secretariat)
        r = self.client.get(f"/collaborations/{c.pk}/relay/")
        self.assertContains(r, "神奈川 花子")
        self.assertContains(r, "0466-00-0000")
        self.assertTrue(
            AuditEvent.objects.for_object(voice).filter(action=AuditEvent.Action.VIEW).exists()
        )
        r = self.client.post(f"/collaborations/{c.pk}/relay/", {"note": "電話で伝えました。"})
        self.assertRedirects(r, f"/collaborations/{c.pk}/", fetch_redirect_response=False)
        self.assertTrue(c.messages.filter(body__contains="事務局から声の主に連絡しました").exists())
        # The member reads that it was passed on, never the contact.
        self.login(self.other_staff)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "事務局から声の主に連絡しました")
        self.assertNotContains(r, "神奈川 花子")
        self.assertEqual(self.client.get(f"/collaborations/{c.pk}/relay/").status_code, 403)

    def test_without_consent_the_secretariat_is_told_the_resident_cannot_be_contacted(
        self,
    ) -> None:
        need = make_voice_need(consent=False)
        self.login(self.other_staff)
        self.client.post(f"/needs/{need.pk}/respond/", {"message": MESSAGE})
        c = Collaboration.objects.get()
        self.login(self.secretariat)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "連絡を希望していないため、連絡できません")
        self.assertNotContains(r, f"/collaborations/{c.pk}/relay/")
        r = self.client.post(f"/collaborations/{c.pk}/relay/", {"note": ""})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(c.messages.count(), 1)

    def test_a_collaboration_between_members_has_no_relay_page(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.other_staff)
        self.client.post(f"/needs/{need.pk}/respond/", {"message": MESSAGE})
        c = Collaboration.objects.get()
        self.login(self.secretariat)
        self.assertEqual(self.client.get(f"/collaborations/{c.pk}/relay/").status_code, 404)
        # Nor may the secretariat act for the members there.
        r = self.client.post(f"/collaborations/{c.pk}/accept/", {"accept-note": ""})
        self.assertEqual(r.status_code, 403)


@unittest.skipUnless(connection.vendor == "postgresql", "needs real concurrent transactions")
class ParallelResponsesTestCase(TransactionTestCase):
    """Two colleagues click at the same moment: one collaboration, both land on it."""

    # The roster comes from a migration; restore it for the tests after this one
    # (a plain flush would also re-create content types the next restore inserts).
    serialized_rollback = True

    def test_parallel_offers_make_one_collaboration(self) -> None:
        organization = Organization.objects.get(roster_no=13)
        other = Organization.objects.get(roster_no=14)
        need = make_need(organization=organization)
        staff = [
            factory.make_user(f"colleague{n}@example.jp", User.Role.MEMBER, organization=other)
            for n in range(4)
        ]
        barrier = threading.Barrier(len(staff))
        results: list[str] = []
        errors: list[BaseException] = []

        def offer(user: User) -> None:
            client = Client()
            sign_in(client, user)
            try:
                barrier.wait()
                r = client.post(f"/needs/{need.pk}/respond/", {"message": MESSAGE})
                results.append(r["Location"])
            except BaseException as e:
                errors.append(e)
            finally:
                connection.close()

        threads = [threading.Thread(target=offer, args=(u,)) for u in staff]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        [c] = Collaboration.objects.all()
        self.assertEqual(results, [f"/collaborations/{c.pk}/"] * len(staff))
