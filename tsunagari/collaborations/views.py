"""Views of collaborations (連携・協働): propose, respond to a need, list, the thread.

The two organisations' staff read and act; the secretariat reads every collaboration
but cannot act for a member. It is itself a side of a response to a need it owns (from a
resident's voice), and relays it to the resident when they consented to be contacted.
Everyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import ActingFor
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.collaborations import services
from tsunagari.collaborations.forms import (
    InviteForm,
    MessageForm,
    ProposalForm,
    RelayForm,
    ResponseForm,
    StepForm,
)
from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.directory.models import Resource
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.matching.access import get_need_for_member, is_member_staff, is_secretariat
from tsunagari.matching.models import Need
from tsunagari.members.models import Organization

STATUS_FILTERS = [
    ("active", gettext_lazy("進行中")),
    *Collaboration.Status.choices,
    ("all", gettext_lazy("すべて")),
]
ACTIVE_STATUSES = (
    Collaboration.Status.PROPOSED,
    Collaboration.Status.ACCEPTED,
    Collaboration.Status.IN_PROGRESS,
)


def _get_collaboration_for_user(request: HttpRequest, pk: int, *, act: bool) -> Collaboration:
    """The collaboration if the user is on one of its two sides (or, to read, the
    secretariat); 404 if it does not exist, else 403."""
    collaboration = get_object_or_404(
        Collaboration.objects.select_related(
            "proposer", "partner", "need", "resource", "created_by"
        ).prefetch_related(
            Prefetch("parties", CollaborationParty.objects.select_related("organization"))
        ),
        pk=pk,
    )
    user = request.user
    if services.side_of_user(collaboration, user):
        return collaboration
    if not act and services.reads_as_party(collaboration, user):
        return collaboration
    if is_secretariat(user) and not act:
        return collaboration
    raise PermissionDenied


def _detail_url(collaboration: Collaboration) -> str:
    return reverse("collaborations:collaboration_detail", args=[collaboration.pk])


def _acting_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def collaboration_new(request: HttpRequest) -> HttpResponse:
    """A member's staff propose a collaboration, maybe about a need and a resource.

    About a need of one of their organisations, they propose as that organisation;
    otherwise someone with several organisations is asked 「どの立場で」."""
    acting = ActingFor(request)
    acting.require()
    user = _acting_user(request)
    need = resource = None
    if request.GET.get("need"):
        need = get_object_or_404(Need.objects.visible_to_members(), pk=_id(request, "need"))
    if request.GET.get("resource"):
        resource = get_object_or_404(
            Resource.objects.published().select_related("organization"),
            pk=_id(request, "resource"),
        )
    proposer: Organization | None = None
    if need is not None and user.may_act_for(need.organization_id):
        proposer = need.organization
    elif not acting.asks:
        proposer = acting.organization()
    fixed_partner = None
    if (
        resource is not None
        and resource.organization_id is not None
        and (proposer is None or resource.organization_id != proposer.pk)
    ):
        fixed_partner = resource.organization
    initial = {"title": _suggested_title(need, resource)}
    form = ProposalForm(
        request.POST or None,
        initial=initial,
        organization=proposer,
        fixed_partner=fixed_partner,
    )
    if proposer is None:
        acting.add_to(form)
    if request.method == "POST" and form.is_valid():
        if proposer is None:
            proposer = acting.organization(form)
        assert proposer is not None
        collaboration = services.propose(
            by=user,
            proposer=proposer,
            partner=form.cleaned_data["partner"],
            title=form.cleaned_data["title"],
            message=form.cleaned_data["message"],
            need=need,
            resource=resource,
        )
        messages.success(
            request,
            _("%(name)s に提案を送りました。相手の団体にメールでお知らせします。")
            % {"name": collaboration.partner_name},
        )
        return redirect("collaborations:collaboration_detail", pk=collaboration.pk)
    return render(
        request,
        "collaborations/new.html",
        {
            "form": form,
            "need": need,
            "resource": resource,
            "fixed_partner": fixed_partner,
            "proposer": proposer,
        },
        status=400 if request.method == "POST" else 200,
    )


def _id(request: HttpRequest, name: str) -> int:
    try:
        return int(request.GET[name])
    except (KeyError, ValueError):
        raise Http404 from None


def _suggested_title(need: Need | None, resource: Resource | None) -> str:
    if need is not None:
        return _("「%(title)s」について") % {"title": need.title}
    if resource is not None:
        return _("「%(title)s」について") % {"title": resource.name}
    return ""


def collaboration_list(request: HttpRequest) -> HttpResponse:
    """The organisation's collaborations, proposed by or to it; the secretariat sees all."""
    user = request.user
    if is_secretariat(user):
        qs = Collaboration.objects.all()
    elif is_member_staff(user):
        ids = user.organization_ids  # type: ignore[union-attr]
        qs = Collaboration.objects.involving_any(ids)
    else:
        raise PermissionDenied
    status = request.GET.get("status", "active")
    if status == "active":
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    elif status in Collaboration.Status.values:
        qs = qs.filter(status=status)
    else:
        status = "all"
    summary: dict[str, Any] | None = None
    if is_secretariat(user):
        summary = qs.aggregate(total=Count("pk"), cross=Count("pk", filter=Q(cross_sector=True)))
    page = Paginator(
        qs.select_related("proposer", "partner").prefetch_related(
            Prefetch("parties", CollaborationParty.objects.select_related("organization"))
        ),
        50,
    ).get_page(request.GET.get("page"))
    ctx: dict[str, Any] = {
        "page": page,
        "status": status,
        "statuses": STATUS_FILTERS,
        "summary": summary,
        "organization_ids": getattr(user, "organization_ids", frozenset()),
        "open_statuses": Collaboration.OPEN_STATUSES,
    }
    if request.headers.get("HX-Request"):
        return render(request, "collaborations/list.html#collaborations", ctx)
    return render(request, "collaborations/list.html", ctx)


