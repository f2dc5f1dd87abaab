"""The dashboard's charts: what each one holds, independent of how it is drawn.

A chart builder takes Filters and returns ChartData: the numbers as a table (categories ×
series), with its title, a short plain-language reading, the date of the data and its
source. The same ChartData draws the SVG, fills the <table>, the CSV, the API answer and
the annual report, so the numbers can never differ between them. A value of None is a
suppressed count (shown as 「10未満」/ "<10" to the public, lib/disclosure.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from tsunagari.lib import memo


@dataclass(frozen=True)
class Filters:
    fiscal_year: int | None = None  # None: every year so far
    municipality: str | None = None  # one of the 33 municipalities' codes; None: the prefecture
    internal: bool = False  # True: a secretariat viewer, counts are not suppressed


@dataclass
class Series:
    label: str
    values: list[float | int | None]  # one per category; None = suppressed


@dataclass
class ChartData:
    slug: str
    title: str
    kind: str  # "bar" | "stacked" | "line" | "funnel" | "heatmap" | "tiles"
    categories: list[str]
    series: list[Series]
    reading: str  # a short plain-language reading of the numbers
    source: str
    as_of: dt.date
    unit: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    build: Callable[[Filters], ChartData]


# slug → Chart, in the order the dashboard shows them (filled by the dashboard work).
CHARTS: dict[str, Chart] = {}


def register(chart: Chart) -> Chart:
    CHARTS[chart.slug] = chart
    return chart


def build_all(filters: Filters, only: Collection[str] | None = None) -> list[ChartData]:
    """Every chart (or those named in `only`), in order, reading the reference data they
    share (the municipalities, their populations) once."""
    with memo.scope():
        return [
            chart.build(filters) for slug, chart in CHARTS.items() if only is None or slug in only
        ]
