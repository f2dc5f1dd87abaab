"""Keyword search of the model-case library with the directory's Japanese tokens.

A case keeps its Sudachi-normalised tokens (directory/tokens.py) in `search_tokens` as
" tok1 tok2 … " (a space at each end), so that a query token is found with a plain
`contains " tok "`: the same SQL on SQLite and PostgreSQL, no full-text index to keep.
A query word matches when the case holds its long unit or all of its short parts
(居場所 or 居 + 場所); every query word must match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tsunagari.directory import tokens

if TYPE_CHECKING:
    from tsunagari.cases.models import ModelCase


def case_text(case: ModelCase) -> str:
    parts = [
        case.title,
        case.summary,
        case.issue,
        case.area_note,
        case.resources_used,
        case.cost_note,
        case.period_note,
        case.outcomes,
    ]
    if case.pk:
        parts += [f"{p.name} {p.role}" for p in case.partners.all()]
        parts += [f"{s.title} {s.body}" for s in case.steps.all()]
        parts += [t.name for t in case.themes.all()]
        parts += [t.name for t in case.target_groups.all()]
        parts += [m.name for m in case.municipalities.all()]
    return "\n".join(p for p in parts if p)


def token_string(text: str) -> str:
    found = list(dict.fromkeys(tokens.document_tokens(text)))
    return f" {' '.join(found)} " if found else ""


def index_case(case: ModelCase) -> None:
    """Store the case's tokens (after its partners, steps and labels are saved)."""
    from tsunagari.cases.models import ModelCase

    case.search_tokens = token_string(case_text(case))
    ModelCase.objects.filter(pk=case.pk).update(search_tokens=case.search_tokens)


def keyword_filter(query: str) -> Q | None:
    """The condition for a query, or None when it has no searchable word."""
    groups = tokens.parse_query(query)
    if not groups:
        return None
    condition = Q()
    for group in groups:
        either = Q()
        for alternative in group:
            both = Q()
            for token in alternative:
                both &= Q(search_tokens__contains=f" {token} ")
            either |= both
        condition &= either
    return condition
