"""Self-check aggregates (集計): what the results page, its CSV and the API show.

Reads SelfCheckMonthTally (the tallies rolled up by month, city and age band),
SelfCheckTally and SelfCheckHelpTally only, never the responses, with a few GROUP BY
queries, so a million stored answers cost a few thousand tally rows.

Disclosure control (秘匿, docs/security.md): the public sees figures only on a
fixed grid of periods (fiscal years, fiscal quarters, calendar months; never an arbitrary
range), and only three margins of each fiscal year: the whole prefecture by period, the
municipalities over the fiscal year, the age bands over the fiscal year (a municipality is
never crossed with an age band or with a part of a year). In each margin the leaves
(months, municipalities, age bands) are put into blocks whose counts are each 0 or at
least MIN_CELL; a figure is published only for a set of leaves that is a whole number of
blocks. So any count an attacker can work out from published figures, by subtracting or
adding any of them, is a sum of whole blocks: 0 or at least MIN_CELL. The same holds for
each family of categories (the lonely shares, the score bands, the direct levels, what
would help), which have blocks of their own; the distributions and what would help are
published for fiscal years only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Sum, Value
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tsunagari.geo.models import Municipality
from tsunagari.lib.disclosure import MIN_CELL, SUPPRESSED_TEXT
from tsunagari.lib.wareki import fiscal_year_label, fiscal_year_of, format_wareki_month
from tsunagari.surveys import national, scoring
from tsunagari.surveys.models import (
    AgeBand,
    Help,
    SelfCheckHelpTally,
    SelfCheckMonthTally,
    SelfCheckTally,
)

Z95 = 1.959963984540054  # two-sided 95% normal quantile
DEFAULT_MONTHS = 12
MAX_MONTHS = 120  # ten years: enough for any report, small enough for the by-month table

LONELY_BANDS = (scoring.Band.SOMETIMES, scoring.Band.ALWAYS)  # indirect 7–12
LONELY_DIRECT = (3, 4, 5)
UNKNOWN = ""  # municipality or age band not answered

BY_MONTH, BY_QUARTER, BY_FISCAL_YEAR = "month", "quarter", "fiscal_year"
PERIOD_KINDS = (BY_MONTH, BY_QUARTER, BY_FISCAL_YEAR)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# FY2024 (a fiscal year), FY2024-Q1 (its first quarter, April–June 2024), 2024-04 (a month)
PERIOD_PATTERN = r"^(?:FY(\d{4})(?:-Q([1-4]))?|(\d{4})-(0[1-9]|1[0-2]))$"
PERIOD_RE = re.compile(PERIOD_PATTERN)
OVER_TIME_YEARS = 5  # fiscal years in the trend of a municipality or an age band


class FilterError(ValueError):
    """Bad filter values; `problems` maps each parameter to a message.

    `fallback`, when set, is the nearest query on the public grid (the problems are only
    that the query is not on it): the page shows that instead, the API answers 400.
    """

    def __init__(self, problems: dict[str, str], fallback: dict[str, str] | None = None) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
        self.fallback = fallback


# ---------------------------------------------------------------- filters


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """How many months from start to end, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def parse_month(text: str) -> dt.date:
    match = _MONTH_RE.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise ValueError(text)
    return dt.date(int(match[1]), int(match[2]), 1)


def parse_period(text: str) -> tuple[str, dt.date, dt.date]:
    """A period of the grid from its key: FY2024, FY2024-Q1 (April–June 2024) or 2024-04.

    Returns (kind, first month, last month)."""
    match = PERIOD_RE.match(text.strip())
    if not match:
        raise ValueError(text)
    year = int(match[1] or match[3])
    if not 2000 <= year <= 2100:
        raise ValueError(text)
    if match[3]:
        month = dt.date(year, int(match[4]), 1)
        return BY_MONTH, month, month
    if match[2]:
        first = add_months(dt.date(year, 4, 1), 3 * (int(match[2]) - 1))
        return BY_QUARTER, first, add_months(first, 2)
    return BY_FISCAL_YEAR, dt.date(year, 4, 1), dt.date(year + 1, 3, 1)


def grid_period(start: dt.date, end: dt.date) -> str | None:
    """The key of the grid period that is exactly start–end, or None."""
    for kind in (BY_MONTH, BY_QUARTER, BY_FISCAL_YEAR):
        key = period_key(start, kind)
        if parse_period(key)[1:] == (start, end):
            return key
    return None


