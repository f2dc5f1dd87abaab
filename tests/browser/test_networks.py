"""Partner networks in the browser: the secretariat imports a network's directory
(preview → confirm), and a resident reads the network's page on a phone."""

from __future__ import annotations

import json
import tempfile

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory.models import Resource
from tsunagari.directory.tests.hsds_support import example
from tsunagari.rollout.models import NetworkResource, PartnerNetwork
from tsunagari.rollout.network_sample import SAMPLE_NAME, load_sample_networks

require_chromium()
pytestmark = pytest.mark.browser

# Is the page wider than the phone? (as the public-page sweep measures it)
WIDER = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def hsds_file(document: object) -> dict[str, object]:
    return {
        "name": "directory.json",
        "mimeType": "application/json",
        "buffer": json.dumps(document, ensure_ascii=False).encode("utf-8"),
    }


@pytest.mark.browser
class NetworkImportTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = self.enterContext(tempfile.TemporaryDirectory())  # previews are kept here
        self.enterContext(override_settings(VAR_DIR=folder))

    def test_the_secretariat_previews_then_imports_and_the_resource_names_the_network(
        self,
    ) -> None:
        network = PartnerNetwork.objects.create(
            name="【テスト】くらし支援ネットワーク",
            liaison_body="【テスト】事務局",
            source_name="【テスト】県の支援機関一覧",
        )
        secretariat = factory.make_user("net-import@example.jp", User.Role.SECRETARIAT)
        page = self.new_page(mobile=False)
        self.sign_in_as(page, secretariat)
        self.visit(page, f"/networks/{network.pk}/")
        page.get_by_role("link", name="社会資源を取り込む（HSDS）").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("社会資源を取り込む（HSDS）")
        self.assert_accessible(page)

        # A file with an error: refused with its place, nothing written.
        broken = example("service_full.json")
        broken["name"] = ""
        page.get_by_label("HSDS 3.0 の JSON ファイル").set_input_files(hsds_file(broken))
        page.get_by_role("button", name="内容を確認する").click()
        expect(page.locator("#import-errors")).to_contain_text("名称（name）がありません。")
        self.assertFalse(Resource.objects.exists())
        self.assert_accessible(page)

        page.get_by_label("HSDS 3.0 の JSON ファイル").set_input_files(
            hsds_file(example("service_full.json"))
        )
        page.get_by_role("button", name="内容を確認する").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("取り込む内容の確認")
        expect(page.locator("#import-summary")).to_contain_text(
            "新しく登録 1件、更新 0件。まだ取り込んでいません。"
        )
        self.assertFalse(Resource.objects.exists())
        self.assert_accessible(page)
        page.get_by_role("button", name="この内容で取り込む").click()
        expect(page.get_by_role("status")).to_contain_text("社会資源を1件登録し、0件更新しました")
        expect(page.locator("#resource-count")).to_contain_text("1件の社会資源")
        self.assertEqual(NetworkResource.objects.filter(network=network).count(), 1)

        # The resource's public page names where it came from.
        page.get_by_role("link", name="Community Counselling").click()
        source = page.locator(".network-source")
        expect(source).to_contain_text("（連携ネットワークから取り込み）")
        source.get_by_role("link", name=network.name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(network.name)


@pytest.mark.browser
class NetworkPageTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(override_settings(VAR_DIR=folder))

    def test_a_resident_reads_the_networks_on_a_phone(self) -> None:
        from tsunagari.directory.sample import load_sample_organizations

        load_sample_organizations()
        load_sample_networks()
        page = self.new_page()
        self.visit(page, "/networks/")
        expect(page.get_by_role("heading", level=1)).to_have_text("連携するネットワーク")
        self.assertFalse(page.evaluate(WIDER))
        self.assert_accessible(page)
        page.get_by_role("link", name=SAMPLE_NAME).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(SAMPLE_NAME)
        expect(page.locator("#resource-count")).to_contain_text("4件の社会資源")
        expect(page.locator(".network-members")).to_contain_text("【サンプル】くらし相談ネット藤沢")
        self.assertFalse(page.evaluate(WIDER))
        self.assert_accessible(page)
        # In やさしい日本語 too.
        page.goto(page.url.split("?")[0] + "?wording=easy")
        expect(page.locator("#resource-count")).to_contain_text("4けん")
        self.assertFalse(page.evaluate(WIDER))
        self.assert_accessible(page)
