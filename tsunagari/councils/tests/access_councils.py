"""Access-matrix rows of the local councils (see core/tests/test_access_matrix.py).

The list and the public notice are everyone's; a municipality's officers register and
edit their own municipality's councils (another municipality's: 403); the secretariat
all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count
from typing import Any

from tsunagari.core.tests.test_access_matrix import LOGIN, Row, everyone, seen_of

_serial = count(1)
OFFICERS_PAGE = (LOGIN, 403, 403, 200, 200)
OFFICERS_POST = (LOGIN, 403, 403, 302, 302)


def council_url(suffix: str = "", *, code: str = "142051") -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.councils.models import LocalCouncil

        council = LocalCouncil.objects.create(
            municipality_id=code,
            name=f"【テスト】地域協議会{next(_serial)}",
            coordinating_body="福祉課",
            established_on=dt.date(2025, 4, 1),
        )
        council.member_bodies.create(name="【テスト】構成機関")
        return f"/councils/{council.pk}/{suffix}"

    return make


def council_data(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.councils.models import LocalCouncil

    return {
        **seen_of(LocalCouncil, url),
        "municipality": "142051",
        "name": f"【テスト】新しい地域協議会{next(_serial)}",
        "coordinating_body": "福祉課",
        "established_on": "令和7年4月1日",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-name": "【テスト】構成機関",
    }


ROWS: list[Row] = [
    Row("councils:council_list", "GET", "/councils/", everyone(200)),
    Row("api-v1:list_councils", "GET", "/api/v1/councils", everyone(200)),
    Row("councils:council_detail", "GET", council_url(), everyone(200)),
    Row("councils:council_detail", "GET", "/councils/999999/", everyone(404)),
    Row("councils:council_new", "GET", "/councils/new/", OFFICERS_PAGE),
    Row("councils:council_new", "POST", "/councils/new/", OFFICERS_POST, data=council_data),
    Row("councils:council_edit", "GET", council_url("edit/"), OFFICERS_PAGE),
    Row(
        "councils:council_edit",
        "GET",
        council_url("edit/", code="141003"),
        (LOGIN, 403, 403, 403, 200),
        note="another municipality's council",
    ),
    Row("councils:council_edit", "POST", council_url("edit/"), OFFICERS_POST, data=council_data),
    Row(
        "councils:council_edit",
        "POST",
        council_url("edit/", code="141003"),
        (LOGIN, 403, 403, 403, 302),
        data=council_data,
        note="another municipality's council",
    ),
]
