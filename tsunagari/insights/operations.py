"""The secretariat's operational funnel: what is waiting for someone, and for how long.

Each figure is one aggregate query (conditional counts), so the staff view costs the same
with ten applications or ten thousand: membership applications by state and age, needs
nobody has answered, resources not verified for 12 months, mail that did not arrive.
These are internal counts (never published), so they are not suppressed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.collaborations.models import Collaboration
from tsunagari.core.models import OutgoingMail
from tsunagari.directory.models import Resource
from tsunagari.matching.models import Need
from tsunagari.members.models import MembershipApplication

# Days since an application was submitted: (label, first day, last day or None).
APPLICATION_AGES = (
    ("age_week", _("0〜7日"), 0, 7),
    ("age_month", _("8〜30日"), 8, 30),
    ("age_older", _("31日以上"), 31, None),
)
# Needs waiting for a first answer: at least this many days old.
NEED_AGES = (30, 60, 90)


@dataclass
class ApplicationRow:
    status: str
    label: str
    is_open: bool
    ages: list[int]  # one per APPLICATION_AGES
    total: int


@dataclass
class Funnel:
    today: dt.date
    age_labels: list[str]
    applications: list[ApplicationRow]
    needs_waiting: dict[int, int]  # days → open needs without any response, at least that old
    stale_resources: int  # published, not verified for 12 months (or never)
    never_verified: int
    undelivered_mail: int


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def applications(today: dt.date) -> list[ApplicationRow]:
    """Every state with its count, and for the open ones, how long they have waited."""
    counts: dict[str, Count] = {"total": Count("id")}
    for key, _label, first, last in APPLICATION_AGES:
        # Submitted on a day `first`…`last` days before today.
        q = Q(submitted_at__lt=_start_of(today - dt.timedelta(days=first - 1)))
        if last is not None:
            q &= Q(submitted_at__gte=_start_of(today - dt.timedelta(days=last)))
        counts[key] = Count("id", filter=q)
    found: dict[str, dict[str, Any]] = {
        row["status"]: dict(row)
        for row in MembershipApplication.objects.order_by().values("status").annotate(**counts)
    }
    rows = []
    for status, label in MembershipApplication.Status.choices:
        row: dict[str, Any] = found.get(status, {})
        rows.append(
            ApplicationRow(
                status=status,
                label=str(label),
                is_open=status in MembershipApplication.OPEN_STATUSES,
                ages=[int(row.get(key, 0)) for key, *_rest in APPLICATION_AGES],
                total=int(row.get("total", 0)),
            )
        )
    return rows


def needs_waiting(today: dt.date) -> dict[int, int]:
    """Open needs no member has responded to, by how long they have been open."""
    answered = Collaboration.objects.filter(need_id__isnull=False).values("need_id")
    counts = {
        f"d{days}": Count("id", filter=Q(created_at__lt=_start_of(today - dt.timedelta(days))))
        for days in NEED_AGES
    }
    found = Need.objects.open().exclude(pk__in=answered).aggregate(**counts)
    return {days: int(found[f"d{days}"] or 0) for days in NEED_AGES}


def funnel(today: dt.date | None = None) -> Funnel:
    today = today or timezone.localdate()
    resources = (
        Resource.objects.published()
        .stale(today)
        .aggregate(n=Count("id"), never=Count("id", filter=Q(last_verified_on__isnull=True)))
    )
    return Funnel(
        today=today,
        age_labels=[str(label) for _key, label, *_rest in APPLICATION_AGES],
        applications=applications(today),
        needs_waiting=needs_waiting(today),
        stale_resources=int(resources["n"]),
        never_verified=int(resources["never"]),
        undelivered_mail=OutgoingMail.objects.undelivered().count(),
    )
