"""The dashboard's charts, one builder each, registered in CHARTS in the dashboard's order.

Each builder turns Filters into a Figure (a ChartData that also knows how it is drawn), so
the SVG, the <table>, the CSV, the API and the annual report all read the same numbers.

Disclosure (秘匿): for the public (Filters.internal False) every count from 1 to 9 is
None, shown as 「10未満」, through lib/disclosure.py (`protect`), which also hides a
second cell where a shown total would give a hidden one away; a rate or a share made from
a hidden count is hidden too. The self-check and the supporters' figures come already
protected from their own modules (surveys/aggregates.py, supporters/figures.py), never
through a second copy of their rules. One exception, said on the chart: the member roster
is published by name with its sectors (the source document lists 地域 1, 学識者 1), so its
counts by sector are shown as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagari.geo.models import Municipality
from tsunagari.insights import tallies
from tsunagari.insights.charts import Chart, ChartData, Filters, Series, register
from tsunagari.lib import wareki
from tsunagari.lib.disclosure import protect
from tsunagari.lib.memo import per_scope
from tsunagari.lib.wareki import current_fiscal_year, format_wareki

FIRST_FISCAL_YEAR = 2024  # R6.4.1: the network's platform starts
PER_10K = 10_000
NETWORK_DATA = gettext_lazy("かながわつながりネットワークの登録データ")


@dataclass
class Figure(ChartData):
    """ChartData with what drawing it needs beyond the numbers."""

    axis: str = ""  # what the categories are (the table's first column header)
    codes: list[str] = field(default_factory=list)  # municipality codes of the categories
    drawn: list[int] | None = None  # the series the SVG draws (None: all)
    target: float | None = None  # a KPI's reference line (line charts)
    target_label: str = ""
    selected: str = ""  # the municipality chosen in the filters (outlined on the map)
    period: str = ""  # what the figures cover, in words (令和7年度, 現在)


# ---------------------------------------------------------------- helpers


def date_text(day: dt.date) -> str:
    """令和7年7月30日 for Japanese readers, 2025-07-30 in English."""
    from django.utils.translation import get_language

    return day.isoformat() if (get_language() or "").startswith("en") else format_wareki(day)


def fiscal_years() -> list[int]:
    """The fiscal years the filter offers: R6 (2024) to the current one."""
    return list(range(FIRST_FISCAL_YEAR, max(current_fiscal_year(), FIRST_FISCAL_YEAR) + 1))


def fiscal_year_label(year: int) -> str:
    """令和7年度; "FY2025" in English; "2025年度" in やさしい日本語 (a year in figures is
    easier to read than the era)."""
    from django.utils.translation import get_language

    if get_language() == "ja-easy":
        return _("%(year)s年度") % {"year": year}
    return wareki.fiscal_year_label(year)


def fiscal_year_end(year: int) -> dt.date:
    """The last day of the fiscal year, or today while it is running."""
    return min(dt.date(year + 1, 3, 31), timezone.localdate())


@per_scope
def municipalities() -> dict[str, str]:
    """Code → name of the 33 市町村 in the reader's language, in code order."""
    return {m.code: m.label for m in Municipality.objects.municipalities().order_by("code")}


def _hide(counts: dict[str, int], keys: Sequence[str], filters: Filters) -> dict[str, int | None]:
    """Counts of one line with no total shown: 1–9 hidden for the public."""
    if filters.internal:
        return {k: counts.get(k, 0) for k in keys}
    table = protect({(k, 0): n for k, n in counts.items()}, keys, [0])
    return {k: table.cell(k, 0) for k in keys}


def _rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(count * PER_10K / population, 2)


def _as_float(value: Decimal | float | int) -> float:
    return float(value)


# ---------------------------------------------------------------- 1. members by sector


