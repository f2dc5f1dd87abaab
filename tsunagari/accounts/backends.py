"""Authentication with a lockout after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from tsunagari.accounts.models import LoginFailure, User


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked_out(email: str) -> bool:
    recent = LoginFailure.objects.filter(email=email.lower(), at__gte=_window_start()).count()
    return recent >= settings.LOGIN_FAILURE_LIMIT


def record_failure(email: str) -> None:
    """Remember a failure; forget the ones that can no longer lock anybody, since the
    addresses people mistype are personal data that need not be kept."""
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(email=email)


class LockoutModelBackend(ModelBackend):
    """The model backend, refusing an address that failed too often recently.

    Failures are counted per e-mail address rather than per IP so that a family or an
    office behind one connection is not locked out by someone else's typos, and so
    that no IP address is stored.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = (username or kwargs.get("email") or "").strip().lower()
        if not email or password is None:
            return None
        if is_locked_out(email):
            return None
        user = super().authenticate(request, username=email, password=password, **kwargs)
        if user is None:
            record_failure(email)
            return None
        LoginFailure.objects.filter(email=email).delete()
        return user

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in person of a request, with their capacities in the same query."""
        user = User.objects.with_capacities().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
