"""Self-check aggregates (集計): what the results page, its CSV and the API show.

Reads SelfCheckTally and SelfCheckHelpTally only, never the responses, with one GROUP BY
per table, so a million stored answers cost a few thousand tally rows.

Suppression (秘匿): no count under MIN_CELL is shown, and no share whose numerator, the
rest, or its denominator is under MIN_CELL (a share times its shown denominator would give
the small count back). Secondary suppression then hides more cells wherever a hidden cell
could be recovered by subtraction from a shown total: each published total must have
either no hidden cell, only empty hidden cells, or at least two hidden cells adding up
to MIN_CELL or more. Empty cells are hidden like any count under MIN_CELL.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tsunagari.geo.models import Municipality
from tsunagari.lib.wareki import format_wareki_month, format_wareki_year
from tsunagari.surveys import national, scoring
from tsunagari.surveys.models import AgeBand, Help, SelfCheckHelpTally, SelfCheckTally

MIN_CELL = 10  # the smallest count ever shown
Z95 = 1.959963984540054  # two-sided 95% normal quantile
DEFAULT_MONTHS = 12
MAX_MONTHS = 120  # ten years: enough for any report, small enough for the by-month table

LONELY_BANDS = (scoring.Band.SOMETIMES, scoring.Band.ALWAYS)  # indirect 7–12
LONELY_DIRECT = (3, 4, 5)
UNKNOWN = ""  # municipality or age band not answered
SUPPRESSED_TEXT = "<10"  # what a suppressed count shows (a hidden share shows the same)

BY_MONTH, BY_QUARTER, BY_FISCAL_YEAR = "month", "quarter", "fiscal_year"
PERIOD_KINDS = (BY_MONTH, BY_QUARTER, BY_FISCAL_YEAR)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class FilterError(ValueError):
    """Bad filter values; `problems` maps each parameter to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


# ---------------------------------------------------------------- filters


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """How many months from start to end, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def fiscal_year_of(month: dt.date) -> int:
    """年度: April to March, named by the year it starts in."""
    return month.year if month.month >= 4 else month.year - 1


def parse_month(text: str) -> dt.date:
    match = _MONTH_RE.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise ValueError(text)
    return dt.date(int(match[1]), int(match[2]), 1)


@dataclass(frozen=True)
class Filters:
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month (included)
    city: str = ""  # a municipality code (wards are counted under their city); "" = all
    age_band: str = ""  # an AgeBand value; "" = all
    by: str = BY_QUARTER  # the time breakdown
    fiscal_year: int | None = None  # when the period is one 年度

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters (for links and the audit log)."""
        params = {"start": f"{self.start:%Y-%m}", "end": f"{self.end:%Y-%m}"}
        if self.fiscal_year is not None:
            params = {"fiscal_year": str(self.fiscal_year)}
        params.update(city=self.city, age_band=self.age_band, by=self.by)
        return params


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months, the current one included."""
    end = (today or timezone.localdate()).replace(day=1)
    return add_months(end, 1 - DEFAULT_MONTHS), end


def city_codes() -> dict[str, str]:
    """Code → name of the 33 市町村 in the reader's language, in code order (one query)."""
    return {m.code: m.label for m in Municipality.objects.municipalities().order_by("code")}


def make_filters(
    *,
    start: str = "",
    end: str = "",
    fiscal_year: int | str | None = None,
    city: str = "",
    age_band: str = "",
    by: str = "",
    cities: dict[str, str] | None = None,
    today: dt.date | None = None,
) -> Filters:
    """Filters from raw parameters; raises FilterError naming every bad one.

    A fiscal year, when given, is the period (start and end are then ignored).
    """
    problems: dict[str, str] = {}
    first, default_end = default_period(today)
    last = default_end
    year: int | None = None
    if fiscal_year not in (None, ""):
        try:
            year = int(str(fiscal_year))
            if not 2000 <= year <= 2100:
                raise ValueError
            first, last = dt.date(year, 4, 1), dt.date(year + 1, 3, 1)
        except ValueError:
            problems["fiscal_year"] = _("年度は西暦の年（例：2024）で指定してください。")
    else:
        months: dict[str, dt.date] = {}
        for name, text in (("start", start), ("end", end)):
            try:
                if text:
                    months[name] = parse_month(text)
            except ValueError:
                problems[name] = _("月は「2025-04」の形で指定してください。")
        # One end given: the other is the default end, or twelve months before the end.
        last = months.get("end", max(default_end, months.get("start", default_end)))
        first = months.get("start", add_months(last, 1 - DEFAULT_MONTHS))
        if not problems and first > last:
            problems["end"] = _("終わりの月は始まりの月以降にしてください。")
        elif not problems and months_between(first, last) > MAX_MONTHS:
            problems["start"] = _("期間は10年以内にしてください。")
    if city and city not in (cities if cities is not None else city_codes()):
        problems["city"] = _(
            "市町村は全国地方公共団体コード（6桁）で指定してください。区は市の単位で集計しています。"
        )
    if age_band and age_band not in AgeBand.values:
        problems["age_band"] = _("年代の指定が正しくありません。")
    if by and by not in PERIOD_KINDS:
        problems["by"] = _("期間の区切りは month、quarter、fiscal_year のいずれかです。")
    if problems:
        raise FilterError(problems)
    return Filters(
        start=first,
        end=last,
        city=city,
        age_band=age_band,
        by=by or BY_QUARTER,
        fiscal_year=year,
    )


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


