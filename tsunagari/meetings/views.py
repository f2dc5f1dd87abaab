"""Pages of the meetings: the list, a meeting with its RSVPs and documents, organising,
closing with minutes, the minutes (page and PDF), calendars and action items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import FIELD as ACTING_FIELD
from tsunagari.accounts.acting import SESSION_KEY as ACTING_SESSION_KEY
from tsunagari.accounts.acting import ActingFor
from tsunagari.audit.models import record_created
from tsunagari.core.access import secretariat_required
from tsunagari.lib.pdf import FontMissing
from tsunagari.meetings import access, minutes_pdf, services
from tsunagari.meetings.forms import (
    ActionCollaborationForm,
    ActionItemFormSet,
    AgendaFormSet,
    CloseForm,
    DocumentForm,
    MeetingForm,
    RsvpForm,
)
from tsunagari.meetings.models import ActionItem, Meeting, MeetingDocument, Rsvp
from tsunagari.members.models import Organization

# The list


def _with_counts(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return qs.select_related("organization", "municipality", "group", "council").annotate(
        attending_people=Sum("rsvps__people", filter=Q(rsvps__status=Rsvp.Status.ATTENDING)),
        attending_orgs=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.ATTENDING)),
    )


@login_not_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Everyone who works in the network: upcoming and past meetings they may see.
    Anonymous visitors: only the titles and dates of the upcoming network meetings."""
    user: Any = request.user
    if not access.works_in_network(user):
        if user.is_authenticated:
            raise PermissionDenied
        upcoming = list(
            Meeting.objects.upcoming()
            .filter(kind=Meeting.Kind.NETWORK)
            .order_by("starts_at")
            .only("title", "starts_at", "ends_at", "format")[:50]
        )
        response = render(request, "meetings/public_list.html", {"meetings": upcoming})
        response["Cache-Control"] = "private, no-cache"
        return response
    visible = Meeting.objects.filter(access.visible_to(user)).distinct()
    now = timezone.now()
    upcoming = list(
        _with_counts(
            visible.filter(ends_at__gte=now).exclude(status=Meeting.Status.CLOSED)
        ).order_by("starts_at")[:100]
    )
    past = list(
        _with_counts(visible.filter(Q(ends_at__lt=now) | Q(status=Meeting.Status.CLOSED))).order_by(
            "-starts_at"
        )[:50]
    )
    mine = {
        r.meeting_id: r
        for r in Rsvp.objects.filter(
            organization_id__in=user.organization_ids,
            meeting_id__in=[m.pk for m in upcoming],
        )
    }
    for meeting in upcoming:
        meeting.my_rsvp = mine.get(meeting.pk)  # type: ignore[attr-defined]
    feeds = [
        (o, reverse("meetings:feed", args=[services.feed_token(o)]))
        for o in user.organizations.by_reading()
    ]
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "feeds": feeds,
            "can_organise": bool(creatable_kinds(user)),
        },
    )


# Organising


def creatable_kinds(user: Any) -> list[str]:
    kinds: list[str] = []
    if user.is_secretariat:
        kinds += [Meeting.Kind.NETWORK, Meeting.Kind.GROUP]
    if user.is_municipality_officer:
        kinds.append(Meeting.Kind.MUNICIPAL)
        if _councils_for(user).exists():
            kinds.append(Meeting.Kind.COUNCIL)
    if user.is_member_staff:
        kinds.append(Meeting.Kind.MEMBER)
        if not user.is_secretariat and access.convened_group_ids(user):
            kinds.append(Meeting.Kind.GROUP)
    return kinds


def _groups_for(user: Any) -> Any:
    from tsunagari.groups.models import WorkingGroup

    if user.is_secretariat:
        return WorkingGroup.objects.all()
    return WorkingGroup.objects.filter(pk__in=access.convened_group_ids(user))


def _councils_for(user: Any) -> Any:
    from tsunagari.councils.models import LocalCouncil

    return LocalCouncil.objects.filter(municipality_id__in=user.officer_municipality_ids)


