"""The English catalogue is complete: an English-speaking user never meets a stray
untranslated string from a page we built."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block]


def msgstrs(block: str) -> list[str]:
    """The translated texts of one entry (one per plural form), with continuation lines."""
    found: list[str] = []
    current: list[str] | None = None
    for line in block.splitlines():
        if line.startswith("msgstr"):
            current = [re.sub(r'^msgstr(\[\d+\])? "(.*)"$', r"\2", line)]
            found.append("")
        elif line.startswith('"') and current is not None:
            current.append(line[1:-1])
        else:
            current = None
            continue
        found[-1] = "".join(current)
    return found


class EnglishCatalogueTests(SimpleTestCase):
    def test_every_message_is_translated_and_none_is_fuzzy(self) -> None:
        blocks = entries(CATALOGUE.read_text(encoding="utf-8"))[1:]  # skip the header
        self.assertGreater(len(blocks), 100)
        untranslated = [b for b in blocks if not all(msgstrs(b))]
        fuzzy = [b for b in blocks if "#, fuzzy" in b]
        self.assertEqual(untranslated, [])
        self.assertEqual(fuzzy, [])
