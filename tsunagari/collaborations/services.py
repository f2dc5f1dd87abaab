"""Collaborations between members (連携・協働): proposing, answering, tracking to an outcome.

Every step is a CollaborationMessage with its status set, an e-mail to the other side's
staff (queued in the same transaction, sent by the task worker) and an audit record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record, record_created
from tsunagari.collaborations.models import Collaboration, CollaborationMessage, CollaborationParty
from tsunagari.core.mail import queue_email
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.members.models import Organization, OrganizationQuerySet

Status = Collaboration.Status
Party = CollaborationParty


class StepRefused(Exception):
    """A step that the collaboration's status, or the side asking, does not allow."""


# What a person is told when someone else moved the collaboration first.
ALREADY: dict[str, Any] = {
    Status.ACCEPTED: _("この連携はすでに承諾されています。"),
    Status.DECLINED: _("この連携はすでに見送られています。"),
    Status.IN_PROGRESS: _("この連携はすでに実施中になっています。"),
    Status.COMPLETED: _("この連携はすでに完了しています。"),
    Status.WITHDRAWN: _("この連携はすでに取り下げられています。"),
}


def already_message(collaboration: Collaboration) -> str:
    """「すでに…されています」 for the collaboration's current status."""
    message = ALREADY.get(collaboration.status)
    return str(message) if message else str(_("この連携は現在の状態ではその操作ができません。"))


@dataclass(frozen=True)
class Step:
    """An action a side may take: the status it leads to and who may take it."""

    action: str
    to: str
    by: str  # "partner", "proposer" or "either"
    label: Any
    note_label: Any = ""


# The order is the order of the buttons on the page.
STEPS = {
    s.action: s
    for s in (
        Step("accept", Status.ACCEPTED, "partner", _("提案を受ける")),
        Step("decline", Status.DECLINED, "partner", _("見送る"), _("見送る理由（任意）")),
        Step("start", Status.IN_PROGRESS, "either", _("実施中にする")),
        Step("complete", Status.COMPLETED, "either", _("完了にする"), _("成果")),
        Step("withdraw", Status.WITHDRAWN, "proposer", _("提案を取り下げる")),
    )
}


# The steps by which an invited party answers for its organisation.
ANSWERS = ("accept", "decline")


def current_partners(organization: Organization | None) -> OrganizationQuerySet:
    """Member organisations one may propose to today: every current member but oneself
    (in the demo, the 【サンプル】 organisations too)."""
    qs = Organization.objects.members_on(timezone.localdate(), include_samples=True).by_reading()
    if organization is not None:
        qs = qs.exclude(pk=organization.pk)
    return qs


def parties_of(collaboration: Collaboration) -> list[CollaborationParty]:
    """The collaboration's parties (prefetched by the views: no query then)."""
    return list(collaboration.parties.all())


def party_of(
    collaboration: Collaboration, organization_id: int | None
) -> CollaborationParty | None:
    for party in parties_of(collaboration):
        if party.organization_id == organization_id:
            return party
    return None


def side_of(
    collaboration: Collaboration, organization_id: int | None, *, secretariat: bool = False
) -> str:
    """ "proposer" (the lead), "partner" (any other party that has not declined), or "" for
    an organisation outside the collaboration.

    The secretariat is the partner of a response to a need it owns (from a resident's voice).
    """
    if secretariat:
        return "partner" if collaboration.partner_id is None else ""
    if organization_id is None:
        return ""
    if organization_id == collaboration.proposer_id:
        return "proposer"
    party = party_of(collaboration, organization_id)
    if party is not None and party.status != Party.Status.DECLINED:
        return "partner"
    return ""


