"""GET /api/v1/meetings: the upcoming published network meetings (no online link, no names)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from tsunagari.meetings.models import Meeting

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    format: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    url: str
    is_sample: bool


@router.get(
    "/meetings",
    response=list[MeetingOut],
    summary="これからのネットワークの会議 (upcoming network meetings)",
)
def list_meetings(request: HttpRequest) -> list[MeetingOut]:
    """The network's upcoming published meetings, soonest first (at most 100): title,
    dates, format and kind. Online links, venues' details and names are never given."""
    meetings = (
        Meeting.objects.upcoming()
        .filter(kind=Meeting.Kind.NETWORK)
        .order_by("starts_at", "id")[:100]
    )
    return [
        MeetingOut(
            id=m.pk,
            title=m.title,
            kind=m.kind,
            format=m.format,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            url=f"{settings.SITE_URL}/meetings/",
            is_sample=m.is_sample,
        )
        for m in meetings
    ]
