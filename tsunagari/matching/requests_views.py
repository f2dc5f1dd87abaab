"""Resident requests (住民の声): the public form and the secretariat's screening.

A resident writes what place or support they wish for (こんな場・支えがほしい), without
signing in and without leaving a trace of who they are. The secretariat alone reads the
original; it rewrites it without personal details and publishes it as a need, or not.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import (
    is_officer_for,
    officer_area_codes,
    officer_area_required,
    secretariat_required,
)
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.matching import requests_services as services
from tsunagari.matching.models import ResidentRequest
from tsunagari.matching.requests_forms import PublishForm, RejectForm, ResidentRequestForm

# Generous enough for a family or a community centre sharing one connection.
LIMIT = RateLimit("voice", per_network=10, overall=300, window=3600)


@login_not_required
def voice(request: HttpRequest) -> HttpResponse:
    """「こんな場・支えがほしい」: the public form."""
    if request.method == "POST":
        form = ResidentRequestForm(request.POST)
        if LIMIT.exceeded(request):
            # Nothing is checked or stored; what was typed stays on the page.
            return render(
                request, "matching/request_form.html", {"form": form, "limited": True}, status=429
            )
        valid = form.is_valid()
        if form.is_from_a_robot:
            # A robot sees the same thanks; nothing is stored.
            LIMIT.hit(request)
            return redirect("matching:voice_thanks")
        if valid:
            services.submit(form)
            LIMIT.hit(request)
            return redirect("matching:voice_thanks")
        status = 400
    else:
        form = ResidentRequestForm()
        status = 200
    return render(request, "matching/request_form.html", {"form": form}, status=status)


@login_not_required
def voice_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "matching/request_thanks.html")


def _get_request_for_user(request: HttpRequest, pk: int, *, area: bool = False) -> ResidentRequest:
    """The original text and the contact are personal data: the secretariat's, and (on the
    officers' pages, `area`) an officer's of the voice's municipality or its city."""
    if not area and not getattr(request.user, "is_secretariat", False):
        raise PermissionDenied
    if area and not getattr(request.user, "is_municipality_officer", False):
        raise PermissionDenied
    resident_request = get_object_or_404(
        ResidentRequest.objects.select_related("municipality", "need", "screened_by"), pk=pk
    )
    if area and not is_officer_for(request.user, resident_request.municipality_id):
        raise PermissionDenied
    return resident_request


def _urls(area: bool) -> dict[str, str]:
    """The route names of the screening pages: the secretariat's, or the officers'."""
    prefix = "matching:area_voice" if area else "matching:voice"
    return {
        "list": f"{prefix}{'s' if area else '_list'}",
        "detail": f"{prefix}_detail",
        "publish": f"{prefix}_publish",
        "reject": f"{prefix}_reject",
    }


def _list_page(request: HttpRequest, qs: QuerySet[ResidentRequest], area: bool) -> HttpResponse:
    status = request.GET.get("status", ResidentRequest.Status.NEW)
    if status not in ResidentRequest.Status.values:
        status = "all"
    qs = qs.select_related("municipality").prefetch_related("target_groups")
    if status != "all":
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/screening_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [*ResidentRequest.Status.choices, ("all", _("すべて"))],
            "area": area,
            "urls": _urls(area),
            "municipality_code": request.GET.get("municipality", "") if area else "",
        },
    )


@secretariat_required
def voice_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, ResidentRequest.objects.all(), area=False)


@officer_area_required
def area_voice_list(request: HttpRequest) -> HttpResponse:
    """The voices from the officer's municipalities (and their wards); `?municipality=`
    narrows to one of them."""
    codes = officer_area_codes(request.user)
    chosen = request.GET.get("municipality", "")
    if chosen and chosen in getattr(request.user, "officer_municipality_ids", ()):
        codes = frozenset(c for c in codes if c == chosen or c in _wards_of(chosen))
    return _list_page(request, ResidentRequest.objects.filter(municipality_id__in=codes), area=True)


def _wards_of(code: str) -> set[str]:
    from tsunagari.geo.models import Municipality

    return set(Municipality.objects.filter(parent_id=code).values_list("pk", flat=True))


def _detail_page(
    request: HttpRequest,
    resident_request: ResidentRequest,
    publish_form: PublishForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
    *,
    area: bool = False,
) -> HttpResponse:
    # The original and the contact are personal data: every look is recorded, the
    # officers' as the secretariat's.
    record(request.user, AuditEvent.Action.VIEW, resident_request, note="officer" if area else "")
    is_new = resident_request.status == ResidentRequest.Status.NEW
    if is_new and publish_form is None:
        publish_form = PublishForm.for_request(resident_request)
    return render(
        request,
        "matching/screening_detail.html",
        {
            "item": resident_request,
            "is_new": is_new,
            "publish_form": publish_form,
            "reject_form": reject_form or RejectForm(),
            "target_groups": list(resident_request.target_groups.all()),
            "area": area,
            "urls": _urls(area),
        },
        status=status,
    )


def voice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk)
    return _detail_page(request, resident_request)


def area_voice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk, area=True)
    return _detail_page(request, resident_request, area=True)


def _already_screened(
    request: HttpRequest, resident_request: ResidentRequest, area: bool = False
) -> HttpResponse:
    messages.error(
        request,
        _("この声はすでに「%(status)s」になっています。")
        % {"status": resident_request.get_status_display()},
    )
    return redirect(_urls(area)["detail"], pk=resident_request.pk)


def _publish(request: HttpRequest, pk: int, *, area: bool) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk, area=area)
    if resident_request.status != ResidentRequest.Status.NEW:
        return _already_screened(request, resident_request, area)
    form = PublishForm.for_request(resident_request, request.POST)
    valid = form.is_valid()
    if valid and area:
        # An officer publishes for their own area only.
        chosen = form.cleaned_data.get("municipality")
        if chosen is None or not is_officer_for(request.user, chosen.pk):
            form.add_error("municipality", _("担当する市町村（区を含む）を選んでください。"))
            valid = False
    if not valid:
        return _detail_page(request, resident_request, publish_form=form, status=400, area=area)
    try:
        need = services.publish(resident_request, form, by=request.user)
    except AlreadyChanged:
        return _already_screened(request, resident_request, area)
    messages.success(
        request, _("「%(title)s」をニーズとして構成員に公開しました。") % {"title": need.title}
    )
    return redirect(_urls(area)["list"])


def _reject(request: HttpRequest, pk: int, *, area: bool) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk, area=area)
    if resident_request.status != ResidentRequest.Status.NEW:
        return _already_screened(request, resident_request, area)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, resident_request, reject_form=form, status=400, area=area)
    try:
        services.reject(resident_request, note=form.cleaned_data["note"], by=request.user)
    except AlreadyChanged:
        return _already_screened(request, resident_request, area)
    messages.success(request, _("この声を「公開しない」にしました。"))
    return redirect(_urls(area)["list"])


@require_POST
def voice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publish(request, pk, area=False)


@require_POST
def area_voice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publish(request, pk, area=True)


@require_POST
def voice_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _reject(request, pk, area=False)


@require_POST
def area_voice_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _reject(request, pk, area=True)


@require_POST
def voice_forget_contact(request: HttpRequest, pk: int) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk)
    if services.forget_contact(resident_request, by=request.user):
        messages.success(request, _("連絡先を削除しました。"))
    else:
        messages.info(request, _("この声の連絡先はすでに削除されています。"))
    return redirect("matching:voice_detail", pk=resident_request.pk)