@dataclass(frozen=True)
class Filters:
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month (included)
    city: str = ""  # a municipality code (wards are counted under their city); "" = all
    age_band: str = ""  # an AgeBand value; "" = all
    by: str = BY_QUARTER  # the time breakdown
    fiscal_year: int | None = None  # when the period is one 年度
    period: str = ""  # the grid period's kind (BY_MONTH, …); "" = a range (staff only)

    @property
    def period_key(self) -> str:
        return period_key(self.start, self.period) if self.period else ""

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters (for links and the audit log)."""
        params = {"start": f"{self.start:%Y-%m}", "end": f"{self.end:%Y-%m}"}
        if self.fiscal_year is not None:
            params = {"fiscal_year": str(self.fiscal_year)}
        elif self.period:
            params = {"period": self.period_key}
        params.update(city=self.city, age_band=self.age_band, by=self.by)
        return params


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months, the current one included (the staff export's default)."""
    end = (today or timezone.localdate()).replace(day=1)
    return add_months(end, 1 - DEFAULT_MONTHS), end


def city_codes() -> dict[str, str]:
    """Code → name of the 33 市町村 in the reader's language, in code order (one query)."""
    return {m.code: m.label for m in Municipality.objects.municipalities().order_by("code")}


def make_filters(
    *,
    period: str = "",
    start: str = "",
    end: str = "",
    fiscal_year: int | str | None = None,
    city: str = "",
    age_band: str = "",
    by: str = "",
    cities: dict[str, str] | None = None,
    today: dt.date | None = None,
    grid: bool = True,
) -> Filters:
    """Filters from raw parameters; raises FilterError naming every bad one.

    With `grid` (every public use) the period is one of the grid: `period` (FY2024,
    FY2024-Q1, 2024-04), or `fiscal_year`, or a start and end that are exactly one grid
    period; the default is the current fiscal year. A municipality or an age band is
    shown for whole fiscal years only, and not both at once. A query off the grid raises
    FilterError with `fallback`, the nearest query on it.

    Without `grid` (the secretariat's response-level export) any range of months up to
    MAX_MONTHS is allowed; the default is the last twelve months.
    """
    problems: dict[str, str] = {}
    today = today or timezone.localdate()
    first, last = default_period(today)
    kind = ""
    year: int | None = None
    if grid:
        first, last = dt.date(fiscal_year_of(today), 4, 1), dt.date(fiscal_year_of(today) + 1, 3, 1)
        kind = BY_FISCAL_YEAR
    off_grid: dict[str, str] = {}
    if period:
        try:
            kind, first, last = parse_period(period)
        except ValueError:
            problems["period"] = _(
                "期間は「FY2024」（年度）、「FY2024-Q1」（四半期）、「2024-04」（月）の形で"
                "指定してください。"
            )
    elif fiscal_year not in (None, ""):
        try:
            year = int(str(fiscal_year))
            if not 2000 <= year <= 2100:
                raise ValueError
            first, last = dt.date(year, 4, 1), dt.date(year + 1, 3, 1)
            kind = BY_FISCAL_YEAR if grid else ""
        except ValueError:
            problems["fiscal_year"] = _("年度は西暦の年（例：2024）で指定してください。")
    elif start or end:
        months: dict[str, dt.date] = {}
        for name, text in (("start", start), ("end", end)):
            try:
                if text:
                    months[name] = parse_month(text)
            except ValueError:
                problems[name] = _("月は「2025-04」の形で指定してください。")
        default_end = default_period(today)[1]
        # One end given: the other is the default end, or twelve months before the end.
        last = months.get("end", max(default_end, months.get("start", default_end)))
        first = months.get("start", add_months(last, 1 - DEFAULT_MONTHS))
        if not problems and first > last:
            problems["end"] = _("終わりの月は始まりの月以降にしてください。")
        elif not problems and months_between(first, last) > MAX_MONTHS:
            problems["start"] = _("期間は10年以内にしてください。")
        elif not problems and grid:
            key = grid_period(first, last)
            if key is None:
                off_grid["start"] = _(
                    "公開の集計は、年度・四半期（年度の4〜6月、7〜9月、10〜12月、1〜3月）・月の"
                    "単位でのみ見られます。任意の期間は選べません。"
                )
                # The nearest period of the grid: the fiscal year of the last month.
                first, last = parse_period(period_key(last, BY_FISCAL_YEAR))[1:]
                kind = BY_FISCAL_YEAR
            else:
                kind = parse_period(key)[0]
    if kind == BY_FISCAL_YEAR:
        year = fiscal_year_of(first)
    if city and city not in (cities if cities is not None else city_codes()):
        problems["city"] = _(
            "市町村は全国地方公共団体コード（6桁）で指定してください。区は市の単位で集計しています。"
        )
    if age_band and age_band not in AgeBand.values:
        problems["age_band"] = _("年代の指定が正しくありません。")
    if by and by not in PERIOD_KINDS:
        problems["by"] = _("期間の区切りは month、quarter、fiscal_year のいずれかです。")
    if grid and not problems:
        if city and age_band:
            off_grid["age_band"] = _(
                "市町村と年代を組み合わせた集計は公開していません（少ない数が分かってしまうため）。"
                "市町村か年代のどちらかを選んでください。"
            )
            age_band = ""
        if (city or age_band) and kind != BY_FISCAL_YEAR:
            off_grid["period"] = _(
                "市町村別・年代別の集計は年度単位でのみ公開しています（少ない数が分かって"
                "しまうため）。"
            )
            first, last = parse_period(period_key(first, BY_FISCAL_YEAR))[1:]
            kind, year = BY_FISCAL_YEAR, fiscal_year_of(first)
    if problems:
        raise FilterError(problems)
    chosen = Filters(
        start=first,
        end=last,
        city=city,
        age_band=age_band,
        by=BY_FISCAL_YEAR if grid and (city or age_band) else by or BY_QUARTER,
        fiscal_year=year if kind == BY_FISCAL_YEAR or not grid else None,
        period=kind,
    )
    if off_grid:
        fallback = {"period": chosen.period_key, "city": city, "age_band": age_band}
        if by:
            fallback["by"] = by
        raise FilterError(off_grid, fallback)
    return chosen


