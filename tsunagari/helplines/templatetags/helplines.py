"""{% crisis_block %}: 「いますぐ助けが必要なとき」, wherever a person may need it now.

The block reads the published national lines (one query) and shows them in the
visitor's wording: English (the list's own English names and hours), やさしい日本語 when
the page was asked for it (?wording=easy, or a page that already decided, such as the
self-check result with its `easy` / `wording`), else Japanese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from tsunagari.helplines.models import NationalLine
from tsunagari.helplines.wording import context_is_easy

register = template.Library()

_URL_RE = re.compile(r"https?://[^\s)）]+")


def tel_href(phone: str) -> str:
    """tel: URI of a number as the list writes it; "#9999" keeps its # (as %23)."""
    digits = re.sub(r"[^0-9#]", "", phone)
    return "tel:" + digits.replace("#", "%23") if digits else ""


@dataclass(frozen=True)
class ShownLine:
    """One line as the block shows it, already in the visitor's wording."""

    line: NationalLine
    name: str
    hours: str
    languages: list[str]
    for_whom: list[str]
    tel: str
    link: str  # a chat / SNS / information page, when the list gives one
    link_text: str  # the rest of the sns_or_url text, e.g. "LINE ID: @kana_kodomo110"
    source_host: str

    @property
    def is_chat(self) -> bool:
        return self.line.kind in (NationalLine.Kind.CHAT, NationalLine.Kind.SNS)


# 110 and 119 in やさしい日本語 (the list names them in kanji only).
EASY_EMERGENCY = {"110": "けいさつ", "119": "かじ・きゅうきゅうしゃ"}


def shown(line: NationalLine, *, english: bool, easy: bool) -> ShownLine:
    link_match = _URL_RE.search(line.url)
    link = link_match.group(0) if link_match else ""
    rest = _URL_RE.sub("", line.url).strip(" ()（）") if link else line.url
    return ShownLine(
        line=line,
        name=(
            EASY_EMERGENCY.get(line.phone, line.name_ja)
            if easy
            else line.name_en
            if english and line.name_en
            else line.name_ja
        ),
        hours=(line.hours_en if english and line.hours_en else line.hours_ja),
        languages=line.language_labels(easy=easy),
        for_whom=[] if line.for_everyone else line.target_labels(easy=easy),
        tel=tel_href(line.phone),
        link=link,
        link_text=rest,
        source_host=urlsplit(line.source_url).hostname or line.source_url,
    )


@register.inclusion_tag("helplines/_crisis_block.html", takes_context=True)
def crisis_block(context: template.Context, expanded: bool = False) -> dict[str, Any]:
    """The block; `expanded` opens the lines with set hours (the /help/ page)."""
    easy = context_is_easy(context)
    english = not easy and (get_language() or "ja").startswith("en")
    lines = [
        shown(line, english=english, easy=easy)
        for line in NationalLine.objects.for_residents(timezone.localdate())
    ]
    return {
        "easy": easy,
        "expanded": expanded,
        "emergency": [s for s in lines if s.line.kind == NationalLine.Kind.EMERGENCY],
        "round_the_clock": [
            s for s in lines if s.line.kind != NationalLine.Kind.EMERGENCY and s.line.is_24h
        ],
        "set_hours": [
            s for s in lines if s.line.kind != NationalLine.Kind.EMERGENCY and not s.line.is_24h
        ],
        "request": context.get("request"),
    }
