"""Access-matrix rows: adoption of model cases, the recipe PDF and the JSON export.

Only a municipality's officers record an adoption (for their own municipality); the
adoptions page is theirs and the secretariat's. The recipe and the JSON of a published
case are everyone's; a draft's recipe is for its writers and the secretariat. The API is
public. See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from tsunagari.core.tests.test_access_matrix import LOGIN, Row, everyone

_serial = count(1)
OFFICERS_ONLY_PAGE = (LOGIN, 403, 403, 200, 403)
OFFICERS_ONLY_POST = (LOGIN, 403, 403, 302, 403)


def case_url(suffix: str = "", *, draft: bool = False) -> Callable[[Any], str]:
    """A fresh case for every cell (a draft belongs to `organization`, staff's)."""

    def make(t: Any) -> str:
        from tsunagari.cases.models import ModelCase
        from tsunagari.cases.tests.adoption_factory import make_case

        fields: dict[str, Any] = {}
        if draft:
            fields = {"status": ModelCase.Status.DRAFT, "organization": t.organization}
        case = make_case(f"【テスト】マトリクスの事例{next(_serial)}", **fields)
        return f"/cases/{case.pk}{suffix}"

    return make


def adopt_data(t: Any, url: str) -> dict[str, Any]:
    return {"municipality": "142051", "stage": "interest", "on": "令和7年7月1日", "note": ""}


ROWS: list[Row] = [
    Row("cases:adopt", "GET", case_url("/adopt/"), OFFICERS_ONLY_PAGE),
    Row("cases:adopt", "POST", case_url("/adopt/"), OFFICERS_ONLY_POST, data=adopt_data),
    Row("cases:adopt", "GET", "/cases/999999/adopt/", (LOGIN, 403, 403, 404, 403)),
    Row("cases:adopt", "GET", case_url("/adopt/", draft=True), (LOGIN, 403, 403, 404, 403)),
    Row("cases:adoption_list", "GET", "/cases/adoptions/", (LOGIN, 403, 403, 200, 200)),
    Row("cases:recipe_pdf", "GET", case_url("/recipe.pdf"), everyone(200)),
    Row(
        "cases:recipe_pdf",
        "GET",
        case_url("/recipe.pdf", draft=True),
        (404, 200, 404, 404, 200),
        note="a draft: its writers and the secretariat",
    ),
    Row("cases:recipe_pdf", "GET", "/cases/999999/recipe.pdf", everyone(404)),
    Row("cases:case_json", "GET", case_url(".json"), everyone(200)),
    Row("cases:case_json", "GET", case_url(".json", draft=True), everyone(404)),
    Row("cases:cases_json", "GET", "/cases.json", everyone(200)),
    Row("api-v1:list_cases", "GET", "/api/v1/cases", everyone(200)),
    Row("api-v1:get_case", "GET", "/api/v1/cases/999999", everyone(404)),
    Row("api-v1:get_case", "GET", lambda t: "/api/v1" + case_url()(t), everyone(200)),
    Row("api-v1:case_adoptions", "GET", "/api/v1/cases/adoptions", everyone(200)),
]
