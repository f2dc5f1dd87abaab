"""Who may see, organise, answer for and close a meeting, and read its minutes.

Network, municipal, member and working-group meetings are seen by everyone who works in
the network (member staff, municipality officers, the secretariat); drafts only by their
organisers. A council's meeting (地域協議会, whose members keep secrets) is seen by the
officers of the council's municipality, the secretariat and the invited member bodies.
Confidential minutes are read only by the attending organisations, the organiser and the
secretariat.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from tsunagari.meetings.models import ActionItem, Meeting


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False))


def works_in_network(user: Any) -> bool:
    """Member staff, a municipality officer or the secretariat."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_secretariat or user.is_member_staff or user.is_municipality_officer)


def convened_group_ids(user: Any) -> set[int]:
    from tsunagari.groups.models import GroupMembership

    if not user.organization_ids:
        return set()
    cached: set[int] | None = getattr(user, "_convened_group_ids", None)
    if cached is None:
        cached = set(
            GroupMembership.objects.filter(
                organization_id__in=user.organization_ids, is_convener=True, left_on__isnull=True
            ).values_list("group_id", flat=True)
        )
        user._convened_group_ids = cached
    return cached


def is_organiser(user: Any, meeting: Meeting) -> bool:
    """Who holds the meeting: edits it, sees its RSVPs, closes it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    kind = meeting.kind
    if kind == Meeting.Kind.MUNICIPAL:
        return user.is_officer_of(meeting.municipality_id)
    if kind == Meeting.Kind.MEMBER:
        return user.may_act_for(meeting.organization_id)
    if kind == Meeting.Kind.GROUP:
        return meeting.group_id in convened_group_ids(user)
    if kind == Meeting.Kind.COUNCIL:
        return meeting.council is not None and user.is_officer_of(meeting.council.municipality_id)
    return False


def council_invitee_ids(meeting: Meeting) -> set[int]:
    from tsunagari.councils.models import CouncilMember

    if meeting.council_id is None:
        return set()
    return set(
        CouncilMember.objects.filter(
            council_id=meeting.council_id, organization__isnull=False
        ).values_list("organization_id", flat=True)
    )


def can_see(user: Any, meeting: Meeting) -> bool:
    if not works_in_network(user):
        return False
    if is_organiser(user, meeting):
        return True
    if meeting.status == Meeting.Status.DRAFT:
        return False
    if meeting.kind == Meeting.Kind.COUNCIL:
        return bool(council_invitee_ids(meeting) & user.organization_ids)
    return True


def visible_to(user: Any) -> Q:
    """A filter of the meetings `user` sees (for lists and feeds)."""
    if user.is_secretariat:
        return Q()
    seen = ~Q(status=Meeting.Status.DRAFT) & ~Q(kind=Meeting.Kind.COUNCIL)
    seen |= ~Q(status=Meeting.Status.DRAFT) & Q(
        kind=Meeting.Kind.COUNCIL,
        council__member_bodies__organization_id__in=user.organization_ids,
    )
    mine = Q(kind=Meeting.Kind.MUNICIPAL, municipality_id__in=user.officer_municipality_ids)
    mine |= Q(kind=Meeting.Kind.MEMBER, organization_id__in=user.organization_ids)
    mine |= Q(kind=Meeting.Kind.GROUP, group_id__in=convened_group_ids(user))
    mine |= Q(kind=Meeting.Kind.COUNCIL, council__municipality_id__in=user.officer_municipality_ids)
    return seen | mine


def may_rsvp_for(user: Any, meeting: Meeting) -> list[Any]:
    """The organisations `user` may answer for (staff of members who see the meeting)."""
    if not can_see(user, meeting) or not user.organization_ids:
        return []
    organizations = list(user.organizations.by_reading())
    if meeting.kind == Meeting.Kind.COUNCIL and not is_organiser(user, meeting):
        invited = council_invitee_ids(meeting)
        organizations = [o for o in organizations if o.pk in invited]
    return organizations


def can_read_minutes(user: Any, meeting: Meeting) -> bool:
    if not can_see(user, meeting) or meeting.status != Meeting.Status.CLOSED:
        return False
    if not meeting.confidential or is_organiser(user, meeting):
        return True
    return meeting.attending_organizations.filter(pk__in=user.organization_ids).exists()


def get_meeting_for_viewer(request: HttpRequest, pk: int) -> Meeting:
    meeting = _get(pk)
    if not can_see(request.user, meeting):
        raise PermissionDenied
    return meeting


def get_meeting_for_organiser(request: HttpRequest, pk: int) -> Meeting:
    meeting = _get(pk)
    if not is_organiser(request.user, meeting):
        raise PermissionDenied
    return meeting


def get_minutes_for_reader(request: HttpRequest, pk: int) -> Meeting:
    meeting = _get(pk)
    if not can_read_minutes(request.user, meeting):
        if meeting.status != Meeting.Status.CLOSED and can_see(request.user, meeting):
            raise Http404
        raise PermissionDenied
    return meeting


def _get(pk: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related(
            "organization", "municipality", "group", "council", "location"
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def may_handle_action(user: Any, item: ActionItem) -> bool:
    """The owner organisation's staff (the secretariat's own items: the secretariat)."""
    if is_secretariat(user):
        return True
    return item.owner_organization_id is not None and user.may_act_for(item.owner_organization_id)


def get_action_for_owner(request: HttpRequest, pk: int) -> ActionItem:
    item = ActionItem.objects.select_related("meeting", "owner_organization").filter(pk=pk).first()
    if item is None:
        raise Http404
    if not getattr(request.user, "is_authenticated", False) or not may_handle_action(
        request.user, item
    ):
        raise PermissionDenied
    return item
