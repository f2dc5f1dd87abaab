"""Makers for the completion tests: a course under way, one that has not begun, one long
over (on top of tests/factory.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tsunagari.supporters.models import Course
from tsunagari.supporters.tests.factory import make_course


def course_at(start_offset: timedelta, **fields: Any) -> Course:
    """A published course starting `start_offset` from now (negative: it has begun)."""
    course = make_course(**fields)
    starts = timezone.now() + start_offset
    Course.objects.filter(pk=course.pk).update(
        starts_at=starts, deadline=starts - timedelta(days=1)
    )
    course.refresh_from_db()
    return course


def running_course(**fields: Any) -> Course:
    """Under way: began ten minutes ago."""
    return course_at(timedelta(minutes=-10), **fields)