def build_members(filters: Filters) -> Figure:
    from tsunagari.members.models import ROSTER_BASELINE_DATE, Membership, Sector

    last_year = filters.fiscal_year or current_fiscal_year()
    periods = [
        (year, fiscal_year_end(year))
        for year in range(FIRST_FISCAL_YEAR, last_year + 1)
        if dt.date(year, 4, 1) <= timezone.localdate()
    ]
    rows = list(
        Membership.objects.filter(organization__is_sample=False).values_list(
            "organization_id", "organization__sector", "started_on", "start_basis", "ended_on"
        )
    )
    known_from = min(
        (s for _o, _s, s, basis, _e in rows if basis == Membership.StartBasis.KNOWN_MEMBER),
        default=ROSTER_BASELINE_DATE,
    )
    shown = [(year, day) for year, day in periods if day >= known_from]
    unknown = [year for year, day in periods if day < known_from]
    categories: list[str] = []
    values: dict[str, list[int | float | None]] = {s.value: [] for s in Sector}
    for year, day in shown:
        if day == dt.date(year + 1, 3, 31):
            categories.append(_("%(year)s末") % {"year": fiscal_year_label(year)})
        else:
            categories.append(_("%(date)s現在") % {"date": date_text(day)})
        members: dict[str, set[int]] = {s.value: set() for s in Sector}
        for org, sector, start, _basis, end in rows:
            if start <= day and (end is None or end > day) and sector in members:
                members[sector].add(org)
        for sector, orgs in members.items():
            values[sector].append(len(orgs))
    notes = [
        _(
            "構成員名簿は団体名と分野を公開しているため、分野別の団体数は10未満でもそのまま"
            "表示します。"
        )
    ]
    if unknown:
        notes.append(
            _(
                "公式の構成員名簿（%(date)s時点）の団体は加入日が分かりません。そのため、"
                "%(years)sの数は表示していません（0ではありません）。"
            )
            % {
                "date": date_text(known_from),
                "years": "、".join(fiscal_year_label(y) for y in unknown),
            }
        )
    totals = [sum(int(values[s.value][i] or 0) for s in Sector) for i in range(len(shown))]
    if totals:
        reading = _("%(when)s、構成員は%(total)s団体で、最も多い分野は%(sector)sです。") % {
            "when": categories[-1],
            "total": f"{totals[-1]:,}",
            "sector": max(Sector, key=lambda s: values[s.value][-1] or 0).label,
        }
    else:
        reading = _("表示できる時点の構成員の数はまだありません。")
    return Figure(
        slug="members",
        title=_("分野別の構成員の数"),
        kind="stacked",
        categories=categories,
        series=[Series(str(s.label), values[s.value]) for s in Sector],
        reading=reading,
        source=str(NETWORK_DATA),
        as_of=timezone.localdate(),
        unit=_("団体"),
        notes=notes,
        axis=_("時点"),
    )


# ---------------------------------------------------------------- 2. per 10,000 residents


@dataclass(frozen=True)
class Population:
    by_code: dict[str, int]
    sources: list[str]  # "source (as of)" of the figures used


@per_scope
def populations() -> Population:
    """The newest figure of each of the 33 municipalities (rollout.PopulationFigure); a
    city without a figure of its own adds up its wards' newest ones."""
    from tsunagari.rollout.models import PopulationFigure

    cities = tallies.city_of()
    newest: dict[str, tuple[dt.date, int, str]] = {}
    for code, as_of, population, source in PopulationFigure.objects.order_by(
        "municipality_id", "-as_of"
    ).values_list("municipality_id", "as_of", "population", "source_name"):
        newest.setdefault(code, (as_of, population, source))
    by_code: dict[str, int] = {}
    used: set[tuple[str, dt.date]] = set()
    for code in set(cities.values()):
        if code in newest:
            as_of, population, source = newest[code]
        else:
            wards = [newest[c] for c, city in cities.items() if city == code and c in newest]
            if not wards:
                continue
            as_of = max(w[0] for w in wards)
            population, source = sum(w[1] for w in wards), wards[0][2]
        by_code[code] = population
        used.add((source, as_of))
    sources = [
        _("人口：%(source)s（%(date)s）") % {"source": s, "date": date_text(d)}
        for s, d in sorted(used, key=lambda item: item[1])
    ]
    return Population(by_code, sources)