# ---------------------------------------------------------------- statistics


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of count/total: stays inside 0–1 and behaves at small counts."""
    if total <= 0:
        raise ValueError("total must be positive")
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Share:
    """A share with its 95% Wilson interval; every field None when suppressed."""

    count: int | None = None
    total: int | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(self.value * 100, 1)

    @property
    def low_percent(self) -> float | None:
        return None if self.low is None else round(self.low * 100, 1)

    @property
    def high_percent(self) -> float | None:
        return None if self.high is None else round(self.high * 100, 1)

    @property
    def text(self) -> str:
        """45.0%（95%信頼区間 35.6–54.8%）, or the suppressed mark."""
        if self.value is None:
            return SUPPRESSED_TEXT
        return _("%(percent).1f%%（95%%信頼区間 %(low).1f–%(high).1f%%）") % {
            "percent": self.value * 100,
            "low": (self.low or 0) * 100,
            "high": (self.high or 0) * 100,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "total": self.total,
            "percent": self.percent,
            "ci95_low": self.low_percent,
            "ci95_high": self.high_percent,
        }


def share_is_safe(count: int, total: int) -> bool:
    """Whether count/total can be shown: neither part nor the whole under MIN_CELL."""
    return total >= MIN_CELL and count >= MIN_CELL and total - count >= MIN_CELL


def count_text(n: int | None) -> str:
    return SUPPRESSED_TEXT if n is None else f"{n:,}"


def make_share(count: int, total: int, *, hidden: bool = False) -> Share:
    if hidden or not share_is_safe(count, total):
        return Share()
    low, high = wilson(count, total)
    return Share(count=count, total=total, value=count / total, low=low, high=high)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class NationalFigure:
    label: str
    percent: float | None  # None: not published for that year


@dataclass(frozen=True)
class Cell:
    """One category of a distribution (an indirect band or a direct level)."""

    key: str
    label: str
    n: int | None  # None: suppressed
    percent: float | None
    national: list[NationalFigure] = field(default_factory=list)

    @property
    def n_text(self) -> str:
        return count_text(self.n)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "n": self.n,
            "percent": self.percent,
            "national": [{"survey": f.label, "percent": f.percent} for f in self.national],
        }


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a municipality, an age band or a period."""

    key: str
    label: str
    n: int | None
    indirect: Share
    direct: Share
    selected: bool = False

    @property
    def n_text(self) -> str:
        return count_text(self.n)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "n": self.n,
            "indirect_lonely": self.indirect.as_json(),
            "direct_lonely": self.direct.as_json(),
        }


@dataclass(frozen=True)
class HelpCell:
    """One answer to "what would help": how many chose it, and their share of those who
    answered the question."""

    key: str
    label: str
    n: int | None  # None: suppressed
    share: Share

    @property
    def n_text(self) -> str:
        return count_text(self.n)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "n": self.n,
            "percent": self.share.percent,
            "ci_low": self.share.low_percent,
            "ci_high": self.share.high_percent,
        }


@dataclass(frozen=True)
class Helps:
    """What would help: an optional, multiple-choice question."""

    answered: int | None  # responses that chose at least one (the denominator); None: < 10
    cells: list[HelpCell]

    @property
    def answered_text(self) -> str:
        return count_text(self.answered)

    def as_json(self) -> dict[str, Any]:
        return {"answered": self.answered, "items": [c.as_json() for c in self.cells]}


