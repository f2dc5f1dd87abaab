"""やさしい日本語 on every public page: the switch, the cookie that keeps it, the chrome,
and a sweep that fails when a page shows a string that has no easy text."""

from __future__ import annotations

import gettext as gettext_module
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.test import Client, TestCase
from django.utils import translation
from django.utils.translation import trans_real

from tests.public_pages import PUBLIC_PAGES, PublicPage, make_data
from tsunagari.core.wording import EASY_LANGUAGE
from tsunagari.lib.antibot import issue_token
from tsunagari.test import sign_in

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ja_Easy" / "LC_MESSAGES" / "django.mo"
KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々]")
SELFCHECK_ANSWERS = {"ucla_1": "3", "ucla_2": "3", "ucla_3": "3", "direct": "4", "homepage": ""}


def easy_entries() -> set[Any]:
    with CATALOGUE.open("rb") as mo:
        catalog = gettext_module.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    # A plural entry is stored once per form, as (msgid, n).
    return {key[0] if isinstance(key, tuple) else key for key in catalog}


@contextmanager
def messages_looked_up() -> Iterator[set[str]]:
    """Every message the easy catalogue is asked for while the block runs (templates'
    {% translate %}, forms' labels and errors, Django's own messages)."""
    seen: set[str] = set()
    original = trans_real.DjangoTranslation.gettext
    original_n = trans_real.DjangoTranslation.ngettext

    def recording(self: Any, message: str) -> str:
        if self.language() == EASY_LANGUAGE:
            seen.add(message)
        return original(self, message)

    def recording_n(self: Any, singular: str, plural: str, n: int) -> str:
        if self.language() == EASY_LANGUAGE:
            seen.add(singular)
        return original_n(self, singular, plural, n)

    with (
        mock.patch.object(trans_real.DjangoTranslation, "gettext", recording),
        mock.patch.object(trans_real.DjangoTranslation, "ngettext", recording_n),
    ):
        yield seen


def needs_easy_text(message: str) -> bool:
    """A message whose standard Japanese has kanji needs an easy text; one already in
    kana (「さがす」) reads as it is."""
    with translation.override("ja"):
        standard = translation.gettext(message.split("\x04")[-1]) if "\x04" in message else None
        shown = standard or translation.gettext(message)
    return bool(KANJI.search(shown))


class EasyTestCase(TestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)

    def visit(self, entry: PublicPage, data: dict[str, Any], client: Client | None = None) -> Any:
        """The page as a resident reaches it (the self-check result: by answering)."""
        client = client or self.client
        url = entry.url(data)
        if entry.action == "answer_selfcheck":
            answers = {**SELFCHECK_ANSWERS, "shown_at": issue_token(now=time.time() - 60)}
            return client.post(url, answers)
        return client.get(url)


class EveryPublicPageHasAnEasyVersionTests(EasyTestCase):
    def test_every_string_on_an_easy_page_has_an_easy_text(self) -> None:
        data = make_data()
        entries = easy_entries()
        self.client.get("/?wording=easy")
        for entry in [p for p in PUBLIC_PAGES if p.easy]:
            with self.subTest(page=entry.name), messages_looked_up() as seen:
                r = self.visit(entry, data)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, 'data-wording="easy"')
                missing = sorted(m for m in seen if m not in entries and needs_easy_text(m))
                self.assertEqual(missing, [], f"no easy text on {entry.name}")

    def test_the_errors_of_the_public_forms_have_easy_texts(self) -> None:
        entries = easy_entries()
        self.client.get("/?wording=easy")
        sent = {
            "voice": ("/voice/", {"text": " ", "contact_email": "x", "contact_consent": "on"}),
            "selfcheck": ("/selfcheck/", {"ucla_1": "9", "municipality": "x", "helps": "x"}),
        }
        for name, (url, form) in sent.items():
            with self.subTest(form=name), messages_looked_up() as seen:
                data = {**form, "shown_at": issue_token(now=time.time() - 60), "homepage": ""}
                r = self.client.post(url, data)
                self.assertEqual(r.status_code, 400)
                missing = sorted(m for m in seen if m not in entries and needs_easy_text(m))
                self.assertEqual(missing, [], f"no easy text for the errors of {name}")


class TextOnPage(HTMLParser):
    """The visible text blocks of a page (a <ruby>'s reading left out)."""

    HIDDEN = ("script", "style", "rt", "option", "template")

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.blocks.append(" ".join(data.split()))


def text_blocks(response: Any) -> list[str]:
    parser = TextOnPage()
    parser.feed(response.content.decode())
    return parser.blocks


