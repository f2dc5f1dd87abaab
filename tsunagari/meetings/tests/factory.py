"""Plain factories for the meetings' tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import count
from typing import Any

from django.utils import timezone

from tsunagari.meetings.models import ActionItem, Meeting, Rsvp
from tsunagari.members.models import Organization

_serial = count(1)


def make_meeting(title: str = "", *, days: float = 7, **fields: Any) -> Meeting:
    """A published network meeting `days` from now (negative: in the past)."""
    starts = timezone.now() + dt.timedelta(days=days)
    values: dict[str, Any] = {
        "kind": Meeting.Kind.NETWORK,
        "title": title or f"【テスト】情報交換会{next(_serial)}",
        "format": Meeting.Format.IN_PERSON,
        "venue": "かながわ県民センター 会議室",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "status": Meeting.Status.PUBLISHED,
    }
    values.update(fields)
    return Meeting.objects.create(**values)


def make_rsvp(meeting: Meeting, organization: Organization, people: int = 1, **fields: Any) -> Rsvp:
    return Rsvp.objects.create(
        meeting=meeting,
        organization=organization,
        status=fields.pop("status", Rsvp.Status.ATTENDING),
        people=people,
        **fields,
    )


def make_closed(
    meeting: Meeting | None = None, *, attending: Sequence[Organization] = (), **fields: Any
) -> Meeting:
    meeting = meeting or make_meeting(days=-2)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED,
        minutes=fields.pop("minutes", "議事の記録です。"),
        attendee_count=fields.pop("attendee_count", 12),
        closed_at=timezone.now(),
        **fields,
    )
    meeting.refresh_from_db()
    meeting.attending_organizations.set(attending)
    return meeting


def make_action(
    meeting: Meeting, owner: Organization | None, *, due_in: int = 3, **fields: Any
) -> ActionItem:
    return ActionItem.objects.create(
        meeting=meeting,
        text=fields.pop("text", f"【テスト】次回までに資料をまとめる{next(_serial)}"),
        owner_organization=owner,
        due_on=timezone.localdate() + dt.timedelta(days=due_in),
        **fields,
    )
