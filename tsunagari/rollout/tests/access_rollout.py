"""Access-matrix rows: the roll-out: /rollout/, municipality pages, population figures, /about/.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
    everyone,
)

_day = count(1)


def edit_data(t: Any, url: str) -> dict[str, Any]:
    """The row as it stands (with the version seen), moved to the second stage."""
    from tsunagari.rollout.models import MunicipalityRollout

    row = MunicipalityRollout.objects.get(pk="142051")
    return {
        "stage": "third" if row.stage == "second" else "second",
        "local_platform": row.local_platform,
        "local_platform_name": row.local_platform_name,
        "local_platform_since": row.local_platform_since or "",
        "local_platform_url": row.local_platform_url,
        "note": row.note,
        "source": row.source,
        "reason": "アクセス確認",
        "seen": row.updated_at.isoformat(),
    }


def population_data(t: Any, url: str) -> dict[str, Any]:
    return {
        "municipality": "142051",
        "population": "440000",
        "as_of": f"2025-01-{next(_day) % 28 + 1:02d}",
        "source_name": "テスト用の出典",
    }


ROWS: list[Row] = [
    Row("rollout:rollout", "GET", "/rollout/", everyone(200)),
    Row("rollout:rollout_csv", "GET", "/rollout.csv", everyone(200)),
    Row("rollout:municipality", "GET", "/municipalities/142051/", everyone(200)),
    Row(
        "rollout:municipality",
        "GET",
        "/municipalities/141097/",
        everyone(301),
        note="a ward: to its city",
    ),
    Row("rollout:edit", "GET", "/rollout/142051/edit/", SECRETARIAT_PAGE),
    Row("rollout:edit", "POST", "/rollout/142051/edit/", SECRETARIAT_POST, data=edit_data),
    Row(
        "rollout:history",
        "GET",
        "/rollout/142051/history/",
        (LOGIN, 403, 403, 200, 200),
        note="the officers of that municipality and the secretariat",
    ),
    Row(
        "rollout:history",
        "GET",
        "/rollout/142042/history/",
        (LOGIN, 403, 403, 403, 200),
        note="another municipality's officer: no",
    ),
    Row("rollout:population", "GET", "/secretariat/population/", SECRETARIAT_PAGE),
    Row(
        "rollout:population",
        "POST",
        "/secretariat/population/",
        SECRETARIAT_POST,
        data=population_data,
    ),
    Row("rollout:about", "GET", "/about/", everyone(200)),
    Row("api-v1:rollout_list", "GET", "/api/v1/rollout", everyone(200)),
    Row(
        "api-v1:rollout_detail",
        "GET",
        "/api/v1/rollout/142051",
        everyone(200),
    ),
]
