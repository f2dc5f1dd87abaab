"""A session that passed the password but not the second factor opens nothing: every route
of the access matrix (pages and API, GET and POST) answers with the second-factor step,
and no view runs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core import mail
from django.test import Client

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.core.tests.test_access_matrix import ROWS, Row
from tsunagari.test import give_authenticator
from tsunagari.twofactor.middleware import OPEN_BEFORE_SECOND_FACTOR
from tsunagari.twofactor.tests.test_sign_in import TwoFactorTestCase


class EveryRouteTestCase(TwoFactorTestCase):
    @property
    def matrix(self) -> Any:
        """The matrix's URL and data factories read only the personas, which this has."""
        return self

    def half_signed_in(self, user: User) -> Client:
        client = Client()
        r = self.password_sign_in(user, client)
        self.assertEqual(r.status_code, 302, "the password was accepted")
        return client

    def sweep(self, user: User, step: str) -> int:
        client = self.half_signed_in(user)
        checked = 0
        for row in ROWS:
            if row.route in OPEN_BEFORE_SECOND_FACTOR:
                continue
            url = row.url(self.matrix) if callable(row.url) else row.url
            with self.subTest(route=row.route, method=row.method, url=url):
                self.check(client, row, url, step)
                checked += 1
        return checked

    def check(self, client: Client, row: Row, url: str, step: str) -> None:
        events = AuditEvent.objects.count()
        mail.outbox.clear()
        if row.method == "GET":
            r = client.get(url)
            # Back to the same page afterwards (its query as the browser sent it).
            expected = f"{step}?next={quote(url.split('?')[0], safe='')}"
        else:
            data = row.data(self.matrix, url) if callable(row.data) else (row.data or {})
            events = AuditEvent.objects.count()
            r = client.post(url, data)
            expected = step
        self.assertEqual(r.status_code, 302, getattr(r, "content", b"")[:200])
        self.assertEqual(r["Location"].split("%3F")[0], expected)
        self.assertEqual(AuditEvent.objects.count(), events, "the view ran")
        self.assertEqual(mail.outbox, [])

    def test_the_secretariat_before_the_code_opens_nothing(self) -> None:
        give_authenticator(self.secretariat)
        checked = self.sweep(self.secretariat, "/accounts/2fa/verify/")
        self.assertGreater(checked, 150)

    def test_an_officer_who_has_not_set_it_up_opens_nothing(self) -> None:
        self.sweep(self.officer, "/accounts/2fa/setup/")

    def test_staff_who_chose_it_open_nothing_before_the_code(self) -> None:
        give_authenticator(self.staff)
        self.sweep(self.staff, "/accounts/2fa/verify/")

    def test_the_pages_open_before_the_code_are_only_these(self) -> None:
        self.assertEqual(
            OPEN_BEFORE_SECOND_FACTOR,
            {
                "twofactor:verify",
                "twofactor:setup",
                "accounts:logout",
                "set_language",
                # The health checks (core/health.py), which show no data.
                "core:healthz",
                "core:readyz",
            },
        )
        give_authenticator(self.secretariat)
        client = self.half_signed_in(self.secretariat)
        self.assertEqual(client.get("/accounts/2fa/verify/").status_code, 200)
        self.assertEqual(
            client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code, 302
        )
        self.assertContains(client.get("/accounts/2fa/verify/"), "Two-factor")
        self.assertEqual(client.post("/accounts/logout/").status_code, 302)