def protect(
    values: Sequence[int], hidden: Iterable[int], groups: Sequence[Sequence[int]]
) -> set[int]:
    """Secondary suppression: the indexes of `values` to hide, given those already hidden.

    `groups` are the sets of cells whose totals are published. A group with hidden cells
    must have at least two of them adding up to MIN_CELL or more (or only empty ones), so
    that neither one cell nor the hidden cells together can be worked out as a small
    count; otherwise the smallest shown cell of the group is hidden too, until that holds
    or all are hidden.
    """
    result = set(hidden)
    changed = True
    while changed:
        changed = False
        # Smallest groups first: a cell hidden for a subtotal often protects the total too.
        for group in sorted(groups, key=len):
            inside = [i for i in group if i in result]
            if not inside:
                continue
            hidden_sum = sum(values[i] for i in inside)
            if hidden_sum == 0 or (len(inside) >= 2 and hidden_sum >= MIN_CELL):
                continue  # empty cells reveal nobody
            shown = [i for i in group if i not in result]
            if shown:
                result.add(min(shown, key=lambda i: (values[i], i)))
                changed = True
    return result


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
    by_city: list[Row]
    by_age: list[Row]
    over_time: list[Row]
    helps: Helps

    @property
    def n_text(self) -> str:
        return count_text(self.n)


def _filtered[T: (SelfCheckTally, SelfCheckHelpTally)](
    qs: QuerySet[T], filters: Filters, *, city: bool = True, age: bool = True
) -> QuerySet[T]:
    """Both tallies have the same month, municipality_code and age_band: one filter."""
    qs = qs.filter(month__gte=filters.start, month__lte=filters.end)
    if city and filters.city:
        qs = qs.filter(municipality_code=filters.city)
    if age and filters.age_band:
        qs = qs.filter(age_band=filters.age_band)
    return qs


def _tallies(filters: Filters, *, city: bool = True, age: bool = True) -> QuerySet[SelfCheckTally]:
    return _filtered(SelfCheckTally.objects.all(), filters, city=city, age=age)


def _helps(filters: Filters, responses: int) -> Helps:
    """What would help, under every filter: one GROUP BY over SelfCheckHelpTally.

    The denominator is ANSWERED (responses that chose at least one), not every response:
    the question is optional. A count is hidden under MIN_CELL, and also when the rest
    (answered − count) is 1–9, since the shown count beside the shown denominator would
    give that small rest back (as in the distributions, an empty rest reveals nobody).
    A share is hidden when its count, rest or denominator is under MIN_CELL.

    Those who skipped the question are `responses` − answered: when that is 1–9, the
    denominator is hidden, and the shares with it (a count over its share gives it back).

    No complementary suppression across helps: the question is multiple choice, so the
    helps do not add up to the denominator (or to anything published) and no hidden
    count can be worked out by subtraction from the others.
    """
    counts = dict(
        _filtered(SelfCheckHelpTally.objects.all(), filters)
        .order_by()
        .values("help")
        .annotate(total=Sum("n"))
        .values_list("help", "total")
    )
    answered = counts.get(SelfCheckHelpTally.ANSWERED) or 0
    few_skipped = 0 < responses - answered < MIN_CELL
    cells = []
    for code, label in zip(Help.values, Help.labels, strict=True):
        n = counts.get(code) or 0
        rest = answered - n
        hidden = n < MIN_CELL or 0 < rest < MIN_CELL
        cells.append(
            HelpCell(
                key=code,
                label=str(label),
                n=None if hidden else n,
                share=make_share(n, answered, hidden=few_skipped),
            )
        )
    shown = answered >= MIN_CELL and not few_skipped
    return Helps(answered=answered if shown else None, cells=cells)


