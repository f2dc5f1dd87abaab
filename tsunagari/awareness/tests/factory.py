"""Makers for the awareness month's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tsunagari import factory
from tsunagari.awareness.models import AwarenessItem


def make_may_event(
    name: str,
    organization: Any,
    *,
    day: dt.date = dt.date(2027, 5, 12),
    **kwargs: Any,
) -> Any:
    """A published resource of `organization` meeting once on `day` (14:00–16:00)."""
    kwargs.setdefault("kinds", ("event",))
    kwargs.setdefault(
        "schedules",
        ({"frequency": "once", "starts_on": day, "opens_at": "14:00", "closes_at": "16:00"},),
    )
    return factory.make_resource(name, organization=organization, **kwargs)


def make_item(title: str = "【テスト】月間の特別電話相談", **fields: Any) -> AwarenessItem:
    fields.setdefault("kind", AwarenessItem.Kind.NATIONAL_LINE)
    fields.setdefault("starts_on", dt.date(2027, 5, 1))
    fields.setdefault("ends_on", dt.date(2027, 5, 31))
    fields.setdefault("source", "テスト用の出典")
    fields.setdefault("url", "https://example.org/test/special-line/")
    return AwarenessItem.objects.create(title=title, **fields)
