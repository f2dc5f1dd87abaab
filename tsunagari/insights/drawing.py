"""A chart's numbers drawn as SVG (lib/charts.py) and laid out as the table, the CSV and
the API's answer: one place decides what each of them shows, so they cannot differ."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tsunagari.geo.tiles import TILE_LAYOUT
from tsunagari.insights.builders import format_value
from tsunagari.insights.charts import ChartData
from tsunagari.lib import charts

__all__ = ["api_body", "csv_rows", "format_value", "rows", "svg"]


def _series(chart: ChartData) -> list[tuple[str, list[Any]]]:
    return [(s.label, s.values) for s in chart.series]


def svg(chart: ChartData) -> str:
    ident = f"chart-{chart.slug}-svg"
    desc = chart.reading
    common: dict[str, Any] = {"ident": ident, "title": chart.title, "desc": desc}
    if chart.kind == "tiles":
        drawn = (getattr(chart, "drawn", None) or [len(chart.series) - 1])[0]
        codes = getattr(chart, "codes", [])
        values = dict(zip(codes, chart.series[drawn].values, strict=False))
        names = dict(zip(codes, chart.categories, strict=False))
        return charts.tile_map(
            **common,
            layout=TILE_LAYOUT,
            names=names,
            values=values,
            categories=codes,
            series=drawn,
            fmt=format_value,
            selected=getattr(chart, "selected", ""),
        )
    if chart.kind == "heatmap":
        return charts.heatmap(
            **common,
            rows=chart.categories,
            columns=[s.label for s in chart.series],
            values=[[s.values[i] for s in chart.series] for i in range(len(chart.categories))],
            fmt=format_value,
            diverging=True,
        )
    if chart.kind == "funnel":
        return charts.funnel(
            **common, categories=chart.categories, values=chart.series[0].values, fmt=format_value
        )
    if chart.kind == "line":
        return charts.line_chart(
            **common,
            categories=chart.categories,
            series=_series(chart),
            fmt=format_value,
            target=getattr(chart, "target", None),
            target_label=getattr(chart, "target_label", ""),
        )
    if chart.kind == "stacked":
        return charts.stacked_bar(
            **common, categories=chart.categories, series=_series(chart), fmt=format_value
        )
    return charts.bar_chart(
        **common, categories=chart.categories, series=_series(chart), fmt=format_value
    )


def rows(chart: ChartData) -> list[tuple[str, list[tuple[int, Any]]]]:
    return [
        (
            category,
            [(j, s.values[i] if i < len(s.values) else None) for j, s in enumerate(chart.series)],
        )
        for i, category in enumerate(chart.categories)
    ]


def header(chart: ChartData) -> list[str]:
    return [getattr(chart, "axis", "") or _("項目"), *(s.label for s in chart.series)]


def csv_rows(chart: ChartData) -> list[list[object]]:
    """The table's rows as text (a hidden count reads 「10未満」 here too), then, after a
    blank line, the source and the date of the data."""
    lines: list[list[object]] = [
        [category, *(format_value(v) for _j, v in values)] for category, values in rows(chart)
    ]
    lines += [[], [_("出典"), chart.source], [_("データの日付"), chart.as_of.isoformat()]]
    lines += [[_("注"), note] for note in chart.notes]
    return lines


def api_body(chart: ChartData) -> dict[str, Any]:
    return {
        "slug": chart.slug,
        "title": chart.title,
        "kind": chart.kind,
        "unit": chart.unit,
        "axis": getattr(chart, "axis", ""),
        "categories": chart.categories,
        "codes": getattr(chart, "codes", []) or None,
        "series": [{"label": s.label, "values": s.values} for s in chart.series],
        "reading": chart.reading,
        "source": chart.source,
        "as_of": chart.as_of,
        "notes": chart.notes,
        "target": getattr(chart, "target", None),
    }
