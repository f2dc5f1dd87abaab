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

import contextlib
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
from django.utils.crypto import salted_hmac

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
            count_up(key, self.window)

    def take(self, request: HttpRequest) -> bool:
        """Count one submission unless it would go past a limit, atomically: of parallel
        requests only as many as the limit allows get True. A refused one counts
        nowhere, so one busy network does not use up everybody's allowance."""
        mine, everyone = self._keys(request)
        if count_up(mine, self.window) > self.per_network:
            count_down(mine)
            return False
        if count_up(everyone, self.window) > self.overall:
            count_down(everyone)
            count_down(mine)
            return False
        return True


def count_up(key: str, ttl: int) -> int:
    """Add one to a counter in the cache and return the new count, atomically: of many
    parallel callers each sees a different number. A new counter lives `ttl` seconds."""
    for _ in range(3):
        # add() is a no-op when the key exists; incr() is atomic on locmem and Redis.
        cache.add(key, 0, ttl)
        try:
            value = int(cache.incr(key))
        except ValueError:  # expired between the two calls: start again
            continue
        if value == 1:
            # Redis' INCR of a key that expired after add() makes one without a timeout.
            cache.touch(key, ttl)
        return value
    cache.set(key, 1, ttl)
    return 1


def count_down(key: str) -> None:
    """Give back what count_up took (a reservation that was not used)."""
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(key)


def keyed_hash(value: str, *, purpose: str) -> str:
    """A stable keyed hash, so that no address appears in the cache in clear."""
    return salted_hmac(f"tsunagari.lib.ratelimit.{purpose}", value, algorithm="sha256").hexdigest()[
        :32
    ]


@dataclass(frozen=True)
class RecipientLimit:
    """At most `per_recipient` e-mails to one address in each window of `window` seconds,
    whoever asks for them: a public form cannot be used to mail-bomb a third party."""

    scope: str
    per_recipient: int
    window: int = 24 * 3600

    def _key(self, address: str) -> str:
        bucket = int(time.time() // self.window)
        digest = keyed_hash(address.strip().lower(), purpose="recipient")
        return f"ratelimit:{self.scope}:to:{bucket}:{digest}"

    def take(self, address: str) -> bool:
        """Count one e-mail to `address`; False (and nothing counted) when it would go
        past the limit, so the caller sends nothing."""
        key = self._key(address)
        if count_up(key, self.window) <= self.per_recipient:
            return True
        count_down(key)
        return False
