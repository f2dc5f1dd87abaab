"""Who may register, edit and follow local councils (孤独・孤立対策地域協議会).

The public notice of every council is everyone's. A municipality's officers register
and edit their own municipality's councils and see the councils' meetings; the
secretariat does all of it for every municipality.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagari.councils.models import LocalCouncil


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False))


def can_register(user: Any) -> bool:
    return is_secretariat(user) or bool(getattr(user, "is_municipality_officer", False))


def can_manage(user: Any, council: LocalCouncil) -> bool:
    """The officers of the council's municipality, and the secretariat."""
    if is_secretariat(user):
        return True
    return bool(getattr(user, "is_authenticated", False)) and user.is_officer_of(
        council.municipality_id
    )


def require_register(request: HttpRequest) -> None:
    if not can_register(request.user):
        raise PermissionDenied


def get_council_for_manager(request: HttpRequest, pk: int) -> LocalCouncil:
    council = get_object_or_404(LocalCouncil.objects.select_related("municipality"), pk=pk)
    if not can_manage(request.user, council):
        raise PermissionDenied
    return council