@dataclass(frozen=True)
class Aggregates:
    filters: Filters
    city_name: str
    n: int | None
    indirect_bands: list[Cell]
    direct_levels: list[Cell]
    indirect_lonely: Share
    direct_lonely: Share
    national_indirect: list[NationalFigure]
    national_direct: list[NationalFigure]
    by_city: list[Row]  # empty unless the period is a fiscal year and no age band is chosen
    by_age: list[Row]  # empty unless the period is a fiscal year and no city is chosen
    over_time: list[Row]
    helps: Helps
    # The distributions and what would help are published for fiscal years only.
    distributions_shown: bool = True

    @property
    def n_text(self) -> str:
        return count_text(self.n)


# ---------------------------------------------------------------- disclosure blocks

Vector = tuple[int, ...]


def _safe_count(value: int) -> bool:
    return value == 0 or value >= MIN_CELL


def _safe(vector: Vector) -> bool:
    """Every part of the vector is 0 or at least MIN_CELL."""
    return all(_safe_count(v) for v in vector)


def _sum(vectors: Iterable[Vector], width: int) -> Vector:
    totals = [0] * width
    for vector in vectors:
        for i, v in enumerate(vector):
            totals[i] += v
    return tuple(totals)


def make_blocks(
    vectors: Sequence[Vector], groups: Sequence[Sequence[int]] = ()
) -> tuple[list[frozenset[int]], frozenset[int]]:
    """Blocks of leaves whose counts are each 0 or at least MIN_CELL: (blocks, bad).

    Each vector holds the counts of one leaf (a month, a municipality, an age band) that
    must all be safe together (a share: the lonely and the others). `groups` are the
    published subtotals between the leaves and the whole (the quarters of a fiscal
    year): a group with an unsafe leaf becomes one block, so that its total stays
    publishable. Unsafe blocks are then merged into one, with the smallest safe blocks
    added until it is safe. `bad` is that block when even the whole is unsafe: nothing
    containing it is published.
    """
    width = len(vectors[0]) if vectors else 0
    units: list[frozenset[int]] = []
    grouped: set[int] = set()
    for group in groups:
        grouped.update(group)
        if all(_safe(vectors[i]) for i in group):
            units.extend(frozenset([i]) for i in group)
        else:
            units.append(frozenset(group))
    units.extend(frozenset([i]) for i in range(len(vectors)) if i not in grouped)

    def total(unit: frozenset[int]) -> Vector:
        return _sum((vectors[i] for i in unit), width)

    good = [u for u in units if _safe(total(u))]
    unsafe = [u for u in units if not _safe(total(u))]
    if not unsafe:
        return good, frozenset()
    merged = frozenset().union(*unsafe)
    while not _safe(total(merged)):
        # Empty blocks change nothing: take the smallest block with someone in it.
        candidates = [u for u in good if any(total(u))]
        if not candidates:
            break
        smallest = min(candidates, key=lambda u: (sum(total(u)), min(u)))
        good.remove(smallest)
        merged |= smallest
    if _safe(total(merged)):
        return [*good, merged], frozenset()
    return good, merged


class Margin:
    """One margin of one fiscal year: its leaves with their counts, and the blocks of
    each family of counts.

    A family's figures for a set of leaves are published only when the set is a whole
    number of that family's blocks (docs/security.md says why that is sound).
    """

    def __init__(self, keys: Sequence[Any], groups: Sequence[Sequence[int]] = ()) -> None:
        self.keys = list(keys)
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.groups = groups
        self.counts: dict[str, list[list[int]]] = {}
        self._blocks: dict[str, tuple[list[frozenset[int]], frozenset[int]]] = {}

    def add(self, family: str, key: Any, values: Sequence[int]) -> None:
        # Called once per tally row and margin: the zeroed rows are built only the first
        # time (a setdefault would build them, and throw them away, on every call).
        rows = self.counts.get(family)
        if rows is None:
            rows = self.counts[family] = [[0] * len(values) for _ in self.keys]
        row = rows[self.index[key]]
        for i, v in enumerate(values):
            row[i] += v

    def total(self, family: str, leaves: Iterable[int], width: int) -> Vector:
        rows = self.counts.get(family)
        if rows is None:
            return (0,) * width
        return _sum((tuple(rows[i]) for i in leaves), width)

    def published(self, family: str, leaves: Iterable[int]) -> bool:
        """Whether `leaves` is a whole number of the family's blocks."""
        if family not in self._blocks:
            self._blocks[family] = make_blocks(
                [_safe_parts(family, tuple(r)) for r in self.counts.get(family, [])]
                or [(0,)] * len(self.keys),
                self.groups,
            )
        blocks, bad = self._blocks[family]
        chosen = set(leaves)
        if chosen & bad:
            return False
        return all(block <= chosen or not block & chosen for block in blocks)


