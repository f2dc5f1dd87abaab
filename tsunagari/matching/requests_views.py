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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
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


def _get_request_for_user(request: HttpRequest, pk: int) -> ResidentRequest:
    """The secretariat's only: the original text and the contact are personal data."""
    if not getattr(request.user, "is_secretariat", False):
        raise PermissionDenied
    return get_object_or_404(
        ResidentRequest.objects.select_related("municipality", "need", "screened_by"), pk=pk
    )


@secretariat_required
def voice_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ResidentRequest.Status.NEW)
    if status not in ResidentRequest.Status.values:
        status = "all"
    qs = ResidentRequest.objects.select_related("municipality").prefetch_related("target_groups")
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
        },
    )


def _detail_page(
    request: HttpRequest,
    resident_request: ResidentRequest,
    publish_form: PublishForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # The original and the contact are personal data: every look is recorded.
    record(request.user, AuditEvent.Action.VIEW, resident_request)
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
        },
        status=status,
    )


def voice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk)
    return _detail_page(request, resident_request)


def _already_screened(request: HttpRequest, resident_request: ResidentRequest) -> HttpResponse:
    messages.error(
        request,
        _("この声はすでに「%(status)s」になっています。")
        % {"status": resident_request.get_status_display()},
    )
    return redirect("matching:voice_detail", pk=resident_request.pk)


@require_POST
def voice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk)
    if resident_request.status != ResidentRequest.Status.NEW:
        return _already_screened(request, resident_request)
    form = PublishForm.for_request(resident_request, request.POST)
    if not form.is_valid():
        return _detail_page(request, resident_request, publish_form=form, status=400)
    try:
        need = services.publish(resident_request, form, by=request.user)
    except AlreadyChanged:
        return _already_screened(request, resident_request)
    messages.success(
        request, _("「%(title)s」をニーズとして構成員に公開しました。") % {"title": need.title}
    )
    return redirect("matching:voice_list")


@require_POST
def voice_reject(request: HttpRequest, pk: int) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk)
    if resident_request.status != ResidentRequest.Status.NEW:
        return _already_screened(request, resident_request)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, resident_request, reject_form=form, status=400)
    try:
        services.reject(resident_request, note=form.cleaned_data["note"], by=request.user)
    except AlreadyChanged:
        return _already_screened(request, resident_request)
    messages.success(request, _("この声を「公開しない」にしました。"))
    return redirect("matching:voice_list")


@require_POST
def voice_forget_contact(request: HttpRequest, pk: int) -> HttpResponse:
    resident_request = _get_request_for_user(request, pk)
    if services.forget_contact(resident_request, by=request.user):
        messages.success(request, _("連絡先を削除しました。"))
    else:
        messages.info(request, _("この声の連絡先はすでに削除されています。"))
    return redirect("matching:voice_detail", pk=resident_request.pk)
