"""The gap view (ニーズとシーズのギャップ): open needs that no seed answers well yet.

Where these pile up is where the network must recruit new seeds. A need is *unmet*
when none of its suggestions scores at least GOOD_MATCH_SCORE (or it has none at all);
the threshold follows the engine's weights (see below).
A suggestion the need's owner dismissed as not fitting does not count as a good seed.

The tables count each need once per target group and once per kind it names, so a
table's rows can add up to more than the number of needs; a need naming none is counted
under "not specified".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils.translation import gettext_lazy as _

from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.geo.models import Municipality
from tsunagari.matching.engine import HYBRID
from tsunagari.matching.models import Need, NeedQuerySet, Suggestion

# A good seed scores at least half of the highest score the engine can give (every
# signal at its best: the fused score is the weighted sum of signals that run 0 to 1).
# Below that a seed matches in one respect only, e.g. a shared word in the same town.
GOOD_MATCH_SHARE = 0.5
GOOD_MATCH_SCORE = GOOD_MATCH_SHARE * sum(weight for _, weight in HYBRID.items())

NOT_SPECIFIED = _("指定なし")
NO_TERM: list[int | None] = [None]


@dataclass(frozen=True)
class GapRow:
    """One line of a table: its labels, the open needs and how many of them are unmet."""

    labels: tuple[str, ...]
    open_needs: int
    unmet_needs: int
    municipality_code: str = ""


@dataclass(frozen=True)
class Gaps:
    by_area_and_target: list[GapRow]
    by_kind: list[GapRow]
    open_needs: int
    unmet_needs: int


def area_scope(municipality: Municipality) -> list[str]:
    """The codes a municipality's officer looks after: the city with its wards, or a
    ward with its city (a ward's needs are also the designated city's)."""
    if municipality.kind == Municipality.Kind.WARD and municipality.parent_id:
        return [municipality.code, municipality.parent_id]
    return [municipality.code, *(ward.code for ward in municipality.wards.all())]


def has_good_seed() -> Exists:
    """Whether a need has a suggestion scoring at least GOOD_MATCH_SCORE, not dismissed."""
    return Exists(
        Suggestion.objects.filter(need=OuterRef("pk"), score__gte=GOOD_MATCH_SCORE).exclude(
            state=Suggestion.State.DISMISSED
        )
    )


def open_needs(codes: Iterable[str] | None = None) -> NeedQuerySet:
    """Open needs, within the municipalities `codes` if given."""
    qs = Need.objects.open()
    if codes is not None:
        qs = qs.filter(municipality_id__in=list(codes))
    return qs


def unmet_needs(codes: Iterable[str] | None = None) -> NeedQuerySet:
    """The unmet needs, the urgent first, then the longest waiting."""
    urgency = Case(
        When(urgency=Need.Urgency.HIGH, then=Value(0)),
        When(urgency=Need.Urgency.NORMAL, then=Value(1)),
        default=Value(2),
    )
    return (
        open_needs(codes)
        .filter(~has_good_seed())
        .select_related("organization", "municipality")
        .order_by(urgency, "created_at", "id")
    )


def gaps(codes: Iterable[str] | None = None) -> Gaps:
    """Both tables in a fixed number of queries, whatever the number of needs."""
    rows = open_needs(codes).annotate(is_met=has_good_seed())
    needs: dict[int, tuple[str, bool]] = {
        pk: (municipality_id or "", is_met)
        for pk, municipality_id, is_met in rows.values_list("pk", "municipality_id", "is_met")
    }
    targets = _pairs(Need.target_groups.through, "targetgroup_id", needs)
    kinds = _pairs(Need.kinds_wanted.through, "kind_id", needs)
    municipality_names = dict(
        Municipality.objects.filter(code__in={m for m, _ in needs.values() if m}).values_list(
            "code", "name"
        )
    )
    target_terms = {t.pk: t for t in TargetGroup.objects.all()}
    kind_terms = {k.pk: k for k in Kind.objects.all()}

    area_open: Counter[tuple[str, int | None]] = Counter()
    area_unmet: Counter[tuple[str, int | None]] = Counter()
    kind_open: Counter[int | None] = Counter()
    kind_unmet: Counter[int | None] = Counter()
    for pk, (code, is_met) in needs.items():
        for target in targets.get(pk) or NO_TERM:
            area_open[code, target] += 1
            area_unmet[code, target] += not is_met
        for kind in kinds.get(pk) or NO_TERM:
            kind_open[kind] += 1
            kind_unmet[kind] += not is_met

    def term_label(terms: dict, pk: int | None) -> str:
        return terms[pk].label if pk is not None else str(NOT_SPECIFIED)

    def term_order(terms: dict, pk: int | None) -> tuple[int, int]:
        return (terms[pk].sort_order, pk) if pk is not None else (10**6, 0)

    by_area = [
        GapRow(
            labels=(
                municipality_names.get(code, "") or str(NOT_SPECIFIED),
                term_label(target_terms, target),
            ),
            open_needs=count,
            unmet_needs=area_unmet[code, target],
            municipality_code=code,
        )
        for (code, target), count in sorted(
            area_open.items(),
            key=lambda item: (
                -area_unmet[item[0]],
                item[0][0] or "999999",
                term_order(target_terms, item[0][1]),
            ),
        )
    ]
    by_kind = [
        GapRow(
            labels=(term_label(kind_terms, kind),),
            open_needs=count,
            unmet_needs=kind_unmet[kind],
        )
        for kind, count in sorted(
            kind_open.items(),
            key=lambda item: (-kind_unmet[item[0]], term_order(kind_terms, item[0])),
        )
    ]
    return Gaps(
        by_area_and_target=by_area,
        by_kind=by_kind,
        open_needs=len(needs),
        unmet_needs=sum(1 for _, is_met in needs.values() if not is_met),
    )


def _pairs(
    through: type, column: str, needs: dict[int, tuple[str, bool]]
) -> dict[int, list[int | None]]:
    """need id → the related term ids, for the given open needs (one query)."""
    result: dict[int, list[int | None]] = {}
    rows = through.objects.filter(need__status=Need.Status.OPEN).values_list(  # type: ignore[attr-defined]
        "need_id", column
    )
    for need_id, term_id in rows:
        if need_id in needs:
            result.setdefault(need_id, []).append(term_id)
    return result


CSV_HEADER = [
    "集計",
    "団体コード",
    "市区町村",
    "対象",
    "求める資源の種類",
    "募集中のニーズ",
    "合うシーズのないニーズ",
]


def csv_rows(result: Gaps) -> list[list[object]]:
    """Both tables in one sheet, told apart by the first column."""
    rows: list[list[object]] = []
    for row in result.by_area_and_target:
        area, target = row.labels
        rows.append(
            [
                "市区町村×対象",
                row.municipality_code,
                area,
                target,
                "",
                row.open_needs,
                row.unmet_needs,
            ]
        )
    for row in result.by_kind:
        rows.append(
            ["求める資源の種類", "", "", "", row.labels[0], row.open_needs, row.unmet_needs]
        )
    return rows
