"""Role checks shared by the views. Object-level checks live next to each view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def secretariat_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only the secretariat. Signed-out users are sent to sign in by the middleware."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_secretariat", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def officer_area_codes(user: Any) -> frozenset[str]:
    """The municipality codes an officer looks after: their municipalities and, for a
    designated city, its wards (an officer of 横浜市 covers 港北区). Asked once per
    request and kept on the user."""
    cached: frozenset[str] | None = getattr(user, "_officer_area_codes", None)
    if cached is not None:
        return cached
    codes: frozenset[str] = frozenset(getattr(user, "officer_municipality_ids", frozenset()))
    if codes:
        from tsunagari.geo.models import Municipality

        wards = Municipality.objects.filter(parent_id__in=codes).values_list("pk", flat=True)
        codes = codes | frozenset(wards)
    if getattr(user, "is_authenticated", False):
        user._officer_area_codes = codes
    return codes


def is_officer_for(user: Any, municipality_id: str | None) -> bool:
    """Officer of this municipality, or of the city this ward belongs to."""
    if not municipality_id or not getattr(user, "officer_municipality_ids", None):
        return False
    return municipality_id in officer_area_codes(user)


def officer_area_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only a municipality officer (which municipality is checked per object)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_municipality_officer", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