def _distribution(
    keys: Sequence[Any],
    labels: Sequence[str],
    counts: dict[Any, int],
    total: int,
    lonely_keys: Sequence[Any],
    lonely_share: Share,
    national_of: Callable[[Any], list[NationalFigure]],
) -> list[Cell]:
    values = [counts.get(k, 0) for k in keys]
    everything = list(range(len(keys)))
    groups: list[list[int]] = [everything]
    if lonely_share.shown:  # both parts of the share are published totals too
        lonely = [i for i, k in enumerate(keys) if k in lonely_keys]
        groups += [lonely, [i for i in everything if i not in lonely]]
    small = [i for i, v in enumerate(values) if v < MIN_CELL or total < MIN_CELL]
    hidden = protect(values, small, groups)
    return [
        Cell(
            key=str(k),
            label=labels[i],
            n=None if i in hidden else values[i],
            percent=None if i in hidden else round(values[i] * 100 / total, 1),
            national=national_of(k),
        )
        for i, k in enumerate(keys)
    ]


def _national_direct(level: Any) -> list[NationalFigure]:
    return [NationalFigure(str(s.era_label), s.direct.get(int(level))) for s in national.SURVEYS]


def _national_band(band: Any) -> list[NationalFigure]:
    return [
        NationalFigure(str(s.era_label), s.indirect_always if band == scoring.Band.ALWAYS else None)
        for s in national.SURVEYS
    ]


def _breakdown(
    keys: Sequence[str],
    labels: Sequence[str],
    counts: dict[str, tuple[int, int, int]],
    selected: str = "",
) -> list[Row]:
    """Rows of (n, indirect lonely, direct lonely) with primary and secondary suppression."""
    n = [counts.get(k, (0, 0, 0))[0] for k in keys]
    everything = [list(range(len(keys)))]
    hidden_n = protect(n, [i for i, v in enumerate(n) if v < MIN_CELL], everything)
    hidden_shares = []
    for column in (1, 2):
        lonely = [counts.get(k, (0, 0, 0))[column] for k in keys]
        rest = [total - part for total, part in zip(n, lonely, strict=True)]
        hidden = hidden_n | {i for i in range(len(keys)) if not share_is_safe(lonely[i], n[i])}
        while True:  # the lonely and the not-lonely columns both have published totals
            grown = protect(rest, protect(lonely, hidden, everything), everything)
            if grown == hidden:
                break
            hidden = grown
        hidden_shares.append(hidden)
    rows = []
    for i, key in enumerate(keys):
        _, lonely_i, lonely_d = counts.get(key, (0, 0, 0))
        rows.append(
            Row(
                key=key,
                label=labels[i],
                n=None if i in hidden_n else n[i],
                indirect=make_share(lonely_i, n[i], hidden=i in hidden_shares[0]),
                direct=make_share(lonely_d, n[i], hidden=i in hidden_shares[1]),
                selected=bool(selected) and key == selected,
            )
        )
    return rows


Counts = dict[Any, tuple[int, int, int]]  # key → (n, indirect lonely, direct lonely)


def _add(counts: Counts, key: Any, n: int, indirect: int, direct: int) -> None:
    total, i, d = counts.get(key, (0, 0, 0))
    counts[key] = (total + n, i + indirect, d + direct)


def _breakdown_counts(filters: Filters) -> tuple[Counts, Counts, Counts]:
    """One GROUP BY by month × city × age band, folded into the three breakdowns.

    Each breakdown ignores the filter on its own dimension (every city is listed under
    the age filter, every age band under the city filter), so the query applies only
    the period; a few thousand grouped rows are summed here.
    """
    rows = (
        _tallies(filters, city=False, age=False)
        .order_by()
        .values("month", "municipality_code", "age_band")
        .annotate(
            total=Sum("n"),
            indirect=Sum("n", filter=Q(indirect_band__in=LONELY_BANDS)),
            direct=Sum("n", filter=Q(direct__in=LONELY_DIRECT)),
        )
        .values_list("month", "municipality_code", "age_band", "total", "indirect", "direct")
    )
    by_city: Counts = {}
    by_age: Counts = {}
    by_month: Counts = {}
    for month, city, age, total, indirect, direct in rows:
        counts = (total or 0, indirect or 0, direct or 0)
        city_matches = not filters.city or city == filters.city
        age_matches = not filters.age_band or age == filters.age_band
        if age_matches:
            _add(by_city, city, *counts)
        if city_matches:
            _add(by_age, age, *counts)
        if city_matches and age_matches:
            _add(by_month, month, *counts)
    return by_city, by_age, by_month


