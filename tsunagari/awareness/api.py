"""GET /api/v1/awareness-month/{year}: the May page's items and member events as JSON."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Router, Schema

from tsunagari.awareness import month
from tsunagari.awareness.views import FIRST_YEAR, LAST_YEAR, page_url
from tsunagari.directory.opendata import detail_url

router = Router(tags=["awareness-month"])


class ItemOut(Schema):
    id: int
    title: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    url: str
    source: str
    is_sample: bool


class EventOut(Schema):
    resource_id: int
    name: str
    provider: str
    url: str
    municipality_code: str | None
    municipality: str | None
    kind: str | None
    days: list[dt.date]
    is_online: bool
    online_only: bool
    is_sample: bool


class MonthOut(Schema):
    year: int
    url: str
    ics: str
    items: list[ItemOut]
    events: list[EventOut]


@router.get(
    "/awareness-month/{year}",
    response=MonthOut,
    summary="孤独・孤立対策強化月間 (the May awareness month)",
)
def awareness_month(
    request: HttpRequest, year: int = Path(..., ge=FIRST_YEAR, le=LAST_YEAR)
) -> MonthOut:
    """The month's own items (with their sources) and every member event meeting in May
    of `year`, as on `/awareness-month/<year>/`: published directory resources of member
    organisations whose schedules meet in May (irregular schedules and consultation
    windows left out), one per municipality they meet in, with their days of May."""
    events = month.month_events(year)
    return MonthOut(
        year=year,
        url=page_url(year),
        ics=settings.SITE_URL.rstrip("/") + reverse("awareness:ics", args=[year]),
        items=[
            ItemOut(
                id=item.pk,
                title=item.title,
                kind=item.kind,
                starts_on=item.starts_on,
                ends_on=item.ends_on,
                url=item.url,
                source=item.source,
                is_sample=item.is_sample,
            )
            for item in month.month_items(year)
        ],
        events=[
            EventOut(
                resource_id=event.pk,
                name=event.resource.name,
                provider=event.resource.provider,
                url=detail_url(event.resource),
                municipality_code=event.area.code if event.area else None,
                municipality=event.area.label if event.area else None,
                kind=event.kind.slug if event.kind else None,
                days=event.days,
                is_online=event.resource.is_online,
                online_only=event.resource.online_only,
                is_sample=event.resource.is_sample,
            )
            for event in events
        ],
    )
