"""Base for the end-to-end tests: a live server and one headless Chromium per class.

The tests drive Debian's Chromium (`/usr/bin/chromium`) through Playwright; no
browser is ever downloaded. Without Chromium the browser modules are skipped,
unless REQUIRE_BROWSER=1 (CI), in which case collection fails loudly.
"""

from __future__ import annotations

import json
import os
import re
import unittest
from pathlib import Path
from typing import Any, ClassVar

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core import mail
from django.db import connections
from django.test import Client, override_settings

from tsunagari.test import give_authenticator, sign_in, totp_code

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def require_chromium() -> None:
    """Skip the calling test module when Chromium is missing (fail if it is required)."""
    if CHROMIUM.exists():
        return
    reason = (
        f"browser tests need Debian's Chromium at {CHROMIUM} "
        "(apt-get install chromium, or `bash scripts/ensure-chromium`)"
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason, allow_module_level=True)


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(json.dumps(t, ensure_ascii=False) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {node['html'][:200]}")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now (needs a context with bypass_csp)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                          failureSummary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def assert_accessible(page: Any) -> None:
    """Fail with every WCAG 2.x A/AA violation axe-core finds on the page."""
    violations = axe_violations(page)
    if violations:
        raise AssertionError(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )


@pytest.mark.browser
class BrowserTestCase(StaticLiveServerTestCase):
    """A live server (with the migrated data restored for every test) and Chromium.

    Each test gets fresh browser contexts from `new_page()`, so no cookies or
    storage leak between tests; the browser itself is launched once per class.
    """

    host = "127.0.0.1"
    # The roster, the municipalities and the themes are loaded by migrations; a
    # transactional test case flushes them, so restore them before each test.
    serialized_rollback = True

    playwright: ClassVar[Any]
    browser: ClassVar[Any]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        # Between its calls Playwright's sync API leaves its event loop marked as
        # running in this thread. Django keeps database connections in an asgiref
        # Local that switches to a separate, per-context storage while a loop runs,
        # so the ORM here would open fresh connections: ones without the test
        # database's serialized contents that the flush between tests restores.
        # Pin the connections this thread already has.
        pinned = {alias: connections[alias] for alias in connections}
        cls.playwright = sync_playwright().start()
        for alias, connection in pinned.items():
            connections[alias] = connection
        try:
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Exception:
            cls.playwright.stop()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        super().setUp()
        # Links in e-mails point at the live server, so a test can follow them.
        self.enterContext(override_settings(SITE_URL=self.live_server_url))
        self.contexts: list[Any] = []
        self.console_errors: list[str] = []
        self.addCleanup(self._close_contexts)

    def _callTestMethod(self, method: Any) -> None:
        try:
            super()._callTestMethod(method)  # type: ignore[misc]
        except unittest.SkipTest:
            raise
        except BaseException:
            self._save_pages()
            raise

    def _close_contexts(self) -> None:
        for context in self.contexts:
            context.close()

    def _save_pages(self) -> None:
        """After a failure, keep a screenshot and the HTML of every open page."""
        folder = Path(settings.VAR_DIR) / "browser-failures"
        folder.mkdir(parents=True, exist_ok=True)
        for i, page in enumerate(p for c in self.contexts for p in c.pages):
            stem = folder / f"{self.id().rsplit('.', 2)[-2]}.{self._testMethodName}-{i}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
            except Exception as e:  # diagnostics must not hide the failure itself
                print(f"could not save {stem}: {e}")
            else:
                print(f"saved {stem}.png and .html ({page.url})")

    # Browser helpers

    def new_page(self, *, mobile: bool = True, bypass_csp: bool = True, **options: Any) -> Any:
        """A page in a new, empty browser context (its own cookies and storage).

        `bypass_csp` lets axe-core be injected; pass False to browse under the
        site's real Content Security Policy.
        """
        context = self.browser.new_context(
            viewport=PHONE if mobile else DESKTOP,
            is_mobile=mobile,
            has_touch=mobile,
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
            bypass_csp=bypass_csp,
            **options,
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                self.console_errors.append(f"{page.url}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: self.console_errors.append(f"{page.url}: {exc}"))
        return page

    def url(self, path: str) -> str:
        return self.live_server_url + path

    def visit(self, page: Any, path: str) -> Any:
        response = page.goto(self.url(path))
        assert response is not None
        self.assertLess(response.status, 400, f"GET {path} answered {response.status}")
        return response

    def sign_in_as(self, page: Any, user: Any) -> None:
        """Give the page's context a signed-in session without going through the form."""
        client = Client()
        sign_in(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.live_server_url}]
        )

    def sign_in_with_form(self, page: Any, email: str, password: str) -> None:
        """Sign in as a person would: the password, then (for the secretariat, officers and
        staff who chose it) the code their authenticator app shows now. Someone who must
        use it but has none gets one first, as if set up at an earlier sign-in."""
        from tsunagari.accounts.models import User
        from tsunagari.twofactor import services

        user = User.objects.get(email=email)
        device = services.totp_device(user)
        if device is None and services.required(user):
            device = give_authenticator(user)
        self.visit(page, "/accounts/login/")
        page.locator("#id_username").fill(email)
        page.locator("#id_password").fill(password)
        page.get_by_role("main").get_by_role("button", name="ログイン").click()
        if device is not None:
            page.wait_for_url(re.compile(r"/accounts/2fa/verify/"))
            self.enter_code(page, totp_code(device))
        page.wait_for_url(re.compile(r"/my/$"))

    def enter_code(self, page: Any, code: str) -> None:
        """Type a code from the authenticator app on the second-factor page."""
        page.get_by_label("確認コード（6桁）").fill(code)
        page.get_by_role("main").get_by_role("button", name="確認する").click()

    def assert_accessible(self, page: Any) -> None:
        assert_accessible(page)

    def assert_no_console_errors(self) -> None:
        self.assertEqual(self.console_errors, [], "the browser reported errors")

    # Mail helpers

    def mails_to(self, address: str) -> list[Any]:
        return [m for m in mail.outbox if address in m.to]

    def link_in(self, message: Any) -> str:
        match = re.search(re.escape(self.live_server_url) + r"/\S+", message.body)
        self.assertIsNotNone(match, f"no link to the site in:\n{message.body}")
        assert match is not None
        return match.group(0)
