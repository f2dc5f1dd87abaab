"""Figures per municipality: the one place that counts what the network has in each of the
33 municipalities, so the roll-out table, the municipality pages, the API and later the
insights dashboard all show the same numbers.

Wards roll up to their designated city (a resource in 港北区 counts for 横浜市). Counts of
people (supporters) keep the disclosure control of their source; counts of organisations,
resources, needs and cases are not counts of people and are shown as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tsunagari.cases.models import CaseAdoption
from tsunagari.councils.models import LocalCouncil
from tsunagari.directory.models import Resource
from tsunagari.geo.models import Municipality
from tsunagari.matching.models import Need
from tsunagari.members.models import Organization
from tsunagari.rollout.models import MunicipalityRollout, PopulationFigure, RolloutChange

# The directory's kinds that are chances to take part (as in the supporters' opportunity mail).
OPPORTUNITY_KINDS = ("event", "volunteer")
# An adoption that has gone beyond interest and consideration: the case is running there.
ACTIVE_ADOPTION = (CaseAdoption.Stage.IMPLEMENTING, CaseAdoption.Stage.ESTABLISHED)


def city_of(field_path: str) -> Coalesce:
    """The 33-municipality code of a place field: a ward's city, else the place itself."""
    return Coalesce(f"{field_path}__parent_id", f"{field_path}__code")


def population_of(
    municipality: Municipality | str, on: dt.date | None = None
) -> PopulationFigure | None:
    """The newest figure dated on or before `on` (today by default), with its source."""
    code = municipality if isinstance(municipality, str) else municipality.code
    on = on or timezone.localdate()
    return (
        PopulationFigure.objects.filter(municipality_id=code, as_of__lte=on)
        .order_by("-as_of", "-id")
        .first()
    )


def per_10k(count: int | None, population: PopulationFigure | int | None) -> float | None:
    """Count per 10,000 residents, one decimal; None when either is unknown."""
    people = population.population if isinstance(population, PopulationFigure) else population
    if count is None or not people:
        return None
    return round(count * 10_000 / people, 1)


@dataclass
class Figures:
    """Everything counted for one municipality (wards included)."""

    municipality: Municipality
    rollout: MunicipalityRollout | None
    population: PopulationFigure | None = None
    members: int = 0
    resources: int = 0
    opportunities: int = 0
    open_needs: int = 0
    councils: list[LocalCouncil] = field(default_factory=list)
    adoptions_active: int = 0
    adoptions_total: int = 0
    adoptions_by_stage: dict[str, int] = field(default_factory=dict)
    supporters: int | None = 0  # people who attended a course this fiscal year; None: < 10

    @property
    def code(self) -> str:
        return self.municipality.code

    @property
    def stage(self) -> str:
        return self.rollout.stage if self.rollout else MunicipalityRollout.Stage.FIRST

    @property
    def stage_number(self) -> int:
        return MunicipalityRollout.Stage.values.index(self.stage) + 1

    @property
    def resources_per_10k(self) -> float | None:
        return per_10k(self.resources, self.population)

    @property
    def opportunities_per_10k(self) -> float | None:
        return per_10k(self.opportunities, self.population)

    @property
    def members_per_10k(self) -> float | None:
        return per_10k(self.members, self.population)


def _counts(rows: Iterable[Any]) -> dict[str, int]:
    return {row["city"]: row["n"] for row in rows}


def latest_populations(on: dt.date | None = None) -> dict[str, PopulationFigure]:
    """The newest figure per municipality code (wards too), in one query."""
    on = on or timezone.localdate()
    newest: dict[str, PopulationFigure] = {}
    for figure in PopulationFigure.objects.filter(as_of__lte=on).order_by(
        "municipality_id", "-as_of", "-id"
    ):
        newest.setdefault(figure.municipality_id, figure)
    return newest


def supporters_by_city() -> dict[str, int | None]:
    """People who attended a つながりサポーター course this fiscal year, per city, with the
    supporters' figures' own suppression (None where the count is under the threshold)."""
    from tsunagari.supporters import figures

    result = figures.compute(figures.current_fiscal_year())
    return {row.code: row.attended for row in result.rows}