def _detail_context(
    request: HttpRequest,
    collaboration: Collaboration,
    *,
    message_form: MessageForm | None = None,
    failed: StepForm | None = None,
    invite_form: InviteForm | None = None,
) -> dict[str, Any]:
    user = request.user
    # Answers are offered per invitation (my_invitations), not as collaboration steps.
    steps = [
        s
        for s in services.steps_for(collaboration, user)
        if s.action not in services.ANSWERS or collaboration.partner_id is None
    ]
    step_forms = [
        (
            step,
            failed
            if failed is not None and failed.action == step.action
            else StepForm(action=step.action),
        )
        for step in steps
    ]
    thread = collaboration.messages.select_related("author", "organization")
    side = services.side_of_user(collaboration, user)
    parties = list(collaboration.parties.all())
    is_lead = bool(getattr(user, "is_authenticated", False)) and user.may_act_for(  # type: ignore[union-attr]
        collaboration.proposer_id
    )
    return {
        "parties": parties,
        # 「どの立場で」: each invitation the person may answer, named by its organisation.
        "my_invitations": [
            p
            for p in parties
            if p.status == CollaborationParty.Status.INVITED
            and collaboration.status in Collaboration.OPEN_STATUSES
            and user.may_act_for(p.organization_id)  # type: ignore[union-attr]
        ],
        "invite_form": (
            invite_form or InviteForm(collaboration=collaboration)
            if is_lead and collaboration.status in Collaboration.OPEN_STATUSES
            else None
        ),
        "collaboration": collaboration,
        "thread": thread,
        "can_post": bool(side),
        "message_form": message_form or MessageForm(),
        "step_forms": step_forms,
        "side": side,
        # The secretariat relays a response to the resident behind a voice.
        "voice": services.voice_of(collaboration) if is_secretariat(user) else None,
    }


def collaboration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = _get_collaboration_for_user(request, pk, act=False)
    return render(request, "collaborations/detail.html", _detail_context(request, collaboration))


