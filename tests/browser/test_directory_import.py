"""A member's staff import resources from a CSV file in the browser."""

from __future__ import annotations

import tempfile

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory.models import Resource
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser

HEADER = "名称,内容,種類,市区町村,日程\r\n"
GOOD = "サンプル 水曜ひろば,どなたでも立ち寄れます。,居場所,藤沢市,毎週水曜 10:00-12:00\r\n"


def csv_file(text: str) -> dict[str, object]:
    return {"name": "resources.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8-sig")}


@pytest.mark.browser
class ResourceImportTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = self.enterContext(tempfile.TemporaryDirectory())  # previews are kept here
        self.enterContext(override_settings(VAR_DIR=folder))

    def test_staff_fix_a_bad_row_by_its_line_number_and_import(self) -> None:
        organization = Organization.objects.get(roster_no=13)
        staff = factory.make_user("import@example.jp", User.Role.MEMBER, organization=organization)
        page = self.new_page(mobile=False)
        self.sign_in_as(page, staff)
        self.visit(page, "/manage/resources/import/")
        expect(page.get_by_role("heading", level=1)).to_have_text("社会資源をCSVで一括登録")
        self.assert_accessible(page)

        bad = HEADER + GOOD + "サンプル 土曜の会,説明,カラオケ,藤沢市,第2・第4土曜\r\n"
        page.get_by_label("CSVファイル").set_input_files(csv_file(bad))
        page.get_by_role("button", name="内容を確認する").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "1行に誤りがあります。何も登録していません。"
        )
        errors = page.get_by_role("table", name="誤りのある行")
        expect(errors.get_by_role("row")).to_have_count(2)
        expect(errors).to_contain_text("3行目")
        expect(errors).to_contain_text("種類「カラオケ」は登録されていません。")
        self.assertFalse(Resource.objects.exists())
        self.assert_accessible(page)

        fixed = bad.replace("カラオケ", "イベント")
        page.get_by_label("CSVファイル").set_input_files(csv_file(fixed))
        page.get_by_role("button", name="内容を確認する").click()
        # The preview: what would be created, nothing written yet.
        expect(page.get_by_role("heading", level=1)).to_have_text("登録内容の確認")
        expect(page.locator("#import-summary")).to_contain_text(
            "新しく登録 2件、更新 0件。まだ登録していません。"
        )
        created = page.get_by_role("table", name="新しく登録する社会資源（2件）")
        expect(created.get_by_role("row")).to_have_count(3)
        expect(created).to_contain_text("サンプル 土曜の会")
        self.assertFalse(Resource.objects.exists())
        self.assert_accessible(page)
        page.get_by_role("button", name="この内容で登録する").click()
        expect(page.get_by_role("status")).to_contain_text("社会資源を2件登録しました")
        expect(page.get_by_role("table", name="誤りのある行")).to_have_count(0)
        self.assertEqual(
            sorted(Resource.objects.values_list("name", flat=True)),
            ["サンプル 土曜の会", "サンプル 水曜ひろば"],
        )
        self.assert_accessible(page)

        # The same file again updates the two instead of doubling them, after a preview
        # that says so; going back and confirming the used preview again adds nothing.
        page.get_by_label("CSVファイル").set_input_files(
            csv_file(fixed.replace("どなたでも立ち寄れます。", "毎週水曜に開きます。"))
        )
        page.get_by_role("button", name="内容を確認する").click()
        expect(page.locator("#import-summary")).to_contain_text("新しく登録 0件、更新 2件")
        expect(page.get_by_role("table", name="更新する社会資源（2件）")).to_be_visible()
        page.get_by_role("button", name="この内容で登録する").click()
        expect(page.get_by_role("status")).to_contain_text("0件登録し、2件更新しました")
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text("登録内容の確認")
        page.get_by_role("button", name="この内容で登録する").click()
        expect(page.get_by_role("status")).to_contain_text("すでに登録したか、期限が切れています")
        self.assertEqual(Resource.objects.count(), 2)
        self.assertEqual(
            Resource.objects.get(name="サンプル 水曜ひろば").description, "毎週水曜に開きます。"
        )
        self.assert_accessible(page)
        self.assert_no_console_errors()


@pytest.mark.browser
class OpenDataPageTest(BrowserTestCase):
    def test_the_open_data_page_is_accessible_and_links_the_events_file(self) -> None:
        page = self.new_page()
        self.visit(page, "/opendata/")
        link = page.get_by_role("link", name="イベント一覧をダウンロード（events.csv）")
        expect(link).to_have_attribute("href", "/opendata/events.csv")
        self.assert_accessible(page)
        self.assert_no_console_errors()