def acting_for(collaboration: Collaboration, user: Any, step: Step | None = None) -> int | None:
    """The organisation a person acts for in this collaboration: the party they are staff
    of, or None. Someone who is staff of several parties takes a step as the party allowed
    to, and otherwise speaks as the lead, then the earliest invited."""
    candidates = [collaboration.proposer_id] + [
        p.organization_id
        for p in parties_of(collaboration)
        if p.organization_id != collaboration.proposer_id and p.status != Party.Status.DECLINED
    ]
    sides = [
        organization_id
        for organization_id in candidates
        if organization_id is not None and user.may_act_for(organization_id)
    ]
    if step is not None:
        for organization_id in sides:
            if may_take(collaboration, step, organization_id):
                return organization_id
    return sides[0] if sides else None


def answered_message(collaboration: Collaboration) -> str:
    """What a person is told when a colleague answered for their organisation first."""
    if collaboration.status == Status.PROPOSED:
        return str(_("あなたの団体はすでに回答しています。"))
    return already_message(collaboration)


def reads_as_party(collaboration: Collaboration, user: Any) -> bool:
    """Staff of any party, also one that declined (it left, but may read what it saw)."""
    return any(
        user.may_act_for(p.organization_id) for p in parties_of(collaboration)
    ) or user.may_act_for(collaboration.proposer_id)


def answered_already(collaboration: Collaboration, user: Any) -> bool:
    """The person's invited organisations in the collaboration have all answered (none is
    still invited); False for someone who is only the lead's staff, or an outsider."""
    mine = [
        p
        for p in parties_of(collaboration)
        if p.role != Party.Role.LEAD and user.may_act_for(p.organization_id)
    ]
    return bool(mine) and all(p.status != Party.Status.INVITED for p in mine)


def side_of_user(collaboration: Collaboration, user: Any, step: Step | None = None) -> str:
    """The side a signed-in person acts for: one of their organisations', or the
    secretariat's (the partner of a response to a resident's voice)."""
    organization_id = acting_for(collaboration, user, step)
    if organization_id is not None:
        return side_of(collaboration, organization_id)
    if getattr(user, "is_secretariat", False):
        return side_of(collaboration, None, secretariat=True)
    return ""


def may_take(
    collaboration: Collaboration,
    step: Step,
    organization_id: int | None,
    *,
    secretariat: bool = False,
) -> bool:
    side = side_of(collaboration, organization_id, secretariat=secretariat)
    if not side or step.by not in (side, "either"):
        return False
    if step.action in ANSWERS and not secretariat:
        # A party answers its own invitation, while the collaboration is open.
        party = party_of(collaboration, organization_id)
        return (
            party is not None
            and party.status == Party.Status.INVITED
            and collaboration.status in Collaboration.OPEN_STATUSES
        )
    return collaboration.can_move_to(step.to)


def available_steps(
    collaboration: Collaboration, organization_id: int | None, *, secretariat: bool = False
) -> list[Step]:
    return [
        s
        for s in STEPS.values()
        if may_take(collaboration, s, organization_id, secretariat=secretariat)
    ]


def steps_for(collaboration: Collaboration, user: Any) -> list[Step]:
    """The steps a person may take, on whichever side they act for."""
    steps = []
    for step in STEPS.values():
        organization_id = acting_for(collaboration, user, step)
        secretariat = organization_id is None and bool(getattr(user, "is_secretariat", False))
        if may_take(collaboration, step, organization_id, secretariat=secretariat):
            steps.append(step)
    return steps


def staff_addresses(organization_id: int | None, *, except_user: Any = None) -> list[str]:
    """The active staff accounts of a member organisation (not the person acting); for the
    secretariat's side (no organisation), the secretariat's address."""
    if organization_id is None:
        return [settings.SECRETARIAT_EMAIL]
    qs = User.objects.staff_of(organization_id)
    if except_user is not None and except_user.pk:
        qs = qs.exclude(pk=except_user.pk)
    return list(qs.order_by("pk").values_list("email", flat=True))


