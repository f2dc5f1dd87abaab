"""Access-matrix rows of this part of surveys (see core/tests/test_access_matrix.py)."""

from __future__ import annotations

import time
from typing import Any

from tsunagari.core.tests.test_access_matrix import Row, everyone
from tsunagari.lib.antibot import issue_token


def selfcheck_answers(t: Any, url: str) -> dict[str, Any]:
    """A resident's answers, from a form shown a minute ago (a fresh one each time, so
    that no cell is taken for a reload of the one before)."""
    return {
        "ucla_1": "2",
        "ucla_2": "2",
        "ucla_3": "3",
        "direct": "3",
        "municipality": "142051",
        "helps": ["talk"],
        "shown_at": issue_token(now=time.time() - 60),
        "homepage": "",
    }


ROWS: list[Row] = [
    Row("surveys:selfcheck", "GET", "/selfcheck/", everyone(200)),
    Row("surveys:selfcheck", "GET", "/selfcheck/?wording=easy", everyone(200)),
    Row(
        "surveys:selfcheck",
        "POST",
        "/selfcheck/",
        everyone(200),
        data=selfcheck_answers,
        note=(
            "the result is rendered in the answer to the POST (200, not a redirect), so "
            "that answers never appear in a URL"
        ),
    ),
    Row(
        "api-v1:score_selfcheck",
        "POST",
        "/api/v1/selfcheck/score",
        everyone(422),
        data={"indirect": "1"},
        note=(
            "the matrix posts form data, which is not JSON: the same 422 for everyone, "
            "signed in or not; JSON bodies are in test_score_api"
        ),
    ),
    Row("api-v1:score_selfcheck", "GET", "/api/v1/selfcheck/score", everyone(405)),
]