# Families of counts, each with what must be safe in a block (the parts that add up).
N, INDIRECT, DIRECT, BANDS, LEVELS, HELPS = "n", "indirect", "direct", "bands", "levels", "helps"
LEVEL_KEYS = list(reversed(scoring.DirectLevel.values))  # 5 (often) first, as the survey does
HELP_KEYS = [SelfCheckHelpTally.ANSWERED, *Help.values]


def _safe_parts(family: str, counts: Vector) -> Vector:
    """The parts of a family's counts that must each be 0 or at least MIN_CELL.

    n, lonely: (n, lonely) → the lonely and the others; helps: (n, answered, each help)
    → those who answered and who skipped the question, and for each help those who
    chose it and those who answered without choosing it.
    """
    if family in (INDIRECT, DIRECT):
        n, lonely = counts
        return (lonely, n - lonely)
    if family == HELPS:
        n, answered, *chosen = counts
        return (answered, n - answered, *chosen, *(answered - c for c in chosen))
    return counts


def _shown(n: int, published: bool) -> int | None:
    """A published count under MIN_CELL is 0 (a block is 0 or ≥ MIN_CELL); it is shown
    as suppressed all the same, like an empty cell always was."""
    return n if published and n >= MIN_CELL else None


def _row(margin: Margin, key: str, label: str, leaves: list[int], selected: bool = False) -> Row:
    n, indirect = margin.total(INDIRECT, leaves, 2)
    _, direct = margin.total(DIRECT, leaves, 2)
    shown = margin.published(N, leaves)
    return Row(
        key=key,
        label=label,
        n=_shown(n, shown),
        indirect=make_share(indirect, n, hidden=not (shown and margin.published(INDIRECT, leaves))),
        direct=make_share(direct, n, hidden=not (shown and margin.published(DIRECT, leaves))),
        selected=selected,
    )


def _cells(
    margin: Margin | None,
    family: str,
    keys: Sequence[Any],
    labels: Sequence[str],
    leaves: list[int],
    national_of: Callable[[Any], list[NationalFigure]],
) -> list[Cell]:
    counts = margin.total(family, leaves, len(keys)) if margin else (0,) * len(keys)
    n = sum(counts)
    shown = margin is not None and margin.published(family, leaves)
    return [
        Cell(
            key=str(k),
            label=labels[i],
            n=_shown(counts[i], shown),
            percent=round(counts[i] * 100 / n, 1) if _shown(counts[i], shown) else None,
            national=national_of(k),
        )
        for i, k in enumerate(keys)
    ]


def _helps(margin: Margin | None, leaves: list[int]) -> Helps:
    """What would help: optional and multiple choice, so the shares are of ANSWERED
    (those who chose at least one), and each help is a family of its own three parts:
    chose it, answered without it, skipped the question (all safe in every block)."""
    width = len(HELP_KEYS) + 1
    counts = margin.total(HELPS, leaves, width) if margin else (0,) * width
    _, answered, *chosen = counts
    shown = margin is not None and margin.published(HELPS, leaves)
    cells = [
        HelpCell(
            key=code,
            label=str(label),
            n=_shown(c, shown),
            share=make_share(c, answered, hidden=not shown),
        )
        for code, label, c in zip(Help.values, Help.labels, chosen, strict=True)
    ]
    return Helps(answered=_shown(answered, shown), cells=cells)


def _national_direct(level: Any) -> list[NationalFigure]:
    return [NationalFigure(str(s.era_label), s.direct.get(int(level))) for s in national.SURVEYS]


def _national_band(band: Any) -> list[NationalFigure]:
    return [
        NationalFigure(str(s.era_label), s.indirect_always if band == scoring.Band.ALWAYS else None)
        for s in national.SURVEYS
    ]


def _japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def month_label(month: dt.date) -> str:
    return format_wareki_month(month) if _japanese() else f"{month:%Y-%m}"


def period_key(month: dt.date, by: str) -> str:
    if by == BY_MONTH:
        return f"{month:%Y-%m}"
    year = fiscal_year_of(month)
    if by == BY_FISCAL_YEAR:
        return f"FY{year}"
    quarter = (month.month - 4) % 12 // 3 + 1
    return f"FY{year}-Q{quarter}"


def period_label(month: dt.date, by: str) -> str:
    """和暦 for Japanese readers: 令和6年4月, 令和6年度, 令和6年度 第1四半期（4〜6月）."""
    if by == BY_MONTH:
        return month_label(month)
    year = fiscal_year_of(month)
    if by == BY_FISCAL_YEAR:
        return fiscal_year_label(year)
    quarter = (month.month - 4) % 12 // 3 + 1
    first = (quarter * 3) % 12 + 1
    return _("%(year)s 第%(quarter)s四半期（%(first)s〜%(last)s月）") % {
        "year": fiscal_year_label(year),
        "quarter": quarter,
        "first": first,
        "last": (first + 1) % 12 + 1,
    }


