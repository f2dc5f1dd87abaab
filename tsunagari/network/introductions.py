"""Introductions (顔の見える関係づくり): who should meet whom, and asking the secretariat.

For each member we suggest others that share what they do — the people their published
resources are for (対象), the kinds of resource (種類) or the area (活動地域 and the
municipalities of their resources' places; wards count as their city, and the whole
prefecture counts as no particular area) — but have no tie yet in the network graph.
Each suggestion carries its reason in plain words built from the shared facts
(「同じ藤沢市で高齢者の居場所を運営、まだ接点なし」).

A member's staff may then ask the secretariat for an introduction (IntroductionRequest):
requested → introduced or declined, decided with a conditional update so two people of
the secretariat cannot both decide; every step is audited and mailed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record, record_created
from tsunagari.core.mail import queue_email
from tsunagari.directory.models import Kind, Location, Resource, TargetGroup
from tsunagari.geo.models import Municipality
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.members.models import Organization
from tsunagari.network.graph import Graph, Node, build_graph
from tsunagari.network.models import IntroductionRequest

# Points per shared fact: the people served say most about a good match.
SCORE_TARGET = 3
SCORE_KIND = 2
SCORE_AREA = 2
NAMES_IN_REASON = 2


@dataclass
class Profile:
    areas: set[str] = field(default_factory=set)
    targets: set[int] = field(default_factory=set)
    kinds: set[int] = field(default_factory=set)


@dataclass
class Suggestion:
    organization: Node
    score: int
    areas: list[str]
    targets: list[str]
    kinds: list[str]
    reason: str


def _profiles(
    ids: list[int],
) -> tuple[dict[int, Profile], dict[str, str], dict[int, str], dict[int, str]]:
    """What each member offers and where, with the labels of every fact: seven queries."""
    profiles = {pk: Profile() for pk in ids}
    area_rows = list(
        Organization.municipalities.through.objects.filter(organization_id__in=ids).values_list(
            "organization_id", "municipality_id"
        )
    )
    published = Resource.objects.published().filter(organization_id__in=ids)
    area_rows += list(
        Location.objects.filter(resource__in=published).values_list(
            "resource__organization_id", "municipality_id"
        )
    )
    target_rows = Resource.target_groups.through.objects.filter(resource__in=published).values_list(
        "resource__organization_id", "targetgroup_id"
    )
    kind_rows = Resource.kinds.through.objects.filter(resource__in=published).values_list(
        "resource__organization_id", "kind_id"
    )
    places = {
        m.code: m for m in Municipality.objects.filter(code__in={code for _pk, code in area_rows})
    }
    for pk, code in area_rows:
        place = places.get(code)
        if place is None or place.kind == Municipality.Kind.PREFECTURE:
            continue
        profiles[pk].areas.add(place.city_code)
    for pk, target in target_rows:
        profiles[pk].targets.add(target)
    for pk, kind in kind_rows:
        profiles[pk].kinds.add(kind)
    used_areas = {code for p in profiles.values() for code in p.areas}
    missing = used_areas - places.keys()
    if missing:
        places.update({m.code: m for m in Municipality.objects.filter(code__in=missing)})
    area_labels = {code: str(places[code].label) for code in used_areas if code in places}
    target_labels = {
        t.pk: str(t.label)
        for t in TargetGroup.objects.filter(
            pk__in={t for p in profiles.values() for t in p.targets}
        )
    }
    kind_labels = {
        k.pk: str(k.label)
        for k in Kind.objects.filter(pk__in={k for p in profiles.values() for k in p.kinds})
    }
    return profiles, area_labels, target_labels, kind_labels


def _names(labels: list[str]) -> str:
    return _("・").join(labels[:NAMES_IN_REASON])


def reason_text(areas: list[str], targets: list[str], kinds: list[str]) -> str:
    """「同じ藤沢市で高齢者の居場所を運営、まだ接点なし」 from the shared facts."""
    values = {"area": _names(areas), "targets": _names(targets), "kinds": _names(kinds)}
    if areas and targets and kinds:
        text = _("同じ%(area)sで%(targets)sの%(kinds)sを運営、まだ接点なし")
    elif areas and kinds:
        text = _("同じ%(area)sで%(kinds)sを運営、まだ接点なし")
    elif areas and targets:
        text = _("同じ%(area)sで%(targets)sを対象に活動、まだ接点なし")
    elif areas:
        text = _("同じ%(area)sで活動、まだ接点なし")
    elif targets and kinds:
        text = _("同じく%(targets)sの%(kinds)sを運営、まだ接点なし")
    elif kinds:
        text = _("同じく%(kinds)sを運営、まだ接点なし")
    else:
        text = _("同じく%(targets)sを対象に活動、まだ接点なし")
    return text % values


def suggestions(
    graph: Graph, organization_ids: list[int] | None = None, *, limit: int = 10
) -> dict[int, list[Suggestion]]:
    """For each of `organization_ids` (every member by default), the members to meet,
    best first. `graph` should be the whole graph (no `since`): any tie counts."""
    members = sorted(graph.nodes)
    wanted = organization_ids if organization_ids is not None else members
    profiles, area_labels, target_labels, kind_labels = _profiles(members)
    tied = graph.pairs()
    result: dict[int, list[Suggestion]] = {}
    for pk in wanted:
        mine = profiles.get(pk)
        found: list[Suggestion] = []
        if mine is None:
            result[pk] = found
            continue
        for other in members:
            if other == pk or (min(pk, other), max(pk, other)) in tied:
                continue
            theirs = profiles[other]
            areas = sorted(area_labels[c] for c in mine.areas & theirs.areas if c in area_labels)
            targets = sorted(target_labels[t] for t in mine.targets & theirs.targets)
            kinds = sorted(kind_labels[k] for k in mine.kinds & theirs.kinds)
            score = SCORE_AREA * len(areas) + SCORE_TARGET * len(targets) + SCORE_KIND * len(kinds)
            if not score:
                continue
            found.append(
                Suggestion(
                    organization=graph.nodes[other],
                    score=score,
                    areas=areas,
                    targets=targets,
                    kinds=kinds,
                    reason=reason_text(areas, targets, kinds),
                )
            )
        found.sort(key=lambda s: (-s.score, s.organization.name, s.organization.id))
        result[pk] = found[:limit]
    return result


def suggestions_for(organization_id: int, *, limit: int = 10) -> list[Suggestion]:
    graph = build_graph()
    return suggestions(graph, [organization_id], limit=limit).get(organization_id, [])


# Asking for an introduction


def _staff_addresses(organization_id: int) -> list[str]:
    return list(
        User.objects.staff_of(organization_id).order_by("pk").values_list("email", flat=True)
    )


def _mail_introduced(introduction: IntroductionRequest) -> None:
    pairs = (
        (introduction.from_organization, introduction.to_organization),
        (introduction.to_organization, introduction.from_organization),
    )
    for mine, other in pairs:
        for address in _staff_addresses(mine.pk):
            queue_email(
                "network/email/introduced",
                [address],
                {"introduction": introduction, "mine": mine, "other": other},
            )


def ask(
    *, by: Any, from_organization: Organization, to_organization: Organization, note: str = ""
) -> IntroductionRequest:
    """A member's staff ask the secretariat to introduce them to another member.

    Raises AlreadyChanged when an open request between the two exists already."""
    if from_organization.pk == to_organization.pk:
        raise AlreadyChanged(_("自分の団体は紹介できません。"))
    reason = next(
        (
            s.reason
            for s in suggestions_for(from_organization.pk, limit=1000)
            if s.organization.id == to_organization.pk
        ),
        "",
    )
    try:
        with transaction.atomic():
            if (
                IntroductionRequest.objects.open()
                .between(from_organization.pk, to_organization.pk)
                .exists()
            ):
                raise AlreadyChanged(_("この団体との紹介はすでに依頼されています。"))
            introduction = IntroductionRequest.objects.create(
                from_organization=from_organization,
                to_organization=to_organization,
                reason=reason[:300],
                note=note,
                requested_by=by,
            )
            record_created(
                by, introduction, ["from_organization", "to_organization", "reason", "note"]
            )
            queue_email(
                "network/email/introduction_requested",
                [settings.SECRETARIAT_EMAIL],
                {
                    "introduction": introduction,
                    "path": reverse("network:secretariat_introductions"),
                },
            )
    except IntegrityError as exc:  # the same pair asked at the same moment
        raise AlreadyChanged(_("この団体との紹介はすでに依頼されています。")) from exc
    return introduction


def decide(
    introduction: IntroductionRequest, *, by: Any, status: str, note: str = ""
) -> IntroductionRequest:
    """The secretariat introduced the two (mail to both) or declined (with a note)."""
    if status not in (IntroductionRequest.Status.INTRODUCED, IntroductionRequest.Status.DECLINED):
        raise ValueError(status)
    with transaction.atomic():
        now = timezone.now()
        changed = IntroductionRequest.objects.filter(
            pk=introduction.pk, status=IntroductionRequest.Status.REQUESTED
        ).update(status=status, decision_note=note, decided_by=by, decided_at=now, updated_at=now)
        if not changed:
            introduction.refresh_from_db()
            raise AlreadyChanged(
                _("この依頼はすでに「%(status)s」になっています。")
                % {"status": introduction.get_status_display()}
            )
        introduction.refresh_from_db()
        record(
            by,
            AuditEvent.Action.STATUS,
            introduction,
            changes={"status": [IntroductionRequest.Status.REQUESTED.value, status]},
            note=note[:300],
        )
        if status == IntroductionRequest.Status.INTRODUCED:
            _mail_introduced(introduction)
        else:
            for address in _staff_addresses(introduction.from_organization_id):
                queue_email(
                    "network/email/introduction_declined",
                    [address],
                    {"introduction": introduction, "path": reverse("network:introductions")},
                )
    return introduction


def introduce_directly(
    *, by: Any, from_organization: Organization, to_organization: Organization, note: str = ""
) -> IntroductionRequest:
    """The secretariat introduces two members on its own initiative (from the list of
    isolated members); an open request between them is the one decided."""
    if from_organization.pk == to_organization.pk:
        raise AlreadyChanged(_("同じ団体どうしは紹介できません。"))
    existing = (
        IntroductionRequest.objects.open().between(from_organization.pk, to_organization.pk).first()
    )
    if existing is not None:
        return decide(existing, by=by, status=IntroductionRequest.Status.INTRODUCED, note=note)
    reason = next(
        (
            s.reason
            for s in suggestions_for(from_organization.pk, limit=1000)
            if s.organization.id == to_organization.pk
        ),
        "",
    )
    with transaction.atomic():
        now = timezone.now()
        introduction = IntroductionRequest.objects.create(
            from_organization=from_organization,
            to_organization=to_organization,
            reason=reason[:300],
            status=IntroductionRequest.Status.INTRODUCED,
            decision_note=note,
            started_by_secretariat=True,
            requested_by=by,
            decided_by=by,
            decided_at=now,
        )
        record_created(
            by,
            introduction,
            ["from_organization", "to_organization", "status", "decision_note"],
            note="事務局から紹介",
        )
        _mail_introduced(introduction)
    return introduction