def _notify(
    collaboration: Collaboration,
    template: str,
    *,
    to_organization_id: int | None = None,
    to_organization_ids: list[int | None] | None = None,
    **context: Any,
) -> None:
    """One e-mail per staff member of the other parties, queued in the caller's transaction
    (`None` in the list is the secretariat's side)."""
    context = {
        "collaboration": collaboration,
        "path": reverse("collaborations:collaboration_detail", args=[collaboration.pk]),
        **context,
    }
    targets = to_organization_ids if to_organization_ids is not None else [to_organization_id]
    sent: set[str] = set()
    for target in targets:
        for address in staff_addresses(target, except_user=context.get("actor")):
            if address not in sent:
                sent.add(address)
                queue_email(f"collaborations/email/{template}", [address], context)


def _other_sides(collaboration: Collaboration, organization_id: int | None) -> list[int | None]:
    """Every party but the one acting (invited or accepted; not those that declined); the
    secretariat when it is the other side of a response to a resident's voice."""
    others: list[int | None] = [
        p.organization_id
        for p in collaboration.parties.exclude(status=Party.Status.DECLINED).order_by("pk")
        if p.organization_id != organization_id
    ]
    if collaboration.partner_id is None and organization_id is not None:
        others.append(None)
    if collaboration.proposer_id != organization_id and collaboration.proposer_id not in others:
        others.insert(0, collaboration.proposer_id)
    return others


def update_sectors(collaboration: Collaboration) -> None:
    """sector_count: distinct sectors among the parties that have not declined (the lead,
    those accepted and those still invited); cross_sector when there are two or more."""
    sectors = set(
        collaboration.parties.exclude(status=Party.Status.DECLINED).values_list(
            "organization__sector", flat=True
        )
    )
    sectors.discard("")
    collaboration.sector_count = len(sectors)
    collaboration.cross_sector = len(sectors) >= 2


def _add_party(
    collaboration: Collaboration,
    organization: Organization,
    role: str,
    *,
    by: User | None,
    accepted: bool = False,
) -> CollaborationParty:
    now = timezone.now()
    return CollaborationParty.objects.create(
        collaboration=collaboration,
        organization=organization,
        role=role,
        status=Party.Status.ACCEPTED if accepted else Party.Status.INVITED,
        invited_at=now,
        responded_at=now if accepted else None,
        responded_by=by if accepted else None,
    )


def propose(
    *,
    by: User,
    partner: Organization,
    title: str,
    message: str,
    need: Need | None = None,
    resource: Any = None,
    proposer: Organization | None = None,
) -> Collaboration:
    """A member's staff propose, as `proposer` (one of their organisations; may be left
    out by someone with only one), to work with another member; the partner's staff
    hear of it."""
    if proposer is None and len(by.organization_ids) == 1:
        proposer = by.organizations.get()
    if proposer is None or not by.may_act_for(proposer):
        raise StepRefused("the proposer is an organisation the person acts for")
    return start_collaboration(
        lead=proposer,
        parties=[(partner, Party.Role.PARTNER)],
        title=title,
        by=by,
        need=need,
        resource=resource,
        message=message,
    )


def start_collaboration(
    *,
    lead: Organization,
    parties: Sequence[tuple[Organization, str]],
    title: str,
    by: User | None,
    need: Need | None = None,
    resource: Any = None,
    source: Any = None,
    message: str = "",
) -> Collaboration:
    """Open a collaboration in one step: `lead` (accepted from the start) invites each of
    `parties` as (organisation, role); their staff hear of it and answer for their
    organisation. `source` (e.g. a meeting's action item) is named in the audit record.

    The first party is kept in `partner` (for readers of the two-party shape). The caller
    checks that `by` may act for `lead` (propose() does).
    """
    invited: list[tuple[Organization, str]] = []
    for organization, role in parties:
        if organization.pk == lead.pk or any(o.pk == organization.pk for o, _r in invited):
            raise StepRefused("each party is a different organisation")
        if role not in Party.Role.values or role == Party.Role.LEAD:
            raise StepRefused("role")
        invited.append((organization, role))
    if not invited:
        raise StepRefused("a collaboration is between two or more organisations")
    with transaction.atomic():
        collaboration = Collaboration.objects.create(
            proposer=lead,
            partner=invited[0][0],
            need=need,
            resource=resource,
            title=title,
            created_by=by,
        )
        _add_party(collaboration, lead, Party.Role.LEAD, by=by, accepted=True)
        for organization, role in invited:
            _add_party(collaboration, organization, role, by=by)
        update_sectors(collaboration)
        collaboration.save(update_fields=["sector_count", "cross_sector"])
        CollaborationMessage.objects.create(
            collaboration=collaboration,
            author=by,
            organization=lead,
            body=message,
            status=Status.PROPOSED,
        )
        record_created(
            by,
            collaboration,
            ["partner", "cross_sector"],
            note=f"{source._meta.label_lower}:{source.pk}" if source is not None else "",
        )
        _notify(
            collaboration,
            "proposed",
            to_organization_ids=[o.pk for o, _r in invited],
            actor=by,
            message=message,
        )
    return collaboration


