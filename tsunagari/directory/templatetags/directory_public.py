"""Template filters of the directory's public pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


def _option(value: Any, label: Any, selected: bool) -> SafeString:
    if selected:
        return format_html('<option value="{}" selected>{}</option>', value, label)
    return format_html('<option value="{}">{}</option>', value, label)


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _select(bound: BoundField, attrs: SafeString) -> SafeString:
    """What forms.Select renders, without a template per option."""
    value = bound.value()
    wanted = "" if value is None else str(value)
    chosen = False
    parts: list[SafeString] = []

    def option(v: Any, label: Any) -> SafeString:
        nonlocal chosen
        hit = not chosen and str(v) == wanted
        chosen = chosen or hit
        return _option(v, label, hit)

    for group, label in bound.field.choices:  # type: ignore[attr-defined]
        if isinstance(label, list | tuple):
            inner = _joined([option(v, text) for v, text in label])
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, inner))
        else:
            parts.append(option(group, label))
    return format_html('<select name="{}"{}>{}</select>', bound.html_name, attrs, _joined(parts))


@register.simple_tag
def filter_field(bound: BoundField) -> SafeString:
    """A search filter (a select or a checkbox) as field.html shows it, built in Python:
    the search page has a hundred options and Django renders a template for each."""
    auto_id = bound.auto_id
    errors = bound.errors
    error_html = (
        format_html(
            '<div class="error" id="{}_error">{}</div>',
            auto_id,
            format_html_join("", "<p>{}</p>", ((e,) for e in errors)),
        )
        if errors
        else ""
    )
    if errors:
        attrs = format_html(
            ' aria-invalid="true" aria-describedby="{}_error" id="{}"', auto_id, auto_id
        )
    else:
        attrs = format_html(' id="{}"', auto_id)
    if isinstance(bound.field.widget, forms.CheckboxInput):
        checked = bound.field.widget.check_test(bound.value())
        return format_html(
            '<div class="field field-checkbox{}">{}<input type="checkbox" name="{}"{}{}>'
            ' <label for="{}">{}</label></div>',
            " has-error" if errors else "",
            error_html,
            bound.html_name,
            attrs,
            format_html("{}", " checked") if checked else "",
            auto_id,
            bound.label,
        )
    return format_html(
        '<div class="field{}"><label for="{}">{}</label>{}{}</div>',
        " has-error" if errors else "",
        auto_id,
        bound.label,
        error_html,
        _select(bound, attrs),
    )