def meeting_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    kinds = creatable_kinds(user)
    if not kinds:
        raise PermissionDenied
    acting = ActingFor(request)
    form = MeetingForm(
        request.POST or None,
        user=user,
        kinds=kinds,
        groups=_groups_for(user),
        councils=_councils_for(user),
    )
    if Meeting.Kind.MEMBER in kinds:
        acting.add_to(form)
        if ACTING_FIELD in form.fields:
            form.fields[ACTING_FIELD].required = False
    agenda = AgendaFormSet(request.POST or None, prefix="agenda")
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        meeting = form.save(commit=False)
        kind = meeting.kind
        if kind == Meeting.Kind.MEMBER:
            organization = acting.organization(form) if acting.asks else acting.organization()
            if organization is None:
                form.add_error(ACTING_FIELD, _("どの団体として開くかを選んでください。"))
        if not form.errors:
            if kind == Meeting.Kind.MEMBER:
                meeting.organization = organization
            elif kind == Meeting.Kind.MUNICIPAL:
                meeting.municipality = user.officer_municipalities.order_by("code").first()
            elif kind == Meeting.Kind.COUNCIL:
                assert meeting.council is not None
                meeting.municipality = meeting.council.municipality
                # A council's members keep secrets (法15条): its minutes are confidential
                # unless the organiser opens them when closing the meeting.
                meeting.confidential = True
            meeting.created_by = user
            with transaction.atomic():
                meeting.save()
                agenda.instance = meeting
                agenda.save()
                record_created(user, meeting, ["kind", "title", "starts_at", "status"])
            messages.success(
                request, _("会議「%(title)s」を登録しました。") % {"title": meeting.title}
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "agenda": agenda, "meeting": None},
        status=400 if request.method == "POST" else 200,
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_organiser(request, pk)
    if meeting.status in (Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise Http404
    user: Any = request.user
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        user=user,
        kinds=[meeting.kind],
        groups=_groups_for(user),
        councils=_councils_for(user),
    )
    agenda = AgendaFormSet(request.POST or None, instance=meeting, prefix="agenda")
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        with transaction.atomic():
            form.save()
            agenda.save()
        messages.success(request, _("会議の内容を保存しました。"))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "agenda": agenda, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


# One meeting


class ActingRsvpForm(RsvpForm):
    pass


def _rsvp_form(request: HttpRequest, meeting: Meeting, data: Any = None) -> RsvpForm | None:
    organizations = access.may_rsvp_for(request.user, meeting)
    if not organizations:
        return None
    form = ActingRsvpForm(data)
    if len(organizations) > 1:
        remembered = request.session.get(ACTING_SESSION_KEY)
        field = forms.ModelChoiceField(
            label=_("どの立場で"),
            queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]).by_reading(),
            widget=forms.RadioSelect,
            empty_label=None,
            initial=remembered if remembered in [o.pk for o in organizations] else None,
            help_text=_("どの団体として答えるかを選んでください。"),
            error_messages={"required": _("どの立場で答えるかを選んでください。")},
        )
        form.fields = {ACTING_FIELD: field, **form.fields}
    form.organizations = organizations  # type: ignore[attr-defined]
    return form


def _chosen_organization(request: HttpRequest, form: RsvpForm) -> Organization:
    organizations: list[Organization] = form.organizations  # type: ignore[attr-defined]
    if ACTING_FIELD in form.fields:
        chosen: Organization = form.cleaned_data[ACTING_FIELD]
        request.session[ACTING_SESSION_KEY] = chosen.pk
        return chosen
    return organizations[0]


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_viewer(request, pk)
    return _detail(request, meeting, _rsvp_form(request, meeting))


