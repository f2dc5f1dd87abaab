"""「いますぐ助けが必要なとき」 where a person may need it now: /help/, /consult/, the
self-check result and the voice thanks page; a link in the footer of every public page;
in Japanese, English and やさしい日本語."""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from tests.public_pages import PUBLIC_PAGES, make_data
from tsunagari.helplines.models import NationalLine
from tsunagari.lib.antibot import issue_token
from tsunagari.test import BaseTestCase

YORISOI = "よりそいホットライン"


def selfcheck_answers(**overrides: str) -> dict[str, str]:
    data = {"ucla_1": "2", "ucla_2": "3", "ucla_3": "2", "direct": "2", "homepage": ""}
    data["shown_at"] = issue_token(now=time.time() - 60)
    data.update(overrides)
    return data


class CrisisBlockTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def crisis(self, html: str) -> str:
        match = re.search(r'<section class="crisis.*?</section>', html, re.S)
        self.assertIsNotNone(match, "no crisis block on the page")
        assert match is not None
        return match.group(0)

    def in_english(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


class WhereItIsTests(CrisisBlockTestCase):
    def assert_block(self, html: str) -> None:
        block = self.crisis(html)
        self.assertIn('href="tel:110"', block)
        self.assertIn('href="tel:119"', block)
        self.assertIn('href="tel:0120279338"', block)  # よりそいホットライン
        self.assertIn("情報確認日", block)
        self.assertIn("平成25年8月8日", block)  # its source's seen date, in 和暦
        self.assertIn('href="http://www.mhlw.go.jp/stf/houdou/yorisoigatasoudansienjigyou/"', block)

    def test_the_help_page(self) -> None:
        self.assert_block(self.client.get("/help/").content.decode())

    def test_consult_has_it_at_the_top_before_the_members_windows(self) -> None:
        html = self.client.get("/consult/").content.decode()
        self.assert_block(html)
        self.assertLess(html.index('class="crisis'), html.index("地域の相談窓口"))

    def test_the_self_check_result(self) -> None:
        r = self.client.post("/selfcheck/", selfcheck_answers())
        self.assertEqual(r.status_code, 200)
        self.assert_block(r.content.decode())

    def test_the_voice_thanks_page(self) -> None:
        self.assert_block(self.client.get("/voice/thanks/").content.decode())

    def test_the_footer_of_every_public_page_links_to_help(self) -> None:
        data = make_data()
        for entry in PUBLIC_PAGES:
            with self.subTest(page=entry.name):
                html = self.client.get(entry.url(data)).content.decode()
                footer = html[html.index('<footer class="site-footer">') :]
                self.assertIn('href="/help/"', footer)

    def test_a_fresh_install_consult_page_is_never_empty(self) -> None:
        """No directory resource at all: the national lines are still there."""
        from tsunagari.directory.models import Resource

        self.assertFalse(Resource.objects.exists())
        block = self.crisis(self.client.get("/consult/").content.decode())
        shown = NationalLine.objects.for_residents().count()
        self.assertGreaterEqual(shown, 10)
        self.assertEqual(block.count('class="crisis-line"') + 2, shown)  # + 110 and 119


class WhatItShowsTests(CrisisBlockTestCase):
    def test_24_hour_lines_come_before_lines_with_set_hours(self) -> None:
        block = self.crisis(self.client.get("/help/").content.decode())
        self.assertLess(block.index(YORISOI), block.index("24時間つながる窓口") + 10_000)
        self.assertLess(block.index(YORISOI), block.index("受付時間が決まっている窓口"))
        self.assertGreater(
            block.index("こどもの人権110番"), block.index("受付時間が決まっている窓口")
        )

    def test_it_says_free_or_not_and_the_languages(self) -> None:
        block = self.crisis(self.client.get("/help/").content.decode())
        self.assertIn("通話料がかかります", block)  # the navi-dial lines
        self.assertIn("タガログ語", block)

    def test_lines_waiting_for_a_source_or_retired_are_not_shown(self) -> None:
        NationalLine.objects.filter(name_ja=YORISOI).update(status="retired")
        block = self.crisis(self.client.get("/help/").content.decode())
        self.assertNotIn(YORISOI, block)
        self.assertNotIn("チャイルドライン", block)  # no seen date: waits for the secretariat

    def test_9999_is_not_shown_outside_a_period(self) -> None:
        self.assertNotIn("#9999", self.crisis(self.client.get("/help/").content.decode()))

    def test_the_block_reads_the_lines_in_one_query(self) -> None:
        from django.template import Context, Template
        from django.test import RequestFactory

        template = Template("{% load helplines %}{% crisis_block %}")
        request = RequestFactory().get("/")
        with self.assertNumQueries(1):
            template.render(Context({"request": request}))


class WordingTests(CrisisBlockTestCase):
    def test_english_uses_the_lists_english_names_and_hours(self) -> None:
        self.in_english()
        block = self.crisis(self.client.get("/consult/").content.decode())
        self.assertIn("If you need help right now", block)
        self.assertIn("Yorisoi Hotline (general consultation line)", block)
        self.assertIn("24 hours a day, 365 days a year", block)
        self.assertIn("Source", block)
        self.assertIn("8 August 2013", block)
        self.assertNotIn(YORISOI, block)

    def test_english_on_the_self_check_result(self) -> None:
        self.in_english()
        r = self.client.post("/selfcheck/", selfcheck_answers())
        self.assertIn("Police emergency 110", self.crisis(r.content.decode()))

    def test_easy_japanese_on_help_consult_and_voice_thanks(self) -> None:
        for path in (
            "/help/?wording=easy",
            "/consult/?wording=easy",
            "/voice/thanks/?wording=easy",
        ):
            with self.subTest(path=path):
                block = self.crisis(self.client.get(path).content.decode())
                self.assertIn("でんわ", block)
                self.assertIn("むりょう", block)
                self.assertNotIn("受付時間が決まっている窓口", block)

    def test_easy_japanese_on_the_self_check_result(self) -> None:
        r = self.client.post("/selfcheck/", selfcheck_answers(wording="easy"))
        block = self.crisis(r.content.decode())
        self.assertIn("いますぐ <ruby>助<rt>たす</rt></ruby>けが ほしい とき", block)

    def test_a_full_width_easy_request_is_easy_too(self) -> None:
        html = self.client.get("/help/?wording=ＥＡＳＹ").content.decode()
        self.assertIn("ふつうの", html)


@override_settings(LANGUAGE_CODE="ja")
class HelpPageTests(CrisisBlockTestCase):
    def test_it_links_the_easy_version_and_the_local_windows(self) -> None:
        r = self.client.get("/help/")
        self.assertContains(r, 'href="/help/?wording=easy"')
        self.assertContains(r, 'href="/consult/"')
        self.assertContains(r, "<h1>いますぐ助けが必要なとき</h1>", html=False)
