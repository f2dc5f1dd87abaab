"""Two members collaborate about a need and a seed, from the proposal to the outcome."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.collaborations.models import Collaboration
from tsunagari.collaborations.tests.test_services import make_need
from tsunagari.members.models import Organization
from tsunagari.test import PASSWORD, run_tasks

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class CollaborationJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.org_a = Organization.objects.get(roster_no=13)  # 民間事業者
        self.org_b = Organization.objects.get(roster_no=31)  # 藤沢市 (行政)
        self.staff_a = factory.make_user(
            "staff-a@example.jp", User.Role.MEMBER, organization=self.org_a
        )
        self.staff_b = factory.make_user(
            "staff-b@example.jp", User.Role.MEMBER, organization=self.org_b
        )
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        self.need = make_need(organization=self.org_a)
        self.resource = factory.make_resource("サンプル 土曜の親子ひろば", organization=self.org_b)

    def test_a_proposal_is_accepted_discussed_and_completed_with_an_outcome(self) -> None:
        # Org A's staff propose to the owner of the resource, about their need.
        a = self.new_page(mobile=False)
        self.sign_in_as(a, self.staff_a)
        self.visit(a, f"/collaborations/new/?need={self.need.pk}&resource={self.resource.pk}")
        expect(a.get_by_role("main")).to_contain_text(self.org_b.name)
        expect(a.locator("#id_title")).to_have_value("「週末に親子で参加できる場がほしい」について")
        self.assert_accessible(a)
        a.locator("#id_message").fill("ひろばを土曜の午後にも開けないか、一緒に考えませんか。")
        a.get_by_role("button", name="提案を送る").click()
        a.wait_for_url(re.compile(r"/collaborations/\d+/$"))
        expect(a.locator("#collaboration-status")).to_have_text("提案中")
        expect(a.get_by_role("main")).to_contain_text("分野をこえた連携")
        self.assert_accessible(a)
        collaboration = Collaboration.objects.get()
        self.assertTrue(collaboration.cross_sector)

        # The e-mail goes out through the task worker and links to the proposal.
        self.assertEqual(self.mails_to("staff-b@example.jp"), [])
        run_tasks()
        (proposal,) = self.mails_to("staff-b@example.jp")
        self.assertIn("特定非営利活動法人ひまわり", proposal.subject)

        # Org B's staff sign in, follow the link and accept.
        b = self.new_page()
        self.sign_in_with_form(b, "staff-b@example.jp", PASSWORD)
        b.goto(self.link_in(proposal))
        expect(b.get_by_role("main")).to_contain_text("ひろばを土曜の午後にも開けないか")
        self.assert_accessible(b)
        b.get_by_role("button", name="提案を受ける").click()
        expect(b.locator("#collaboration-status")).to_have_text("合意")
        expect(b.locator(".messages")).to_contain_text("「合意」にしました")

        # They exchange messages; the thread grows in place (HTMX) and the form clears.
        b.locator("#id_body").fill("来週、会場を一緒に見に行きましょう。")
        b.get_by_role("button", name="メッセージを送る").click()
        expect(b.locator("#thread")).to_contain_text("来週、会場を一緒に見に行きましょう。")
        expect(b.locator("#id_body")).to_have_value("")
        self.assert_accessible(b)
        run_tasks()
        self.assertEqual(
            [m.subject for m in self.mails_to("staff-a@example.jp")],
            [
                "【かながわつながりネットワーク】「「週末に親子で参加できる場がほしい」について」が「合意」になりました",
                "【かながわつながりネットワーク】「「週末に親子で参加できる場がほしい」について」に新しいメッセージ",
            ],
        )

        a.reload()
        expect(a.locator("#thread")).to_contain_text("来週、会場を一緒に見に行きましょう。")
        a.locator("#id_body").fill("ありがとうございます。火曜はいかがですか。")
        a.get_by_role("button", name="メッセージを送る").click()
        expect(a.locator("#thread")).to_contain_text("火曜はいかがですか。")

        # Org A marks it in progress, then completed with the outcome.
        a.get_by_role("button", name="実施中にする").click()
        expect(a.locator("#collaboration-status")).to_have_text("実施中")
        a.get_by_role("button", name="完了にする").click()
        expect(a.locator("#error-summary")).to_contain_text("成果")
        self.assert_accessible(a)
        a.locator("#id_complete-note").fill("土曜午後のひろばを3回開き、親子18組が参加しました。")
        a.get_by_role("button", name="完了にする").click()
        expect(a.locator("#collaboration-status")).to_have_text("完了")
        expect(a.get_by_role("main")).to_contain_text("親子18組が参加しました。")
        self.assert_accessible(a)
        collaboration.refresh_from_db()
        self.assertEqual(collaboration.status, Collaboration.Status.COMPLETED)

        mail.outbox.clear()
        run_tasks()
        subjects = [m.subject for m in self.mails_to("staff-b@example.jp")]
        self.assertEqual(len(subjects), 3)
        self.assertIn("新しいメッセージ", subjects[0])
        self.assertIn("「実施中」", subjects[1])
        self.assertIn("「完了」", subjects[2])
        self.assertIn("親子18組", self.mails_to("staff-b@example.jp")[2].body)
        self.assert_no_console_errors()

    def test_the_secretariat_reads_the_list_and_the_gap_view(self) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.secretariat)
        self.visit(page, "/collaborations/?status=all")
        self.assert_accessible(page)
        self.visit(page, "/gaps/")
        expect(page.locator("#gap-by-area")).to_contain_text("藤沢市")
        expect(page.get_by_role("main")).to_contain_text("週末に親子で参加できる場がほしい")
        self.assert_accessible(page)
        page.locator("#id_area").select_option(label="横浜市")
        page.get_by_role("button", name="表示").click()
        expect(page.locator("#gap-by-area")).to_contain_text("募集中のニーズはありません。")
        self.assert_accessible(page)
        self.assert_no_console_errors()
