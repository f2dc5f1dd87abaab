"""Template filters of the directory's public pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from tsunagari.core.wording import EASY_LANGUAGE, easy_date
from tsunagari.lib.wareki import format_wareki

register = template.Library()


@register.filter
def wareki_weekday(value: dt.date | None) -> str:
    """令和7年8月6日（水）; "Wed 6 August 2025" in other languages."""
    if value is None:
        return ""
    if get_language() == EASY_LANGUAGE:
        return easy_date(value, with_weekday=True)  # やさしい日本語: 2025年8月6日（水）
    if (get_language() or "ja").startswith("ja"):
        return format_wareki(value, with_weekday=True)
    return dateformat.format(value, "D j F Y")


@register.filter
def tel_href(phone: str) -> str:
    """The tel: URI of a phone number as written ("045-000-0000" → "tel:045-000-0000")."""
    digits = re.sub(r"[^0-9+]", "", phone.translate(_FULL_WIDTH_DIGITS))
    return f"tel:{digits}" if digits else ""


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９＋", "0123456789+")


@register.filter
def areas(resource: Any) -> str:
    """Where a resource is, as areas only: "藤沢市、横浜市港北区" (addresses never).

    Reads the prefetched locations with their municipalities.
    """
    names: list[str] = []
    for location in resource.locations.all():
        if location.municipality.label not in names:
            names.append(location.municipality.label)
    if resource.online_only or (resource.is_online and not names):
        names.append(_("オンライン"))
    return pgettext("list separator", "、").join(names)


@register.filter
def schedule_text(schedule: Any) -> str:
    """A schedule in the reader's language, with the note its organiser typed (in
    Japanese, marked so): "Every Wed 10:00–12:00 (<span lang="ja">雨天中止</span>)"."""
    text = schedule.rule.describe()
    if not schedule.note:
        return text
    note = format_html('<span lang="ja">{}</span>', schedule.note)
    return format_html(
        pgettext("a schedule and its note", "{text}（{note}）"), text=text, note=note
    )


@register.filter
def labels(terms: Any) -> str:
    """Taxonomy terms or places in the reader's language, listed: "こども、若者" or
    "Children, Youth"."""
    return pgettext("list separator", "、").join(str(getattr(t, "label", t)) for t in terms)


@register.filter
def distance_km(resource: Any) -> str:
    """ "1.2" when the results are sorted by distance and the resource has a place."""
    km = getattr(resource, "distance_km", None)
    return "" if km is None else f"{km:.1f}"


@register.filter
def next_date_of(schedule: Any, today: dt.date) -> dt.date | None:
    return schedule.next_date(today)