def period_text(filters: Filters) -> str:
    """The period as a reader says it: 令和6年度, or 令和6年4月〜令和7年3月."""
    if filters.period:
        return period_label(filters.start, filters.period)
    if filters.fiscal_year is not None:
        return fiscal_year_label(filters.fiscal_year)
    if filters.start == filters.end:
        return month_label(filters.start)
    return f"{month_label(filters.start)}〜{month_label(filters.end)}"


def _months(year: int) -> list[dt.date]:
    return [add_months(dt.date(year, 4, 1), i) for i in range(12)]


QUARTERS = [list(range(q * 3, q * 3 + 3)) for q in range(4)]


class Year:
    """The three margins of one fiscal year."""

    def __init__(self, year: int, city_keys: Sequence[str], age_keys: Sequence[str]) -> None:
        self.year = year
        self.months = _months(year)
        self.by_time = Margin(self.months, QUARTERS)  # the whole prefecture, all ages
        self.by_city = Margin(city_keys)  # the fiscal year, all ages
        self.by_age = Margin(age_keys)  # the fiscal year, the whole prefecture

    def margins(self) -> tuple[Margin, Margin, Margin]:
        return self.by_time, self.by_city, self.by_age


def _sums(pairs: Iterable[tuple[Any, Sequence[int]]], width: int) -> dict[Any, list[int]]:
    """Vectors added up by key, before they go into a margin (one add per key)."""
    sums: dict[Any, list[int]] = {}
    for key, values in pairs:
        row = sums.get(key)
        if row is None:
            row = sums[key] = [0] * width
        for i, v in enumerate(values):
            row[i] += v
    return sums


def _add_lonely(margin: Margin, sums: dict[Any, list[int]]) -> None:
    for key, (total, indirect, direct) in sums.items():
        margin.add(N, key, (total,))
        margin.add(INDIRECT, key, (total, indirect))
        margin.add(DIRECT, key, (total, direct))


def _load(
    filters: Filters,
    years: list[int],
    city_keys: list[str],
    age_keys: list[str],
    *,
    distributions: bool = True,
    only: int | None = None,
) -> dict[int, Year]:
    """The fiscal years' margins from the tallies: from the monthly roll-up, the counts and
    lonely shares by month, by month × city and by month × age band (one query of three
    GROUP BYs, a few hundred rows a year), and, for the chosen fiscal year only, a GROUP
    BY of the tallies by city × age band × score band × direct level and one by city × age
    band × help (summed per margin before they go in)."""
    loaded = {year: Year(year, city_keys, age_keys) for year in years}
    first, last = dt.date(years[0], 4, 1), dt.date(years[-1] + 1, 3, 1)
    rolled_up = SelfCheckMonthTally.objects.filter(month__gte=first, month__lte=last).order_by()
    # One query: the roll-up summed by month, by month × city and by month × age band.
    margins: list[tuple[Any, Callable[[Year], Margin]]] = [
        (Value(""), lambda y: y.by_time),
        (F("municipality_code"), lambda y: y.by_city),
        (F("age_band"), lambda y: y.by_age),
    ]
    parts = [
        rolled_up.annotate(part=Value(i), key=key)
        .values("part", "month", "key")
        .annotate(total=Sum("n"), lonely_i=Sum("indirect"), lonely_d=Sum("direct"))
        .values_list("part", "month", "key", "total", "lonely_i", "lonely_d")
        for i, (key, _margin) in enumerate(margins)
        if only is None or i == only
    ]
    sums: dict[tuple[int, int], list[tuple[Any, Sequence[int]]]] = {}
    for part, month, key, total, indirect, direct in parts[0].union(*parts[1:], all=True):
        fiscal_year = fiscal_year_of(month)
        margin = margins[part][1](loaded[fiscal_year])
        key = month if part == 0 else key  # the time margin's leaves are the months
        # A code no longer listed counts as not answered, so that every margin
        # adds up to the same whole.
        sums.setdefault((fiscal_year, part), []).append(
            (key if key in margin.index else UNKNOWN, (total or 0, indirect or 0, direct or 0))
        )
    for (fiscal_year, part), pairs in sums.items():
        _add_lonely(margins[part][1](loaded[fiscal_year]), _sums(pairs, 3))
    if filters.period != BY_FISCAL_YEAR or not distributions:
        return loaded
    year = loaded[fiscal_year_of(filters.start)]
    band_index = {str(b): i for i, b in enumerate(scoring.BAND_ORDER)}
    level_index = {int(v): i for i, v in enumerate(LEVEL_KEYS)}
    cells = (
        SelfCheckTally.objects.filter(month__gte=filters.start, month__lte=filters.end)
        .order_by()
        .values("municipality_code", "age_band", "indirect_band", "direct")
        .annotate(total=Sum("n"))
        .values_list("municipality_code", "age_band", "indirect_band", "direct", "total")
    )
    # Per key of each margin: the score bands, then the direct levels, then n (summed here,
    # a few thousand rows, before one add per key).
    levels_at = len(band_index)
    by_city, by_age = _by_city_and_age(
        year,
        (
            (city, age, (band_index[band], levels_at + level_index[direct], -1), total)
            for city, age, band, direct, total in cells
        ),
        width=levels_at + len(level_index) + 1,
    )
    for margin, per_key in ((year.by_city, by_city), (year.by_age, by_age)):
        for key, vector in per_key.items():
            margin.add(BANDS, key, vector[:levels_at])
            margin.add(LEVELS, key, vector[levels_at:-1])
            margin.add(HELPS, key, (vector[-1], *[0] * len(HELP_KEYS)))
    help_index = {code: i + 1 for i, code in enumerate(HELP_KEYS)}
    helps = (
        SelfCheckHelpTally.objects.filter(month__gte=filters.start, month__lte=filters.end)
        .order_by()
        .values("municipality_code", "age_band", "help")
        .annotate(total=Sum("n"))
        .values_list("municipality_code", "age_band", "help", "total")
    )
    by_city, by_age = _by_city_and_age(
        year,
        (
            (city, age, (help_index[code],), total)
            for city, age, code, total in helps
            if code in help_index
        ),
        width=len(HELP_KEYS) + 1,
    )
    for margin, per_key in ((year.by_city, by_city), (year.by_age, by_age)):
        for key, values in per_key.items():
            margin.add(HELPS, key, values)
    return loaded


