"""The network pages: the secretariat's graph and introductions, a member's suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import FIELD, SESSION_KEY, ActingFor
from tsunagari.core.access import secretariat_required
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.members.models import Organization
from tsunagari.network import introductions as services
from tsunagari.network.drawing import draw
from tsunagari.network.forms import AskForm, DecideForm, GraphFilterForm, IntroduceForm
from tsunagari.network.graph import KIND_LABELS, WEIGHTS, build_graph
from tsunagari.network.models import IntroductionRequest


@secretariat_required
def network_graph(request: HttpRequest) -> HttpResponse:
    """The graph drawn (SVG), the same data as a table, and who is isolated."""
    form = GraphFilterForm(request.GET or None)
    graph = build_graph(form.cleaned_since(), form.cleaned_kinds())
    isolated = graph.isolated()
    # Suggestions for the isolated come from the whole graph: any tie counts.
    whole = build_graph() if graph.since or len(graph.kinds) < len(WEIGHTS) else graph
    suggested = services.suggestions(whole, [n.id for n in isolated], limit=5)
    return render(
        request,
        "network/graph.html",
        {
            "form": form,
            "graph": graph,
            "drawing": draw(graph),
            "isolated": [(n, suggested.get(n.id, [])) for n in isolated],
            "weights": [(KIND_LABELS[k], w) for k, w in WEIGHTS.items()],
            "kind_labels": KIND_LABELS,
            "introduce_form": IntroduceForm(),
        },
    )


def _acting_organization(request: HttpRequest, acting: ActingFor) -> Organization:
    """The organisation the page is for: ?organization=<id> among one's own, else the
    one last chosen 「どの立場で」."""
    wanted = (
        request.GET.get("organization")
        or request.POST.get("organization")
        # 「どの立場で」 as other forms post it, asked only of someone with several.
        or (request.POST.get(FIELD) if acting.asks else None)
    )
    if wanted:
        for organization in acting.organizations:
            if str(organization.pk) == wanted:
                request.session[SESSION_KEY] = organization.pk
                return organization
        raise PermissionDenied
    chosen = acting.preferred()
    return chosen if chosen is not None else acting.organizations[0]


def introductions(request: HttpRequest) -> HttpResponse:
    """A member's staff: members to meet, and the introductions asked for."""
    acting = ActingFor(request)
    acting.require()
    organization = _acting_organization(request, acting)
    found = services.suggestions_for(organization.pk)
    asked = list(
        IntroductionRequest.objects.for_list().filter(
            Q(from_organization=organization) | Q(to_organization=organization)
        )
    )
    open_with = {
        (
            r.to_organization_id
            if r.from_organization_id == organization.pk
            else r.from_organization_id
        )
        for r in asked
        if r.status == IntroductionRequest.Status.REQUESTED
    }
    return render(
        request,
        "network/introductions.html",
        {
            "organization": organization,
            "choices": acting.organizations if len(acting.organizations) > 1 else [],
            "suggestions": [(s, s.organization.id in open_with) for s in found],
            "asked": asked,
            "form": AskForm(),
        },
    )


@require_POST
def introduction_ask(request: HttpRequest) -> HttpResponse:
    acting = ActingFor(request)
    acting.require()
    organization = _acting_organization(request, acting)
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("紹介を依頼できませんでした。もう一度お試しください。"))
        return redirect(_introductions_url(organization))
    other = get_object_or_404(_members(), pk=form.cleaned_data["to_organization"])
    try:
        services.ask(
            by=request.user,
            from_organization=organization,
            to_organization=other,
            note=form.cleaned_data["note"],
        )
    except AlreadyChanged as exc:
        messages.info(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s の紹介を事務局に依頼しました。事務局から連絡します。")
            % {"name": other.name},
        )
    return redirect(_introductions_url(organization))


def _members() -> QuerySet[Organization]:
    """Only current members are introduced (【サンプル】 ones too, as in the graph)."""
    return Organization.objects.members_on(timezone.localdate(), include_samples=True)


def _introductions_url(organization: Organization) -> str:
    from django.urls import reverse

    return f"{reverse('network:introductions')}?organization={organization.pk}"


@secretariat_required
def secretariat_introductions(request: HttpRequest) -> HttpResponse:
    """The secretariat's list of introductions, open ones first."""
    rows = list(IntroductionRequest.objects.for_list())
    rows.sort(key=lambda r: r.status != IntroductionRequest.Status.REQUESTED)
    return render(
        request,
        "network/secretariat_introductions.html",
        {"introductions": rows, "form": DecideForm()},
    )


@secretariat_required
@require_POST
def introduction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = get_object_or_404(IntroductionRequest, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("network:secretariat_introductions")
    try:
        services.decide(
            introduction,
            by=request.user,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except AlreadyChanged as exc:
        messages.info(request, exc.message)
    else:
        messages.success(
            request,
            _("「%(status)s」にしました。") % {"status": introduction.get_status_display()},
        )
    return redirect("network:secretariat_introductions")


@secretariat_required
@require_POST
def introduce(request: HttpRequest) -> HttpResponse:
    """The secretariat introduces an isolated member to another, in one step."""
    form = IntroduceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("紹介する相手を選んでください。"))
        return redirect("network:graph")
    members = (
        _members()
        .filter(
            pk__in=[form.cleaned_data["from_organization"], form.cleaned_data["to_organization"]]
        )
        .in_bulk()
    )
    first = members.get(form.cleaned_data["from_organization"])
    second = members.get(form.cleaned_data["to_organization"])
    if first is None or second is None:
        messages.error(request, _("紹介する相手を選んでください。"))
        return redirect("network:graph")
    try:
        services.introduce_directly(
            by=request.user,
            from_organization=first,
            to_organization=second,
            note=form.cleaned_data["note"],
        )
    except AlreadyChanged as exc:
        messages.info(request, exc.message)
    else:
        messages.success(
            request,
            _("%(a)s と %(b)s を紹介しました。両方の団体にメールでお知らせします。")
            % {"a": first.name, "b": second.name},
        )
    return redirect("network:secretariat_introductions")
