"""What happens to a model case: who may see and write it, making one from a completed
collaboration or a meeting's action item in one step, and review (draft → review →
published, or back to draft with a reason).

Every state change is a conditional update on the old status, so two people pressing
different buttons at once (publish and return) leave exactly one result; making a case
from a source locks the source row first, so two clicks make one draft.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, record, record_created, snapshot
from tsunagari.cases.models import CasePartner, ModelCase
from tsunagari.cases.search import index_case
from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.core.mail import queue_email
from tsunagari.geo.models import Municipality
from tsunagari.meetings.models import ActionItem
from tsunagari.members.models import Organization

Status = ModelCase.Status


# Who may do what


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_secretariat)


def may_manage(user: Any, case: ModelCase) -> bool:
    """The writing organisation's staff, or the secretariat (which reviews every case)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    return case.organization_id is not None and user.may_act_for(case.organization_id)


def may_edit(user: Any, case: ModelCase) -> bool:
    """Only a draft is edited: a case in review or published is what was checked."""
    return case.status == Status.DRAFT and may_manage(user, case)


def may_view(user: Any, case: ModelCase) -> bool:
    return case.status == Status.PUBLISHED or may_manage(user, case)


def may_write_from_collaboration(user: Any, collaboration: Collaboration) -> list[Organization]:
    """The organisations `user` may write for: staff of an accepted party (the secretariat
    writes as itself: an empty list and `is_secretariat`)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = set(
        collaboration.parties.filter(status=CollaborationParty.Status.ACCEPTED).values_list(
            "organization_id", flat=True
        )
    )
    return [o for o in user.organizations.by_reading() if o.pk in ids]


def may_write_from_action(user: Any, item: ActionItem) -> list[Organization]:
    if not getattr(user, "is_authenticated", False) or item.owner_organization_id is None:
        return []
    return [o for o in user.organizations.by_reading() if o.pk == item.owner_organization_id]


# Making a case


def _new_case(
    *, by: Any, organization: Organization | None, title: str, summary: str, **fields: Any
) -> ModelCase:
    contact = organization
    return ModelCase.objects.create(
        title=title[:150],
        summary=summary[:500],
        organization=organization,
        contact_organization=contact,
        contact_email=(contact.email if contact else ""),
        contact_phone=(contact.phone if contact else ""),
        created_by=by,
        status=Status.DRAFT,
        **fields,
    )


def collaboration_area(collaboration: Collaboration) -> list[Municipality]:
    """Where it took place: the need's municipality (where the trouble was) when the
    collaboration answered a need; else where the offered resource takes place; else the
    areas the parties' organisations registered, when they share any."""
    need = collaboration.need
    if need is not None and need.municipality is not None:
        return [need.municipality]
    if collaboration.resource_id:
        places = list(
            Municipality.objects.filter(
                resource_locations__resource=collaboration.resource_id
            ).distinct()
        )
        if places:
            return places
    parties = collaboration.parties.filter(status=CollaborationParty.Status.ACCEPTED)
    shared: set[str] | None = None
    for party in parties.select_related("organization"):
        codes = set(party.organization.municipalities.values_list("code", flat=True))
        shared = codes if shared is None else shared & codes
    return list(Municipality.objects.filter(code__in=shared or set()))


def from_collaboration(
    collaboration_id: int, *, by: Any, organization: Organization | None
) -> tuple[ModelCase, bool]:
    """A draft case from a completed collaboration: (the case, made now). With the
    collaboration row locked, a second click finds the first click's draft."""
    with transaction.atomic():
        collaboration = (
            Collaboration.objects.select_for_update(of=("self",))
            .select_related("need")
            .get(pk=collaboration_id)
        )
        need = collaboration.need
        existing = ModelCase.objects.filter(collaboration=collaboration).order_by("pk").first()
        if existing is not None:
            return existing, False
        case = _new_case(
            by=by,
            organization=organization,
            title=collaboration.title,
            summary=collaboration.title,
            issue=(need.description if need is not None else ""),
            outcomes=collaboration.outcome,
            collaboration=collaboration,
        )
        parties = (
            collaboration.parties.filter(status=CollaborationParty.Status.ACCEPTED)
            .select_related("organization")
            .order_by("id")
        )
        CasePartner.objects.bulk_create(
            CasePartner(
                case=case,
                organization=p.organization,
                name=p.organization.name,
                sector=p.organization.sector,
                role=p.get_role_display(),
                sort_order=n,
            )
            for n, p in enumerate(parties)
        )
        case.municipalities.set(collaboration_area(collaboration))
        if need is not None:
            case.target_groups.set(need.target_groups.all())
        index_case(case)
        record_created(by, case, ModelCase.AUDITED_FIELDS, note=_("完了した連携から"))
    return case, True


