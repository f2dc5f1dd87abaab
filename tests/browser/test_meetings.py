"""Meetings in a browser: a member's staff RSVP on a phone; the organiser closes a meeting
with minutes and an action item, and its owner turns it into a need; confidential
minutes are refused to a non-attendee. axe-core finds no AA violations on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.matching.models import Need
from tsunagari.meetings.models import ActionItem, Meeting, Rsvp
from tsunagari.meetings.tests.factory import make_closed, make_meeting, make_rsvp
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class MeetingsJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.organization = Organization.objects.get(roster_no=13)
        self.other = Organization.objects.get(roster_no=14)
        self.staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=self.organization
        )
        self.other_staff = factory.make_user(
            "other@example.jp", User.Role.MEMBER, organization=self.other
        )
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)

    def test_staff_rsvp_on_a_phone_and_the_online_link_appears(self) -> None:
        meeting = make_meeting(
            "【テスト】情報交換会",
            format="hybrid",
            online_url="https://meet.example.jp/kaigi",
            capacity=10,
        )
        make_rsvp(meeting, self.other, people=7)
        page = self.new_page(mobile=True)
        self.sign_in_as(page, self.staff)
        self.visit(page, "/meetings/")
        expect(page.get_by_role("heading", level=1)).to_have_text("会議")
        self.assert_accessible(page)
        page.get_by_role("link", name="【テスト】情報交換会").click()
        page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
        expect(page.get_by_role("main")).to_contain_text("残り3人")
        expect(page.get_by_role("main")).not_to_contain_text("meet.example.jp/kaigi")
        self.assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 390)

        # Too many first: the seats left are said kindly.
        page.get_by_label("出席", exact=True).check()
        page.get_by_label("人数").fill("4")
        page.get_by_role("button", name="出欠を答える").click()
        expect(page.locator(".messages")).to_contain_text("残り3人")
        page.get_by_label("出席", exact=True).check()
        page.get_by_label("人数").fill("2")
        page.get_by_label("参加者の氏名").fill("山田 太郎\n佐藤 花子")
        page.get_by_role("button", name="出欠を答える").click()
        expect(page.locator(".messages")).to_contain_text("出席（2人）を受け付けました")
        expect(page.get_by_role("link", name="https://meet.example.jp/kaigi")).to_be_visible()
        self.assert_accessible(page)
        rsvp = Rsvp.objects.get(meeting=meeting, organization=self.organization)
        self.assertEqual((rsvp.people, rsvp.names), (2, "山田 太郎\n佐藤 花子"))

    def test_the_secretariat_closes_a_meeting_and_the_owner_turns_an_item_into_a_need(
        self,
    ) -> None:
        meeting = make_meeting("【テスト】前回の情報交換会", days=-1)
        make_rsvp(meeting, self.organization, people=2)
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.secretariat)
        self.visit(page, f"/meetings/{meeting.pk}/")
        page.get_by_role("link", name="議事録を書いて会議を終了する").click()
        page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/close/$"))
        self.assert_accessible(page)
        expect(page.get_by_label(self.organization.name)).to_be_checked()
        page.locator("#id_minutes").fill("各団体から取組の報告があった。")
        page.get_by_label("決定事項").fill("居場所の一覧を作る。")
        page.get_by_label("出席者数").fill("9")
        item = page.locator(".action-item").first
        item.get_by_label("内容").fill("週末の居場所を一覧にする")
        item.get_by_label("担当団体").select_option(label=self.organization.name)
        item.get_by_label("期限").fill("2030-01-31")
        page.get_by_role("button", name="議事録を登録して終了する").click()
        page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/minutes/$"))
        expect(page.get_by_role("main")).to_contain_text("各団体から取組の報告があった。")
        self.assert_accessible(page)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.CLOSED)

        owner = self.new_page(mobile=False)
        self.sign_in_as(owner, self.staff)
        self.visit(owner, "/meetings/actions/")
        self.assert_accessible(owner)
        owner.get_by_role("link", name="ニーズにする").click()
        expect(owner.get_by_label("見出し")).to_have_value("週末の居場所を一覧にする")
        self.assert_accessible(owner)
        owner.get_by_label("地域").select_option(label="藤沢市")
        owner.get_by_role("button", name="ニーズとして登録する").click()
        owner.wait_for_url(re.compile(r"/needs/\d+/$"))
        need = Need.objects.get()
        self.assertEqual(ActionItem.objects.get().need, need)
        self.assertEqual(need.organization, self.organization)

    def test_confidential_minutes_are_refused_to_a_non_attendee(self) -> None:
        meeting = make_closed(
            make_meeting("【テスト】事例検討", days=-3),
            attending=[self.organization],
            confidential=True,
        )
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.other_staff)
        self.visit(page, f"/meetings/{meeting.pk}/")
        expect(page.get_by_role("main")).to_contain_text("出席した団体と事務局だけが読めます")
        expect(page.get_by_role("link", name="議事録を読む")).to_have_count(0)
        self.assert_accessible(page)
        response = page.goto(self.url(f"/meetings/{meeting.pk}/minutes/"))
        assert response is not None
        self.assertEqual(response.status, 403)
        self.console_errors = [e for e in self.console_errors if "403" not in e]
