"""Who may read, post and manage needs (ニーズ).

Every signed-in person (a member's staff, a municipality officer, the secretariat) reads
the needs meant for members. A member's staff post needs for their organisation, and
they alone (with the secretariat) edit them and see the engine's suggestions for them.
An officer posts needs for their municipality (no organisation), and that municipality's
officers edit those.
A resident's original request is never reached from here: it is the secretariat's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from tsunagari.core.access import is_officer_for
from tsunagari.matching.models import Need, Suggestion


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False))


def is_member_staff(user: Any) -> bool:
    """Staff of at least one member organisation."""
    return bool(getattr(user, "is_member_staff", False))


def can_read_needs(user: Any) -> bool:
    return (
        is_secretariat(user)
        or is_member_staff(user)
        or bool(getattr(user, "is_municipality_officer", False))
    )


def is_municipality_officer(user: Any) -> bool:
    return bool(getattr(user, "is_municipality_officer", False))


def can_post_need(user: Any) -> bool:
    """Members' staff, the secretariat, and officers (for their municipality)."""
    return is_secretariat(user) or is_member_staff(user) or is_municipality_officer(user)


def can_edit_need(user: Any, need: Need) -> bool:
    """The owner organisation's staff and the secretariat (who also owns residents' needs);
    for a need a municipality posted, that municipality's officers."""
    if is_secretariat(user):
        return True
    if need.origin == Need.Origin.MUNICIPALITY and need.organization_id is None:
        return is_officer_for(user, need.municipality_id)
    return is_member_staff(user) and user.may_act_for(need.organization_id)


def require_need_reader(request: HttpRequest) -> None:
    if not can_read_needs(request.user):
        raise PermissionDenied


def require_need_poster(request: HttpRequest) -> None:
    if not can_post_need(request.user):
        raise PermissionDenied


def require_member_staff(request: HttpRequest) -> None:
    if not is_member_staff(request.user):
        raise PermissionDenied


def get_need_for_member(request: HttpRequest, pk: int) -> Need:
    """A need the signed-in person may read: a withdrawn need only for its owner."""
    require_need_reader(request)
    need = get_object_or_404(
        Need.objects.select_related("organization", "municipality", "created_by"), pk=pk
    )
    if need.status == Need.Status.WITHDRAWN and not can_edit_need(request.user, need):
        raise Http404
    return need


def get_need_for_editor(request: HttpRequest, pk: int) -> Need:
    """A need the signed-in person may change; 404 if missing, else 403."""
    need = get_object_or_404(
        Need.objects.select_related("organization", "municipality", "created_by"), pk=pk
    )
    if not can_edit_need(request.user, need):
        raise PermissionDenied
    return need


def get_suggestion_for_editor(request: HttpRequest, need_pk: int, pk: int) -> Suggestion:
    need = get_need_for_editor(request, need_pk)
    suggestion = get_object_or_404(need.suggestions.select_related("resource"), pk=pk)
    suggestion.need = need
    return suggestion