def _per_10k(filters: Filters, *, opportunities: bool) -> Figure:
    names = municipalities()
    codes = list(names)
    counts = tallies.resources_by_municipality(opportunities=opportunities)
    shown = _hide(counts, codes, filters)
    people = populations()
    rates = {c: _rate(shown[c], people.by_code.get(c)) for c in codes}
    what = _("参加の機会") if opportunities else _("地域資源")
    unit = _("件")
    series = [
        Series(_("%(what)sの数") % {"what": what}, [shown[c] for c in codes]),
        Series(_("人口"), [people.by_code.get(c) for c in codes]),
        Series(_("人口1万人あたり"), [rates[c] for c in codes]),
    ]
    ranked = sorted((r, c) for c, r in rates.items() if r is not None)
    if filters.municipality in names:
        rate = rates.get(filters.municipality)
        reading = _(
            "%(place)sの%(what)sは人口1万人あたり%(rate)s件です（県内の市町村の中央値は%(median)s件）。"
        ) % {
            "place": names[filters.municipality],
            "what": what,
            "rate": _fmt(rate),
            "median": _fmt(_median([r for r, _c in ranked])),
        }
    elif ranked and ranked[-1][0] > 0:
        reading = _(
            "人口1万人あたりの%(what)sが最も多いのは%(top)s（%(top_rate)s件）、最も少ないのは"
            "%(low)s（%(low_rate)s件）です。"
        ) % {
            "what": what,
            "top": names[ranked[-1][1]],
            "top_rate": _fmt(ranked[-1][0]),
            "low": names[ranked[0][1]],
            "low_rate": _fmt(ranked[0][0]),
        }
    else:
        reading = _("人口1万人あたりの%(what)sを示せる市町村はまだありません。") % {"what": what}
    notes = [
        _("公開中の資源のうち、その市町村に活動場所があるものを数えています（区は市に含めます）。"),
    ]
    if opportunities:
        notes.insert(0, _("参加の機会は、イベントとボランティアの募集です。"))
    return Figure(
        slug="opportunities" if opportunities else "resources",
        title=_("人口1万人あたりの%(what)s") % {"what": what},
        kind="tiles",
        categories=[names[c] for c in codes],
        series=series,
        reading=reading,
        source="、".join([str(NETWORK_DATA), *people.sources]),
        as_of=timezone.localdate(),
        unit=unit,
        notes=notes,
        axis=_("市町村"),
        codes=codes,
        drawn=[2],
        selected=filters.municipality or "",
        period=_("現在"),
    )


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else round((values[mid - 1] + values[mid]) / 2, 2)


def build_resources(filters: Filters) -> Figure:
    return _per_10k(filters, opportunities=False)


def build_opportunities(filters: Filters) -> Figure:
    return _per_10k(filters, opportunities=True)


# ---------------------------------------------------------------- 3. needs vs seeds


def build_needs_seeds(filters: Filters) -> Figure:
    from tsunagari.directory.models import TargetGroup

    names = municipalities()
    codes = [filters.municipality] if filters.municipality in names else list(names)
    groups = list(TargetGroup.objects.all())
    labels = [group.label for group in groups]  # in English or やさしい日本語 too
    slugs = [group.slug for group in groups]
    pairs = tallies.needs_and_seeds()
    needs = {(c, s): n for (c, s), (n, _seeds) in pairs.items()}
    seeds = {(c, s): m for (c, s), (_n, m) in pairs.items()}
    if filters.internal:
        need_cell: Callable[[str, str], int | None] = lambda c, s: needs.get((c, s), 0)  # noqa: E731
        seed_cell: Callable[[str, str], int | None] = lambda c, s: seeds.get((c, s), 0)  # noqa: E731
    else:
        need_cell = protect(needs, codes, slugs).cell
        seed_cell = protect(seeds, codes, slugs).cell
    series: list[Series] = []
    widest: tuple[int, str, str] | None = None
    for slug, label in zip(slugs, labels, strict=True):
        values: list[int | float | None] = []
        for code in codes:
            n, m = need_cell(code, slug), seed_cell(code, slug)
            gap = None if n is None or m is None else n - m
            values.append(gap)
            if gap is not None and gap > 0 and (widest is None or gap > widest[0]):
                widest = (gap, names[code], label)
        series.append(Series(label, values))
    if widest:
        reading = _(
            "数は「受付中のニーズ − そのニーズに合う資源（シーズ）」です。正の数はニーズに対して"
            "資源が足りないことを示します。差が最も大きいのは%(place)sの%(group)s（%(gap)s）です。"
        ) % {"place": widest[1], "group": widest[2], "gap": f"{widest[0]:,}"}
    else:
        reading = _(
            "数は「受付中のニーズ − そのニーズに合う資源（シーズ）」です。いま、資源よりニーズが"
            "多いと示せる組み合わせはありません。"
        )
    return Figure(
        slug="needs-seeds",
        title=_("ニーズとシーズの差（市町村 × 対象）"),
        kind="heatmap",
        categories=[names[c] for c in codes],
        series=series,
        reading=reading,
        source=str(NETWORK_DATA),
        as_of=timezone.localdate(),
        unit=_("件"),
        notes=[
            _(
                "ニーズまたはシーズのどちらかが1〜9件のときは、差から件数が分かってしまうため"
                "「10未満」と表示します。"
            )
        ],
        axis=_("市町村"),
        codes=codes,
        selected=filters.municipality or "",
        period=_("現在"),
    )


