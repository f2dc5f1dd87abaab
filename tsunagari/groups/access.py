"""Who may read, join and write in working groups (分科会).

Anyone sees the list of groups (names, themes, member counts). Every signed-in person
(a member's staff, a municipality officer, the secretariat) reads a group's page; its
discussion board is read and written by the staff of its current member organisations
and by the secretariat only. The secretariat creates and edits groups and names
conveners (世話人); a convener's staff or the secretariat remove a member.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagari.groups.models import GroupMembership, WorkingGroup


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False))


def can_read_groups(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        is_secretariat(user)
        or bool(getattr(user, "is_member_staff", False))
        or bool(getattr(user, "is_municipality_officer", False))
    )


def current_memberships(group: WorkingGroup) -> list[GroupMembership]:
    """The group's current memberships (cached on the group for one request)."""
    cached = getattr(group, "_current_memberships", None)
    if cached is None:
        cached = list(group.memberships.filter(left_on__isnull=True).select_related("organization"))
        group._current_memberships = cached  # type: ignore[attr-defined]
    return cached


def member_organizations_of(user: Any, group: WorkingGroup) -> list[Any]:
    """The user's organisations that are current members of the group."""
    ids: frozenset[int] = getattr(user, "organization_ids", frozenset())
    return [m.organization for m in current_memberships(group) if m.organization_id in ids]


def is_group_member(user: Any, group: WorkingGroup) -> bool:
    """Staff of a current member organisation (the board's writers besides the secretariat)."""
    return bool(member_organizations_of(user, group))


def can_use_board(user: Any, group: WorkingGroup) -> bool:
    return is_secretariat(user) or is_group_member(user, group)


def is_convener(user: Any, group: WorkingGroup) -> bool:
    ids: frozenset[int] = getattr(user, "organization_ids", frozenset())
    return any(m.is_convener and m.organization_id in ids for m in current_memberships(group))


def can_remove_members(user: Any, group: WorkingGroup) -> bool:
    return is_secretariat(user) or is_convener(user, group)


def require_reader(request: HttpRequest) -> None:
    if not can_read_groups(request.user):
        raise PermissionDenied


def require_secretariat(request: HttpRequest) -> None:
    if not is_secretariat(request.user):
        raise PermissionDenied


def get_group(request: HttpRequest, pk: int) -> WorkingGroup:
    """A group the signed-in person may read; 404 if missing."""
    require_reader(request)
    return get_object_or_404(WorkingGroup, pk=pk)


def get_group_for_board(request: HttpRequest, pk: int) -> WorkingGroup:
    """A group whose board the person may use; 403 for non-members."""
    group = get_group(request, pk)
    if not can_use_board(request.user, group):
        raise PermissionDenied
    return group
