"""Collaborations between members (連携・協働): proposing, answering, tracking to an outcome.

Every step is a CollaborationMessage with its status set, an e-mail to the other side's
staff (queued in the same transaction, sent by the task worker) and an audit record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record, record_created
from tsunagari.core.mail import queue_email
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.matching.models import Collaboration, CollaborationMessage, Need, ResidentRequest
from tsunagari.members.models import Organization, OrganizationQuerySet

Status = Collaboration.Status


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


def current_partners(organization: Organization | None) -> OrganizationQuerySet:
    """Member organisations one may propose to today: every current member but oneself
    (in the demo, the 【サンプル】 organisations too)."""
    qs = Organization.objects.members_on(timezone.localdate(), include_samples=True).by_reading()
    if organization is not None:
        qs = qs.exclude(pk=organization.pk)
    return qs


def side_of(
    collaboration: Collaboration, organization_id: int | None, *, secretariat: bool = False
) -> str:
    """ "proposer", "partner", or "" for an organisation outside the collaboration.

    The secretariat is the partner of a response to a need it owns (from a resident's voice).
    """
    if secretariat:
        return "partner" if collaboration.partner_id is None else ""
    if organization_id is None:
        return ""
    if organization_id == collaboration.proposer_id:
        return "proposer"
    if organization_id == collaboration.partner_id:
        return "partner"
    return ""


def acting_for(collaboration: Collaboration, user: Any, step: Step | None = None) -> int | None:
    """The organisation a person acts for in this collaboration: the side they are staff
    of, or None. Someone who is staff of both sides takes a step as the side allowed
    to, and otherwise speaks as the proposer."""
    sides = [
        organization_id
        for organization_id in (collaboration.proposer_id, collaboration.partner_id)
        if organization_id is not None and user.may_act_for(organization_id)
    ]
    if step is not None:
        for organization_id in sides:
            if may_take(collaboration, step, organization_id):
                return organization_id
    return sides[0] if sides else None


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
    return bool(side) and step.by in (side, "either") and collaboration.can_move_to(step.to)


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
    collaboration: Collaboration, template: str, *, to_organization_id: int | None, **context: Any
) -> None:
    """One e-mail per staff member of the other side, queued in the caller's transaction."""
    context = {
        "collaboration": collaboration,
        "path": reverse("matching:collaboration_detail", args=[collaboration.pk]),
        **context,
    }
    for address in staff_addresses(to_organization_id, except_user=context.get("actor")):
        queue_email(f"matching/email/{template}", [address], context)


def _other_side(collaboration: Collaboration, organization_id: int | None) -> int | None:
    if organization_id == collaboration.proposer_id:
        return collaboration.partner_id
    return collaboration.proposer_id


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
    if proposer.pk == partner.pk:
        raise StepRefused("a collaboration is between two different organisations")
    with transaction.atomic():
        collaboration = Collaboration.objects.create(
            proposer=proposer,
            partner=partner,
            need=need,
            resource=resource,
            title=title,
            cross_sector=proposer.sector != partner.sector,
            created_by=by,
        )
        CollaborationMessage.objects.create(
            collaboration=collaboration,
            author=by,
            organization=proposer,
            body=message,
            status=Status.PROPOSED,
        )
        record_created(by, collaboration, ["partner", "cross_sector"])
        _notify(
            collaboration,
            "collaboration_proposed",
            to_organization_id=partner.pk,
            actor=by,
            message=message,
        )
    return collaboration


def take_step(collaboration: Collaboration, action: str, *, by: User, note: str = "") -> None:
    """Move the collaboration by one of STEPS; `note` is the outcome when completing.

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
            "collaboration_step",
            to_organization_id=_other_side(collaboration, organization_id),
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
            "collaboration_message",
            to_organization_id=_other_side(collaboration, organization_id),
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
                cross_sector=partner is not None and responder.sector != partner.sector,
                created_by=by,
            )
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
            "collaboration_message",
            to_organization_id=collaboration.proposer_id,
            actor=by,
            message=body,
        )
    return message