def invite(
    collaboration: Collaboration, *, organization: Organization, role: str, by: User
) -> CollaborationParty:
    """The lead invites one more organisation (with a role) to an open collaboration."""
    if not by.may_act_for(collaboration.proposer_id):
        raise StepRefused("only the lead invites")
    if role not in Party.Role.values or role == Party.Role.LEAD:
        raise StepRefused("role")
    with transaction.atomic():
        lock(collaboration)
        if collaboration.status not in Collaboration.OPEN_STATUSES:
            raise AlreadyChanged(already_message(collaboration))
        if collaboration.parties.filter(organization=organization).exists():
            raise AlreadyChanged(str(_("その団体はすでに参加団体です。")))
        party = _add_party(collaboration, organization, role, by=by)
        update_sectors(collaboration)
        collaboration.save(update_fields=["sector_count", "cross_sector", "updated_at"])
        CollaborationMessage.objects.create(
            collaboration=collaboration,
            author=by,
            organization_id=collaboration.proposer_id,
            body=str(
                _("%(name)sを「%(role)s」として招待しました。")
                % {"name": organization.name, "role": party.get_role_display()}
            ),
        )
        record(
            by,
            AuditEvent.Action.UPDATE,
            collaboration,
            changes={"parties": [None, f"{organization.pk}:{role}"]},
        )
        _notify(
            collaboration,
            "proposed",
            to_organization_ids=[organization.pk],
            actor=by,
            message="",
        )
    return party


def _answer(
    collaboration: Collaboration, step: Step, *, by: User, organization_id: int, note: str
) -> None:
    """An invited party accepts or declines for its organisation (the caller holds the lock).

    The collaboration is accepted when no party is still invited and at least two (the
    lead and one more) have accepted; declined when no party is still invited and fewer
    than two accepted. A party invited after the collaboration was accepted just joins.
    """
    accepted = step.action == "accept"
    now = timezone.now()
    # A conditional update: of two colleagues answering at once, one changes the row.
    changed = CollaborationParty.objects.filter(
        collaboration=collaboration, organization_id=organization_id, status=Party.Status.INVITED
    ).update(
        status=Party.Status.ACCEPTED if accepted else Party.Status.DECLINED,
        responded_at=now,
        responded_by=by,
    )
    if not changed:
        raise AlreadyChanged(answered_message(collaboration))
    counts = dict(
        collaboration.parties.values_list("status").annotate(n=models.Count("pk")).order_by()
    )
    before = collaboration.status
    if before == Status.PROPOSED and not counts.get(Party.Status.INVITED):
        collaboration.status = (
            Status.ACCEPTED if counts.get(Party.Status.ACCEPTED, 0) >= 2 else Status.DECLINED
        )
    update_sectors(collaboration)
    collaboration.save(update_fields=["status", "sector_count", "cross_sector", "updated_at"])
    party_status = Party.Status.ACCEPTED if accepted else Party.Status.DECLINED
    CollaborationMessage.objects.create(
        collaboration=collaboration,
        author=by,
        organization_id=organization_id,
        body=note,
        status=collaboration.status if collaboration.status != before else "",
    )
    record(
        by,
        AuditEvent.Action.STATUS,
        collaboration,
        changes={
            "party": [f"{organization_id}:invited", f"{organization_id}:{party_status}"],
            **(
                {"status": [before, collaboration.status]} if collaboration.status != before else {}
            ),
        },
        note=note,
    )
    label = (
        collaboration.get_status_display()
        if collaboration.status != before
        else str(Party.Status(party_status).label)
    )
    _notify(
        collaboration,
        "step",
        to_organization_ids=_other_sides(collaboration, organization_id),
        actor=by,
        status_label=label,
        note=note,
    )


