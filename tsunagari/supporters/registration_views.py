"""A person's own registration (by the secret link in their mail), and the organiser's
participant list with its CSV. Every look at the participants' personal data by staff is
recorded in the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tsunagari.audit.models import AuditEvent, record
from tsunagari.lib.spreadsheet import csv_response
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.supporters import registrations
from tsunagari.supporters.access import get_course_for_manager
from tsunagari.supporters.models import Course, Registration


def get_registration_by_token(token: str) -> Registration:
    """The registration whose secret link this is; 404 for anything else (and for one
    whose personal data was erased: the link no longer leads anywhere)."""
    return get_object_or_404(
        Registration.objects.select_related(
            "course__location__municipality",
            "course__location__resource",
            "course__municipality",
            "course__organization",
            "course__organizing_municipality",
        ),
        token=token,
        erased_at__isnull=True,
    )


def _own_page(request: HttpRequest, template: str, registration: Registration) -> HttpResponse:
    course = registration.course
    confirmed = registration.status == Registration.Status.CONFIRMED
    return render(
        request,
        template,
        {
            "registration": registration,
            "course": course,
            "position": registrations.waitlist_position(registration),
            # The online link only to a confirmed person, only on their own page.
            "online_url": course.online_url
            if confirmed
            and course.format == Course.Format.ONLINE
            and course.status == Course.Status.PUBLISHED
            else "",
            "can_cancel": registration.status != Registration.Status.CANCELLED
            and course.status == Course.Status.PUBLISHED
            and timezone.now() < course.ends_at,
        },
    )


@login_not_required
@never_cache
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """/supporters/r/<token>/: the person's registration, with the cancel button."""
    return _own_page(
        request, "supporters/registration_detail.html", get_registration_by_token(token)
    )


@login_not_required
@never_cache
def registration_thanks(request: HttpRequest, token: str) -> HttpResponse:
    """Right after signing up: confirmed, or the place on the waitlist."""
    return _own_page(
        request, "supporters/registration_thanks.html", get_registration_by_token(token)
    )


@login_not_required
@never_cache
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """「参加を取り消す」: a page asking to confirm, then the POST."""
    item = get_registration_by_token(token)
    if request.method == "POST":
        try:
            registrations.cancel(item)
        except AlreadyChanged as e:
            messages.info(request, e.message)
        else:
            messages.success(request, _("参加の申し込みを取り消しました。"))
        return redirect("supporters:registration", token=item.token)
    if item.status == Registration.Status.CANCELLED:
        return redirect("supporters:registration", token=item.token)
    return _own_page(request, "supporters/registration_cancel.html", item)


# The organiser's participant list


def participants(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_manager(request, pk)
    rows = list(course.registrations.select_related("municipality").order_by("registered_at", "id"))
    record(request.user, AuditEvent.Action.VIEW, course, note="participants")
    confirmed = [r for r in rows if r.status == Registration.Status.CONFIRMED]
    waitlisted = [r for r in rows if r.status == Registration.Status.WAITLISTED]
    cancelled = [r for r in rows if r.status == Registration.Status.CANCELLED]
    return render(
        request,
        "supporters/manage_participants.html",
        {
            "course": course,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "cancelled": cancelled,
            "can_cancel": course.status != Course.Status.CANCELLED,
        },
    )


CSV_HEADER = [
    "受付番号",
    "状態",
    "順番",
    "お名前",
    "メールアドレス",
    "電話番号",
    "お住まいの市町村",
    "年代",
    "必要な配慮",
    "申込日時",
    "繰り上げ日時",
    "取り消し日時",
]


def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_manager(request, pk)
    rows = list(course.registrations.select_related("municipality").order_by("registered_at", "id"))
    record(request.user, AuditEvent.Action.EXPORT, course, note=f"participants.csv ({len(rows)})")
    position = 0

    def line(r: Registration) -> list[object]:
        nonlocal position
        order = ""
        if r.status == Registration.Status.WAITLISTED:
            position += 1
            order = str(position)
        return [
            r.code,
            r.get_status_display(),
            order,
            r.name,
            r.email,
            r.phone,
            r.municipality.name if r.municipality else "",
            r.get_age_band_display() if r.age_band else "",
            r.accessibility_needs,
            r.registered_at,
            r.promoted_at,
            r.cancelled_at,
        ]

    local = timezone.localtime(course.starts_at)
    return csv_response(
        f"参加者_{local:%Y%m%d}_{course.pk}.csv", CSV_HEADER, [line(r) for r in rows]
    )


@require_POST
def participant_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """The organiser cancels one person's registration (they called to say so)."""
    course = get_course_for_manager(request, pk)
    item = get_object_or_404(Registration, pk=registration_pk, course=course)
    try:
        result = registrations.cancel(item, by=request.user)
    except AlreadyChanged as e:
        messages.info(request, e.message)
    else:
        messages.success(request, _("%(code)sの申し込みを取り消しました。") % {"code": item.code})
        if result.promoted is not None:
            messages.info(
                request,
                _("キャンセル待ちの%(code)s（%(name)s）の参加が確定しました。")
                % {"code": result.promoted.code, "name": result.promoted.name},
            )
    return redirect("supporters:participants", pk=course.pk)