def _detail(
    request: HttpRequest, meeting: Meeting, rsvp_form: RsvpForm | None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    organiser = access.is_organiser(user, meeting)
    rsvps = list(meeting.rsvps.select_related("organization").order_by("organization__name"))
    mine = [r for r in rsvps if r.organization_id in user.organization_ids]
    if rsvp_form is not None and not rsvp_form.is_bound and mine:
        current = mine[0]
        rsvp_form.initial = {
            "status": current.status,
            "people": current.people or 1,
            "names": current.names,
            ACTING_FIELD: current.organization_id,
        }
    attending = [r for r in rsvps if r.status == Rsvp.Status.ATTENDING]
    shows_link = organiser or any(r.status == Rsvp.Status.ATTENDING for r in mine)
    taken = sum(r.people for r in attending)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "organiser": organiser,
            "agenda": list(meeting.agenda.select_related("organization")),
            "documents": list(meeting.documents.all()),
            "rsvps": rsvps,
            "attending": attending,
            "mine": mine,
            "taken": taken,
            "left": None if meeting.capacity is None else max(meeting.capacity - taken, 0),
            "rsvp_form": rsvp_form if services.rsvp_open(meeting) else None,
            "document_form": DocumentForm() if organiser else None,
            "shows_link": shows_link,
            "may_close": organiser
            and meeting.status == Meeting.Status.PUBLISHED
            and meeting.starts_at <= timezone.now(),
            "may_read_minutes": access.can_read_minutes(user, meeting),
        },
        status=status,
    )


