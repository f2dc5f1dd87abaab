"""Adoption of model cases by the municipalities (普及): 関心 → 検討 → 実施 → 定着.

A municipality's officers record where their municipality stands with a published case;
each change of stage is kept as an AdoptionStep, so that the network can say when a case
was taken up and how far it went. Counted per municipality and stage, this is the
network's measure of its third stage (spread across the prefecture): `adoption_counts`
is what the roll-out pages and the public API read.

A ward is part of its city: an officer of a ward (or a resource located in one) counts
for the city, so that each of the 33 municipalities has one adoption per case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from tsunagari.audit.models import AuditEvent, record, record_created, snapshot
from tsunagari.cases.models import AdoptionStep, CaseAdoption, ModelCase
from tsunagari.collaborations.models import Collaboration
from tsunagari.directory.models import Resource
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization

STAGES: list[str] = list(CaseAdoption.STAGE_ORDER)
AUDITED = ["stage", "stage_since", "note", "collaboration", "resource"]


def adopting_municipality(municipality: Municipality) -> Municipality:
    """The municipality an adoption belongs to: a ward's is its city."""
    if municipality.kind == Municipality.Kind.WARD and municipality.parent is not None:
        return municipality.parent
    return municipality


def municipalities_of(user: Any) -> list[Municipality]:
    """The municipalities an officer records adoptions for, in code order (wards are
    read as their city; the prefecture is not one of the 33)."""
    if not getattr(user, "is_authenticated", False):
        return []
    places = Municipality.objects.filter(pk__in=user.officer_municipality_ids).select_related(
        "parent"
    )
    found = {adopting_municipality(m) for m in places}
    return sorted(
        (m for m in found if m.kind != Municipality.Kind.PREFECTURE), key=lambda m: m.code
    )


def may_adopt(user: Any) -> bool:
    return bool(municipalities_of(user))


def _area(municipality: Municipality) -> list[str]:
    """The municipality and its wards."""
    return [municipality.pk, *municipality.wards.values_list("pk", flat=True)]


def local_collaborations(municipalities: Iterable[Municipality]) -> QuerySet[Collaboration]:
    """Collaborations (not declined or withdrawn) with a party active in the area."""
    codes = [code for m in municipalities for code in _area(m)]
    organizations = Organization.objects.filter(municipalities__in=codes).values("pk")
    return (
        Collaboration.objects.involving_any(organizations)
        .exclude(status__in=[Collaboration.Status.DECLINED, Collaboration.Status.WITHDRAWN])
        .order_by("title", "pk")
    )


def local_resources(municipalities: Iterable[Municipality]) -> QuerySet[Resource]:
    """Published directory resources with a location in the area."""
    codes = [code for m in municipalities for code in _area(m)]
    return (
        Resource.objects.published()
        .filter(pk__in=Resource.objects.filter(locations__municipality__in=codes).values("pk"))
        .order_by("name", "pk")
    )


def collaboration_is_local(collaboration: Collaboration, municipality: Municipality) -> bool:
    return local_collaborations([municipality]).filter(pk=collaboration.pk).exists()


def resource_is_local(resource: Resource, municipality: Municipality) -> bool:
    return local_resources([municipality]).filter(pk=resource.pk).exists()


@dataclass(frozen=True)
class Outcome:
    adoption: CaseAdoption
    created: bool  # the municipality took the case up just now
    moved: bool  # the stage changed (a step was written)


class NotPublished(ValueError):
    """Only a published case can be taken up."""


