"""A three-party collaboration: the lead invites a partner and a venue, and each party's
staff sign in and accept for their organisation; the detail page has no AA violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class ThreePartyCollaborationTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.lead = Organization.objects.get(roster_no=13)
        self.partner = Organization.objects.get(roster_no=14)
        self.venue = Organization.objects.get(roster_no=31)  # 藤沢市 (行政)
        self.lead_staff = factory.make_user(
            "lead@example.jp", User.Role.MEMBER, organization=self.lead
        )
        self.partner_staff = factory.make_user(
            "partner@example.jp", User.Role.MEMBER, organization=self.partner
        )
        self.venue_staff = factory.make_user(
            "venue@example.jp", User.Role.MEMBER, organization=self.venue
        )

    def test_three_parties_each_accept_for_their_organisation(self) -> None:
        # The lead proposes to a partner, then invites a venue on the detail page.
        a = self.new_page(mobile=False)
        self.sign_in_as(a, self.lead_staff)
        self.visit(a, "/collaborations/new/")
        a.locator("#id_partner").select_option(str(self.partner.pk))
        a.locator("#id_title").fill("三者で開く夏休み食堂")
        a.locator("#id_message").fill("食材と会場を持ち寄りませんか。")
        a.get_by_role("button", name="提案を送る").click()
        a.wait_for_url(re.compile(r"/collaborations/\d+/$"))
        a.get_by_text("団体を招待する").click()
        a.locator("#id_invite-organization").select_option(str(self.venue.pk))
        a.locator("#id_invite-role").select_option("venue")
        a.get_by_role("button", name="招待する").click()
        expect(a.locator(".parties")).to_contain_text("会場提供")
        self.assert_accessible(a)
        collaboration = Collaboration.objects.get()
        url = f"/collaborations/{collaboration.pk}/"

        # The partner accepts: the collaboration waits for the venue.
        b = self.new_page()
        self.sign_in_as(b, self.partner_staff)
        self.visit(b, url)
        b.get_by_role("button", name="提案を受ける").click()
        expect(b.locator(".messages")).to_contain_text("として参加を承諾しました")
        expect(b.locator("#collaboration-status")).to_have_text("提案中")

        # The venue accepts last: the collaboration is accepted, across two sectors.
        c = self.new_page()
        self.sign_in_as(c, self.venue_staff)
        self.visit(c, url)
        self.assert_accessible(c)
        c.get_by_role("button", name="提案を受ける").click()
        expect(c.locator("#collaboration-status")).to_have_text("合意")
        expect(c.locator("#sector-count")).to_have_text("2")
        self.assert_accessible(c)
        self.assertEqual(
            set(collaboration.parties.values_list("status", flat=True)),
            {CollaborationParty.Status.ACCEPTED},
        )