@require_POST
def collaboration_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Post to the thread. With HTMX, the new message is appended and the form cleared."""
    collaboration = _get_collaboration_for_user(request, pk, act=True)
    form = MessageForm(request.POST)
    htmx = bool(request.headers.get("HX-Request"))
    if not form.is_valid():
        if htmx:
            return render(
                request,
                "collaborations/detail.html#message-form",
                {"collaboration": collaboration, "message_form": form, "oob": True},
            )
        ctx = _detail_context(request, collaboration, message_form=form)
        return render(request, "collaborations/detail.html", ctx)
    message = services.post_message(
        collaboration, by=_acting_user(request), body=form.cleaned_data["body"]
    )
    if htmx:
        return render(
            request,
            "collaborations/message_posted.html",
            {"collaboration": collaboration, "m": message, "message_form": MessageForm()},
        )
    messages.success(request, _("メッセージを送りました。"))
    return redirect(f"{_detail_url(collaboration)}#message-{message.pk}")


@require_POST
def collaboration_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept, decline, start, complete or withdraw, as the side allowed to."""
    if action not in services.STEPS:
        raise Http404
    # A party that has just declined (by a colleague's click) is no longer a side, but is
    # told what happened rather than refused.
    answering = action in services.ANSWERS
    collaboration = _get_collaboration_for_user(request, pk, act=not answering)
    user = _acting_user(request)
    step = services.STEPS[action]
    if (
        answering
        and collaboration.partner_id is not None
        and services.answered_already(collaboration, user)
    ):
        # (its status is read again: the parties may be newer than the row read first)
        collaboration.refresh_from_db(fields=["status"])
        messages.info(request, services.answered_message(collaboration))
        return redirect(_detail_url(collaboration))
    side = services.side_of_user(collaboration, user, step)
    if step.by not in (side, "either"):
        raise PermissionDenied
    if answering and collaboration.partner_id is not None:
        if collaboration.status not in Collaboration.OPEN_STATUSES:
            messages.info(request, services.already_message(collaboration))
            return redirect(_detail_url(collaboration))
    elif not collaboration.can_move_to(step.to):
        messages.info(request, services.already_message(collaboration))
        return redirect(_detail_url(collaboration))
    form = StepForm(request.POST, action=action)
    if not form.is_valid():
        ctx = _detail_context(request, collaboration, failed=form)
        return render(request, "collaborations/detail.html", ctx)
    try:
        services.take_step(collaboration, action, by=user, note=form.cleaned_data["note"])
    except services.StepRefused:
        raise PermissionDenied from None
    except AlreadyChanged as e:
        # Someone else took a step at the same moment, and theirs came first.
        messages.info(request, e.message)
        return redirect(_detail_url(collaboration))
    messages.success(
        request,
        _("「%(status)s」にしました。相手の団体にメールでお知らせします。")
        % {"status": collaboration.get_status_display()},
    )
    return redirect(_detail_url(collaboration))


@require_POST
def collaboration_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead's staff invite one more organisation (with a role)."""
    collaboration = _get_collaboration_for_user(request, pk, act=True)
    user = _acting_user(request)
    if not user.may_act_for(collaboration.proposer_id):
        raise PermissionDenied
    if collaboration.status not in Collaboration.OPEN_STATUSES:
        messages.info(request, services.already_message(collaboration))
        return redirect(_detail_url(collaboration))
    form = InviteForm(request.POST, collaboration=collaboration)
    if not form.is_valid():
        ctx = _detail_context(request, collaboration, invite_form=form)
        return render(request, "collaborations/detail.html", ctx, status=400)
    try:
        party = services.invite(
            collaboration,
            organization=form.cleaned_data["organization"],
            role=form.cleaned_data["role"],
            by=user,
        )
    except AlreadyChanged as e:
        messages.info(request, e.message)
        return redirect(_detail_url(collaboration))
    messages.success(
        request,
        _("%(name)s を招待しました。相手の団体にメールでお知らせします。")
        % {"name": party.organization.name},
    )
    return redirect(_detail_url(collaboration))