def municipality_figures(codes: Iterable[str] | None = None) -> dict[str, Figures]:
    """Figures for the 33 municipalities (or those in `codes`), in code order.

    A fixed number of queries whatever the number of organisations, resources or cases:
    one per kind of thing counted, grouped by city.
    """
    today = timezone.localdate()
    places = Municipality.objects.municipalities().select_related("rollout").order_by("code")
    if codes is not None:
        places = places.filter(code__in=list(codes))
    result = {m.code: Figures(municipality=m, rollout=getattr(m, "rollout", None)) for m in places}
    wanted = list(result)
    populations = latest_populations(today)
    members = _counts(
        Organization.objects.members_on(today)
        .annotate(city=city_of("municipalities"))
        .filter(city__in=wanted)
        .values("city")
        .annotate(n=Count("pk", distinct=True))
    )
    published = Resource.objects.published().annotate(city=city_of("locations__municipality"))
    resources = _counts(
        published.filter(city__in=wanted).values("city").annotate(n=Count("pk", distinct=True))
    )
    opportunities = _counts(
        published.filter(city__in=wanted, kinds__slug__in=OPPORTUNITY_KINDS)
        .values("city")
        .annotate(n=Count("pk", distinct=True))
    )
    needs = _counts(
        Need.objects.open()
        .annotate(city=city_of("municipality"))
        .filter(city__in=wanted)
        .values("city")
        .annotate(n=Count("pk"))
    )
    councils: dict[str, list[LocalCouncil]] = defaultdict(list)
    for council in (
        LocalCouncil.objects.annotate(city=city_of("municipality"))
        .filter(city__in=wanted)
        .order_by("established_on", "name")
    ):
        councils[council.city].append(council)
    adoptions: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        CaseAdoption.objects.annotate(city=city_of("municipality"))
        .filter(city__in=wanted)
        .values("city", "stage")
        .annotate(n=Count("pk"))
    ):
        adoptions[row["city"]][row["stage"]] = row["n"]
    supporters = supporters_by_city()
    for code, figures in result.items():
        figures.population = populations.get(code)
        figures.members = members.get(code, 0)
        figures.resources = resources.get(code, 0)
        figures.opportunities = opportunities.get(code, 0)
        figures.open_needs = needs.get(code, 0)
        figures.councils = councils.get(code, [])
        by_stage = adoptions.get(code, {})
        figures.adoptions_by_stage = by_stage
        figures.adoptions_total = sum(by_stage.values())
        figures.adoptions_active = sum(by_stage.get(s, 0) for s in ACTIVE_ADOPTION)
        figures.supporters = supporters.get(code, 0)
    return result


def stage_counts(figures: Iterable[Figures]) -> list[tuple[str, str, int]]:
    """(stage value, label, number of municipalities) for each stage."""
    counted: dict[str, int] = defaultdict(int)
    for f in figures:
        counted[f.stage] += 1
    return [(s.value, str(s.label), counted[s.value]) for s in MunicipalityRollout.Stage]


def members_in(municipality: Municipality) -> list[Organization]:
    """Current member organisations active in the municipality or one of its wards."""
    today = timezone.localdate()
    return list(
        Organization.objects.members_on(today)
        .filter(Q(municipalities=municipality) | Q(municipalities__parent=municipality))
        .distinct()
        .order_by("name")
    )


class StaleEdit(Exception):
    """Someone saved the row after the editor opened the form: the edit is refused so that
    no change is silently overwritten."""


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def save_rollout(
    code: str, values: dict[str, Any], *, seen: str, reason: str, by: Any
) -> RolloutChange | None:
    """Apply an edit under a row lock and keep its field diffs; None when nothing changed.

    The row is locked (select_for_update) and the version the editor saw (`seen`, the
    row's updated_at when the form was opened) must still be the current one, otherwise
    StaleEdit: of two edits made from the same version, the second is refused.
    """
    with transaction.atomic():
        row = MunicipalityRollout.objects.select_for_update().get(pk=code)
        if row.updated_at.isoformat() != seen:
            raise StaleEdit
        changes = {
            name: [_plain(getattr(row, name)), _plain(values[name])]
            for name in MunicipalityRollout.AUDITED_FIELDS
            if getattr(row, name) != values[name]
        }
        if not changes:
            return None
        for name in changes:
            setattr(row, name, values[name])
        row.updated_by = by
        row.updated_at = timezone.now()
        row.save()
        return RolloutChange.objects.create(rollout=row, changes=changes, note=reason, by=by)


def adoptions_in(municipality: Municipality) -> list[CaseAdoption]:
    """The published cases the municipality (or one of its wards) has taken up."""
    from tsunagari.cases.models import ModelCase

    return list(
        CaseAdoption.objects.filter(
            Q(municipality=municipality) | Q(municipality__parent=municipality),
            case__in=ModelCase.objects.published(),
        )
        .select_related("case")
        .order_by("case__title", "pk")
    )
