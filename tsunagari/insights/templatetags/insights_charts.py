"""Drawing a chart's SVG and printing its values, for templates/insights/_chart.html."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tsunagari.insights import drawing

register = template.Library()


@register.filter
def chart_svg(chart: Any) -> SafeString:
    return mark_safe(drawing.svg(chart))  # noqa: S308 — every text is escaped by lib/charts.py


@register.filter
def chart_table_body(chart: Any) -> SafeString:
    """The table's rows, each value with its position and raw number for checking. Built
    here, not in template loops or format_html: a heatmap has hundreds of cells, and this
    was most of the dashboard's time. Every text is escaped (the numbers too)."""
    lines = []
    for i, (category, values) in enumerate(drawing.rows(chart)):
        cells = "".join(
            f'<td data-category="{i}" data-series="{j}"'
            + ("" if v is None else f' data-value="{escape(str(v))}"')
            + f">{escape(drawing.format_value(v))}</td>"
            for j, v in values
        )
        lines.append(f'<tr><th scope="row">{japanese_data(category)}</th>{cells}</tr>')
    return mark_safe("".join(lines))  # noqa: S308 — every text escaped above


# Japanese script with the punctuation and digits that run inside it.
_JAPANESE_RUN = re.compile(
    r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f々〜]"
    r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f々〜0-9０-９ .,()（）=;/:_A-Za-z-]*"
)


@register.filter
def japanese_data(text: Any) -> SafeString:
    """On an English page, mark the Japanese that comes from the data (a survey's or a
    census's official title, a place without an English name) as Japanese, so screen
    readers read it as such; in Japanese the text is left as it is."""
    value = conditional_escape(str(text))
    if not (get_language() or "").startswith("en"):
        return mark_safe(value)  # noqa: S308 — escaped above
    return mark_safe(  # noqa: S308 — escaped above
        _JAPANESE_RUN.sub(lambda m: f'<span lang="ja">{m.group(0)}</span>', value)
    )
