from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, SimpleTestCase, override_settings

from tsunagari.core import checks
from tsunagari.factory import application_data
from tsunagari.members.models import MembershipApplication
from tsunagari.test import BaseTestCase

BASE_DIR = Path(settings.BASE_DIR)


class Scripts(HTMLParser):
    """Collects the <script> tags of a page and any inline event handler attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.handlers += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]


def scripts_of(html: str) -> Scripts:
    parser = Scripts()
    parser.feed(html)
    return parser


def csp_nonce(header: str) -> str:
    for directive in header.split(";"):
        name, *values = directive.split()
        if name == "script-src":
            nonces = [v for v in values if v.startswith("'nonce-")]
            assert len(nonces) == 1, header
            return nonces[0][len("'nonce-") : -1]
    raise AssertionError(f"no script-src in {header}")


class ContentSecurityPolicyTestCase(BaseTestCase):
    def pages(self) -> list[tuple[str, str]]:
        """(persona, url) pairs covering every template family that renders HTML."""
        org = self.organization.pk
        return [
            ("anonymous", "/"),
            ("anonymous", "/roster/"),
            ("anonymous", "/apply/"),
            ("anonymous", f"/members/{org}/"),
            ("anonymous", "/accounts/login/"),
            ("anonymous", "/accounts/password-reset/"),
            ("anonymous", "/no-such-page/"),
            ("staff", "/my/"),
            ("staff", "/my/organization/"),
            ("staff", "/secretariat/applications/"),
            ("officer", "/my/"),
            ("secretariat", "/my/"),
            ("secretariat", "/secretariat/applications/"),
            ("secretariat", "/secretariat/organizations/"),
            ("secretariat", f"/secretariat/organizations/{org}/"),
            ("secretariat", "/accounts/users/"),
            ("secretariat", "/secretariat/audit/"),
        ]

    def get_as(self, persona: str, url: str) -> Any:
        self.client.logout()
        if persona != "anonymous":
            self.login(getattr(self, persona))
        return self.client.get(url)

    def test_every_html_page_has_a_policy_whose_nonce_is_on_its_scripts(self) -> None:
        for persona, url in self.pages():
            with self.subTest(persona=persona, url=url):
                r = self.get_as(persona, url)
                self.assertTrue(r["Content-Type"].startswith("text/html"))
                header = r["Content-Security-Policy"]
                self.assertIn("default-src 'self'", header)
                self.assertIn("object-src 'none'", header)
                self.assertIn("frame-ancestors 'none'", header)
                nonce = csp_nonce(header)
                self.assertGreaterEqual(len(nonce), 16)
                page = scripts_of(r.content.decode())
                self.assertTrue(page.scripts, "the page loads htmx")
                for script in page.scripts:
                    self.assertEqual(script.get("nonce"), nonce, script)
                self.assertEqual(page.handlers, [])

    def test_the_nonce_differs_between_two_requests(self) -> None:
        first = csp_nonce(self.client.get("/")["Content-Security-Policy"])
        second = csp_nonce(self.client.get("/")["Content-Security-Policy"])
        self.assertNotEqual(first, second)

    def test_the_home_page_has_no_inline_script_without_the_nonce(self) -> None:
        r = self.client.get("/")
        nonce = csp_nonce(r["Content-Security-Policy"])
        page = scripts_of(r.content.decode())
        inline = [s for s in page.scripts if not s.get("src")]
        self.assertEqual([s for s in inline if s.get("nonce") != nonce], [])
        for script in page.scripts:
            if script.get("src"):
                self.assertTrue(str(script["src"]).startswith("/static/"), script)
        self.assertEqual(page.handlers, [])

    def test_the_api_docs_load_only_same_origin_scripts(self) -> None:
        r = self.client.get("/api/v1/docs")
        self.assertEqual(r.status_code, 200)
        self.assertIn("script-src 'self'", r["Content-Security-Policy"])
        for script in scripts_of(r.content.decode()).scripts:
            with self.subTest(script=script):
                # Data blocks are not run; everything else comes from our own /static/.
                if script.get("type") != "application/json":
                    self.assertTrue(str(script.get("src")).startswith("/static/"))

    def test_pages_may_not_be_framed(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r["X-Frame-Options"], "DENY")
        self.assertEqual(r["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r["Referrer-Policy"], "same-origin")


class CsrfTestCase(BaseTestCase):
    def test_a_post_without_the_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post("/apply/", application_data())
        self.assertEqual(r.status_code, 403)
        self.assertFalse(MembershipApplication.objects.exists())

    def test_a_post_with_the_token_from_the_form_is_accepted(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.get("/apply/")
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        r = client.post("/apply/", {**application_data(), "csrfmiddlewaretoken": token})
        self.assertRedirects(r, "/apply/thanks/")

    def test_the_login_form_needs_the_token_too(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post("/accounts/login/", {"username": "staff@example.jp", "password": "x" * 12})
        self.assertEqual(r.status_code, 403)


def production_env(**extra: str) -> dict[str, str]:
    """A clean environment as a deployment would have it: nothing from this test run."""
    key = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "tsunagari.settings",
        "DEBUG": "false",
        "SECRET_KEY": key,
        "ALLOWED_HOSTS": "tsunagari.example.jp",
    }
    env.update(extra)
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class ProductionConfigurationTestCase(SimpleTestCase):
    def test_the_deploy_check_passes_in_the_production_configuration(self) -> None:
        result = run_python(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNotIn("WARNINGS", result.stdout + result.stderr)

    def test_the_deploy_check_fails_with_the_development_key(self) -> None:
        result = run_python(
            ["manage.py", "check", "--deploy"],
            production_env(SECRET_KEY=settings.DEV_SECRET_KEY),
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("tsunagari.E001", result.stderr)

    def test_cookies_are_secure_and_hsts_is_on_in_production(self) -> None:
        code = (
            "import json; from django.conf import settings as s; print(json.dumps({k: "
            "getattr(s, k) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
            "'SESSION_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
            "'DEBUG')}))"
        )
        result = run_python(["-c", code], production_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertEqual(
            values,
            {
                "SESSION_COOKIE_SECURE": True,
                "CSRF_COOKIE_SECURE": True,
                "SESSION_COOKIE_HTTPONLY": True,
                "SECURE_SSL_REDIRECT": True,
                "SECURE_HSTS_SECONDS": 31536000,
                "DEBUG": False,
            },
        )

    def test_production_sends_real_email(self) -> None:
        code = "from django.conf import settings as s; print(s.MAILERS['default']['BACKEND'])"
        result = run_python(["-c", code], production_env())
        self.assertEqual(result.stdout.strip(), "django.core.mail.backends.smtp.EmailBackend")

    def test_a_malformed_setting_stops_start_up_with_a_clear_message(self) -> None:
        result = run_python(["manage.py", "check"], production_env(DEBUG="maybe"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG must be true or false, not 'maybe'", result.stderr)


class SecretKeyCheckTestCase(SimpleTestCase):
    @override_settings(DEBUG=False, SECRET_KEY=settings.DEV_SECRET_KEY)
    def test_e001_fires_with_the_development_key_and_debug_off(self) -> None:
        errors = checks.check_secret_key(None)
        self.assertEqual([e.id for e in errors], ["tsunagari.E001"])
        with self.assertRaisesMessage(SystemCheckError, "tsunagari.E001"):
            call_command("check", "--deploy")

    @override_settings(DEBUG=True, SECRET_KEY=settings.DEV_SECRET_KEY)
    def test_e001_is_silent_in_debug(self) -> None:
        self.assertEqual(checks.check_secret_key(None), [])

    @override_settings(DEBUG=False, SECRET_KEY="x" * 50)
    def test_e001_is_silent_with_another_key(self) -> None:
        self.assertEqual(checks.check_secret_key(None), [])


class SiteUrlCheckTestCase(SimpleTestCase):
    def test_production_links_default_to_the_public_host(self) -> None:
        code = "from django.conf import settings as s; print(s.SITE_URL)"
        result = run_python(["-c", code], production_env())
        self.assertEqual(result.stdout.strip(), "https://tsunagari.example.jp")

    @override_settings(
        HTTPS=True, SITE_URL="http://127.0.0.1:8000", ALLOWED_HOSTS=["tsunagari.example.jp"]
    )
    def test_w002_fires_when_links_would_lead_elsewhere(self) -> None:
        [warning] = checks.check_site_url(None)
        self.assertEqual(warning.id, "tsunagari.W002")
        self.assertIn("https://", warning.msg)
        self.assertIn("ALLOWED_HOSTS", warning.msg)

    @override_settings(
        HTTPS=True, SITE_URL="https://tsunagari.example.jp", ALLOWED_HOSTS=["tsunagari.example.jp"]
    )
    def test_w002_is_silent_for_the_public_address(self) -> None:
        self.assertEqual(checks.check_site_url(None), [])
