"""Template filters for Japanese dates: {{ day|wareki }} → 令和7年7月30日."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import get_language

from tsunagari.core.wording import EASY_LANGUAGE, easy_date
from tsunagari.lib.wareki import format_wareki

register = template.Library()


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value: date | datetime | None) -> str:
    """和暦 in Japanese; 2025年7月30日 in やさしい日本語; "30 July 2025" in other languages.

    The month name comes from Django's translations, not from `strftime("%B")`, which
    follows the C library's locale of the process rather than the request's language.
    """
    if value in (None, ""):
        return ""
    assert value is not None
    day = _as_date(value)
    if get_language() == EASY_LANGUAGE:
        return easy_date(day)
    if (get_language() or "ja").startswith("ja"):
        return format_wareki(day)
    return dateformat.format(day, "j F Y")


@register.filter
def wareki_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{wareki(local)} {local:%H:%M}"