def set_stage(
    case: ModelCase,
    municipality: Municipality,
    *,
    stage: str,
    on: dt.date,
    note: str = "",
    collaboration: Collaboration | None = None,
    resource: Resource | None = None,
    by: Any = None,
    is_sample: bool = False,
) -> Outcome:
    """Record where `municipality` stands with `case`.

    The adoption row is locked (select_for_update) before it is read, so two officers
    pressing at once are served one after the other: the second sees the first's stage.
    Its creation is guarded by the unique constraint (one adoption per case and
    municipality): whoever loses the insert reads the winner's row under the lock. A new
    stage (forward or back) writes a step of the history; the same stage again only
    updates the note and links, so the history never holds a step twice in a row.
    """
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    municipality = adopting_municipality(municipality)
    with transaction.atomic():
        if not ModelCase.objects.published().filter(pk=case.pk).exists():
            raise NotPublished(case.pk)
        adoption = _locked(case, municipality)
        created = False
        if adoption is None:
            try:
                with transaction.atomic():
                    adoption = CaseAdoption.objects.create(
                        case=case,
                        municipality=municipality,
                        stage=stage,
                        stage_since=on,
                        note=note,
                        collaboration=collaboration,
                        resource=resource,
                        updated_by=by,
                        is_sample=is_sample,
                    )
                created = True
            except IntegrityError:
                adoption = _locked(case, municipality)
                if adoption is None:  # pragma: no cover - the winner rolled back
                    raise
        if created:
            AdoptionStep.objects.create(adoption=adoption, stage=stage, on=on, note=note, by=by)
            record_created(by, adoption, AUDITED, note=f"{case.pk}:{municipality.pk}")
            return Outcome(adoption, created=True, moved=True)
        before = snapshot(adoption, AUDITED)
        moved = adoption.stage != stage
        if moved:
            AdoptionStep.objects.create(adoption=adoption, stage=stage, on=on, note=note, by=by)
            adoption.stage = stage
            adoption.stage_since = on
        adoption.note = note
        adoption.collaboration = collaboration
        adoption.resource = resource
        adoption.updated_by = by
        adoption.save()
        after = snapshot(adoption, AUDITED)
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if changes:
            record(by, AuditEvent.Action.UPDATE, adoption, changes=changes)
        return Outcome(adoption, created=False, moved=moved)


def _locked(case: ModelCase, municipality: Municipality) -> CaseAdoption | None:
    return (
        CaseAdoption.objects.select_for_update()
        .filter(case=case, municipality=municipality)
        .first()
    )


# Reading ---------------------------------------------------------------------------------


def adoptions() -> QuerySet[CaseAdoption]:
    """Adoptions of published cases, with what the lists show."""
    return CaseAdoption.objects.filter(case__status=ModelCase.Status.PUBLISHED).select_related(
        "case", "municipality", "collaboration", "resource"
    )


def adoption_counts() -> dict[str, dict[str, int]]:
    """Per municipality code: the number of published cases at each stage (every stage
    present, 0 when none). Municipalities without any adoption are left out."""
    rows = (
        CaseAdoption.objects.filter(case__status=ModelCase.Status.PUBLISHED)
        .values("municipality_id", "stage")
        .annotate(n=Count("pk"))
        .order_by("municipality_id", "stage")
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        per = counts.setdefault(row["municipality_id"], dict.fromkeys(STAGES, 0))
        per[row["stage"]] = row["n"]
    return counts


def stage_totals(counts: dict[str, dict[str, int]] | None = None) -> dict[str, int]:
    """The adoptions at each stage across the prefecture."""
    counts = adoption_counts() if counts is None else counts
    totals = dict.fromkeys(STAGES, 0)
    for per in counts.values():
        for stage, n in per.items():
            totals[stage] += n
    return totals


def adoption_count(case: ModelCase) -> int:
    """How many municipalities took the case up (at any stage)."""
    return CaseAdoption.objects.filter(case=case).count()


def implemented(counts: dict[str, int]) -> int:
    """Adoptions at 実施 or 定着: the case is really in use there."""
    return counts.get("implementing", 0) + counts.get("established", 0)


def public_adoptions(case: ModelCase) -> QuerySet[CaseAdoption]:
    """What the public case page lists: every municipality with its stage."""
    return (
        CaseAdoption.objects.filter(case=case)
        .select_related("municipality", "resource", "collaboration")
        .order_by("municipality__code")
    )


def public_resource(adoption: CaseAdoption) -> Resource | None:
    """The local resource, when its public page exists (published)."""
    resource = adoption.resource
    if resource is not None and resource.status == Resource.Status.PUBLISHED:
        return resource
    return None


def officer_adoptions(municipalities: Iterable[Municipality]) -> QuerySet[CaseAdoption]:
    codes = [m.pk for m in municipalities]
    return adoptions().filter(municipality__in=codes).order_by("municipality__code", "case__title")