def _japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def fiscal_year_label(year: int) -> str:
    if _japanese():  # 年度 starts in April; 2019 is 令和元年度 by convention
        return f"{format_wareki_year(dt.date(year, 5, 1))}度"
    return f"FY{year}"


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
    if filters.fiscal_year is not None:
        return fiscal_year_label(filters.fiscal_year)
    if filters.start == filters.end:
        return month_label(filters.start)
    return f"{month_label(filters.start)}〜{month_label(filters.end)}"


def _over_time(filters: Filters, by_month: Counts) -> list[Row]:
    keys: list[str] = []
    labels: list[str] = []
    counts: dict[str, tuple[int, int, int]] = {}
    month = filters.start
    while month <= filters.end:
        key = period_key(month, filters.by)
        if key not in counts:
            keys.append(key)
            labels.append(period_label(month, filters.by))
            counts[key] = (0, 0, 0)
        _add(counts, key, *by_month.get(month, (0, 0, 0)))
        month = add_months(month, 1)
    return _breakdown(keys, labels, counts)


def compute(filters: Filters, cities: dict[str, str] | None = None) -> Aggregates:
    """Every table of the results page: three GROUP BY queries over the tallies (four
    with the municipality names, when `cities` is not given)."""
    cities = cities if cities is not None else city_codes()
    by_city, by_age, by_month = _breakdown_counts(filters)
    cells = {
        (band, direct): total
        for band, direct, total in _tallies(filters)
        .order_by()
        .values("indirect_band", "direct")
        .annotate(total=Sum("n"))
        .values_list("indirect_band", "direct", "total")
    }
    n = sum(cells.values())
    band_counts: dict[Any, int] = {}
    direct_counts: dict[Any, int] = {}
    for (band, direct), count in cells.items():
        band_counts[band] = band_counts.get(band, 0) + count
        direct_counts[direct] = direct_counts.get(direct, 0) + count
    indirect_lonely = make_share(sum(band_counts.get(b, 0) for b in LONELY_BANDS), n)
    direct_lonely = make_share(sum(direct_counts.get(d, 0) for d in LONELY_DIRECT), n)
    levels = list(reversed(scoring.DirectLevel.values))  # 5 (often) first, as the survey reports

    city_keys = [*cities, UNKNOWN]
    city_labels = [*cities.values(), _("回答なし")]
    age_keys = [*AgeBand.values, UNKNOWN]
    age_labels = [str(label) for label in AgeBand.labels] + [_("回答なし")]
    return Aggregates(
        filters=filters,
        city_name=cities.get(filters.city, ""),
        n=n if n >= MIN_CELL else None,
        indirect_bands=_distribution(
            scoring.BAND_ORDER,
            [str(b.label) for b in scoring.BAND_ORDER],
            band_counts,
            n,
            LONELY_BANDS,
            indirect_lonely,
            _national_band,
        ),
        direct_levels=_distribution(
            levels,
            [str(scoring.DirectLevel(v).label) for v in levels],
            direct_counts,
            n,
            LONELY_DIRECT,
            direct_lonely,
            _national_direct,
        ),
        indirect_lonely=indirect_lonely,
        direct_lonely=direct_lonely,
        national_indirect=[
            NationalFigure(str(s.era_label), s.indirect_lonely) for s in national.SURVEYS
        ],
        national_direct=[
            NationalFigure(str(s.era_label), s.direct_lonely) for s in national.SURVEYS
        ],
        by_city=_breakdown(
            city_keys,
            city_labels,
            by_city,
            filters.city,
        ),
        by_age=_breakdown(
            age_keys,
            age_labels,
            by_age,
            filters.age_band,
        ),
        over_time=_over_time(filters, by_month),
        helps=_helps(filters, n),
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