def answer(
    collaboration: Collaboration,
    party: CollaborationParty,
    action: str,
    *,
    by: User,
    note: str = "",
) -> None:
    """Staff of an invited organisation accept or decline for it (「どの立場で」: the party is
    named, so a person with several organisations answers for the one they chose)."""
    if action not in ANSWERS or party.collaboration_id != collaboration.pk:
        raise StepRefused(action)
    if not by.may_act_for(party.organization_id):
        raise StepRefused("only the organisation's staff answer")
    with transaction.atomic():
        lock(collaboration)
        if collaboration.status not in Collaboration.OPEN_STATUSES:
            raise AlreadyChanged(already_message(collaboration))
        _answer(
            collaboration, STEPS[action], by=by, organization_id=party.organization_id, note=note
        )


def take_step(collaboration: Collaboration, action: str, *, by: User, note: str = "") -> None:
    """Move the collaboration by one of STEPS; `note` is the outcome when completing.

    An invited party's accept/decline answers for its organisation (see _answer).
    Raises AlreadyChanged when another request moved it first (nothing is recorded or sent).
    """
    step = STEPS[action]
    organization_id = acting_for(collaboration, by, step)
    secretariat = organization_id is None and by.is_secretariat
    if not may_take(collaboration, step, organization_id, secretariat=secretariat):
        raise StepRefused(action)
    if step.to == Status.COMPLETED and not note.strip():
        raise StepRefused("an outcome is required to complete")
    with transaction.atomic():
        # A conditional transition: of many simultaneous clicks, the first to lock the
        # row moves it; the others read the new status here and change nothing.
        lock(collaboration)
        if action in ANSWERS and not secretariat and organization_id is not None:
            if collaboration.status not in Collaboration.OPEN_STATUSES:
                raise AlreadyChanged(already_message(collaboration))
            _answer(collaboration, step, by=by, organization_id=organization_id, note=note)
            return
        if not collaboration.can_move_to(step.to):
            raise AlreadyChanged(already_message(collaboration))
        before = collaboration.status
        collaboration.status = step.to
        fields = ["status", "updated_at"]
        if step.to == Status.COMPLETED:
            collaboration.outcome = note
            fields.append("outcome")
        collaboration.save(update_fields=fields)
        CollaborationMessage.objects.create(
            collaboration=collaboration,
            author=by,
            organization_id=organization_id,
            body=note,
            status=step.to,
        )
        record(
            by,
            AuditEvent.Action.STATUS,
            collaboration,
            changes={"status": [before, step.to]},
            note=note,
        )
        _notify(
            collaboration,
            "step",
            to_organization_ids=_other_sides(collaboration, organization_id),
            actor=by,
            status_label=collaboration.get_status_display(),
            note=note,
        )


def post_message(collaboration: Collaboration, *, by: User, body: str) -> CollaborationMessage:
    """A message in the thread; the other side's staff are told by e-mail."""
    organization_id = acting_for(collaboration, by)
    if not side_of_user(collaboration, by):
        raise StepRefused("only the two sides post")
    with transaction.atomic():
        message = CollaborationMessage.objects.create(
            collaboration=collaboration, author=by, organization_id=organization_id, body=body
        )
        # Touch the collaboration so that the list shows recent conversations first.
        collaboration.save(update_fields=["updated_at"])
        _notify(
            collaboration,
            "message",
            to_organization_ids=_other_sides(collaboration, organization_id),
            actor=by,
            message=body,
        )
    return message


