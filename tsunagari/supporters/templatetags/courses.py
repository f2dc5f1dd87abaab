"""Filters of the course pages: {{ course|course_when }} → 令和8年12月10日（木）14:00〜15:30."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import get_language

from tsunagari.core.wording import EASY_LANGUAGE, easy_date
from tsunagari.lib.wareki import format_wareki
from tsunagari.supporters.models import Course

register = template.Library()


def day_text(value: datetime) -> str:
    """The local day with its weekday: 和暦 in Japanese, the western year in やさしい日本語."""
    day = timezone.localtime(value).date()
    language = get_language() or "ja"
    if language == EASY_LANGUAGE:
        return easy_date(day, with_weekday=True)
    if language.startswith("ja"):
        return format_wareki(day, with_weekday=True)
    return dateformat.format(day, "D j F Y")


@register.filter
def course_when(course: Course) -> str:
    """The day and the hours of a course."""
    starts = timezone.localtime(course.starts_at)
    ends = timezone.localtime(course.ends_at)
    dash = "–" if (get_language() or "ja").startswith("en") else "〜"
    return f"{day_text(starts)} {starts:%H:%M}{dash}{ends:%H:%M}"


@register.filter
def day_and_time(value: datetime | None) -> str:
    """A moment as day (with weekday) and time: the deadline."""
    if value is None:
        return ""
    return f"{day_text(value)} {timezone.localtime(value):%H:%M}"


@register.filter
def organiser_name(course: Course) -> str:
    """Who runs the course, as the public sees it."""
    from django.utils.translation import gettext

    if course.organization is not None:
        return course.organization.name
    if course.organizing_municipality is not None:
        return course.organizing_municipality.label
    return gettext("かながわつながりネットワーク事務局")
