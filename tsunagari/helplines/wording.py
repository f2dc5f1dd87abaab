"""Which wording a page of this app speaks.

The rule is the self-check's `wording_for` (surveys/items.py): やさしい日本語 when the
page was asked for it with ?wording=easy, in any width or case. helplines stands below
surveys, so it applies the rule here instead of importing it.
"""

from __future__ import annotations

from typing import Any

from tsunagari.lib.text import normalize_text

EASY = "easy"


def asks_for_easy(requested: object) -> bool:
    return isinstance(requested, str) and normalize_text(requested).strip().lower() == EASY


def context_is_easy(context: Any) -> bool:
    """A page that already decided says so with `easy` (the self-check result) or
    `wording`; otherwise the request's ?wording= decides."""
    if context.get("easy") is True or context.get("wording") == EASY:
        return True
    request = context.get("request")
    return request is not None and asks_for_easy(request.GET.get("wording"))
