"""やさしい日本語 on every public page: the switch, the cookie that keeps it, the chrome,
and a sweep that fails when a page shows a string that has no easy text."""

from __future__ import annotations

import gettext as gettext_module
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase
from django.utils import translation
from django.utils.translation import trans_real

from tests.public_pages import PUBLIC_PAGES, PublicPage, make_data
from tsunagari.core.wording import EASY_LANGUAGE
from tsunagari.lib.antibot import issue_token

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

    def visit(self, entry: PublicPage, data: dict[str, Any], **extra: Any) -> Any:
        """The page as a resident reaches it (the self-check result: by answering)."""
        url = entry.url(data)
        if entry.action == "answer_selfcheck":
            answers = {**SELFCHECK_ANSWERS, "shown_at": issue_token(now=time.time() - 60)}
            return self.client.post(url, answers, **extra)
        return self.client.get(url, **extra)


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
