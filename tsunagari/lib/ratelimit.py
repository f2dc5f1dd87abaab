"""Rate limits for public forms, counted in the cache and never in the database.

A sender is known only by a keyed hash of their network: the IPv4 address, or the /64
prefix of an IPv6 address (one household's block). The key is a random salt that lives
in the cache alone and changes every day, so yesterday's hashes cannot be traced back to
an address by anyone, the operators included. A fixed window counts submissions per
network and for the whole form, whichever fills first.

    VOICE = RateLimit("voice", per_network=10, overall=300)
    if VOICE.exceeded(request): ...answer 429...
    VOICE.hit(request)  # after an accepted submission
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

SALT_TTL = 2 * 24 * 3600  # a day's salt outlives its day only long enough to be unused


def client_address(request: HttpRequest) -> str:
    """The sender's address. Behind our own reverse proxy (settings.BEHIND_PROXY) it is the
    last X-Forwarded-For entry, the one the proxy appended; earlier entries are the
    client's word and could be forged."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or ""


def network_of(request: HttpRequest) -> str:
    """The sender's network: an IPv4 address, or an IPv6 /64 prefix."""
    raw = client_address(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def daily_salt() -> bytes:
    """Today's random salt, created by the first request of the day; cache only."""
    key = f"ratelimit:salt:{timezone.localdate().isoformat()}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(32), SALT_TTL)
        salt = cache.get(key)
    return str(salt).encode()


def network_key(request: HttpRequest) -> str:
    return hmac.new(daily_salt(), network_of(request).encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class RateLimit:
    """At most `per_network` submissions from one network and `overall` from everyone
    in each window of `window` seconds."""

    scope: str
    per_network: int
    overall: int
    window: int = 3600

    def _keys(self, request: HttpRequest) -> tuple[str, str]:
        bucket = int(time.time() // self.window)
        prefix = f"ratelimit:{self.scope}:{bucket}"
        return f"{prefix}:{network_key(request)}", f"{prefix}:all"

    def exceeded(self, request: HttpRequest) -> bool:
        mine, everyone = self._keys(request)
        counts = cache.get_many([mine, everyone])
        return counts.get(mine, 0) >= self.per_network or counts.get(everyone, 0) >= self.overall

    def hit(self, request: HttpRequest) -> None:
        for key in self._keys(request):
            # add() is a no-op when the key exists; incr() is atomic on the cache.
            cache.add(key, 0, self.window)
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.add(key, 1, self.window)