def from_action(
    item_id: int, *, by: Any, organization: Organization | None
) -> tuple[ModelCase, bool]:
    """A draft case from a meeting's action item: its text, the meeting's attending
    organisations as partners and the meeting's municipality as the area."""
    with transaction.atomic():
        item = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=item_id)
        )
        existing = ModelCase.objects.filter(action_item=item).order_by("pk").first()
        if existing is not None:
            return existing, False
        meeting = item.meeting
        case = _new_case(
            by=by,
            organization=organization,
            title=item.text,
            summary=item.text,
            issue=_("会議「%(meeting)s」で決まったこと：%(text)s")
            % {"meeting": meeting.title, "text": item.text},
            action_item=item,
        )
        attending = meeting.attending_organizations.by_reading()
        CasePartner.objects.bulk_create(
            CasePartner(case=case, organization=o, name=o.name, sector=o.sector, sort_order=n)
            for n, o in enumerate(attending)
        )
        if meeting.municipality is not None:
            case.municipalities.set([meeting.municipality])
        index_case(case)
        record_created(by, case, ModelCase.AUDITED_FIELDS, note=_("会議のアクションアイテムから"))
    return case, True


# Review


def _move(case: ModelCase, old: str | tuple[str, ...], by: Any, **values: Any) -> bool:
    """Move `case` from `old` to values["status"] if it is still in `old`; audited."""
    olds = (old,) if isinstance(old, str) else old
    with transaction.atomic():
        before = snapshot(case, ModelCase.AUDITED_FIELDS)
        moved = ModelCase.objects.filter(pk=case.pk, status__in=olds).update(
            updated_at=timezone.now(), **values
        )
        if not moved:
            return False
        case.refresh_from_db()
        after = snapshot(case, ModelCase.AUDITED_FIELDS)
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        note = values.get("returned_reason", "")
        record(by, AuditEvent.Action.STATUS, case, changes=changes, note=note)
    return True


def submit(case: ModelCase, *, by: Any) -> bool:
    return _move(
        case,
        Status.DRAFT,
        by,
        status=Status.REVIEW,
        submitted_at=timezone.now(),
        returned_reason="",
    )


def publish(case: ModelCase, *, by: Any) -> bool:
    """The secretariat publishes a case in review, or its own draft directly."""
    olds: tuple[str, ...] = (Status.REVIEW,)
    if case.organization_id is None:
        olds = (Status.REVIEW, Status.DRAFT)
    return _move(
        case,
        olds,
        by,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        reviewed_by=by,
        returned_reason="",
    )


def return_to_author(case: ModelCase, *, by: Any, reason: str) -> bool:
    """Back to draft with the reason; the author (and the organisation's staff) are told."""
    with transaction.atomic():
        moved = _move(
            case, Status.REVIEW, by, status=Status.DRAFT, returned_reason=reason, reviewed_by=by
        )
        if moved:
            to = author_addresses(case)
            if to:
                queue_email("cases/email/returned", to, {"case": case, "reason": reason})
    return moved


def author_addresses(case: ModelCase) -> list[str]:
    from tsunagari.accounts.models import User

    addresses: list[str] = []
    if case.created_by_id:
        creator = User.objects.filter(pk=case.created_by_id, is_active=True).first()
        if creator is not None:
            addresses.append(creator.email)
    if case.organization_id:
        for email in (
            User.objects.staff_of(case.organization_id)
            .filter(is_active=True)
            .values_list("email", flat=True)
        ):
            if email not in addresses:
                addresses.append(email)
    return addresses


def mine(user: Any) -> Any:
    """The cases `user` writes: their organisations' (the secretariat's own: no organisation)."""
    condition = Q(organization_id__in=user.organization_ids)
    if user.is_secretariat:
        condition |= Q(organization__isnull=True)
    return ModelCase.objects.filter(condition)
