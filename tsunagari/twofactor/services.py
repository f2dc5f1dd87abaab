"""Two-factor sign-in (2段階認証): who needs it, checking a code, recovery codes.

The protocol is django-otp's: a TOTP device (認証アプリ, RFC 6238) and a static device
whose tokens are the recovery codes (回復コード). A session has passed the second factor
when django-otp's session key names one of the person's confirmed devices
(`User.twofactor_device_ids`, read with the signed-in user, so no extra query).

Codes are limited three ways: django-otp's own growing delay on the device after each
failure (1 s, 2 s, 4 s, ... kept in the database), and counts per account and per
network in a fixed window, taken with the cache's atomic increment before the code is
checked, so parallel guesses cannot all slip under the limit.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import hmac
import math
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

import django_otp
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagari.accounts.models import User
from tsunagari.lib.ratelimit import network_key

RECOVERY_CODE_COUNT = 10
# Plain recovery codes live in the session only between their creation and the person
# saying they kept them (or the end of the session).
NEW_CODES_SESSION_KEY = "twofactor_new_codes"


def required(user: Any) -> bool:
    """The secretariat and municipality officers see personal data: they must use it.
    Member staff may choose it."""
    return bool(getattr(user, "is_secretariat", False) or user.is_municipality_officer)


def enrolled(user: User) -> bool:
    return bool(user.twofactor_device_ids)


def session_verified(request: HttpRequest) -> bool:
    """Did this session pass the second factor with a device the person still has?"""
    device_id = request.session.get(django_otp.DEVICE_ID_SESSION_KEY)
    return bool(device_id) and device_id in request.user.twofactor_device_ids  # type: ignore[union-attr]


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session passed the second factor: a new session key (the session's privilege
    rose), then django-otp's record of the device."""
    request.session.cycle_key()
    django_otp.login(request, device)


def normalise(raw: str) -> str:
    """A code as typed on any keyboard: full-width digits and letters, spaces, hyphens."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"[\s\-‐－ー]", "", text).lower()


def is_totp_shaped(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def recovery_digest(code: str) -> str:
    """What is stored for a recovery code: a keyed hash, so that a copy of the database
    without the SECRET_KEY does not give anyone a way in."""
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"twofactor-recovery:{code}".encode(), hashlib.sha256
    )
    return mac.hexdigest()[:16]


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it by hand: base32, in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user: User) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=False)
    return device


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with ten new ones; the plain codes are returned
    once, only their keyed hashes are kept."""
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "回復コード", "confirmed": True}
        )
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=recovery_digest(code)) for code in codes
        )
    user.forget_twofactor()
    return codes


def confirm_totp_device(user: User, device: TOTPDevice) -> list[str]:
    """The person proved the new app works: it replaces any earlier one, with new
    recovery codes (returned in plain once)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(user)


def remove_devices(user: User) -> int:
    """Turn the second factor off for this person (their choice, or the secretariat's
    reset after a lost phone); every session that passed it must pass it again."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
    user.forget_twofactor()
    return removed


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    WAIT = "wait"  # the device's own delay after recent failures
    LIMITED = "limited"  # too many codes from this account or network in the window


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    device: Device | None = None
    recovery_code_used: bool = False
    wait_seconds: int = 0


def _window() -> int:
    return settings.TWOFACTOR_WINDOW_MINUTES * 60


def _attempt_keys(request: HttpRequest, user: User) -> list[tuple[str, int]]:
    bucket = int(time.time() // _window())
    return [
        (f"twofactor:account:{user.pk}:{bucket}", settings.TWOFACTOR_ACCOUNT_LIMIT),
        (f"twofactor:network:{network_key(request)}:{bucket}", settings.TWOFACTOR_NETWORK_LIMIT),
    ]


def _take_attempt(request: HttpRequest, user: User) -> tuple[bool, list[str]]:
    """Count one attempt for the account and the network (atomically: increment first,
    then compare), and say whether both are still within their limits."""
    allowed = True
    keys = []
    for key, limit in _attempt_keys(request, user):
        cache.add(key, 0, _window())
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, _window())
            count = 1
        keys.append(key)
        allowed = allowed and count <= limit
    return allowed, keys


def _give_back(keys: list[str]) -> None:
    """A right code does not count against anyone."""
    for key in keys:
        with contextlib.suppress(ValueError):  # expired meanwhile
            cache.decr(key)


def check_code(
    request: HttpRequest, user: User, raw: str, *, device: TOTPDevice | None = None
) -> Check:
    """Check a code typed by `user`: six digits against the authenticator app (or the
    `device` being set up), anything else against the recovery codes, which are used up."""
    code = normalise(raw)
    allowed, keys = _take_attempt(request, user)
    if not allowed:
        return Check(Outcome.LIMITED)
    target: Device | None
    if device is not None:
        target = device if is_totp_shaped(code) else None
    elif is_totp_shaped(code):
        target = totp_device(user)
    else:
        target = StaticDevice.objects.filter(user=user, confirmed=True).first()
        code = recovery_digest(code) if code.isalnum() and code.isascii() else ""
    if target is None or not code:
        return Check(Outcome.WRONG)
    waiting, data = target.verify_is_allowed()
    if not waiting and data and data.get("locked_until"):
        wait = (data["locked_until"] - timezone.now()).total_seconds()
        return Check(Outcome.WAIT, wait_seconds=max(1, math.ceil(wait)))
    # Verified in a transaction with the device row locked: parallel guesses are checked
    # one after another, each seeing the delay the previous failure set.
    verified = django_otp.verify_token(user, target.persistent_id, code)
    if verified is None:
        return Check(Outcome.WRONG)
    _give_back(keys)
    return Check(Outcome.ACCEPTED, verified, recovery_code_used=isinstance(verified, StaticDevice))
