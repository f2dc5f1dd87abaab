"""Plain makers for courses and registrations (no fixtures), shared by the tests."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from tsunagari.factory import make_resource
from tsunagari.geo.models import Municipality
from tsunagari.supporters.models import Course, Registration

_codes = count(1)


def make_course(
    title: str = "【テスト】つながりサポーター養成講座",
    *,
    days_ahead: int = 14,
    capacity: int = 20,
    online: bool = False,
    municipality: str = "142051",
    **fields: Any,
) -> Course:
    """A published course `days_ahead` days from now at 14:00, 90 minutes, in person at a
    new directory place in `municipality` (or online), open for registration."""
    starts = (timezone.localtime() + timedelta(days=days_ahead)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    fields.setdefault("status", Course.Status.PUBLISHED)
    fields.setdefault("deadline", starts - timedelta(days=1))
    if online:
        fields.setdefault("format", Course.Format.ONLINE)
        fields.setdefault("online_url", "https://meet.example.org/sample-course")
    else:
        fields.setdefault("format", Course.Format.IN_PERSON)
        if "location" not in fields:
            place = make_resource("【テスト】講座の会場", municipality=municipality)
            fields["location"] = place.locations.get()
    return Course.objects.create(
        title=title,
        municipality=Municipality.objects.get(code=municipality),
        starts_at=starts,
        capacity=capacity,
        **fields,
    )


def make_registration(
    course: Course,
    name: str = "テスト 太郎",
    *,
    status: str = Registration.Status.CONFIRMED,
    **fields: Any,
) -> Registration:
    """A registration written directly (no capacity check): for tests that need rows."""
    n = next(_codes)
    fields.setdefault("email", f"participant{n}@example.jp")
    return Registration.objects.create(
        course=course, name=name, status=status, code=f"T{n:07d}", **fields
    )
