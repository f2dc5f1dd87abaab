"""Throttles of the public JSON API, per network, counted in the cache.

A network is what lib/ratelimit.py calls one: an IPv4 address or an IPv6 /64, known only
by its keyed hash (the daily salt). Each throttle counts the requests of a network in a
fixed window of one minute with the cache's atomic increment (Redis INCR in production),
so parallel requests can never slip under the limit together. The limit is read from the
settings on every request (API_THROTTLE_READS_PER_MINUTE, API_THROTTLE_SCORES_PER_MINUTE)
so an operator can change it without code, and the fuzz run of the API can relax it.

A refused request gets 429 with a Retry-After header: the seconds left in the window.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.throttling import BaseThrottle

from tsunagari.lib.ratelimit import network_key

WINDOW = 60  # seconds


def now() -> float:
    """The clock the windows are counted on (a function, so a test can move it)."""
    return time.time()


def count_request(key: str, window: int) -> int:
    """Add one to the counter `key` for `window` seconds; the new count, atomically."""
    # add() is a no-op when the key exists; incr() is atomic on the cache.
    cache.add(key, 0, window + 1)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between the two calls
        cache.add(key, 1, window + 1)
        return 1


class NetworkThrottle(BaseThrottle):
    """At most `settings.<setting>` requests per network in each minute."""

    def __init__(self, scope: str, setting: str) -> None:
        self.scope = scope
        self.setting = setting

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        bucket = int(now() // WINDOW)
        key = f"apithrottle:{self.scope}:{bucket}:{network_key(request)}"
        return count_request(key, WINDOW) <= self.limit

    def wait(self) -> float:
        """Seconds until the window ends (the same for every network: a fixed window)."""
        return max(1.0, math.ceil(WINDOW - now() % WINDOW))


READS = NetworkThrottle("read", "API_THROTTLE_READS_PER_MINUTE")
SCORES = NetworkThrottle("score", "API_THROTTLE_SCORES_PER_MINUTE")


def too_many_body(wait: int) -> dict[str, Any]:
    """The body of a 429 (lib/apierrors.py TooManyOut)."""
    return {
        "detail": f"Too many requests from your network; please try again in {wait} seconds.",
        "retry_after": wait,
    }


def throttled_view(throttle: NetworkThrottle) -> Callable[[Any], Any]:
    """The same throttle on a plain view (the API's document and docs pages, which are
    not API operations): the same 429 body and Retry-After header."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not throttle.allow_request(request):
                wait = int(throttle.wait())
                response = JsonResponse(too_many_body(wait), status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
