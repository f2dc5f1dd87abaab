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
