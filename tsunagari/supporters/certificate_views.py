"""修了証: the participant's page and PDF (by the secret link in their mail), the
organiser's copy, the public verify page, and the supporter's choices (opportunities,
erasure)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
from tsunagari.lib.pdf import FontMissing
from tsunagari.supporters import certificates, opportunities, retention
from tsunagari.supporters.access import get_course_for_manager, organiser_name
from tsunagari.supporters.attendance_forms import ConfirmForm
from tsunagari.supporters.models import Certificate, Registration

SERIAL_RE = re.compile(r"^TS-[MTSHR]\d{1,2}-\d{6}$")


def _registration(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("course__organization", "course__municipality"),
        token=token,
    )


def _pdf(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    try:
        body = certificates.render_pdf(certificate)
    except FontMissing:
        return render(request, "surveys/paper_no_font.html", status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"certificate_{certificate.serial}.pdf") or ""
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ the participant


@login_not_required
@never_cache
def supporter_certificate(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's page after the course: the certificate, the opt-in, erasure."""
    registration = _registration(token)
    certificate = Certificate.objects.filter(registration=registration).first()
    return render(
        request,
        "supporters/supporter_certificate.html",
        {
            "registration": registration,
            "course": registration.course,
            "certificate": certificate if certificate and not certificate.revoked_at else None,
            "organiser": organiser_name(registration.course),
            "may_opt_in": opportunities.may_opt_in(registration),
        },
    )


@login_not_required
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    certificate = get_object_or_404(Certificate, registration=registration, revoked_at__isnull=True)
    return _pdf(request, certificate)


@login_not_required
@never_cache
def supporter_opportunities(request: HttpRequest, token: str) -> HttpResponse:
    """参加の機会のお知らせ: opt in or out (a POST)."""
    registration = _registration(token)
    if registration.erased_at is not None:
        raise Http404
    if request.method == "POST":
        wanted = request.POST.get("opt_in") == "1"
        if wanted and not opportunities.may_opt_in(registration):
            messages.error(
                request,
                _(
                    "お知らせはメールで送ります。講座を修了し、メールアドレスを登録した方が受け取れます。"
                ),
            )
        elif opportunities.set_opt_in(registration, wanted):
            messages.success(
                request,
                _("参加の機会のお知らせを受け取るようにしました。")
                if wanted
                else _("参加の機会のお知らせを止めました。"),
            )
        else:
            messages.info(request, _("設定は変わっていません。"))
        return redirect("supporters:opportunities", token=token)
    return render(
        request,
        "supporters/supporter_opportunities.html",
        {
            "registration": registration,
            "may_opt_in": opportunities.may_opt_in(registration),
            "area": opportunities.area_of(registration),
        },
    )


@login_not_required
@never_cache
def supporter_opportunities_stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every mail: a GET shows one button (mail scanners follow links and
    must not stop anything); the POST stops the mails."""
    registration = _registration(token)
    if request.method == "POST":
        opportunities.set_opt_in(registration, False)
        return render(request, "supporters/supporter_stopped.html", {"registration": registration})
    return render(request, "supporters/supporter_stop.html", {"registration": registration})


@login_not_required
@never_cache
def supporter_erase(request: HttpRequest, token: str) -> HttpResponse:
    """「個人情報を削除する」: with a confirmation."""
    registration = _registration(token)
    if registration.erased_at is not None:
        return render(request, "supporters/supporter_erased.html", {"registration": registration})
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        retention.erase(registration, note="本人の求めにより個人情報を削除")
        return render(request, "supporters/supporter_erased.html", {"registration": registration})
    return render(
        request,
        "supporters/supporter_erase.html",
        {"registration": registration, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# ------------------------------------------------------------------ the organiser


def organiser_certificate_pdf(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    course = get_course_for_manager(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, course=course)
    certificate = get_object_or_404(
        Certificate.objects.select_related("registration__course"),
        registration=registration,
        revoked_at__isnull=True,
    )
    record(request.user, AuditEvent.Action.EXPORT, registration, note="修了証を出力")
    return _pdf(request, certificate)


@secretariat_required
def registration_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat erases a participant's personal data (on their request)."""
    registration = get_object_or_404(Registration.objects.select_related("course"), pk=pk)
    if registration.erased_at is not None:
        messages.info(request, _("この申し込みの個人情報はすでに削除されています。"))
        return redirect("supporters:attendance", pk=registration.course_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        retention.erase(registration, by=request.user, note="事務局が個人情報を削除")
        messages.success(request, _("個人情報を削除しました。修了証は無効になりました。"))
        return redirect("supporters:attendance", pk=registration.course_id)
    record(request.user, AuditEvent.Action.VIEW, registration, note="個人情報の削除の確認")
    return render(
        request,
        "supporters/supporter_erase_staff.html",
        {"registration": registration, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# ------------------------------------------------------------------ verify


@login_not_required
def verify_form(request: HttpRequest) -> HttpResponse:
    """A serial typed by hand (a paper certificate without a phone to read its QR)."""
    serial = request.GET.get("serial")
    error = ""
    if serial is not None:
        from tsunagari.lib.text import normalize_text

        typed = re.sub(r"\s", "", normalize_text(serial)).upper().replace("ー", "-")
        if SERIAL_RE.match(typed):
            return redirect("supporters:verify", serial=typed)
        error = _("修了証番号の形式が違います。例：TS-R8-000123")
    return render(
        request,
        "supporters/verify_form.html",
        {"serial": serial or "", "error": error},
        status=400 if error else 200,
    )


@login_not_required
def verify(request: HttpRequest, serial: str) -> HttpResponse:
    """Whether a certificate is real: only what is printed on it, never anything else."""
    if not SERIAL_RE.match(serial):
        raise Http404
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "registration__course__organization", "registration__course__organizing_municipality"
        ),
        serial=serial,
    )
    return render(
        request,
        "supporters/verify.html",
        {
            "certificate": certificate,
            "valid": certificate.revoked_at is None,
            "organiser": organiser_name(certificate.registration.course),
        },
    )
