"""Needs (ニーズ) and the engine's suggestions (提案) for them.

Members' staff post needs for their organisation and see ranked seeds from across the
network; every signed-in person reads the open needs. Needs published from a resident's
request show only the text the secretariat wrote, never the request itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import AS_SECRETARIAT, SESSION_KEY, ActingFor
from tsunagari.accounts.acting import FIELD as ACTING_FIELD
from tsunagari.audit.models import (
    record_changed,
    record_created,
    snapshot,
)
from tsunagari.directory.models import Location, Resource
from tsunagari.geo.models import Municipality
from tsunagari.matching.access import (
    can_edit_need,
    can_post_need,
    get_need_for_editor,
    get_need_for_member,
    get_suggestion_for_editor,
    is_member_staff,
    require_member_staff,
    require_need_poster,
    require_need_reader,
)
from tsunagari.matching.forms import NeedFilterForm, NeedForm
from tsunagari.matching.models import Need, Suggestion
from tsunagari.members.models import Organization

PER_PAGE = 30
WAITING_PER_RESOURCE = 5

# The status buttons of a need: the action in the URL → the status it moves to.
STATUS_ACTIONS = {
    "met": Need.Status.MET,
    "close": Need.Status.CLOSED,
    "withdraw": Need.Status.WITHDRAWN,
    "reopen": Need.Status.OPEN,
}

# The buttons on a suggestion: the action in the URL → the state it moves to.
SUGGESTION_ACTIONS = {
    "bookmark": Suggestion.State.BOOKMARKED,
    "dismiss": Suggestion.State.DISMISSED,
    "restore": Suggestion.State.NEW,
}


def _is_fragment_request(request: HttpRequest, target: str) -> bool:
    """An HTMX request for one part of the page (not a history restore of the whole)."""
    return (
        bool(request.headers.get("HX-Request"))
        and not request.headers.get("HX-History-Restore-Request")
        and request.headers.get("HX-Target") == target
    )


def refresh_later(need: Need) -> None:
    """Embed the need and rank seeds for it in the background, once the save is committed."""
    from tsunagari.matching.tasks import refresh_need

    need_id = need.pk
    transaction.on_commit(lambda: refresh_need.enqueue(need_id))


def with_details(qs: QuerySet[Need]) -> QuerySet[Need]:
    return qs.select_related("organization", "municipality").prefetch_related(
        "target_groups", "kinds_wanted"
    )


# The list


def need_list(request: HttpRequest) -> HttpResponse:
    require_need_reader(request)
    filters = NeedFilterForm(request.GET)
    qs = filters.apply(Need.objects.visible_to_members())
    page = Paginator(with_details(qs), PER_PAGE).get_page(request.GET.get("page"))
    template = "matching/need_list.html"
    if _is_fragment_request(request, "needs"):
        template += "#needs"
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "can_post": can_post_need(request.user),
            "is_member_staff": is_member_staff(request.user),
        },
    )


# Posting and editing


MUNICIPALITY_PREFIX = "municipality:"


class NeedActing:
    """「どの立場で」 for posting a need: the person's member organisations, the secretariat,
    and the municipalities they are an officer of. Organisations and the secretariat are
    `ActingFor`'s; an officer's municipality joins them as one more choice (the need then
    belongs to no organisation and its place is that municipality). The last choice is
    remembered in the same session key as ActingFor's."""

    def __init__(self, request: HttpRequest) -> None:
        user: Any = request.user
        self.request = request
        self.base = ActingFor(request, secretariat=True)
        self.municipalities: list[Municipality] = list(user.officer_municipalities.order_by("code"))

    @property
    def asks(self) -> bool:
        return self.base.asks or (
            bool(self.municipalities)
            and len(self.base.organizations) + int(self.base.secretariat) + len(self.municipalities)
            > 1
        )

    def add_to(self, form: forms.BaseForm) -> None:
        if not self.municipalities:
            self.base.add_to(form)
            return
        if not self.asks:
            # An officer with no other capacity: the place is their municipality.
            field = form.fields["municipality"]
            field.disabled = True
            field.initial = self.municipalities[0].pk
            field.help_text = _("市町村の担当者として登録するニーズの地域は、その市町村です。")
            return
        choices: list[tuple[str, str]] = [(str(o.pk), o.name) for o in self.base.organizations]
        if self.base.secretariat:
            choices.append((AS_SECRETARIAT, str(_("事務局として"))))
        choices += [
            (
                f"{MUNICIPALITY_PREFIX}{m.pk}",
                _("%(name)sの担当者として") % {"name": m.name},
            )
            for m in self.municipalities
        ]
        field = forms.ChoiceField(
            label=_("どの立場で"),
            choices=choices,
            widget=forms.RadioSelect,
            help_text=_(
                "どの団体・立場として登録するかを選んでください。"
                "市町村の担当者として登録すると、地域はその市町村になります。"
            ),
            error_messages={
                "required": _("どの立場で行うかを選んでください。"),
                "invalid_choice": _("あなたの立場にないものは選べません。"),
            },
        )
        asked = self.request.GET.get(ACTING_FIELD, "")
        remembered = self.request.session.get(SESSION_KEY)
        values = [value for value, _label in choices]
        if asked in values:
            field.initial = asked
        elif remembered is not None and str(remembered) in values:
            field.initial = str(remembered)
        form.fields = {ACTING_FIELD: field, **form.fields}
        form.fields["municipality"].required = False

    def chosen(self, form: forms.BaseForm) -> tuple[Organization | None, Municipality | None]:
        """(organisation, officer's municipality) of a valid form: at most one of them;
        neither means as the secretariat. The choice is remembered."""
        if not self.municipalities:
            return self.base.organization(form), None
        if not self.asks:
            return None, self.municipalities[0]
        value = form.cleaned_data[ACTING_FIELD]
        self.request.session[SESSION_KEY] = value
        if value.startswith(MUNICIPALITY_PREFIX):
            code = value.removeprefix(MUNICIPALITY_PREFIX)
            return None, next(m for m in self.municipalities if m.pk == code)
        if value == AS_SECRETARIAT:
            return None, None
        return next(o for o in self.base.organizations if str(o.pk) == value), None


