"""Each request is one JSON log line: what happened and to which kind of person, never
who; with a request id that the response carries too."""

from __future__ import annotations

import json
import logging
import os
import re

from tsunagari.lib.jsonlog import JsonFormatter
from tsunagari.test import BaseTestCase

FIELDS = {"method", "path", "status", "duration_ms", "role", "instance", "request_id"}


class RequestLogTestCase(BaseTestCase):
    def lines(self, url: str, **headers: str) -> tuple[list[dict[str, object]], str]:
        """The request log's lines of one GET, as the JSON formatter writes them, and the
        response's X-Request-ID."""
        with self.assertLogs("tsunagari.request", logging.INFO) as logs:
            r = self.client.get(url, headers=headers)
            # assertLogs needs one line; the request may legitimately log none.
            logging.getLogger("tsunagari.request").info("end")
        formatter = JsonFormatter()
        written = [formatter.format(record) for record in logs.records[:-1]]
        for line in written:
            self.assertNotIn("\n", line)
        return [json.loads(line) for line in written], r["X-Request-ID"]

    def test_a_request_is_one_line_with_its_facts(self) -> None:
        [line], request_id = self.lines("/resources/?q=山田花子&near=35.3,139.4")
        self.assertLessEqual(FIELDS, line.keys())
        self.assertEqual(
            (line["logger"], line["method"], line["path"], line["status"], line["role"]),
            ("tsunagari.request", "GET", "/resources/", 200, "anonymous"),
        )
        self.assertEqual(line["request_id"], request_id)
        self.assertRegex(request_id, r"^[0-9a-f]{32}$")
        self.assertEqual(line["instance"], f"{os.uname().nodename}:{os.getpid()}")
        self.assertIsInstance(line["duration_ms"], float)

    def test_the_query_string_is_never_written(self) -> None:
        [line], _ = self.lines("/resources/?q=山田花子&near=35.3,139.4")
        text = json.dumps(line, ensure_ascii=False)
        self.assertNotIn("山田花子", text)
        self.assertNotIn("35.3", text)

    def test_a_signed_in_person_is_known_by_kind_only(self) -> None:
        self.login(self.secretariat)
        [line], _ = self.lines("/my/")
        self.assertEqual((line["status"], line["role"]), (200, "secretariat"))
        text = json.dumps(line, ensure_ascii=False)
        for identity in (self.secretariat.email, self.secretariat.full_name):
            self.assertNotIn(identity, text)
        self.assertNotIn(f'"{self.secretariat.pk}"', text)
        self.assertNotIn("user", line)

    def test_member_staff_and_officers_are_their_kinds(self) -> None:
        self.login(self.staff)
        [line], _ = self.lines("/my/")
        self.assertEqual(line["role"], "member")
        self.login(self.officer)
        [line], _ = self.lines("/my/")
        self.assertEqual(line["role"], "officer")

    def test_the_proxys_request_id_is_kept_and_echoed(self) -> None:
        given = "0123456789abcdef0123456789abcdef"
        [line], echoed = self.lines("/", X_Request_ID=given)
        self.assertEqual((line["request_id"], echoed), (given, given))

    def test_a_malformed_request_id_is_replaced(self) -> None:
        for bad in ("short", "x" * 200, "abc def ghi jkl", "<script>alert(1)</script>"):
            [line], echoed = self.lines("/", X_Request_ID=bad)
            self.assertNotEqual(echoed, bad)
            self.assertTrue(re.fullmatch(r"[0-9a-f]{32}", echoed))
            self.assertEqual(line["request_id"], echoed)

    def test_health_checks_are_not_logged_while_they_pass(self) -> None:
        lines, _ = self.lines("/healthz")
        self.assertEqual(lines, [])

    def test_a_failing_readiness_check_is_logged(self) -> None:
        [line], _ = self.lines("/readyz")  # no worker in the tests
        self.assertEqual((line["path"], line["status"]), ("/readyz", 503))

    def test_other_lines_written_during_a_request_carry_its_id(self) -> None:
        written = Collect()
        django_request = logging.getLogger("django.request")
        django_request.addHandler(written)
        self.addCleanup(django_request.removeHandler, written)
        r = self.client.get("/no-such-page/?email=hanako@example.org")
        self.assertEqual(r.status_code, 404)
        [line] = [json.loads(text) for text in written.lines]
        self.assertEqual((line["level"], line["request_id"]), ("WARNING", r["X-Request-ID"]))
        self.assertNotIn("hanako", json.dumps(line))  # Django's request object is left out


class Collect(logging.Handler):
    """Lines as the JSON formatter writes them at the moment they are logged."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class JsonFormatterTestCase(BaseTestCase):
    def test_an_exception_is_one_line_with_its_traceback(self) -> None:
        logger = logging.getLogger("tsunagari.test")
        with self.assertLogs(logger) as logs:
            try:
                raise ValueError("壊れた")
            except ValueError:
                logger.exception("失敗 %s", 1)
        text = JsonFormatter().format(logs.records[0])
        line = json.loads(text)
        self.assertEqual((line["level"], line["message"]), ("ERROR", "失敗 1"))
        self.assertIn("ValueError: 壊れた", line["exception"])
        self.assertEqual(text.count("\n"), 0)