@require_POST
def party_answer(request: HttpRequest, pk: int, party_pk: int, action: str) -> HttpResponse:
    """An invited organisation's staff accept or decline for it."""
    if action not in services.ANSWERS:
        raise Http404
    collaboration = _get_collaboration_for_user(request, pk, act=True)
    party = get_object_or_404(
        CollaborationParty.objects.select_related("organization"),
        pk=party_pk,
        collaboration=collaboration,
    )
    user = _acting_user(request)
    if not user.may_act_for(party.organization_id):
        raise PermissionDenied
    if party.status != CollaborationParty.Status.INVITED:
        collaboration.refresh_from_db(fields=["status"])
        messages.info(request, services.answered_message(collaboration))
        return redirect(_detail_url(collaboration))
    form = StepForm(request.POST, action=action)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    before = collaboration.status
    try:
        services.answer(collaboration, party, action, by=user, note=note)
    except AlreadyChanged as e:
        messages.info(request, e.message)
        return redirect(_detail_url(collaboration))
    if collaboration.status != before:
        # The last answer moved the collaboration (to 合意 or 見送り).
        messages.success(
            request,
            _("「%(status)s」にしました。相手の団体にメールでお知らせします。")
            % {"status": collaboration.get_status_display()},
        )
        return redirect(_detail_url(collaboration))
    messages.success(
        request,
        (
            _("%(name)s として参加を承諾しました。")
            if action == "accept"
            else _("%(name)s として辞退しました。")
        )
        % {"name": party.organization.name},
    )
    return redirect(_detail_url(collaboration))


# Responding to a need: 「この声に応えられます」 / 「協力を申し出る」


def need_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's staff offer to help with a need; the need's owner (the secretariat for a
    resident's voice) hears of it. An open response already sent is shown instead."""
    need = get_need_for_member(request, pk)
    if not is_member_staff(request.user):
        raise PermissionDenied
    user = _acting_user(request)
    # Responding as one of one's organisations other than the need's owner: the one
    # last chosen 「どの立場で」, else the first.
    acting = ActingFor(request)
    candidates = [o for o in acting.organizations if o.pk != need.organization_id]
    if not candidates:
        raise PermissionDenied
    organization = acting.preferred()
    if organization is None or organization.pk == need.organization_id:
        organization = candidates[0]
    existing = services.open_response(need, organization.pk)
    if existing is not None:
        messages.info(
            request, _("このニーズにはすでに申し出ています。やりとりはこちらから続けられます。")
        )
        return redirect(_detail_url(existing))
    if need.status != Need.Status.OPEN:
        messages.error(request, _("このニーズは募集を終えています。"))
        return redirect("matching:need_detail", pk=need.pk)
    initial = {}
    if request.GET.get("resource"):
        initial["resource"] = request.GET["resource"]
    form = ResponseForm(request.POST or None, initial=initial, organization=organization)
    if request.method == "POST" and form.is_valid():
        collaboration, created = services.respond(
            by=user,
            need=need,
            message=form.cleaned_data["message"],
            resource=form.cleaned_data["resource"],
            organization=organization,
        )
        if created:
            messages.success(
                request,
                _("%(name)s に申し出を送りました。メールでお知らせします。")
                % {"name": collaboration.partner_name},
            )
        else:
            messages.info(
                request, _("このニーズにはすでに申し出ています。やりとりはこちらから続けられます。")
            )
        return redirect(_detail_url(collaboration))
    return render(
        request,
        "collaborations/need_respond.html",
        {"form": form, "need": need},
        status=400 if request.method == "POST" else 200,
    )


def collaboration_relay(request: HttpRequest, pk: int) -> HttpResponse:
    """「声の主に連絡する」: the secretariat sees the contact the resident consented to give
    (every look recorded) and records that it passed the member's offer on."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    collaboration = _get_collaboration_for_user(request, pk, act=False)
    voice = services.voice_of(collaboration)
    if voice is None:
        raise Http404
    form = RelayForm(request.POST or None)
    if request.method == "POST" and voice.contact_consent and form.is_valid():
        services.record_relayed(
            collaboration, by=_acting_user(request), note=form.cleaned_data["note"]
        )
        messages.success(request, _("声の主に連絡したことを記録し、団体にお知らせしました。"))
        return redirect(_detail_url(collaboration))
    if voice.contact_consent:
        # The contact is personal data: every look is recorded.
        record(request.user, AuditEvent.Action.VIEW, voice, note=f"連携 {collaboration.pk}")
    return render(
        request,
        "collaborations/relay.html",
        {"collaboration": collaboration, "voice": voice, "form": form},
        status=400 if request.method == "POST" else 200,
    )
