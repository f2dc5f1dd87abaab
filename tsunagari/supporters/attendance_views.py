"""Attendance (出席): the organiser's roster, and the code typed by the participants.

The roster is a plain form (no JavaScript): a checkbox per registration, sent with what
each box was when the page was shown, so that only the boxes this organiser changed are
applied; a box another organiser changed meanwhile is left as they made it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, record
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.supporters import attendance
from tsunagari.supporters.access import get_course_for_manager, organiser_name
from tsunagari.supporters.attendance import CodeResult, Window
from tsunagari.supporters.attendance_forms import AttendForm, LinkAttendForm
from tsunagari.supporters.models import Course, Registration

# Every code typed counts, right or wrong: one network cannot try many.
LIMIT = RateLimit("supporters-attend", per_network=20, overall=3000, window=3600)


def _ids(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.isascii() and v.isdigit()}


def _roster_rows(course: Course) -> tuple[list[Registration], list[Registration]]:
    registrations = list(
        course.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("certificate")
        .order_by("registered_at", "id")
    )
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    waitlisted = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    return confirmed, waitlisted


def roster(request: HttpRequest, pk: int) -> HttpResponse:
    """出席の確認: the organiser's roster of the course."""
    course = get_course_for_manager(request, pk)
    state = attendance.window(course)
    if request.method == "POST":
        return _save_roster(request, course, state)
    confirmed, waitlisted = _roster_rows(course)
    # Names and registration codes are personal data: every look is recorded.
    record(request.user, AuditEvent.Action.VIEW, course, note="出席確認の名簿を閲覧")
    return render(
        request,
        "supporters/attendance_roster.html",
        {
            "course": course,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "state": state,
            "closes_at": attendance.closes_at(course),
            "organiser": organiser_name(course),
            "attended_count": sum(1 for r in confirmed + waitlisted if r.attended_at),
            "is_secretariat": getattr(request.user, "is_secretariat", False),
            "attend_url": settings.SITE_URL.rstrip("/") + reverse("supporters:attend"),
        },
    )


def _save_roster(request: HttpRequest, course: Course, state: Window) -> HttpResponse:
    if state is Window.BEFORE:
        messages.error(
            request,
            _("出席は講座の開始時刻から記録できます。開始時刻になってから保存してください。"),
        )
        return redirect("supporters:attendance", pk=course.pk)
    if state is Window.CLOSED:
        messages.error(request, _("この講座の出席の受け付けは終わりました。"))
        return redirect("supporters:attendance", pk=course.pk)
    shown = _ids(request.POST.getlist("shown"))
    was = _ids(request.POST.getlist("was_attended")) & shown
    now = _ids(request.POST.getlist("attended")) & shown
    rows = {
        r.pk: r
        for r in course.registrations.filter(pk__in=shown).exclude(
            status=Registration.Status.CANCELLED
        )
    }
    marked = cleared = stale = 0
    for pk in sorted(now - was):
        if pk in rows and attendance.mark_attended(rows[pk], by=request.user):
            marked += 1
        else:
            stale += 1
    for pk in sorted(was - now):
        if pk in rows and attendance.clear_attended(rows[pk], by=request.user):
            cleared += 1
        else:
            stale += 1
    if marked:
        messages.success(
            request,
            _("%(n)d人の出席を記録し、修了証を発行しました。") % {"n": marked},
        )
    if cleared:
        messages.success(
            request,
            _("%(n)d人の出席を取り消しました。") % {"n": cleared},
        )
    if stale:
        messages.info(
            request,
            _("%(n)d人は、ほかの方が先に同じ変更をしていたため、そのままです。") % {"n": stale},
        )
    if not (marked or cleared or stale):
        messages.info(request, _("変更はありませんでした。"))
    return redirect("supporters:attendance", pk=course.pk)


# ------------------------------------------------------------------ by code

RESULT_MESSAGES = {
    CodeResult.WRONG: _(
        "出席コードが違います。会場に表示されている4けたの数字を確かめてください。"
    ),
    CodeResult.LOCKED: _(
        "出席コードの入力を何度か間違えたため、この受付番号ではコードを使えなくなりました。"
        "会場の主催者に声をかけてください。名簿で出席を記録します。"
    ),
    CodeResult.COURSE_LOCKED: _(
        "いま、この講座の出席コードを受け付けていません。会場の主催者に声をかけてください。"
    ),
    CodeResult.BEFORE: _("出席の受け付けは講座の開始時刻からです。始まってから入力してください。"),
    CodeResult.CLOSED: _("この講座の出席の受け付けは終わりました。"),
    CodeResult.NOT_ALLOWED: _(
        "この申し込みでは出席を記録できません。主催者にお問い合わせください。"
    ),
}


def _limited(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**context, "limited": True}, status=429)


def _done(request: HttpRequest, registration: Registration, result: CodeResult) -> HttpResponse:
    if result is CodeResult.ATTENDED:
        messages.success(request, _("出席を記録しました。ご参加ありがとうございました。"))
    return redirect("supporters:supporter_certificate", token=registration.token)


@login_not_required
def attend(request: HttpRequest) -> HttpResponse:
    """出席の登録: the 受付番号 and the code shown at the session."""
    template = "supporters/attendance_code.html"
    if request.method != "POST":
        return render(request, template, {"form": AttendForm()})
    form = AttendForm(request.POST)
    if LIMIT.exceeded(request):
        return _limited(request, template, {"form": form})
    valid = form.is_valid()
    if form.is_from_a_robot:
        LIMIT.hit(request)
        return redirect("supporters:attend")
    if valid:
        LIMIT.hit(request)
        registration = (
            Registration.objects.select_related("course")
            .filter(code__iexact=form.cleaned_data["registration_code"])
            .first()
        )
        if registration is None:
            form.add_error(
                None, _("受付番号か出席コードが正しくありません。もう一度確かめてください。")
            )
        else:
            result = attendance.attend_with_code(registration, form.cleaned_data["session_code"])
            if result in (CodeResult.ATTENDED, CodeResult.ALREADY):
                return _done(request, registration, result)
            if result is CodeResult.WRONG:
                # Do not tell a guesser which of the two was wrong.
                form.add_error(
                    None, _("受付番号か出席コードが正しくありません。もう一度確かめてください。")
                )
            else:
                form.add_error(None, RESULT_MESSAGES[result])
    return render(request, template, {"form": form}, status=400)


@login_not_required
def attend_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in the participant's mail: only the session's code."""
    registration = get_object_or_404(
        Registration.objects.select_related("course"), token=token, erased_at__isnull=True
    )
    template = "supporters/attendance_link.html"
    course = registration.course
    context: dict[str, Any] = {
        "registration": registration,
        "course": course,
        "state": attendance.window(course),
    }
    if registration.attended_at is not None:
        return _done(request, registration, CodeResult.ALREADY)
    if request.method != "POST":
        return render(request, template, {**context, "form": LinkAttendForm()})
    form = LinkAttendForm(request.POST)
    context["form"] = form
    if LIMIT.exceeded(request):
        return _limited(request, template, context)
    valid = form.is_valid()
    if form.is_from_a_robot:
        LIMIT.hit(request)
        return redirect("supporters:attend_by_link", token=token)
    if valid:
        LIMIT.hit(request)
        result = attendance.attend_with_code(registration, form.cleaned_data["session_code"])
        if result in (CodeResult.ATTENDED, CodeResult.ALREADY):
            return _done(request, registration, result)
        form.add_error(None, RESULT_MESSAGES[result])
    return render(request, template, context, status=400)