def _by_city_and_age(
    year: Year, rows: Iterable[tuple[Any, Any, tuple[int, ...], int]], *, width: int
) -> tuple[dict[Any, list[int]], dict[Any, list[int]]]:
    """Each row's total added at its positions of one vector per city and one per age band
    (a code no longer listed counts as not answered), so each key gets one add."""
    city_index, age_index = year.by_city.index, year.by_age.index
    by_city: dict[Any, list[int]] = {}
    by_age: dict[Any, list[int]] = {}
    for city, age, positions, total in rows:
        for counted, key in (
            (by_city, city if city in city_index else UNKNOWN),
            (by_age, age if age in age_index else UNKNOWN),
        ):
            row = counted.get(key)
            if row is None:
                row = counted[key] = [0] * width
            for at in positions:
                row[at] += total
    return by_city, by_age


def _time_rows(year: Year, filters: Filters) -> list[Row]:
    """The period's parts at the chosen breakdown (a month is never split)."""
    order = (BY_MONTH, BY_QUARTER, BY_FISCAL_YEAR)
    by = order[min(order.index(filters.by), order.index(filters.period))]
    rows: list[Row] = []
    parts: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for i, month in enumerate(year.months):
        if filters.start <= month <= filters.end:
            key = period_key(month, by)
            parts.setdefault(key, []).append(i)
            labels.setdefault(key, period_label(month, by))
    for key, leaves in parts.items():
        rows.append(_row(year.by_time, key, labels[key], leaves))
    return rows


def _chosen(year: Year, filters: Filters) -> tuple[Margin, list[int]]:
    """The chosen box: a leaf of one margin, or the period's months (a part of every one)."""
    if filters.city:
        return year.by_city, [year.by_city.index[filters.city]]
    if filters.age_band:
        return year.by_age, [year.by_age.index[filters.age_band]]
    months = [i for i, m in enumerate(year.months) if filters.start <= m <= filters.end]
    return year.by_time, months


def headline(filters: Filters, cities: dict[str, str] | None = None) -> Row:
    """The results page's headline alone (how many answered, and the two lonely shares),
    the same figures under the same blocks as `compute`: one GROUP BY of the monthly
    roll-up for the one margin the headline is a part of (a margin's blocks depend on its
    own counts only), for pages that show just this line (/visible/)."""
    cities = cities if cities is not None else city_codes()
    fiscal_year = fiscal_year_of(filters.start)
    loaded = _load(
        filters,
        [fiscal_year],
        [*cities, UNKNOWN],
        [*AgeBand.values, UNKNOWN],
        distributions=False,
        only=1 if filters.city else 2 if filters.age_band else 0,  # the margin `_chosen` reads
    )
    margin, leaves = _chosen(loaded[fiscal_year], filters)
    return _row(margin, "", "", leaves)


