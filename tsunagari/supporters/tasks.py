"""The day-before reminder (前日のお知らせ) of the courses, as a function, a task and a
command (`manage.py send_course_reminders`, run daily by a timer).

Each registration is claimed by a conditional update of `reminded_at` in the same
transaction as its mail is queued: a rerun, or two runs at once, never mail anyone twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.registrations import send_mail


def due_reminders(today: dt.date | None = None) -> list[int]:
    """Confirmed registrations with an e-mail, not reminded yet, of published courses
    that start tomorrow (Japan's date)."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    return list(
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            erased_at__isnull=True,
            course__status=Course.Status.PUBLISHED,
            course__starts_at__gte=start,
            course__starts_at__lt=start + dt.timedelta(days=1),
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_reminders(today: dt.date | None = None) -> int:
    """Queue the reminders that are due; returns how many were queued."""
    sent = 0
    for pk in due_reminders(today):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=pk, reminded_at__isnull=True, status=Registration.Status.CONFIRMED
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue  # another run took it, or it was cancelled meanwhile
            registration = Registration.objects.select_related(
                "course__location__municipality",
                "course__organization",
                "course__organizing_municipality",
                "course__municipality",
            ).get(pk=pk)
            sent += send_mail("course_reminder", registration)
    return sent


@task()
def send_course_reminders() -> int:
    return send_reminders()