def data_texts() -> set[str]:
    """What the pages show from the database: names, addresses, descriptions (proper
    nouns of the data, shown as they are in every wording)."""
    from tsunagari.awareness.models import AwarenessItem
    from tsunagari.directory.models import Language, Location, Resource, Schedule
    from tsunagari.geo.models import Municipality
    from tsunagari.helplines.models import NationalLine
    from tsunagari.members.models import Organization

    found: set[str] = set()
    models: tuple[Any, ...] = (
        Resource,
        Location,
        Schedule,
        Municipality,
        Organization,
        Language,
        NationalLine,
    )
    from tsunagari.insights.models import SurveyFigure
    from tsunagari.news.models import Post
    from tsunagari.rollout.models import PopulationFigure

    models += (SurveyFigure, PopulationFigure)  # official sources' titles, shown as they are
    for model in (
        *models,
        AwarenessItem,
        Post,
        *group_and_council_models(),
        *rollout_models(),
        *case_models(),
    ):
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField")
        ]
        for row in model.objects.values_list(*fields):
            found.update(" ".join(value.split()) for value in row if value)
    return found


def group_and_council_models() -> tuple[Any, ...]:
    """分科会 and 地域協議会: names, themes, coordinating bodies and notices are data."""
    from tsunagari.councils.models import CouncilMember, LocalCouncil
    from tsunagari.groups.models import WorkingGroup
    from tsunagari.rollout.models import PartnerNetwork, PartnerNetworkMember

    return (WorkingGroup, LocalCouncil, CouncilMember, PartnerNetwork, PartnerNetworkMember)


def rollout_models() -> tuple[Any, ...]:
    """The roll-out: population sources, local platforms' names and notes are data."""
    from tsunagari.rollout.models import MunicipalityRollout, PopulationFigure

    return (MunicipalityRollout, PopulationFigure)


def case_models() -> tuple[Any, ...]:
    """モデル事例: what members wrote about a case is data."""
    from tsunagari.cases.models import CasePartner, CaseStep, ModelCase

    return (ModelCase, CasePartner, CaseStep)


def is_data(block: str, known: set[str]) -> bool:
    """A block the data wrote (a name, a note), or a list of such (「日本語、英語」)."""
    return all(part in known or any(part in text for text in known) for part in block.split("、"))


class NoPlainTextLeftTests(EasyTestCase):
    def test_no_text_with_kanji_is_the_same_in_both_wordings_unless_it_is_data(self) -> None:
        """Catches text written into a template outside {% translate %}, which the
        catalogue check cannot see."""
        data = make_data()
        plain = Client()
        self.client.get("/?wording=easy")
        known = data_texts()
        for entry in [p for p in PUBLIC_PAGES if p.easy]:
            with self.subTest(page=entry.name):
                standard = set(text_blocks(self.visit(entry, data, client=plain)))
                easy = text_blocks(self.visit(entry, data))
                left = [
                    block
                    for block in easy
                    if block in standard and KANJI.search(block) and not is_data(block, known)
                ]
                self.assertEqual(left, [], f"text not in easy Japanese on {entry.name}")


