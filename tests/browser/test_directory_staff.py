"""A member's staff registers a resource in the browser; the secretariat unpublishes it."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory.models import Resource
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.members.models import Organization
from tsunagari.test import PASSWORD

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class DirectoryStaffTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(MAP_TILE_URL=""))  # the pin picker's map: no tiles
        self.organization = Organization.objects.get(roster_no=13)
        self.staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=self.organization
        )
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)

    def test_staff_registers_a_second_and_fourth_saturday_salon_and_the_secretariat_unpublishes_it(
        self,
    ) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_with_form(page, "staff@example.jp", PASSWORD)
        page.get_by_role("link", name="社会資源を管理する").click()
        page.wait_for_url(re.compile(r"/manage/resources/$"))
        page.get_by_role("link", name="社会資源を登録する").click()
        page.wait_for_url(re.compile(r"/manage/resources/new/$"))
        self.assert_accessible(page)

        page.locator("#id_name").fill("サンプル 土曜のおしゃべりサロン")
        page.locator("#id_description").fill("第2・第4土曜に開く居場所です（サンプル）。")
        page.locator("#id_kinds").get_by_label("居場所").check()
        page.locator("#id_loc-0-name").fill("サンプル相談室")
        page.locator("#id_loc-0-municipality").select_option(label="藤沢市")
        page.locator("#id_loc-0-address").fill("藤沢市藤沢1-1-1（サンプル）")
        page.locator("#id_loc-0-hide_address").check()

        # 「日程を追加」 posts the page back with one more row; nothing typed is lost.
        page.get_by_role("button", name="日程を追加").click()
        expect(page.locator("#id_sch-1-frequency")).to_be_visible()
        expect(page.locator("#id_loc-0-name")).to_have_value("サンプル相談室")
        expect(page.locator("#id_loc-0-hide_address")).to_be_checked()
        expect(page.locator("#id_name")).to_have_value("サンプル 土曜のおしゃべりサロン")

        page.locator("#id_sch-0-frequency").select_option(label="毎月第n曜日")
        page.locator("#id_sch-0-weeks_of_month").get_by_label("第2").check()
        page.locator("#id_sch-0-weeks_of_month").get_by_label("第4").check()
        page.locator("#id_sch-0-weekdays").get_by_label("土").check()
        page.locator("#id_sch-0-opens_at").fill("10:00")
        page.locator("#id_sch-0-closes_at").fill("12:00")
        page.get_by_role("button", name="保存する").click()

        page.wait_for_url(re.compile(r"/manage/resources/$"))
        expect(page.locator(".messages")).to_contain_text("登録しました")
        expect(page.locator("table.manage-resources")).to_contain_text(
            "サンプル 土曜のおしゃべりサロン"
        )
        resource = Resource.objects.get(name="サンプル 土曜のおしゃべりサロン")
        self.assertEqual([str(s) for s in resource.schedules.all()], ["第2・第4土曜 10:00〜12:00"])
        self.assertTrue(resource.locations.get().hide_address)
        self.assert_accessible(page)

        secretariat = self.new_page(mobile=False)
        self.sign_in_with_form(secretariat, "jimukyoku@example.jp", PASSWORD)
        secretariat.get_by_role("link", name="社会資源の一覧").click()
        secretariat.get_by_role("link", name="サンプル 土曜のおしゃべりサロン").click()
        secretariat.get_by_role("link", name="非公開にする").click()
        self.assert_accessible(secretariat)
        secretariat.get_by_label("非公開にする理由").fill("開催状況を確認中のため")
        secretariat.get_by_role("button", name="非公開にする").click()
        expect(secretariat.locator(".messages")).to_contain_text("非公開にしました")
        expect(secretariat.locator(".resource-actions")).to_contain_text("開催状況を確認中のため")
        resource.refresh_from_db()
        self.assertEqual(resource.status, Resource.Status.UNPUBLISHED)

        self.assert_no_console_errors()

        resident = self.new_page()
        response = resident.goto(self.url(f"/resources/{resource.pk}/"))
        assert response is not None
        self.assertEqual(response.status, 404)

    def test_a_resident_reports_an_error_from_the_detail_page(self) -> None:
        # A person needs at least 3 seconds to send the report; the test is faster.
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        resource = factory.make_resource("サンプル 子ども食堂", organization=self.organization)
        page = self.new_page(bypass_csp=True)
        self.visit(page, f"/resources/{resource.pk}/")
        page.get_by_role("link", name="情報の誤りを報告").click()
        self.assert_accessible(page)
        page.get_by_label("誤りの内容").fill("開催日が第3土曜に変わっています。")
        page.get_by_role("button", name="報告を送る").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("報告を受け付けました")
        self.assertEqual(resource.error_reports.get().message, "開催日が第3土曜に変わっています。")


@pytest.mark.browser
class PinPickerTest(BrowserTestCase):
    """A place gets its map pin without typing coordinates, by keyboard alone."""

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(MAP_TILE_URL=""))  # no request leaves the machine
        organization = Organization.objects.get(roster_no=13)
        self.staff = factory.make_user(
            "pin@example.jp", User.Role.MEMBER, organization=organization
        )

    def test_staff_place_a_pin_by_keyboard_and_the_coordinates_are_saved(self) -> None:
        page = self.new_page(bypass_csp=False)  # the site's real Content Security Policy
        self.sign_in_as(page, self.staff)
        self.visit(page, "/manage/resources/new/")
        page.locator("#id_name").fill("サンプル ピンのある居場所")
        page.locator("#id_description").fill("地図のピンを置く例です（サンプル）。")
        page.locator("#id_kinds").get_by_label("居場所").check()
        page.locator("#id_loc-0-name").fill("サンプル 公民館")
        page.locator("#id_loc-0-municipality").select_option(label="藤沢市")
        status = page.locator("#loc-0-pin-status")
        expect(status).to_have_text("ピンはまだ置いていません。")

        # From the longitude field, Tab reaches the map; Enter puts the pin at its centre
        # (藤沢市's), and two presses of the up arrow move it north.
        page.locator("#id_loc-0-longitude").focus()
        page.keyboard.press("Tab")
        expect(page.locator("#loc-0-pin-map")).to_be_focused()
        page.keyboard.press("Enter")
        expect(status).to_have_text("選んだ位置：緯度 35.339000、経度 139.490000")
        expect(page.locator("#id_loc-0-latitude")).to_have_value("35.339000")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        expect(status).not_to_have_text("選んだ位置：緯度 35.339000、経度 139.490000")
        latitude = float(page.locator("#id_loc-0-latitude").input_value())
        longitude = float(page.locator("#id_loc-0-longitude").input_value())
        self.assertGreater(latitude, 35.339)
        self.assertAlmostEqual(longitude, 139.49, places=4)
        self.assert_no_console_errors()

        page.get_by_role("button", name="保存する").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/manage/resources/$"))
        location = Resource.objects.get(name="サンプル ピンのある居場所").locations.get()
        self.assertAlmostEqual(float(location.latitude or 0), latitude, places=6)
        self.assertAlmostEqual(float(location.longitude or 0), longitude, places=6)

    def test_the_picker_is_accessible_and_the_typed_fields_stay(self) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.staff)
        self.visit(page, "/manage/resources/new/")
        expect(page.locator("#loc-0-pin-map")).to_be_visible()
        page.locator("#id_loc-0-latitude").fill("35.466")
        page.locator("#id_loc-0-longitude").fill("139.622")
        page.locator("#id_loc-0-longitude").blur()
        expect(page.locator("#loc-0-pin-status")).to_have_text(
            "選んだ位置：緯度 35.466000、経度 139.622000"
        )
        expect(page.locator("#loc-0-pin-map .leaflet-marker-icon")).to_have_count(1)
        page.get_by_role("button", name="ピンを外す").click()
        expect(page.locator("#id_loc-0-latitude")).to_have_value("")
        self.assert_accessible(page)
