"""Plain factories for the network tests: ties between members."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from tsunagari.geo.models import Municipality
from tsunagari.members.models import Membership, Organization


def make_member(
    name: str, sector: str = "community", *, municipalities: tuple[str, ...] = ()
) -> Organization:
    org = Organization.objects.create(name=name, sector=sector)
    Membership.objects.create(organization=org, started_on="2024-04-01")
    if municipalities:
        org.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    return org


def collaborate(a: Organization, b: Organization, *, on: date, status: str = "accepted") -> Any:
    from tsunagari.collaborations.models import Collaboration, CollaborationParty

    collaboration = Collaboration.objects.create(
        proposer=a, partner=b, title="【テスト】連携", status=status
    )
    accepted = CollaborationParty.Status.ACCEPTED
    CollaborationParty.objects.create(
        collaboration=collaboration, organization=a, role="lead", status=accepted
    )
    CollaborationParty.objects.create(
        collaboration=collaboration, organization=b, role="partner", status=accepted
    )
    moment = timezone.make_aware(datetime.combine(on, time(12)))
    Collaboration.objects.filter(pk=collaboration.pk).update(created_at=moment, updated_at=moment)
    return collaboration


def attend(*organizations: Organization, on: date, closed: bool = True) -> Any:
    from tsunagari.meetings.models import Meeting

    starts = timezone.make_aware(datetime.combine(on, time(14)))
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.NETWORK,
        title="【テスト】情報交換会",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=Meeting.Status.CLOSED if closed else Meeting.Status.PUBLISHED,
    )
    meeting.attending_organizations.set(organizations)
    return meeting


def group_of(*members: tuple[Organization, date, date | None]) -> Any:
    from tsunagari.groups.models import GroupMembership, WorkingGroup

    group = WorkingGroup.objects.create(name="【テスト】分科会", theme="居場所")
    for organization, joined_on, left_on in members:
        GroupMembership.objects.create(
            group=group, organization=organization, joined_on=joined_on, left_on=left_on
        )
    return group