class SwitchTests(EasyTestCase):
    def test_every_public_page_offers_the_switch_keeping_the_search(self) -> None:
        r = self.client.get("/resources/?q=%E5%B1%85%E5%A0%B4%E6%89%80&page=1")
        self.assertContains(
            r,
            '<a class="wording-link" href="/resources/?page=1&amp;q=%E5%B1%85%E5%A0%B4%E6%89%80'
            '&amp;wording=easy" lang="ja">やさしい にほんご</a>',
            html=True,
        )
        self.assertNotContains(r, "data-wording")

    def test_the_switch_turns_it_on_and_it_stays_on_across_pages(self) -> None:
        r = self.client.get("/?wording=easy")
        self.assertEqual(r.cookies["wording"].value, "easy")
        self.assertTrue(r.cookies["wording"]["httponly"])
        for path in ("/resources/", "/consult/", "/voice/", "/selfcheck/"):
            with self.subTest(path=path):
                r = self.client.get(path)
                self.assertContains(r, '<html lang="ja" data-wording="easy">')
                self.assertContains(r, "ふつうの <ruby>日本語<rt>にほんご</rt></ruby>", html=True)
                self.assertEqual(r["Content-Language"], "ja")
                self.assertIn("Cookie", r["Vary"])

    def test_the_self_check_follows_the_site_switch(self) -> None:
        self.client.get("/?wording=easy")
        r = self.client.get("/selfcheck/")
        self.assertTrue(r.context["easy"])
        self.assertContains(r, '<input type="hidden" name="wording" value="easy"', html=False)

    def test_plain_japanese_turns_it_off(self) -> None:
        self.client.get("/?wording=easy")
        r = self.client.get("/consult/?wording=ja")
        self.assertEqual(r.cookies["wording"].value, "")  # deleted
        self.assertContains(r, '<html lang="ja">')
        self.assertContains(self.client.get("/resources/"), "相談する")
        self.assertNotContains(self.client.get("/resources/"), "data-wording")

    def test_choosing_a_language_turns_it_off(self) -> None:
        self.client.get("/?wording=easy")
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertEqual(r.cookies["wording"].value, "")
        self.assertContains(self.client.get("/"), '<html lang="en">')

    def test_the_language_select_comes_back_without_the_wording(self) -> None:
        r = self.client.get("/resources/?q=a&wording=easy")
        self.assertContains(r, '<input name="next" type="hidden" value="/resources/?q=a">')
        self.assertContains(r, '<option value="ja" selected lang="ja">日本語</option>', html=True)
        self.assertNotContains(r, "ja-easy")  # never a language of the select, nor sent out

    def test_from_english_easy_japanese_is_one_click_and_plain_japanese_one_more(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        r = self.client.get("/consult/")
        self.assertContains(r, 'href="/consult/?wording=easy" lang="ja"')
        r = self.client.get("/consult/?wording=easy")
        self.assertContains(r, '<html lang="ja" data-wording="easy">')
        self.client.get("/consult/?wording=ja")
        r = self.client.get("/consult/")
        self.assertContains(r, '<html lang="ja">')
        self.assertContains(r, "相談したいこと")

    def test_members_pages_stay_in_plain_japanese(self) -> None:
        from tsunagari import factory
        from tsunagari.accounts.models import User

        self.client.get("/?wording=easy")
        sign_in(self.client, factory.make_user("jimu@example.jp", User.Role.SECRETARIAT))
        r = self.client.get("/my/?wording=easy")
        self.assertContains(r, '<html lang="ja">')
        self.assertNotContains(r, "wording-link")
        self.assertContains(r, "相談する")


class ChromeTests(EasyTestCase):
    def test_the_chrome_is_in_easy_japanese(self) -> None:
        with self.settings(DEMO=True):
            r = self.client.get("/voice/?wording=easy")
        html = r.content.decode()
        for easy in (
            "（かならず かいて ください）",
            "相談（そうだん）する",
            "なかまの 団体（だんたい）の リスト",
            "ページの 中身（なかみ）へ すすむ",
            "これは ためしの サイトです。",
            "しつもんは ここへ：神奈川県（かながわけん） 生活援護課（せいかつえんごか）",
            "＊の ところは かならず かいて ください。",
            ">おくる</button>",
        ):
            self.assertIn(easy, html)
        for plain in ("（必須）", "構成員名簿", "デモ環境です", "送信する</button>"):
            self.assertNotIn(plain, html)

    def test_form_errors_are_in_easy_japanese_and_what_was_typed_stays(self) -> None:
        self.client.get("/?wording=easy")
        data = {
            "text": "あ" * 2001,
            "shown_at": issue_token(now=time.time() - 60),
            "homepage": "",
        }
        r = self.client.post("/voice/", data)
        too_long = "2000文字（もじ）まで かけます。いまは 2001文字です。"
        self.assertContains(r, too_long, status_code=400)
        self.assertContains(r, "かいた ことを たしかめて ください", status_code=400)
        self.assertContains(r, "あ" * 2001, status_code=400)

    def test_taxonomy_labels_and_dates_are_easy(self) -> None:
        data = make_data()
        self.client.get("/?wording=easy")
        r = self.client.get(f"/resources/{data['resource']}/")
        self.assertContains(r, "おとしより")  # 高齢者
        self.assertContains(r, "いばしょ")  # 居場所
        self.assertRegex(r.content.decode(), r"つぎは：20\d\d年\d+月\d+日（.）")
        self.assertNotContains(r, "令和")


class EnglishIsUnaffectedTests(EasyTestCase):
    def test_english_pages_stay_english(self) -> None:
        data = make_data()
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        r = self.client.get(f"/resources/{data['resource']}/")
        self.assertContains(r, '<html lang="en">')
        self.assertContains(r, "Older people")
        self.assertNotContains(r, "おとしより")
        self.assertContains(self.client.get("/voice/"), "(required)")

    def test_the_easy_code_is_no_language_of_its_own(self) -> None:
        self.assertNotIn(EASY_LANGUAGE, dict(settings.LANGUAGES))
        self.assertEqual(translation.get_language_info(EASY_LANGUAGE)["code"], "ja")
        with translation.override(EASY_LANGUAGE):
            self.assertEqual(translation.gettext("相談する"), "相談（そうだん）する")
            self.assertFalse(translation.get_language_bidi())
        with translation.override("en"):
            self.assertEqual(translation.gettext("相談する"), "Talk to someone")
        with translation.override("ja"):
            self.assertEqual(translation.gettext("相談する"), "相談する")
