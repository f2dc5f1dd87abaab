"""Meetings' state changes: RSVPs under the capacity, closing with minutes, action items,
calendars and the mails (reminders the day before, the weekly action-item digest).

Every change runs in `transaction.atomic()` with the meeting row locked or a conditional
update, so two people pressing at once never over-book a meeting nor close it twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.accounts.models import User
from tsunagari.audit.models import record
from tsunagari.core.mail import queue_email
from tsunagari.directory.opendata import new_calendar, serialise, site_host
from tsunagari.lib.transitions import lock
from tsunagari.meetings.models import ActionItem, Meeting, Rsvp
from tsunagari.members.models import Organization

FEED_SALT = "tsunagari.meetings.feed"


class RsvpRefused(Exception):
    """A kind message for the person whose answer could not be taken."""


def seats_taken(meeting: Meeting, *, excluding: int | None = None) -> int:
    rsvps = meeting.rsvps.filter(status=Rsvp.Status.ATTENDING)
    if excluding is not None:
        rsvps = rsvps.exclude(organization_id=excluding)
    return int(rsvps.aggregate(n=Sum("people"))["n"] or 0)


def rsvp_open(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if meeting.status != Meeting.Status.PUBLISHED:
        return False
    deadline = meeting.rsvp_deadline or meeting.starts_at
    return now < deadline


def answer(
    meeting: Meeting,
    organization: Organization,
    *,
    status: str,
    people: int,
    names: str,
    by: Any,
) -> Rsvp:
    """Record (or change) an organisation's answer; refuse kindly when the seats are gone
    or the deadline has passed. The meeting row is locked while the seats are counted."""
    with transaction.atomic():
        lock(meeting)
        if not rsvp_open(meeting):
            raise RsvpRefused(_("出欠の受付は締め切りました。変更は主催者に連絡してください。"))
        if status == Rsvp.Status.ATTENDING and meeting.capacity is not None:
            free = meeting.capacity - seats_taken(meeting, excluding=organization.pk)
            if people > free:
                raise RsvpRefused(
                    _("定員に達したため、%(people)d人では受け付けられません（残り%(free)d人）。")
                    % {"people": people, "free": max(free, 0)}
                    if free > 0
                    else _("申し訳ありません。定員に達したため、出席を受け付けられませんでした。")
                )
        rsvp, _created = Rsvp.objects.update_or_create(
            meeting=meeting,
            organization=organization,
            defaults={
                "status": status,
                "people": people if status == Rsvp.Status.ATTENDING else 0,
                "names": names if status == Rsvp.Status.ATTENDING else "",
                "responded_by": by,
                "responded_at": timezone.now(),
            },
        )
    return rsvp


@dataclass
class NewActionItem:
    text: str
    owner_organization: Organization | None
    owner_name: str
    due_on: dt.date


class AlreadyClosed(Exception):
    pass


def close(
    meeting: Meeting,
    *,
    minutes: str,
    decisions: str,
    attendee_count: int,
    attending: list[Organization],
    actions: list[NewActionItem],
    confidential: bool,
    by: Any,
) -> None:
    """Close a meeting with its minutes (a conditional update: closed once)."""
    now = timezone.now()
    with transaction.atomic():
        changed = Meeting.objects.filter(
            pk=meeting.pk, status=Meeting.Status.PUBLISHED, starts_at__lte=now
        ).update(
            status=Meeting.Status.CLOSED,
            minutes=minutes,
            decisions=decisions,
            attendee_count=attendee_count,
            confidential=confidential,
            closed_at=now,
            closed_by=by,
            updated_at=now,
        )
        if not changed:
            raise AlreadyClosed
        meeting.refresh_from_db()
        meeting.attending_organizations.set(attending)
        ActionItem.objects.bulk_create(
            ActionItem(
                meeting=meeting,
                text=a.text,
                owner_organization=a.owner_organization,
                owner_name=a.owner_name,
                due_on=a.due_on,
                sort_order=n,
            )
            for n, a in enumerate(actions)
        )
        record(by, "close", meeting, note=_("議事録を登録して会議を終了しました。"))


def cancel(meeting: Meeting, *, by: Any) -> bool:
    """Cancel a meeting not yet closed and tell the attending organisations' staff."""
    with transaction.atomic():
        changed = Meeting.objects.filter(
            pk=meeting.pk, status__in=(Meeting.Status.DRAFT, Meeting.Status.PUBLISHED)
        ).update(status=Meeting.Status.CANCELLED, updated_at=timezone.now())
        if not changed:
            return False
        meeting.refresh_from_db()
        record(by, "update", meeting, changes={"status": ["published", "cancelled"]})
        for organization_id in meeting.rsvps.filter(status=Rsvp.Status.ATTENDING).values_list(
            "organization_id", flat=True
        ):
            to = staff_addresses(organization_id)
            if to:
                queue_email(
                    "meetings/email/cancelled",
                    to,
                    {"meeting": meeting, "url": reverse("meetings:detail", args=[meeting.pk])},
                )
    return True


