"""State changes of a course (講座): save, publish, cancel. Each runs under the course
row's lock, bumps the public pages' cache family and is recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, record, record_changed, record_created, snapshot
from tsunagari.lib import pagecache
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.registrations import FAMILY, fill_seats, send_mail

AUDITED_FIELDS = [
    "title",
    "description",
    "organization",
    "organizing_municipality",
    "instructor",
    "format",
    "location",
    "venue_note",
    "online_url",
    "municipality",
    "starts_at",
    "duration_minutes",
    "capacity",
    "deadline",
    "target",
    "languages",
    "accessibility",
    "accessibility_note",
    "status",
]


def create(form: Any, *, by: Any) -> Course:
    """Save a new course (a draft) from its valid form; the organiser is set on the
    form's instance by the view."""
    with transaction.atomic():
        course: Course = form.save(commit=False)
        course.created_by = by
        course.status = Course.Status.DRAFT
        course.save()
        form.save_m2m()
        record_created(by, course, AUDITED_FIELDS)
        pagecache.bump(FAMILY)
    return course


def update(form: Any, *, by: Any) -> tuple[Course, list[Registration]]:
    """Save the edited course; more seats promote waiting people at once."""
    with transaction.atomic():
        current = lock(Course.objects.get(pk=form.instance.pk))
        before = snapshot(current, AUDITED_FIELDS)
        course: Course = form.save(commit=False)
        course.status = current.status  # the status changes only by its own buttons
        course.save()
        form.save_m2m()
        record_changed(by, course, before, snapshot(course, AUDITED_FIELDS))
        promoted = fill_seats(course)
        pagecache.bump(FAMILY)
    return course, promoted


def publish(course: Course, *, by: Any) -> None:
    """DRAFT → PUBLISHED (a conditional update: a second click changes nothing)."""
    with transaction.atomic():
        changed = Course.objects.filter(pk=course.pk, status=Course.Status.DRAFT).update(
            status=Course.Status.PUBLISHED
        )
        if not changed:
            course.refresh_from_db(fields=["status"])
            raise AlreadyChanged(
                _("この講座はすでに「%(status)s」です。") % {"status": course.get_status_display()}
            )
        course.status = Course.Status.PUBLISHED
        record(
            by,
            AuditEvent.Action.STATUS,
            course,
            changes={"status": [Course.Status.DRAFT, Course.Status.PUBLISHED]},
        )
        pagecache.bump(FAMILY)


def cancel(course: Course, *, by: Any, reason: str = "") -> int:
    """中止: the course is cancelled and every confirmed or waiting person with an e-mail
    is told. Returns how many mails were queued."""
    with transaction.atomic():
        lock(course)
        if course.status == Course.Status.CANCELLED:
            raise AlreadyChanged(_("この講座はすでに中止になっています。"))
        before = course.status
        course.status = Course.Status.CANCELLED
        course.save(update_fields=["status", "updated_at"])
        record(
            by,
            AuditEvent.Action.STATUS,
            course,
            changes={"status": [before, Course.Status.CANCELLED]},
            note=reason,
        )
        sent = 0
        people = course.registrations.exclude(status=Registration.Status.CANCELLED).exclude(
            email=""
        )
        for registration in people:
            registration.course = course
            sent += send_mail("course_cancelled", registration, reason=reason)
        pagecache.bump(FAMILY)
    return sent