def need_new(request: HttpRequest) -> HttpResponse:
    """Post a need for one of the person's organisations, for the secretariat on its own
    account, or as an officer for their municipality (asked 「どの立場で」 when more than
    one fits)."""
    require_need_poster(request)
    user: Any = request.user
    acting = NeedActing(request)
    form = NeedForm(request.POST or None)
    acting.add_to(form)
    if request.method == "POST" and form.is_valid():
        organization, municipality = acting.chosen(form)
        if municipality is None and not form.cleaned_data.get("municipality"):
            form.add_error("municipality", _("地域を選んでください。"))
    if request.method == "POST" and form.is_valid():
        need = form.save(commit=False)
        need.organization = organization
        need.origin = Need.Origin.MEMBER
        if municipality is not None:
            need.origin = Need.Origin.MUNICIPALITY
            need.municipality = municipality
        need.created_by = user
        with transaction.atomic():
            need.save()
            form.save_m2m()
            record_created(user, need, Need.AUDITED_FIELDS)
            refresh_later(need)
        messages.success(
            request,
            _("ニーズ「%(title)s」を登録しました。合いそうな社会資源を探しています。")
            % {"title": need.title},
        )
        return redirect("matching:need_detail", pk=need.pk)
    return render(
        request,
        "matching/need_form.html",
        {"form": form, "need": None},
        status=400 if request.method == "POST" else 200,
    )


