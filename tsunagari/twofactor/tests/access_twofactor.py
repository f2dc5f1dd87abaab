"""Access-matrix rows of two-factor sign-in (see core/tests/test_access_matrix.py). The
personas' sessions have passed the second factor (tsunagari.test.sign_in); what a session
that has not passed it may open is tested in test_enforcement.py, over every row."""

from __future__ import annotations

from itertools import count
from typing import Any

from tsunagari.accounts.models import User
from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_POST,
    SIGNED_IN,
    Row,
)
from tsunagari.test import give_authenticator

_serial = count(1)


def reset_url(t: Any) -> str:
    """A fresh officer's account with an authenticator app, to be reset."""
    user = User.objects.create_user(
        f"lost-phone{next(_serial)}@example.org",
        full_name="スマホを紛失",
        municipality=t.municipality,
    )
    give_authenticator(user)
    return f"/accounts/2fa/reset/{user.pk}/"


ROWS = [
    Row("twofactor:settings", "GET", "/accounts/2fa/", SIGNED_IN),
    Row(
        "twofactor:verify",
        "GET",
        "/accounts/2fa/verify/",
        (LOGIN, 302, 302, 302, 302),
        note="a session that passed (or needs no) second factor goes on",
    ),
    Row("twofactor:setup", "GET", "/accounts/2fa/setup/", SIGNED_IN),
    Row(
        "twofactor:setup",
        "POST",
        "/accounts/2fa/setup/",
        (LOGIN, 400, 400, 400, 400),
        data={"app-code": "12"},
        note="not six digits",
    ),
    Row(
        "twofactor:recovery_codes",
        "GET",
        "/accounts/2fa/recovery-codes/",
        (LOGIN, 302, 302, 302, 302),
        note="no new codes to show: to the settings",
    ),
    Row(
        "twofactor:recovery_codes",
        "POST",
        "/accounts/2fa/recovery-codes/",
        (LOGIN, 302, 302, 302, 302),
    ),
    Row(
        "twofactor:recovery_codes_download",
        "GET",
        "/accounts/2fa/recovery-codes/download/",
        (LOGIN, 404, 404, 404, 404),
        note="only right after new codes were made",
    ),
    Row(
        "twofactor:recovery_codes_new",
        "POST",
        "/accounts/2fa/recovery-codes/new/",
        (LOGIN, 404, 404, 302, 302),
        note="only for someone who uses two-factor sign-in",
    ),
    Row(
        "twofactor:disable",
        "POST",
        "/accounts/2fa/disable/",
        (LOGIN, 404, 404, 404, 404),
        data={"app-code": "123456"},
        note="staff without it have nothing to turn off; officers and the secretariat may not",
    ),
    Row("twofactor:reset", "POST", reset_url, SECRETARIAT_POST),
]