# ---------------------------------------------------------------- 4. collaborations


def build_collaborations(filters: Filters) -> Figure:
    from tsunagari.surveys.aggregates import share_is_safe

    counts = tallies.collaboration_funnel(
        fiscal_year=filters.fiscal_year, municipality=filters.municipality
    )
    proposed, accepted, completed = counts["proposed"], counts["accepted"], counts["completed"]
    cross = counts["cross_sector"]
    parts = {
        "not_accepted": proposed - accepted,
        "accepted_only": accepted - completed,
        "completed": completed,
    }
    p: int | None
    a: int | None
    c: int | None
    x: int | None
    if filters.internal:
        p, a, c, x = proposed, accepted, completed, cross
    else:
        # The stages as disjoint parts of the whole, so that no hidden part can be worked out
        # from the shown stages.
        table = protect({(0, k): v for k, v in parts.items()}, [0], parts, row_totals=True)
        p, c = table.row_total(0), table.cell(0, "completed")
        a_only, not_a = table.cell(0, "accepted_only"), table.cell(0, "not_accepted")
        if c is not None and a_only is not None:
            a = c + a_only
        elif p is not None and not_a is not None:
            a = p - not_a
        else:
            a = None
        x = cross if share_is_safe(cross, proposed) or cross == 0 else None
    when = fiscal_year_label(filters.fiscal_year) if filters.fiscal_year else _("これまで")
    if p:
        reading = _(
            "%(when)sに始まった協働の提案は%(p)s件、合意に至ったのは%(a)s件、完了したのは"
            "%(c)s件です。分野をまたぐ協働は%(x)s件です。"
        ) % {"when": when, "p": _fmt(p), "a": _fmt(a), "c": _fmt(c), "x": _fmt(x)}
        if x is not None and p and accepted is not None:
            reading += _("提案のうち%(share)s%%が分野をまたいでいます。") % {
                "share": f"{x * 100 / p:.0f}"
            }
    elif p is None:
        reading = _("%(when)sの協働の提案は10件未満のため、内訳は表示していません。") % {
            "when": when
        }
    else:
        reading = _("%(when)sに始まった協働の提案はまだありません。") % {"when": when}
    return Figure(
        slug="collaborations",
        title=_("協働の進み具合（提案 → 合意 → 完了）"),
        kind="funnel",
        categories=[_("提案"), _("合意"), _("完了"), _("うち分野をまたぐ協働")],
        series=[Series(_("協働の数"), [p, a, c, x])],
        reading=reading,
        source=str(NETWORK_DATA),
        as_of=timezone.localdate(),
        unit=_("件"),
        notes=[
            _(
                "合意は、合意・実施中・完了を合わせた数です。分野をまたぐ協働は、分野の異なる"
                "団体が参加する協働です。"
            )
        ],
        axis=_("段階"),
        selected=filters.municipality or "",
        period=when,
    )