def mark_done(item: ActionItem, *, by: Any) -> bool:
    with transaction.atomic():
        changed = ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        if changed:
            item.refresh_from_db()
            record(by, "update", item, changes={"done_at": [None, str(item.done_at)]})
    return bool(changed)


def make_case_candidate(item: ActionItem, *, by: Any) -> bool:
    with transaction.atomic():
        changed = ActionItem.objects.filter(pk=item.pk, case_candidate_at__isnull=True).update(
            case_candidate_at=timezone.now()
        )
        if changed:
            item.refresh_from_db()
            record(by, "update", item, note=_("モデル事例の候補にしました。"))
    return bool(changed)


def record_minutes_read(user: Any, meeting: Meeting, what: str) -> None:
    """Every read of confidential minutes is in the audit log."""
    if meeting.confidential:
        record(user, "view", meeting, note=_("非公開の議事録を閲覧（%(what)s）") % {"what": what})


# Calendars


def feed_token(organization: Organization) -> str:
    return signing.Signer(salt=FEED_SALT).sign(str(organization.pk))


def organization_of_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=FEED_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def location_text(meeting: Meeting) -> str:
    if meeting.location_id:
        location = meeting.location
        assert location is not None
        return f"{location.name} {location.address}".strip()
    if meeting.venue:
        return meeting.venue
    return _("オンライン") if meeting.format == Meeting.Format.ONLINE else ""


def calendar(name: str, meetings: list[Meeting]) -> bytes:
    """An iCalendar of the meetings (the online link is never in it)."""
    from icalendar import Event

    cal = new_calendar(name)
    host = site_host()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", meeting.updated_at or timezone.now())
        event.add("dtstart", timezone.localtime(meeting.starts_at))
        event.add("dtend", timezone.localtime(meeting.ends_at))
        event.add("summary", meeting.title)
        event.add("url", settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]))
        where = location_text(meeting)
        if where:
            event.add("location", where)
        if meeting.status == Meeting.Status.CANCELLED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return serialise(cal)


# Mails


def staff_addresses(organization_id: int) -> list[str]:
    return list(
        User.objects.staff_of(organization_id)
        .filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def send_reminders(today: dt.date | None = None) -> int:
    """Mail the staff of organisations attending tomorrow's meetings, once per RSVP."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    end = start + dt.timedelta(days=1)
    due = list(
        Rsvp.objects.filter(
            status=Rsvp.Status.ATTENDING,
            reminded_at__isnull=True,
            meeting__status=Meeting.Status.PUBLISHED,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            if not Rsvp.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            ):
                continue
            rsvp = Rsvp.objects.select_related("meeting", "organization", "meeting__location").get(
                pk=pk
            )
            to = staff_addresses(rsvp.organization_id)
            if not to:
                continue
            queue_email(
                "meetings/email/reminder",
                to,
                {
                    "meeting": rsvp.meeting,
                    "rsvp": rsvp,
                    "where": location_text(rsvp.meeting),
                    "url": reverse("meetings:detail", args=[rsvp.meeting_id]),
                },
            )
            sent += 1
    return sent


def open_items_due(today: dt.date) -> list[ActionItem]:
    """Open items overdue or due within the week, of member owners."""
    return list(
        ActionItem.objects.filter(
            done_at__isnull=True,
            owner_organization__isnull=False,
            due_on__lte=today + dt.timedelta(days=7),
        )
        .select_related("meeting", "owner_organization")
        .order_by("due_on", "id")
    )


def send_action_digest(now: dt.datetime | None = None) -> int:
    """Mail each owner organisation's staff their open overdue / due-this-week items,
    at most once a week per item (`last_reminded_at`, claimed by a conditional update)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_start = today - dt.timedelta(days=today.weekday())
    since = timezone.make_aware(dt.datetime.combine(week_start, dt.time.min))
    by_owner: dict[int, list[ActionItem]] = defaultdict(list)
    for item in open_items_due(today):
        assert item.owner_organization_id is not None
        by_owner[item.owner_organization_id].append(item)
    sent = 0
    for owner_id, items in by_owner.items():
        with transaction.atomic():
            claimed = set(
                ActionItem.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[i.pk for i in items])
                .exclude(last_reminded_at__gte=since)
                .values_list("pk", flat=True)
            )
            if not claimed:
                continue
            ActionItem.objects.filter(pk__in=claimed).update(last_reminded_at=now)
            to = staff_addresses(owner_id)
            if not to:
                continue
            mine = [i for i in items if i.pk in claimed]
            queue_email(
                "meetings/email/action_digest",
                to,
                {
                    "organization": mine[0].owner_organization,
                    "items": mine,
                    "today": today,
                    "url": reverse("meetings:action_list"),
                },
            )
            sent += 1
    return sent
