"""Every public page reads in English for a visitor who chose English.

Japanese may appear only where it is the data's own proper noun (a resource's or an
organisation's name, an address, a note a member typed): such text sits in an element
marked `lang="ja"`, which is also what a screen reader needs to pronounce it. Anything
else in Japanese — chrome, labels, a municipality or a taxonomy term — is a missing
translation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.public_pages import PUBLIC_PAGES, make_data
from tsunagari.directory.models import Resource
from tsunagari.lib.antibot import issue_token
from tsunagari.members.models import Organization
from tsunagari.news.models import Post
from tsunagari.test import BaseTestCase

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]+")
# Attributes a visitor sees or hears as text.
VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class VisibleJapanese(HTMLParser):
    """Collects Japanese in text and visible attributes outside lang="ja" elements."""

    def __init__(self, data_names: Iterable[str] = ()) -> None:
        super().__init__(convert_charrefs=True)
        # The <title> cannot mark a part as Japanese: there the data's names are allowed.
        self.data_names = sorted(data_names, key=len, reverse=True)
        # One entry per open element: is its content exempt (hidden or marked Japanese)?
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    @property
    def exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        if tag in HIDDEN_ELEMENTS or "hidden" in values:
            exempt = True
        elif lang is not None and tag != "html":
            exempt = lang.startswith("ja")
        else:
            exempt = self.exempt
        if not exempt:
            for name in VISIBLE_ATTRIBUTES:
                self.check(values.get(name) or "", f"<{tag} {name}>")
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.check(values.get("value") or "", "<input value>")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, exempt))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element (HTML allows some end tags to be left out).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "title":
            for name in self.data_names:
                data = data.replace(name, "")
        if not self.exempt:
            self.check(data, "text")

    def check(self, text: str, where: str) -> None:
        if JAPANESE.search(text):
            self.found.append(f"{where}: {' '.join(text.split())[:120]}")


def visible_japanese(html: str, data_names: Iterable[str] = ()) -> list[str]:
    parser = VisibleJapanese(data_names)
    parser.feed(html)
    parser.close()
    return parser.found


class VisibleJapaneseTests(BaseTestCase):
    """The checker itself."""

    def test_it_finds_japanese_text_and_labels(self) -> None:
        found = visible_japanese(
            '<html lang="en"><p>Hello 検索</p><input placeholder="なまえ"><img alt="地図"></html>'
        )
        self.assertEqual(len(found), 3)

    def test_it_allows_data_marked_japanese_and_hidden_code(self) -> None:
        found = visible_japanese(
            '<html lang="en"><h1 lang="ja">ひだまり <b>サロン</b></h1>'
            "<script>var a = '検索';</script><style>/* 検索 */</style>"
            '<p lang="ja">藤沢市 <span lang="en">Fujisawa</span></p><br><p>ok</p></html>'
        )
        self.assertEqual(found, [])

    def test_it_allows_the_datas_names_in_the_title_only(self) -> None:
        html = "<html><title>ひだまり | 報告 | Site</title><h1>ひだまり</h1></html>"
        self.assertEqual(
            visible_japanese(html, ["ひだまり"]), ["text: | 報告 | Site", "text: ひだまり"]
        )

    def test_it_checks_english_inside_japanese_data(self) -> None:
        found = visible_japanese('<html><p lang="ja">データ <span lang="en">検索</span></p></html>')
        self.assertEqual(found, ["text: 検索"])


class EnglishPagesTests(BaseTestCase):
    """Each page of tests/public_pages.py, in English, shows no Japanese but data."""

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.data = make_data()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        # A request leaves its language active in this thread: don't hand English on.
        self.enterContext(translation.override(settings.LANGUAGE_CODE))

    def fetch(self, entry: Any) -> Any:
        url = entry.url(self.data)
        if entry.action == "answer_selfcheck":
            # Strong answers, as the browser sweep's answer_selfcheck sends, with a place
            # and wishes, so the result names them too.
            return self.client.post(
                url,
                {
                    "ucla_1": "3",
                    "ucla_2": "3",
                    "ucla_3": "3",
                    "direct": "4",
                    "municipality": "142051",
                    "helps": ["talk", "place"],
                    "shown_at": issue_token(now=time.time() - 60),
                    "homepage": "",
                },
            )
        return self.client.get(url)

    def test_every_public_page_reads_in_english(self) -> None:
        names = [
            *Resource.objects.values_list("name", flat=True),
            *Organization.objects.values_list("name", flat=True),
            *Post.objects.values_list("title", flat=True),
        ]
        from tsunagari.cases.models import ModelCase
        from tsunagari.councils.models import LocalCouncil

        names += LocalCouncil.objects.values_list("name", flat=True)
        from tsunagari.rollout.models import PartnerNetwork

        names += PartnerNetwork.objects.values_list("name", flat=True)
        names += ModelCase.objects.values_list("title", flat=True)  # a case page's <title>
        for entry in PUBLIC_PAGES:
            with self.subTest(entry.name):
                response = self.fetch(entry)
                self.assertEqual(response.status_code, 200, entry.name)
                html = response.content.decode()
                self.assertIn('<html lang="en"', html)
                self.assertEqual(visible_japanese(html, names), [], entry.name)