# ---------------------------------------------------------------- 5. supporters trained


def build_supporters(filters: Filters) -> Figure:
    from tsunagari.supporters import figures

    last = filters.fiscal_year or current_fiscal_year()
    years = [y for y in range(FIRST_FISCAL_YEAR, last + 1)]
    attended: list[int | float | None] = []
    certified: list[int | float | None] = []
    for result in figures.compute_years(years).values():
        row = result.total
        if filters.municipality:
            row = next((r for r in result.rows if r.code == filters.municipality), None) or (
                figures.Row(filters.municipality, "", 0, 0, 0, 0)
            )
        attended.append(row.attended)
        certified.append(row.certified)
    labels = [fiscal_year_label(y) for y in years]
    reading = _(
        "%(year)sに養成講座を受講した人は%(attended)s人、修了証を受け取った人は%(certified)s人です。"
    ) % {
        "year": labels[-1],
        "attended": _fmt(attended[-1]),
        "certified": _fmt(certified[-1]),
    }
    return Figure(
        slug="supporters",
        title=_("つながりサポーターの養成"),
        kind="bar",
        categories=labels,
        series=[Series(_("受講した人"), attended), Series(_("修了証を受け取った人"), certified)],
        reading=reading,
        source=_("つながりサポーター養成講座の記録（かながわつながりネットワーク）"),
        as_of=timezone.localdate(),
        unit=_("人"),
        notes=[
            _(
                "講座の開催地の市町村・開始日の年度で数えます。1〜9人の数と、合計から分かって"
                "しまう数は「10未満」と表示します。"
            )
        ],
        axis=_("年度"),
        selected=filters.municipality or "",
    )


# ---------------------------------------------------------------- 6. model cases


def build_cases(filters: Filters) -> Figure:
    from tsunagari.cases.models import CaseAdoption, ModelCase

    day = fiscal_year_end(filters.fiscal_year) if filters.fiscal_year else timezone.localdate()
    cities = tallies.city_of()
    published = ModelCase.objects.published()
    if filters.fiscal_year:
        published = published.filter(published_at__date__lte=day)
    adoptions = CaseAdoption.objects.filter(
        case__status=ModelCase.Status.PUBLISHED, stage_since__lte=day
    ).values_list("stage", "municipality_id")
    by_stage: dict[str, int] = {s: 0 for s in CaseAdoption.STAGE_ORDER}
    for stage, code in adoptions:
        if filters.municipality and cities.get(code) != filters.municipality:
            continue
        by_stage[stage] = by_stage.get(stage, 0) + 1
    counts = {"published": published.count(), **by_stage}
    keys = ["published", *CaseAdoption.STAGE_ORDER]
    shown = _hide(counts, keys, filters)
    labels = [_("公開されたモデル事例"), *(str(s.label) for s in CaseAdoption.Stage)]
    place = municipalities().get(filters.municipality or "", "")
    reading = _(
        "公開されたモデル事例は%(published)sです。%(place)sでの導入は、関心%(interest)s、"
        "検討%(considering)s、実施%(implementing)s、定着%(established)sです。"
    ) % {
        "published": _cases(shown["published"]),
        "place": place or _("市町村"),
        **{k: _cases(shown[k]) for k in CaseAdoption.STAGE_ORDER},
    }
    return Figure(
        slug="cases",
        title=_("モデル事例の公開と市町村での導入"),
        kind="bar",
        categories=labels,
        series=[Series(_("件数"), [shown[k] for k in keys])],
        reading=reading,
        source=str(NETWORK_DATA),
        as_of=day,
        unit=_("件"),
        notes=[_("導入は、事例と市町村の組ごとに、いまの段階で数えます。")],
        axis=_("項目"),
        selected=filters.municipality or "",
    )


# ---------------------------------------------------------------- 7. self-check vs national