# Responses to a need (ニーズへの申し出): 「この声に応えられます」 / 「協力を申し出る」


def open_response(need: Need, organization_id: int) -> Collaboration | None:
    """The organisation's response to the need that is still open, if any."""
    return (
        Collaboration.objects.open_responses()
        .filter(need=need, proposer_id=organization_id)
        .order_by("pk")
        .first()
    )


def may_respond(need: Need, organization_id: int | None) -> bool:
    """A member may offer help with an open need that is not its own."""
    return (
        organization_id is not None
        and need.status == Need.Status.OPEN
        and need.organization_id != organization_id
    )


def respond(
    *, by: User, need: Need, message: str, resource: Any = None, organization: Any = None
) -> tuple[Collaboration, bool]:
    """A member's staff offer to help with a need: a collaboration with the need's owner (the
    secretariat for a resident's voice), who hears of it by e-mail.

    `organization` is the member the person responds as (「どの立場で」); by default their
    first. Returns (collaboration, created). One open response per need and member: a second
    click, or two colleagues at once, get the existing one (the unique constraint decides).
    """
    responder = organization if organization is not None else by.organizations.first()
    if responder is not None and not by.may_act_for(responder.pk):
        raise StepRefused("respond")
    if responder is None or not may_respond(need, responder.pk):
        raise StepRefused("respond")
    existing = open_response(need, responder.pk)
    if existing is not None:
        return existing, False
    partner = need.organization
    try:
        with transaction.atomic():
            collaboration = Collaboration.objects.create(
                kind=Collaboration.Kind.RESPONSE,
                proposer=responder,
                partner=partner,
                need=need,
                resource=resource,
                title=str(_("「%(title)s」への申し出") % {"title": need.title})[:120],
                created_by=by,
            )
            _add_party(collaboration, responder, Party.Role.LEAD, by=by, accepted=True)
            if partner is not None:
                _add_party(collaboration, partner, Party.Role.PARTNER, by=by)
            update_sectors(collaboration)
            collaboration.save(update_fields=["sector_count", "cross_sector"])
            CollaborationMessage.objects.create(
                collaboration=collaboration,
                author=by,
                organization=responder,
                body=message,
                status=Status.PROPOSED,
            )
            record_created(by, collaboration, ["kind", "need", "partner", "resource"])
            _notify(
                collaboration,
                "need_response",
                to_organization_id=partner.pk if partner is not None else None,
                actor=by,
                message=message,
            )
    except IntegrityError:
        existing = open_response(need, responder.pk)
        if existing is None:
            raise
        return existing, False
    return collaboration, True


def voice_of(collaboration: Collaboration) -> ResidentRequest | None:
    """The resident's voice behind the collaboration's need, if the need came from one."""
    if collaboration.need_id is None:
        return None
    return ResidentRequest.objects.filter(need_id=collaboration.need_id).first()


def record_relayed(collaboration: Collaboration, *, by: User, note: str) -> CollaborationMessage:
    """The secretariat contacted the resident (who consented) about the member's offer."""
    voice = voice_of(collaboration)
    if voice is None or not voice.contact_consent or not by.is_secretariat:
        raise StepRefused("relay")
    body = str(_("事務局から声の主に連絡しました。")) + (f"\n{note}" if note else "")
    with transaction.atomic():
        message = CollaborationMessage.objects.create(
            collaboration=collaboration, author=by, organization=None, body=body
        )
        collaboration.save(update_fields=["updated_at"])
        record(by, AuditEvent.Action.UPDATE, voice, note=f"声の主に連絡（連携 {collaboration.pk}）")
        _notify(
            collaboration,
            "message",
            to_organization_id=collaboration.proposer_id,
            actor=by,
            message=body,
        )
    return message
