"""A resident's voice reaches a member who can help: voice → the secretariat publishes →
a member's staff answer 「この声に応えられます」 → the secretariat sees the collaboration and
relays it to the resident, who consented to be contacted. All on a phone."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.collaborations.models import Collaboration
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.members.models import Organization
from tsunagari.test import run_tasks

require_chromium()
pytestmark = pytest.mark.browser

ORIGINAL = "退職した父が家にこもりがちです。近くで話し相手ができる集まりがあればうれしいです。"


@pytest.mark.browser
class VoiceResponseJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        self.organization = Organization.objects.get(roster_no=13)
        self.staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=self.organization
        )
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        self.salon = factory.make_resource(
            "サンプル シニアの手しごと会", organization=self.organization
        )

    def test_a_member_answers_a_voice_and_the_secretariat_relays_it(self) -> None:
        # The resident writes from a phone and asks to be contacted.
        resident = self.new_page()
        self.visit(resident, "/voice/")
        resident.get_by_label("どんな場や支えがほしいですか").fill(ORIGINAL)
        resident.get_by_label("事務局からの連絡を希望する").check()
        resident.get_by_label("お名前（任意）").fill("見本 花子")
        resident.get_by_label("連絡先メールアドレス").fill("hanako@example.org")
        resident.get_by_role("button", name="送信する").click()
        resident.wait_for_url(re.compile(r"/voice/thanks/$"))
        voice = ResidentRequest.objects.get()
        self.assertTrue(voice.contact_consent)

        # The secretariat publishes it as a need, on a phone too.
        desk = self.new_page()
        self.sign_in_as(desk, self.secretariat)
        self.visit(desk, f"/secretariat/voices/{voice.pk}/")
        desk.get_by_label("ニーズの見出し").fill("退職後の男性が気軽に参加できる集まりがほしい")
        desk.get_by_label(re.compile(r"^内容")).fill(
            "退職して家にこもりがちな方が、地域で話し相手を見つけられる集まりを探しています。"
        )
        desk.get_by_label(re.compile("個人が特定される内容")).check()
        desk.get_by_role("button", name="ニーズとして公開する").click()
        desk.wait_for_url(re.compile(r"/secretariat/voices/$"))
        need = Need.objects.get()

        # A member's staff find the need and answer it, with one of their resources.
        member = self.new_page()
        self.sign_in_as(member, self.staff)
        self.visit(member, f"/needs/{need.pk}/")
        self.assert_accessible(member)
        member.get_by_role("link", name="この声に応えられます").click()
        member.wait_for_url(re.compile(rf"/needs/{need.pk}/respond/$"))
        expect(member.get_by_role("main")).to_contain_text("申し出は事務局に届きます")
        self.assert_accessible(member)
        member.get_by_label("役立てられる社会資源（任意）").select_option(label=self.salon.name)
        member.get_by_label("メッセージ").fill(
            "毎週水曜の手しごと会に、ぜひお父さまをお誘いください。"
        )
        member.get_by_role("button", name="申し出を送る").click()
        member.wait_for_url(re.compile(r"/collaborations/\d+/$"))
        expect(member.locator("#collaboration-status")).to_have_text("提案中")
        self.assert_accessible(member)
        collaboration = Collaboration.objects.get()
        self.assertEqual(collaboration.need, need)
        self.assertEqual(collaboration.resource, self.salon)
        self.assertIsNone(collaboration.partner)  # the secretariat's side

        # A second visit shows the same collaboration instead of a new form.
        self.visit(member, f"/needs/{need.pk}/")
        member.get_by_role("link", name=re.compile("申し出のやりとりを見る")).click()
        member.wait_for_url(re.compile(rf"/collaborations/{collaboration.pk}/$"))

        # The secretariat hears of it, sees it and relays it to the resident.
        run_tasks()
        self.assertTrue(self.mails_to(settings.SECRETARIAT_EMAIL))
        self.visit(desk, "/collaborations/")
        expect(desk.get_by_role("main")).to_contain_text("返事を待っています")
        self.assert_accessible(desk)
        self.visit(desk, f"/collaborations/{collaboration.pk}/")
        expect(desk.get_by_role("main")).to_contain_text("手しごと会")
        self.assert_accessible(desk)
        desk.get_by_role("link", name="声の主に連絡する").click()
        expect(desk.get_by_role("main")).to_contain_text("hanako@example.org")
        self.assert_accessible(desk)
        desk.get_by_label("連絡した内容（任意）").fill("メールで手しごと会をご案内しました。")
        desk.get_by_role("button", name="連絡したことを記録する").click()
        desk.wait_for_url(re.compile(rf"/collaborations/{collaboration.pk}/$"))
        desk.get_by_role("button", name="提案を受ける").click()
        expect(desk.locator("#collaboration-status")).to_have_text("合意")
        self.assert_accessible(desk)

        # The member reads that the resident was contacted, never the contact itself.
        self.visit(member, f"/collaborations/{collaboration.pk}/")
        expect(member.locator("#thread")).to_contain_text("事務局から声の主に連絡しました")
        expect(member.get_by_role("main")).not_to_contain_text("hanako@example.org")
        self.assert_no_console_errors()