@require_POST
def meeting_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_viewer(request, pk)
    form = _rsvp_form(request, meeting, request.POST)
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return _detail(request, meeting, form, status=400)
    organization = _chosen_organization(request, form)
    try:
        rsvp = services.answer(
            meeting,
            organization,
            status=form.cleaned_data["status"],
            people=form.cleaned_data.get("people") or 1,
            names=form.cleaned_data.get("names", ""),
            by=request.user,
        )
    except services.RsvpRefused as refused:
        messages.error(request, str(refused))
        return redirect("meetings:detail", pk=meeting.pk)
    if rsvp.status == Rsvp.Status.ATTENDING:
        messages.success(
            request,
            _("%(org)sの出席（%(people)d人）を受け付けました。")
            % {"org": organization.name, "people": rsvp.people},
        )
    else:
        messages.success(request, _("%(org)sの欠席を受け付けました。") % {"org": organization.name})
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_organiser(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("meetings:detail", pk=meeting.pk)
    upload = form.cleaned_data["file"]
    document = MeetingDocument.objects.create(
        meeting=meeting,
        title=form.cleaned_data["title"] or upload.name,
        file=upload,
        content_type=upload.content_type,
        size=upload.size,
        uploaded_by=request.user,  # type: ignore[misc]
    )
    messages.success(request, _("資料「%(title)s」を添付しました。") % {"title": document.title})
    return redirect("meetings:detail", pk=meeting.pk)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = MeetingDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    access.get_meeting_for_viewer(request, document.meeting_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    name = (document.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_viewer(request, pk)
    response = HttpResponse(
        services.calendar(meeting.title, [meeting]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_not_required
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Every meeting an organisation is invited to or answered for (a secret link)."""
    organization_id = services.organization_of_token(token)
    organization = (
        Organization.objects.filter(pk=organization_id).first() if organization_id else None
    )
    if organization is None:
        raise Http404
    invited = ~Q(kind=Meeting.Kind.COUNCIL) | Q(council__member_bodies__organization=organization)
    meetings = list(
        Meeting.objects.filter(
            Q(
                status__in=(
                    Meeting.Status.PUBLISHED,
                    Meeting.Status.CANCELLED,
                    Meeting.Status.CLOSED,
                )
            )
            & (invited | Q(rsvps__organization=organization))
        )
        .select_related("location")
        .distinct()
        .order_by("-starts_at")[:200]
    )
    response = HttpResponse(
        services.calendar(_("%(org)sの会議") % {"org": organization.name}, meetings),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_organiser(request, pk)
    if services.cancel(meeting, by=request.user):
        messages.success(request, _("会議を中止にし、出席と答えた団体に知らせました。"))
    else:
        messages.info(request, _("この会議は、すでに中止または終了しています。"))
    return redirect("meetings:detail", pk=meeting.pk)


# Closing and the minutes


def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_organiser(request, pk)
    if meeting.status != Meeting.Status.PUBLISHED or meeting.starts_at > timezone.now():
        messages.error(request, _("この会議は、開始後で終了処理の前のときだけ終了できます。"))
        return redirect("meetings:detail", pk=meeting.pk)
    organizations = Organization.objects.by_reading()
    attending_ids = list(
        meeting.rsvps.filter(status=Rsvp.Status.ATTENDING).values_list("organization_id", flat=True)
    )
    initial_count = meeting.rsvps.filter(status=Rsvp.Status.ATTENDING).aggregate(n=Sum("people"))[
        "n"
    ]
    form = CloseForm(
        request.POST or None,
        organizations=organizations,
        initial={
            "attending": attending_ids,
            "attendee_count": initial_count,
            "confidential": meeting.confidential,
        },
    )
    actions = ActionItemFormSet(
        request.POST or None, prefix="actions", form_kwargs={"organizations": organizations}
    )
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        items = [
            services.NewActionItem(
                text=a["text"],
                owner_organization=a.get("owner"),
                owner_name=a.get("owner_name", ""),
                due_on=a["due_on"],
            )
            for a in actions.cleaned_data
            if a and a.get("text")
        ]
        try:
            services.close(
                meeting,
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
                attendee_count=form.cleaned_data["attendee_count"],
                attending=list(form.cleaned_data["attending"]),
                actions=items,
                confidential=form.cleaned_data["confidential"],
                by=request.user,
            )
        except services.AlreadyClosed:
            messages.error(request, _("この会議は、ほかの人がすでに終了処理をしました。"))
            return redirect("meetings:detail", pk=meeting.pk)
        messages.success(request, _("議事録を登録し、会議を終了しました。"))
        return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_close.html",
        {"meeting": meeting, "form": form, "actions": actions},
        status=400 if request.method == "POST" else 200,
    )


def _minutes_context(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "attending": list(meeting.attending_organizations.by_reading()),
        "agenda": list(meeting.agenda.select_related("organization")),
        "actions": list(meeting.action_items.select_related("owner_organization", "need")),
    }


def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_minutes_for_reader(request, pk)
    services.record_minutes_read(request.user, meeting, "page")
    ctx = _minutes_context(meeting)
    ctx["handles"] = {a.pk for a in ctx["actions"] if access.may_handle_action(request.user, a)}
    response = render(request, "meetings/minutes.html", ctx)
    response["Cache-Control"] = "private, no-store"
    return response


def minutes_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_minutes_for_reader(request, pk)
    try:
        body = minutes_pdf.render(_minutes_context(meeting))
    except FontMissing:
        return render(request, "surveys/paper_no_font.html", status=503)
    services.record_minutes_read(request.user, meeting, "PDF")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# Action items


def action_list(request: HttpRequest) -> HttpResponse:
    """Open action items: the secretariat sees all, staff their organisations'."""
    user: Any = request.user
    if not (user.is_secretariat or user.is_member_staff):
        raise PermissionDenied
    items = ActionItem.objects.filter(done_at__isnull=True).select_related(
        "meeting", "owner_organization", "need"
    )
    if not user.is_secretariat:
        items = items.filter(owner_organization_id__in=user.organization_ids)
    today = timezone.localdate()
    rows = list(items.order_by("due_on", "id")[:300])
    return render(
        request,
        "meetings/action_list.html",
        {"items": rows, "today": today, "all": user.is_secretariat},
    )


@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_action_for_owner(request, pk)
    if services.mark_done(item, by=request.user):
        messages.success(request, _("「%(text)s」を完了にしました。") % {"text": item.text})
    else:
        messages.info(request, _("この項目はすでに完了しています。"))
    return redirect("meetings:action_list")


def action_to_need(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn an action item into a need of its owner (the secretariat's own: no owner)."""
    from tsunagari.matching.forms import NeedForm
    from tsunagari.matching.models import Need
    from tsunagari.matching.needs_views import refresh_later

    item = access.get_action_for_owner(request, pk)
    if item.need_id:
        messages.info(request, _("この項目は、すでにニーズになっています。"))
        return redirect("matching:need_detail", pk=item.need_id)
    user: Any = request.user
    initial = {
        "title": item.text[:100],
        "description": _("会議「%(meeting)s」で決まったこと：%(text)s")
        % {
            "meeting": item.meeting.title,
            "text": item.text,
        },
    }
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        need: Need = form.save(commit=False)
        need.organization = item.owner_organization
        need.origin = Need.Origin.MEMBER
        need.created_by = user
        with transaction.atomic():
            need.save()
            form.save_m2m()
            record_created(user, need, Need.AUDITED_FIELDS, note=_("会議のアクションアイテムから"))
            claimed = ActionItem.objects.filter(pk=item.pk, need__isnull=True).update(need=need)
            if not claimed:
                transaction.set_rollback(True)
            else:
                refresh_later(need)
        if not claimed:
            messages.info(request, _("この項目は、ほかの人がすでにニーズにしました。"))
            return redirect("meetings:action_list")
        messages.success(request, _("ニーズ「%(title)s」を登録しました。") % {"title": need.title})
        return redirect("matching:need_detail", pk=need.pk)
    return render(
        request,
        "meetings/action_need.html",
        {"form": form, "item": item},
        status=400 if request.method == "POST" else 200,
    )


def action_to_collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn an action item into a collaboration in one step: its owner leads and invites
    organisations that attended; the item keeps the link."""
    from tsunagari.collaborations.services import StepRefused, start_collaboration

    item = access.get_action_for_owner(request, pk)
    if item.collaboration_id:
        messages.info(request, _("この項目は、すでに連携になっています。"))
        return redirect("collaborations:collaboration_detail", pk=item.collaboration_id)
    user: Any = request.user
    form = ActionCollaborationForm(
        request.POST or None, item=item, initial={"title": item.text[:120]}
    )
    if request.method == "POST" and form.is_valid():
        lead = form.cleaned_data["lead"]
        if not (user.is_secretariat or user.may_act_for(lead)):
            raise PermissionDenied
        body = form.cleaned_data["message"] or _("会議「%(meeting)s」で決まったこと：%(text)s") % {
            "meeting": item.meeting.title,
            "text": item.text,
        }
        try:
            with transaction.atomic():
                collaboration = start_collaboration(
                    lead=lead,
                    parties=[(o, "partner") for o in form.cleaned_data["partners"]],
                    title=form.cleaned_data["title"],
                    by=user,
                    source=item,
                    message=body,
                )
                claimed = ActionItem.objects.filter(pk=item.pk, collaboration__isnull=True).update(
                    collaboration=collaboration
                )
                if not claimed:
                    transaction.set_rollback(True)
        except StepRefused:
            form.add_error(None, _("この団体の組み合わせでは連携を始められません。"))
        else:
            if not claimed:
                messages.info(request, _("この項目は、ほかの人がすでに連携にしました。"))
                return redirect("meetings:action_list")
            messages.success(
                request, _("連携「%(title)s」を始めました。") % {"title": collaboration.title}
            )
            return redirect("collaborations:collaboration_detail", pk=collaboration.pk)
    return render(
        request,
        "meetings/action_collaboration.html",
        {"form": form, "item": item},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def action_to_case(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_action_for_owner(request, pk)
    if services.make_case_candidate(item, by=request.user):
        messages.success(
            request, _("「%(text)s」をモデル事例の候補にしました。") % {"text": item.text}
        )
    else:
        messages.info(request, _("この項目は、すでにモデル事例の候補です。"))
    return redirect("meetings:action_list")


@secretariat_required
def case_candidates(request: HttpRequest) -> HttpResponse:
    items = list(
        ActionItem.objects.filter(case_candidate_at__isnull=False)
        .select_related("meeting", "owner_organization")
        .order_by("-case_candidate_at", "-id")[:300]
    )
    return render(request, "meetings/case_candidates.html", {"items": items})
