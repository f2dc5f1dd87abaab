"""Access-matrix rows of the awareness month (see core/tests/test_access_matrix.py): the
May page, its calendar and flyer are everyone's; the month's items are the secretariat's."""

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

ITEM_DATA = {
    "title": "【テスト】マトリクスの取組",
    "kind": "prefecture_event",
    "starts_on": "2027-05-16",
    "ends_on": "2027-05-16",
    "source": "テスト用の出典",
}


def item_url(suffix: str = "") -> Callable[[Any], str]:
    """A fresh item (so that one persona's POST does not change the next one's)."""

    def make(t: Any) -> str:
        from tsunagari.awareness.tests.factory import make_item

        item = make_item(f"【テスト】マトリクスの取組{next(_serial)}")
        return f"/secretariat/awareness-month/{item.pk}/{suffix}"

    return make


ROWS: list[Row] = [
    Row("awareness:current", "GET", "/awareness-month/", everyone(302)),
    Row("awareness:month", "GET", "/awareness-month/2027/", everyone(200)),
    Row("awareness:month", "GET", "/awareness-month/2027/?kind=event&week=2", everyone(200)),
    Row("awareness:month", "GET", "/awareness-month/1999/", everyone(404)),
    Row("awareness:ics", "GET", "/awareness-month/2027.ics", everyone(200)),
    Row("awareness:flyer", "GET", "/awareness-month/2027/flyer/", everyone(200)),
    Row("awareness:flyer_pdf", "GET", "/awareness-month/2027/flyer.pdf", everyone(200)),
    Row("api-v1:awareness_month", "GET", "/api/v1/awareness-month/2027", everyone(200)),
    Row("api-v1:awareness_month", "GET", "/api/v1/awareness-month/1999", everyone(422)),
    Row("api-v1:awareness_month", "POST", "/api/v1/awareness-month/2027", everyone(405)),
    Row("awareness:item_list", "GET", "/secretariat/awareness-month/", SECRETARIAT_PAGE),
    Row("awareness:item_new", "GET", "/secretariat/awareness-month/new/", SECRETARIAT_PAGE),
    Row(
        "awareness:item_new",
        "POST",
        "/secretariat/awareness-month/new/",
        SECRETARIAT_POST,
        data=ITEM_DATA,
    ),
    Row("awareness:item_edit", "GET", item_url("edit/"), SECRETARIAT_PAGE),
    Row("awareness:item_edit", "POST", item_url("edit/"), SECRETARIAT_POST, data=ITEM_DATA),
    Row(
        "awareness:item_edit",
        "GET",
        "/secretariat/awareness-month/999999/edit/",
        (LOGIN, 403, 403, 403, 404),
    ),
    Row("awareness:item_delete", "POST", item_url("delete/"), SECRETARIAT_POST),
    Row("awareness:item_delete", "GET", item_url("delete/"), NOT_GET),
]