def compute(filters: Filters, cities: dict[str, str] | None = None) -> Aggregates:
    """Every table of the public results page, for a period of the grid: three GROUP BY
    queries over the tallies for a fiscal year, one for a quarter or a month (one more
    for the municipality names, when `cities` is not given)."""
    cities = cities if cities is not None else city_codes()
    city_keys = [*cities, UNKNOWN]
    city_labels = [*cities.values(), _("回答なし")]
    age_keys = [*AgeBand.values, UNKNOWN]
    age_labels = [str(label) for label in AgeBand.labels] + [_("回答なし")]
    fiscal_year = fiscal_year_of(filters.start)
    trend = bool(filters.city or filters.age_band)
    years = (
        list(range(fiscal_year - OVER_TIME_YEARS + 1, fiscal_year + 1)) if trend else [fiscal_year]
    )
    loaded = _load(filters, years, city_keys, age_keys)
    year = loaded[fiscal_year]
    whole_year = filters.period == BY_FISCAL_YEAR

    margin, leaves = _chosen(year, filters)
    head = _row(margin, "", "", leaves)
    # Distributions need the fiscal year's city or age margin (the time margin has none).
    detail = (year.by_age if filters.age_band else year.by_city) if whole_year else None
    detail_leaves = leaves if filters.city or filters.age_band else list(range(len(city_keys)))

    if trend:
        key = filters.city or filters.age_band
        over_time = [
            _row(
                loaded[y].by_city if filters.city else loaded[y].by_age,
                f"FY{y}",
                fiscal_year_label(y),
                [loaded[y].by_city.index[key]] if filters.city else [loaded[y].by_age.index[key]],
            )
            for y in years
        ]
    else:
        over_time = _time_rows(year, filters)
    by_city = (
        [
            _row(year.by_city, k, city_labels[i], [i], selected=k == filters.city and bool(k))
            for i, k in enumerate(city_keys)
        ]
        if whole_year and not filters.age_band
        else []
    )
    by_age = (
        [
            _row(year.by_age, k, age_labels[i], [i], selected=k == filters.age_band and bool(k))
            for i, k in enumerate(age_keys)
        ]
        if whole_year and not filters.city
        else []
    )
    return Aggregates(
        filters=filters,
        city_name=cities.get(filters.city, ""),
        n=head.n,
        indirect_bands=_cells(
            detail,
            BANDS,
            scoring.BAND_ORDER,
            [str(b.label) for b in scoring.BAND_ORDER],
            detail_leaves,
            _national_band,
        ),
        direct_levels=_cells(
            detail,
            LEVELS,
            LEVEL_KEYS,
            [str(scoring.DirectLevel(v).label) for v in LEVEL_KEYS],
            detail_leaves,
            _national_direct,
        ),
        indirect_lonely=head.indirect,
        direct_lonely=head.direct,
        national_indirect=[
            NationalFigure(str(s.era_label), s.indirect_lonely) for s in national.SURVEYS
        ],
        national_direct=[
            NationalFigure(str(s.era_label), s.direct_lonely) for s in national.SURVEYS
        ],
        by_city=by_city,
        by_age=by_age,
        over_time=over_time,
        helps=_helps(detail, detail_leaves),
        distributions_shown=whole_year,
    )


def as_json(result: Aggregates) -> dict[str, Any]:
    """The API's body (and the test's view of everything shown)."""
    f = result.filters
    return {
        "scale_version": scoring.SCALE_VERSION,
        "suppression_threshold": MIN_CELL,
        "filters": {
            "start": f"{f.start:%Y-%m}",
            "end": f"{f.end:%Y-%m}",
            "period": f.period_key,
            "fiscal_year": f.fiscal_year,
            "city": f.city or None,
            "age_band": f.age_band or None,
            "by": f.by,
        },
        "n": result.n,
        "indirect_lonely": result.indirect_lonely.as_json(),
        "direct_lonely": result.direct_lonely.as_json(),
        "indirect_bands": [c.as_json() for c in result.indirect_bands],
        "direct_levels": [c.as_json() for c in result.direct_levels],
        "by_city": [r.as_json() for r in result.by_city],
        "by_age_band": [r.as_json() for r in result.by_age],
        "over_time": [r.as_json() for r in result.over_time],
        "helps": result.helps.as_json(),
        "distributions_shown": result.distributions_shown,
        "national": national_json(),
    }


def national_json() -> list[dict[str, Any]]:
    return [
        {
            "survey": str(s.era_label),
            "year": s.year,
            "n": s.n,
            "n_approximate": s.n_approximate,
            "direct_lonely_percent": s.direct_lonely,
            "indirect_lonely_percent": s.indirect_lonely,
            "indirect_always_percent": s.indirect_always,
            "direct_percent_by_level": {str(k): v for k, v in s.direct.items()},
            "source": str(national.SOURCE),
        }
        for s in national.SURVEYS
    ]