def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_editor(request, pk)
    form = NeedForm(request.POST or None, instance=need)
    if need.origin == Need.Origin.MUNICIPALITY:
        # A municipality's need stays that municipality's.
        form.fields["municipality"].disabled = True
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(Need.objects.get(pk=need.pk), Need.AUDITED_FIELDS)
            need = form.save()
            after = snapshot(need, Need.AUDITED_FIELDS)
            if record_changed(request.user, need, before, after):
                refresh_later(need)
        messages.success(request, _("ニーズ「%(title)s」を保存しました。") % {"title": need.title})
        return redirect("matching:need_detail", pk=need.pk)
    return render(
        request,
        "matching/need_form.html",
        {"form": form, "need": need},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def need_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    need = get_need_for_editor(request, pk)
    if action not in STATUS_ACTIONS:
        raise Http404
    if need.set_status(STATUS_ACTIONS[action], by=request.user):
        messages.success(
            request,
            _("ニーズ「%(title)s」を「%(status)s」にしました。")
            % {"title": need.title, "status": need.get_status_display()},
        )
    else:
        messages.info(
            request,
            _("ニーズ「%(title)s」はすでに「%(status)s」になっています。")
            % {"title": need.title, "status": need.get_status_display()},
        )
    return redirect("matching:need_detail", pk=need.pk)


# The need and its suggestions


def _suggestions(need: Need, *, show_dismissed: bool) -> list[Suggestion]:
    """The need's suggestions in rank order, with what a row shows, in a fixed number of
    queries."""
    qs = (
        need.suggestions.filter(resource__status=Resource.Status.PUBLISHED)
        .select_related("resource__organization")
        .prefetch_related(
            "resource__kinds",
            "resource__service_area",
            Prefetch(
                "resource__locations", queryset=Location.objects.select_related("municipality")
            ),
        )
        .order_by("rank", "id")
    )
    if not show_dismissed:
        qs = qs.exclude(state=Suggestion.State.DISMISSED)
    rows = list(qs)
    for s in rows:
        s.need = need
        s.areas = area_names(s.resource)  # type: ignore[attr-defined]
    return rows


def area_names(resource: Resource) -> list[str]:
    """Where a resource is: its places' municipalities, else its service area, and online."""
    names: list[str] = []
    for location in resource.locations.all():
        if location.municipality.name not in names:
            names.append(location.municipality.name)
    if not names:
        names = [m.name for m in resource.service_area.all()]
    if resource.is_online:
        names.append(_("オンライン"))
    return names


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_member(request, pk)
    editor = can_edit_need(request.user, need)
    # A member's staff who could help: 「この声に応えられます」/「協力を申し出る」, or the
    # response they already sent.
    # (as the first of their organisations that is not the need's owner)
    user: Any = request.user
    others = [pk for pk in getattr(user, "organization_ids", ()) if pk != need.organization_id]
    organization_id = min(others) if is_member_staff(user) and others else None
    # Read through the reverse relation: collaborations sit a floor above matching.
    could_respond = (
        organization_id is not None
        and need.status == Need.Status.OPEN
        and need.organization_id != organization_id
    )
    my_response = (
        need.collaborations.filter(
            kind="response",
            status__in=("proposed", "accepted", "in_progress"),
            proposer_id=organization_id,
        )
        .order_by("pk")
        .first()
        if organization_id and need.organization_id != organization_id
        else None
    )
    context: dict[str, Any] = {
        "need": need,
        "editor": editor,
        "my_response": my_response,
        "can_respond": my_response is None and could_respond,
        "can_propose": is_member_staff(request.user) and editor,
        "target_groups": list(need.target_groups.all()),
        "kinds_wanted": list(need.kinds_wanted.all()),
    }
    if editor:
        show_dismissed = request.GET.get("dismissed") == "1"
        suggestions = _suggestions(need, show_dismissed=show_dismissed)
        context.update(
            suggestions=suggestions,
            show_dismissed=show_dismissed,
            dismissed_count=(
                sum(1 for s in suggestions if s.state == Suggestion.State.DISMISSED)
                if show_dismissed
                else need.suggestions.filter(state=Suggestion.State.DISMISSED).count()
            ),
            computing=not suggestions and need.suggestions_computed_at is None,
        )
    template = "matching/need_detail.html"
    if editor and _is_fragment_request(request, "suggestions"):
        template += "#suggestions"
    return render(request, template, context)


@require_POST
def need_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_editor(request, pk)
    refresh_later(need)
    messages.success(
        request, _("提案の更新を受け付けました。しばらくしてからページを再読み込みしてください。")
    )
    return redirect("matching:need_detail", pk=need.pk)


@require_POST
def suggestion_state(
    request: HttpRequest, pk: int, suggestion_pk: int, action: str
) -> HttpResponse:
    """Bookmark, dismiss or restore a suggestion; HTMX swaps the row in place."""
    suggestion = get_suggestion_for_editor(request, pk, suggestion_pk)
    if action not in SUGGESTION_ACTIONS:
        raise Http404
    state = SUGGESTION_ACTIONS[action]
    # A conditional update: repeated or simultaneous clicks set the same state once.
    Suggestion.objects.filter(pk=suggestion.pk).exclude(state=state).update(state=state)
    suggestion.state = state
    if request.headers.get("HX-Request"):
        need = suggestion.need
        row = next(s for s in _suggestions(need, show_dismissed=True) if s.pk == suggestion.pk)
        return render(
            request,
            "matching/_suggestion.html",
            {
                "need": need,
                "s": row,
                "editor": True,
                "can_propose": is_member_staff(request.user),
                "show_dismissed": request.POST.get("dismissed") == "1",
            },
        )
    url = reverse("matching:need_detail", args=[pk])
    if request.POST.get("dismissed") == "1":
        url += "?dismissed=1"
    return redirect(f"{url}#suggestion-{suggestion.pk}")


# The needs a member's resources could answer


def needs_waiting(request: HttpRequest) -> HttpResponse:
    """あなたの資源を待っているニーズ: for each published resource of the staff's
    organisations, the open needs it could answer, with the engine's reasons."""
    from tsunagari.matching.engine import needs_for_resources

    require_member_staff(request)
    user: Any = request.user
    resources = list(
        Resource.objects.published()
        .filter(organization_id__in=user.organization_ids)
        .order_by("name", "id")
    )
    answers = needs_for_resources(resources, limit=WAITING_PER_RESOURCE)
    found = [(r, answers.get(r.pk, [])) for r in resources]
    # The engine's needs are re-read once, with what the page shows of them.
    ids = {need.pk for _r, matches in found for need, _score, _reasons in matches}
    needs = with_details(Need.objects.open().filter(pk__in=ids)).in_bulk()
    rows = [
        (
            resource,
            [(needs[need.pk], reasons) for need, _score, reasons in matches if need.pk in needs],
        )
        for resource, matches in found
    ]
    responded = set(
        Need.collaborations.rel.related_model._default_manager.filter(
            kind="response",
            status__in=("proposed", "accepted", "in_progress"),
            proposer_id__in=user.organization_ids,
            need_id__in=ids,
        ).values_list("need_id", flat=True)
    )
    return render(
        request,
        "matching/waiting.html",
        {"rows": rows, "responded": responded, "organization_ids": user.organization_ids},
    )