def build_selfcheck(filters: Filters) -> Figure:
    from tsunagari.surveys import aggregates, national

    year = filters.fiscal_year or current_fiscal_year()
    result = aggregates.headline(
        aggregates.make_filters(fiscal_year=year, city=filters.municipality or "")
    )
    latest = national.LATEST
    ours = _("このサイトのセルフチェック（%(year)s）") % {"year": fiscal_year_label(year)}
    theirs = _("全国調査（%(survey)s）") % {"survey": latest.era_label}
    indirect, direct = result.indirect.percent, result.direct.percent
    if indirect is not None:
        reading = _(
            "このサイトのセルフチェック（回答%(n)s件）で孤独感がある人（間接質問7〜12点）は"
            "%(ours)s%%、全国調査では%(theirs)s%%です。セルフチェックは自分から答えた人の集計で、"
            "無作為に選んだ全国調査とは比べ方に注意が必要です。"
        ) % {"n": result.n_text, "ours": f"{indirect:.1f}", "theirs": latest.indirect_lonely}
    else:
        reading = _(
            "このサイトのセルフチェックの回答が少ないため、割合は表示していません。全国調査では"
            "孤独感がある人（間接質問7〜12点）は%(theirs)s%%です。"
        ) % {"theirs": latest.indirect_lonely}
    return Figure(
        slug="selfcheck",
        title=_("セルフチェックと全国調査：孤独感がある人の割合"),
        kind="bar",
        categories=[
            _("間接質問で孤独感がある（7〜12点）"),
            _("直接質問で孤独感がある（たまにある〜常にある）"),
        ],
        series=[
            Series(ours, [indirect, direct]),
            Series(theirs, [latest.indirect_lonely, latest.direct_lonely]),
        ],
        reading=reading,
        source=_("このサイトの「こころのセルフチェック」の集計、%(national)s%(survey)s")
        % {"national": national.SOURCE, "survey": latest.era_label},
        as_of=timezone.localdate(),
        unit="%",
        notes=[
            _(
                "回答数：%(n)s件。少ない数が分かる割合は、セルフチェックの集計と同じ規則で表示しません。"
            )
            % {"n": result.n_text}
        ],
        axis=_("質問"),
        selected=filters.municipality or "",
        period=fiscal_year_label(year),
    )


# ---------------------------------------------------------------- 8. 県民ニーズ調査


ANSWERS = (
    ("fully", gettext_lazy("十分")),
    ("fairly", gettext_lazy("かなり")),
    ("neutral", gettext_lazy("どちらとも")),
    ("hardly", gettext_lazy("あまり")),
    ("not_at_all", gettext_lazy("ほとんど")),
    ("unknown", gettext_lazy("分からない")),
    ("no_answer", gettext_lazy("無回答")),
)


def _survey_figures(filters: Filters) -> list[Any]:
    from tsunagari.insights.models import SurveyFigure

    qs = SurveyFigure.objects.order_by("fiscal_year")
    if filters.fiscal_year:
        qs = qs.filter(fiscal_year__lte=filters.fiscal_year)
    return list(qs)


def build_kenmin_survey(filters: Filters) -> Figure:
    figures = _survey_figures(filters)
    figure = figures[-1] if figures else None
    values = [_as_float(getattr(figure, k)) if figure else None for k, _l in ANSWERS]
    year = fiscal_year_label(figure.fiscal_year) if figure else ""
    if figure:
        reading = _(
            "%(year)sの県民ニーズ調査で、助け合えるつながりを持っていることに「十分」「かなり」"
            "満たされていると答えた人は合わせて%(satisfied)s%%でした。"
        ) % {"year": year, "satisfied": _fmt(_as_float(figure.satisfied))}
    else:
        reading = _("県民ニーズ調査の結果はまだ登録されていません。")
    return Figure(
        slug="kenmin-survey",
        title=_(
            "県民ニーズ調査：「誰もが地域で孤立することなく、困ったときに助け合えるつながりを持っていること」の満足度"
        ),
        kind="bar",
        categories=[str(label) for _k, label in ANSWERS],
        series=[Series(_("回答の割合"), values)],
        reading=reading,
        source=figure.source_name if figure else "",
        as_of=dt.date(figure.fiscal_year + 1, 3, 31) if figure else timezone.localdate(),
        unit="%",
        notes=(
            [_("%(year)sの調査。回答者%(n)s人。") % {"year": year, "n": _fmt(figure.respondents)}]
            if figure
            else []
        ),
        axis=_("回答"),
        period=year,
    )


