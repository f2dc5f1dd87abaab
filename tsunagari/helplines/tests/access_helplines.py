"""Access-matrix rows of the helplines (see core/tests/test_access_matrix.py): the help
page is everyone's; the management pages are the secretariat's."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
    everyone,
)

NOT_GET = (LOGIN, 405, 405, 405, 405)
_serial = count(1)


def line_url(suffix: str = "", **fields: Any) -> Callable[[Any], str]:
    """A fresh line (so that one persona's POST does not change the next one's)."""

    def make(t: Any) -> str:
        from tsunagari.helplines.tests.factory import make_line

        line = make_line(f"【テスト】マトリクスの窓口{next(_serial)}", **fields)
        return f"/secretariat/helplines/{line.pk}/{suffix}"

    return make


def period_only_url(t: Any) -> str:
    return line_url("period/", period_only=True)(t)


ROWS: list[Row] = [
    Row("helplines:help", "GET", "/help/", everyone(200)),
    Row("helplines:help", "GET", "/help/?wording=easy", everyone(200)),
    Row("helplines:line_list", "GET", "/secretariat/helplines/", SECRETARIAT_PAGE),
    Row("helplines:line_detail", "GET", line_url(), SECRETARIAT_PAGE),
    Row(
        "helplines:line_detail",
        "GET",
        "/secretariat/helplines/999999/",
        (LOGIN, 403, 403, 403, 404),
    ),
    Row(
        "helplines:line_verify",
        "POST",
        line_url("verify/"),
        SECRETARIAT_POST,
        data={"verify-source_url": "https://example.jp/seen", "verify-source_seen": "2026-01-05"},
    ),
    Row("helplines:line_verify", "GET", line_url("verify/"), NOT_GET),
    Row(
        "helplines:line_retire",
        "POST",
        line_url("retire/"),
        SECRETARIAT_POST,
        data={"retire-reason": "事業終了"},
    ),
    Row("helplines:line_restore", "POST", line_url("restore/", status="retired"), SECRETARIAT_POST),
    Row(
        "helplines:line_period",
        "POST",
        period_only_url,
        SECRETARIAT_POST,
        data={"period-starts_on": "2026-12-20", "period-ends_on": "2027-01-05"},
    ),
    Row("helplines:line_period", "GET", period_only_url, NOT_GET),
]
