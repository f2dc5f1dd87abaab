"""Drawing a chart's SVG and printing its values, for templates/insights/_chart.html."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from tsunagari.insights import drawing

register = template.Library()


@register.filter
def chart_svg(chart: Any) -> SafeString:
    return mark_safe(drawing.svg(chart))  # noqa: S308 — every text is escaped by lib/charts.py


@register.filter
def chart_value(value: Any) -> str:
    return drawing.format_value(value)


@register.filter
def chart_rows(chart: Any) -> list[tuple[str, list[tuple[int, Any]]]]:
    """The table's rows: each category with (series index, value) pairs."""
    return drawing.rows(chart)