def build_kenmin_kpi(filters: Filters) -> Figure:
    figures = _survey_figures(filters)
    baseline = next((f for f in figures if f.fiscal_year == 2023), figures[0] if figures else None)
    values: list[int | float | None] = [_as_float(f.satisfied) for f in figures]
    target = _as_float(baseline.satisfied) if baseline else None
    target_label = (
        _("基準値 %(value)s%%（%(year)s）")
        % {"value": _fmt(target), "year": fiscal_year_label(baseline.fiscal_year)}
        if baseline
        else ""
    )
    if len(figures) > 1:
        reading = _(
            "「十分＋かなり」は%(first_year)sの%(first)s%%から%(last_year)sの%(last)s%%になりました。"
        ) % {
            "first_year": fiscal_year_label(figures[0].fiscal_year),
            "first": _fmt(values[0]),
            "last_year": fiscal_year_label(figures[-1].fiscal_year),
            "last": _fmt(values[-1]),
        }
    elif figures:
        reading = _(
            "「十分＋かなり」は%(year)sに%(value)s%%でした。この数を基準に、これから上げていく"
            "ことを目指します。"
        ) % {"year": fiscal_year_label(figures[0].fiscal_year), "value": _fmt(values[0])}
    else:
        reading = _("県民ニーズ調査の結果はまだ登録されていません。")
    sources = sorted({f.source_name for f in figures})
    return Figure(
        slug="kenmin-kpi",
        title=_("目標の指標：つながりに満足している県民の割合（「十分」＋「かなり」）"),
        kind="line",
        categories=[fiscal_year_label(f.fiscal_year) for f in figures],
        series=[Series(_("十分＋かなり"), values)],
        reading=reading,
        source=" / ".join(sources),
        as_of=dt.date(figures[-1].fiscal_year + 1, 3, 31) if figures else timezone.localdate(),
        unit="%",
        notes=[_("令和6年度以降の結果は、事務局が出典とともに登録します。")],
        axis=_("年度"),
        target=target,
        target_label=target_label,
    )


# ---------------------------------------------------------------- formatting, registry


def _fmt(value: int | float | None) -> str:
    return format_value(value)


def _cases(value: int | None) -> str:
    """A count of cases in a sentence: 「3件」, or 「10件未満」 when it is hidden."""
    if value is None:
        return _("10件未満")
    return _("%(n)s件") % {"n": f"{value:,}"}


def format_value(value: int | float | Decimal | None) -> str:
    """How a value reads in the SVG, the table and the CSV (the same text in all)."""
    if value is None:
        return _("10未満")
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _charts() -> Iterable[tuple[str, Any, Callable[[Filters], Figure]]]:
    return (
        ("members", gettext_lazy("分野別の構成員の数"), build_members),
        ("resources", gettext_lazy("人口1万人あたりの地域資源"), build_resources),
        ("opportunities", gettext_lazy("人口1万人あたりの参加の機会"), build_opportunities),
        ("needs-seeds", gettext_lazy("ニーズとシーズの差"), build_needs_seeds),
        ("collaborations", gettext_lazy("協働の進み具合"), build_collaborations),
        ("supporters", gettext_lazy("つながりサポーターの養成"), build_supporters),
        ("cases", gettext_lazy("モデル事例の公開と導入"), build_cases),
        ("selfcheck", gettext_lazy("セルフチェックと全国調査"), build_selfcheck),
        ("kenmin-survey", gettext_lazy("県民ニーズ調査の満足度"), build_kenmin_survey),
        ("kenmin-kpi", gettext_lazy("つながりに満足している県民の割合"), build_kenmin_kpi),
    )


# The charts that a municipality's view shows (the others are the prefecture's only).
PER_MUNICIPALITY = {
    "resources",
    "opportunities",
    "needs-seeds",
    "collaborations",
    "supporters",
    "cases",
    "selfcheck",
}

for _slug, _title, _build in _charts():
    register(Chart(_slug, _title, _build))
