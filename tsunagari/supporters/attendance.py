"""Attendance (出席): the organiser's roster and the code typed by the participants.

Either way `mark_attended` sets attended_at under a row lock and issues the certificate in
the same transaction: two organisers ticking at once, or a participant typing the code
while the organiser ticks, make one certificate. Attendance is taken from the start of
the session until ATTENDANCE_CLOSES_AFTER its end.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tsunagari.audit.models import AuditEvent, record
from tsunagari.lib.ratelimit import count_up
from tsunagari.lib.transitions import lock
from tsunagari.supporters.certificates import issue_certificate
from tsunagari.supporters.models import Certificate, Course, Registration

ATTENDANCE_CLOSES_AFTER = timedelta(hours=6)
# Wrong session codes for one registration before its code stops working.
ATTENDANCE_FAILURE_LIMIT = 5
# Wrong session codes for one course in an hour before the course's code stops working
# for everyone (the organiser's roster still works): with 10,000 codes, a guesser gets at
# most this many tries an hour, however many registrations they hold.
COURSE_FAILURE_LIMIT = 30
COURSE_FAILURE_WINDOW = 3600


class Window(enum.StrEnum):
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


def window(course: Course, now: datetime | None = None) -> Window:
    now = now or timezone.now()
    if course.status != Course.Status.PUBLISHED or now >= closes_at(course):
        return Window.CLOSED
    if now < course.starts_at:
        return Window.BEFORE
    return Window.OPEN


def closes_at(course: Course) -> datetime:
    return course.ends_at + ATTENDANCE_CLOSES_AFTER


def may_attend(registration: Registration) -> bool:
    return registration.status != Registration.Status.CANCELLED and registration.erased_at is None


def mark_attended(registration: Registration, *, by: Any = None) -> bool:
    """Attended now, with a certificate; False when it already was (or cannot be)."""
    with transaction.atomic():
        lock(registration)
        if registration.attended_at is not None or not may_attend(registration):
            return False
        registration.attended_at = timezone.now()
        registration.save(update_fields=["attended_at"])
        issue_certificate(registration)
        if by is not None:
            record(
                by,
                AuditEvent.Action.STATUS,
                registration,
                changes={"attended_at": [None, registration.attended_at.isoformat()]},
                note="出席を記録",
            )
    return True


def clear_attended(registration: Registration, *, by: Any) -> bool:
    """Not attended after all (a mistaken tick): the certificate stops being valid."""
    with transaction.atomic():
        lock(registration)
        if registration.attended_at is None:
            return False
        before = registration.attended_at
        registration.attended_at = None
        registration.save(update_fields=["attended_at"])
        Certificate.objects.filter(registration=registration, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        record(
            by,
            AuditEvent.Action.STATUS,
            registration,
            changes={"attended_at": [before.isoformat(), None]},
            note="出席を取り消し",
        )
    return True


class CodeResult(enum.StrEnum):
    ATTENDED = "attended"
    ALREADY = "already"
    WRONG = "wrong"
    LOCKED = "locked"
    BEFORE = "before"
    CLOSED = "closed"
    COURSE_LOCKED = "course_locked"
    NOT_ALLOWED = "not_allowed"


def _course_key(course: Course) -> str:
    bucket = int(timezone.now().timestamp() // COURSE_FAILURE_WINDOW)
    return f"supporters:attend:wrong:{course.pk}:{bucket}"


def course_locked(course: Course) -> bool:
    return int(cache.get(_course_key(course), 0)) >= COURSE_FAILURE_LIMIT


def attend_with_code(registration: Registration, code: str) -> CodeResult:
    """The participant typed the session's code: attended, or why not."""
    course = registration.course
    state = window(course)
    if state is Window.BEFORE:
        return CodeResult.BEFORE
    if state is Window.CLOSED:
        return CodeResult.CLOSED
    if not may_attend(registration):
        return CodeResult.NOT_ALLOWED
    if registration.attended_at is not None:
        return CodeResult.ALREADY
    if registration.attendance_failures >= ATTENDANCE_FAILURE_LIMIT:
        return CodeResult.LOCKED
    if course_locked(course):
        return CodeResult.COURSE_LOCKED
    if code != course.attendance_code:
        # A conditional update: parallel wrong guesses each count.
        Registration.objects.filter(pk=registration.pk).update(
            attendance_failures=F("attendance_failures") + 1
        )
        count_up(_course_key(course), COURSE_FAILURE_WINDOW)
        registration.refresh_from_db(fields=["attendance_failures"])
        if registration.attendance_failures >= ATTENDANCE_FAILURE_LIMIT:
            return CodeResult.LOCKED
        return CodeResult.WRONG
    if mark_attended(registration):
        return CodeResult.ATTENDED
    return CodeResult.ALREADY
