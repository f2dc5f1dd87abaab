"""A resident answers the self-check on a phone, reads the result with suggestions from
the directory, and prints it; the same in やさしい日本語."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.surveys.models import SelfCheckResponse

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class SelfCheckJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        # A person needs at least 3 seconds; the test answers faster than any person.
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        factory.make_resource("サンプル 湘南のおしゃべりサロン", municipality="142051")
        factory.make_resource(
            "サンプル こころの相談（平日）",
            kinds=("consultation",),
            concerns=("kokoro",),
            municipality="142051",
            phone="0466-00-0000",
        )
        factory.make_resource(
            "サンプル 24時間の電話相談",
            kinds=("consultation",),
            municipality=None,
            is_24h=True,
            phone="0120-000-000",
        )

    def choose(self, page: Any, question: str, answer: str) -> None:
        group = page.get_by_role("group", name=re.compile(question))
        group.get_by_label(answer, exact=True).check()

    def test_a_resident_answers_on_a_phone_sees_suggestions_and_prints(self) -> None:
        page = self.new_page(mobile=True)
        self.visit(page, "/")
        page.get_by_role("link", name="こころのセルフチェック").click()
        page.wait_for_url(re.compile(r"/selfcheck/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("こころのセルフチェック")
        self.assert_accessible(page)

        # Every answer is a large tap target.
        first = page.get_by_role("group", name=re.compile("人とのつきあいが無い"))
        box = first.locator("label").first.bounding_box()
        assert box is not None
        self.assertGreaterEqual(box["height"], 44)
        self.assertGreater(box["width"], 300)

        self.choose(page, "人とのつきあいが無い", "常にある")
        self.choose(page, "取り残されている", "時々ある")
        self.choose(page, "孤立している", "時々ある")
        self.choose(page, "どの程度、孤独", "時々ある")
        page.get_by_label("お住まいの市区町村").select_option(label="藤沢市")
        helps = page.get_by_role("group", name=re.compile("あるとよいもの"))
        helps.get_by_label("話し相手").check()
        helps.get_by_label("こころ").check()
        page.get_by_role("button", name="結果を見る").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
        # The answers are not in the address.
        self.assertTrue(page.url.endswith("/selfcheck/"))
        main = page.get_by_role("main")
        expect(main).to_contain_text("10点")
        expect(main).to_contain_text("このチェックは診断ではありません。")
        expect(main).to_contain_text("45.7%")
        # Indirect 10: consultation windows come first, the 24-hour one first of all.
        headings = main.get_by_role("heading", level=2).all_inner_texts()
        self.assertEqual(headings[0], "話を聞いてくれる窓口があります")
        windows = main.locator(".reach-out .window-card h3").all_inner_texts()
        self.assertEqual(windows, ["サンプル 24時間の電話相談", "サンプル こころの相談（平日）"])
        expect(main.get_by_role("link", name="電話する 0120-000-000")).to_have_attribute(
            "href", "tel:0120000000"
        )
        expect(main.locator(".places")).to_contain_text("サンプル 湘南のおしゃべりサロン")
        self.assert_accessible(page)

        saved = SelfCheckResponse.objects.get()
        self.assertEqual((saved.indirect_score, saved.direct, saved.wording), (10, 4, "ja"))
        self.assertEqual(saved.municipality_id, "142051")

        # The print button (shown by the script) prints; the print view is the result alone.
        page.evaluate("window.print = () => { window.printed = true; }")
        page.get_by_role("button", name="印刷する").click()
        self.assertTrue(page.evaluate("window.printed === true"))
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".site-footer")).to_be_hidden()
        expect(page.get_by_role("button", name="印刷する")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator(".score-number")).to_have_text("10")
        expect(page.locator(".reach-out")).to_contain_text("サンプル 24時間の電話相談")
        color = page.evaluate("getComputedStyle(document.body).color")
        self.assertEqual(color, "rgb(0, 0, 0)")
        self.assert_no_console_errors()

    def test_easy_japanese_from_the_form_to_the_result(self) -> None:
        page = self.new_page(mobile=True)
        self.visit(page, "/selfcheck/")
        page.get_by_role("link", name="やさしい日本語").click()
        page.wait_for_url(re.compile(r"/selfcheck/\?wording=easy$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("こころの セルフチェック")
        self.assert_accessible(page)

        self.choose(page, "つきあいが ない", "ほとんど ない")
        self.choose(page, "とりのこされている", "ぜんぜん ない")
        self.choose(page, "ひとりぼっちだ」と かんじることが ありますか", "ほとんど ない")
        self.choose(page, "どのくらい", "たまに ある")
        page.get_by_role("group", name=re.compile("あると いいもの")).get_by_label(
            "はなしあいて"
        ).check()
        page.get_by_role("button", name=re.compile("を みる")).click()

        main = page.get_by_role("main")
        expect(main).to_contain_text("これは びょうきの しんだんでは ありません。")
        expect(main.locator(".score-number")).to_have_text("5")
        # Not strong: places come before the windows.
        headings = main.get_by_role("heading", level=2).all_inner_texts()
        self.assertLess(
            headings.index("ちかくの ばしょ・かつどう"),
            next(i for i, h in enumerate(headings) if "できる ところ" in h),
        )
        self.assert_accessible(page)
        self.assertEqual(SelfCheckResponse.objects.get().wording, "easy")
        self.assert_no_console_errors()


@pytest.mark.browser
class SelfCheckMistakeTest(BrowserTestCase):
    """The fill-time check at its real value (3 seconds): a person who fixes a mistake can
    send again at once, and what the result suggests fits what they told."""

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.assertEqual(HumanCheckForm.min_seconds, 3)
        factory.make_resource(
            "サンプル 24時間の電話相談",
            kinds=("consultation",),
            targets=("everyone",),
            municipality=None,
            is_24h=True,
        )
        factory.make_resource(
            "サンプル 女性の24時間ダイヤル",
            kinds=("consultation",),
            targets=("josei",),
            municipality=None,
            is_24h=True,
        )
        factory.make_resource(
            "サンプル 外国籍の方の相談",
            kinds=("consultation",),
            targets=("gaikoku",),
            languages=("en", "zh"),
            municipality="142051",
        )
        factory.make_resource(
            "サンプル 藤沢のこころ相談",
            kinds=("consultation",),
            targets=("everyone",),
            municipality="142051",
        )

    def choose(self, page: Any, question: str, answer: str) -> None:
        group = page.get_by_role("group", name=re.compile(question))
        group.get_by_label(answer, exact=True).check()

    def test_a_fixed_mistake_is_sent_at_once_and_the_windows_fit(self) -> None:
        page = self.new_page(mobile=True)
        self.visit(page, "/selfcheck/")
        self.choose(page, "人とのつきあいが無い", "常にある")
        self.choose(page, "取り残されている", "時々ある")
        self.choose(page, "孤立している", "時々ある")
        page.get_by_label("お住まいの市区町村").select_option(label="藤沢市")
        page.wait_for_timeout(3300)  # a person reading the questions: the only wait
        page.get_by_role("button", name="結果を見る").click()

        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("いちばん近いものを1つ選んでください。")
        self.assert_accessible(page)
        self.choose(page, "どの程度、孤独", "時々ある")
        page.get_by_role("button", name="結果を見る").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
        self.assertEqual(SelfCheckResponse.objects.count(), 1)
        # Strong answers, no gender or language told: general and local lines only.
        windows = page.locator(".reach-out .window-card h3").all_inner_texts()
        self.assertEqual(windows, ["サンプル 24時間の電話相談", "サンプル 藤沢のこころ相談"])
        self.assert_accessible(page)
        # The form with the mistake came back as 400 Bad Request, as it should.
        self.console_errors = [e for e in self.console_errors if "status of 400" not in e]
        self.assert_no_console_errors()
