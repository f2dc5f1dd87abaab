"""Opportunities to take part (参加の機会のお知らせ) for supporters who opted in.

On completion a supporter may opt in (Registration.opportunities_opt_in). A weekly
command (`send_supporter_opportunities`) mails each of them the directory's events and
volunteering published in their municipality since their last mail. Every mail has a
link to stop them (one click shows a confirm button; the POST stops them).

A supporter's area is the municipality they gave, else the course's: for a designated
city or one of its wards, the whole city.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tsunagari.core.mail import queue_email
from tsunagari.directory.models import Resource
from tsunagari.geo.models import Municipality
from tsunagari.supporters.models import Registration

KINDS = ("event", "volunteer")  # the directory's kinds that are chances to take part
MAX_ITEMS = 20  # a mail lists at most this many (the newest); the directory has the rest


def may_opt_in(registration: Registration) -> bool:
    """Supporters only (attended), with an e-mail address to write to."""
    return (
        registration.attended_at is not None
        and registration.erased_at is None
        and bool(registration.email)
    )


def set_opt_in(registration: Registration, value: bool) -> bool:
    """Opt in or out; False when nothing changed (a conditional update: a double click
    or two tabs change it once)."""
    if value and not may_opt_in(registration):
        return False
    changed = Registration.objects.filter(
        pk=registration.pk, opportunities_opt_in=not value, erased_at__isnull=True
    ).update(
        opportunities_opt_in=value,
        opportunities_opt_in_at=timezone.now() if value else None,
    )
    registration.refresh_from_db(fields=["opportunities_opt_in", "opportunities_opt_in_at"])
    return bool(changed)


def area_codes(municipality: Municipality) -> list[str]:
    """The municipality and, for a designated city or a ward, the whole city's wards."""
    city = municipality.parent or municipality
    return [city.code, *city.wards.values_list("code", flat=True)]


def area_of(registration: Registration) -> Municipality:
    return registration.municipality or registration.course.municipality


def new_opportunities(codes: Iterable[str], since: datetime, until: datetime) -> QuerySet[Resource]:
    return (
        Resource.objects.published()
        .filter(
            kinds__slug__in=KINDS,
            created_at__gt=since,
            created_at__lte=until,
        )
        .filter(Q(locations__municipality__in=list(codes)) | Q(service_area__in=list(codes)))
        .distinct()
        .prefetch_related("schedules")
        .order_by("-created_at", "-id")
    )


def is_over(resource: Resource, today: date) -> bool:
    """An event whose every dated schedule has ended (a past one-off): not a chance any
    more. An irregular or open-ended schedule is never over."""
    schedules = list(resource.schedules.all())
    return bool(schedules) and all(s.ends_on is not None and s.ends_on < today for s in schedules)


def recipients() -> QuerySet[Registration]:
    return (
        Registration.objects.filter(
            opportunities_opt_in=True, erased_at__isnull=True, attended_at__isnull=False
        )
        .exclude(email="")
        .select_related("municipality__parent", "course__municipality__parent")
        .order_by("id")
    )


def send_to(registration: Registration, now: datetime) -> int:
    """Mail what is new since the last mail; the count of items sent (0: no mail)."""
    with transaction.atomic():
        # A conditional update on the last-sent time claims this run: a second run, or
        # one started at the same moment, finds nothing new or loses the claim.
        since = registration.last_opportunities_sent_at or registration.opportunities_opt_in_at
        since = since or registration.attended_at or now
        today = timezone.localdate(now)
        found = new_opportunities(area_codes(area_of(registration)), since, now)
        items = [r for r in found if not is_over(r, today)][:MAX_ITEMS]
        if not items:
            return 0
        claimed = Registration.objects.filter(
            pk=registration.pk,
            opportunities_opt_in=True,
            last_opportunities_sent_at=registration.last_opportunities_sent_at,
        ).update(last_opportunities_sent_at=now)
        if not claimed:
            return 0
        queue_email(
            "supporters/email/supporter_opportunities",
            [registration.email],
            {
                "name": registration.name,
                "area": area_of(registration),
                "items": [
                    {
                        "name": r.name,
                        "path": reverse("directory:detail", args=[r.pk]),
                        "next": r.next_date(today),
                    }
                    for r in items
                ],
                "stop_path": reverse("supporters:opportunities_stop", args=[registration.token]),
            },
            language=registration.language,
        )
    return len(items)


def send_all(now: datetime | None = None) -> dict[str, Any]:
    """One mail to each opted-in address with something new (one per address, even when
    it completed two courses)."""
    now = now or timezone.now()
    seen: set[str] = set()
    mails = 0
    for registration in recipients():
        address = registration.email.strip().lower()
        if address in seen:
            continue
        if send_to(registration, now):
            seen.add(address)
            mails += 1
    return {"mails": mails}
