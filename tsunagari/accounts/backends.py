"""Authentication with limits on failed sign-ins, counted atomically in the cache.

Three counters, each a number of failed password checks (docs/security.md):

- per account and network, strict: after LOGIN_FAILURE_LIMIT failures for one account
  from one network, that network may not try that account again until
  LOGIN_LOCKOUT_MINUTES have passed since its last failure;
- per network, across accounts: after LOGIN_NETWORK_FAILURE_LIMIT failures from one
  network (one password tried on many accounts), it may try no account for as long;
- per account, from every network: after LOGIN_FAILURE_LIMIT failures, one check per
  back-off delay, LOGIN_BACKOFF_SECONDS doubling with each further failure up to
  LOGIN_LOCKOUT_MINUTES. Someone guessing from many networks gets a few guesses an
  hour; the owner, from a network without failures, waits at most that delay.

A check is reserved (an atomic increment) before the password is hashed and given back
when it is not made or when it succeeds, so however many requests arrive together, no
more passwords are checked than the limits allow. A refused attempt checks nothing.
An address without an account is counted the same way, so the answers never tell
whether an account exists. Networks are known only by a keyed hash (lib/ratelimit.py),
accounts by a keyed hash of the address: nothing about a failure is stored in clear.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.http import HttpRequest

from tsunagari.accounts.models import User
from tsunagari.lib.ratelimit import count_down, count_up, keyed_hash, network_key


@dataclass(frozen=True)
class LoginRefused:
    """Why an attempt was refused without checking the password, and for how long."""

    reason: str  # "account" (this account, from here or everywhere) or "network"
    retry_after: int  # seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


class LoginAttempt:
    """The counters of one sign-in attempt: reserve(), then failed() or succeeded()."""

    def __init__(self, request: HttpRequest | None, email: str) -> None:
        account = keyed_hash(email, purpose="login-account")
        network = network_key(request) if request is not None else "none"
        self.pair = f"login:pair:{account}:{network}"
        self.network = f"login:network:{network}"
        self.account = f"login:account:{account}"
        self.until = f"login:until:{account}"  # when the account's next check may come
        self.strikes = f"login:strikes:{account}"  # failures in back-off: the delay doubles
        self.in_backoff = False
        self.window = settings.LOGIN_LOCKOUT_MINUTES * 60
        self.limit = settings.LOGIN_FAILURE_LIMIT

    def reserve(self) -> LoginRefused | None:
        """Reserve one password check, or say why there is none."""
        window = self.window
        if count_up(self.pair, window) > self.limit:
            count_down(self.pair)
            return LoginRefused("account", window)
        if count_up(self.network, window) > settings.LOGIN_NETWORK_FAILURE_LIMIT:
            count_down(self.network)
            count_down(self.pair)
            return LoginRefused("network", window)
        if count_up(self.account, window) > self.limit:
            refusal = self._backoff_turn()
            if refusal is not None:
                for key in (self.account, self.network, self.pair):
                    count_down(key)
                return refusal
        return None

    def _backoff_turn(self) -> LoginRefused | None:
        """In back-off, one check may follow each delay: the first request to claim the
        turn gets it; the others wait."""
        now = time.time()
        # The failures that started the back-off may still be being checked: then the
        # next turn is one base delay away.
        cache.add(self.until, now + settings.LOGIN_BACKOFF_SECONDS, self.window)
        until = float(cache.get(self.until) or now)
        if now < until or not cache.add(f"{self.until}:{until}", 1, self.window):
            return LoginRefused("account", max(1, math.ceil(until - now)))
        self.in_backoff = True
        return None

    def failed(self) -> None:
        """The check failed: the counts stay, and each counter lives a full window from
        now (a guesser cannot wait out a window that started long ago)."""
        for key in (self.pair, self.network, self.account):
            cache.touch(key, self.window)
        base = settings.LOGIN_BACKOFF_SECONDS
        if self.in_backoff:
            strikes = min(count_up(self.strikes, self.window), 20)
            cache.touch(self.strikes, self.window)
            delay = min(base * 2**strikes, self.window)
        elif int(cache.get(self.account) or 0) >= self.limit:
            delay = base
        else:
            return
        cache.set(self.until, time.time() + delay, self.window)

    def succeeded(self) -> None:
        """The right password: the account's failures are forgotten, and the network's
        reservation is given back."""
        cache.delete_many([self.pair, self.account, self.until, self.strikes])
        count_down(self.network)

    def abandoned(self) -> None:
        for key in (self.account, self.network, self.pair):
            count_down(key)


def login_refusal(request: HttpRequest | None) -> LoginRefused | None:
    """The refusal the backend gave this request, for the sign-in form's message."""
    return getattr(request, "login_refused", None)


class LockoutModelBackend(ModelBackend):
    """The model backend, checking a password only while the limits above allow."""

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
        attempt = LoginAttempt(request, email)
        refusal = attempt.reserve()
        if refusal is not None:
            if request is not None:
                request.login_refused = refusal  # type: ignore[attr-defined]
            return None
        try:
            user = super().authenticate(request, username=email, password=password, **kwargs)
        except BaseException:
            attempt.abandoned()
            raise
        if user is None:
            attempt.failed()
            return None
        attempt.succeeded()
        return user

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in person of a request, with their capacities in the same query."""
        user = User.objects.with_capacities().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
