"""The self-check's public scoring endpoint: POST /api/v1/selfcheck/score.

Scores a set of answers exactly as the national survey does (scoring.score) and stores
nothing: no sign-in, no CSRF token, no record of the request. The body is read here
rather than by a Ninja schema so that every bad body (not JSON, not an object, a
boolean, a fraction or a string where an answer should be, an answer out of range) gets the same
422 with a message per problem, and never a 500.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from tsunagari.lib import throttle
from tsunagari.lib.apierrors import ProblemOut, problem_body
from tsunagari.surveys import scoring

router = Router(tags=["selfcheck"])

IndirectItem = Annotated[int, Field(ge=scoring.INDIRECT_MIN, le=scoring.INDIRECT_MAX)]


class ScoreIn(Schema):
    """The four answers of the self-check (documentation of the request body)."""

    indirect: list[IndirectItem] = Field(
        ...,
        min_length=scoring.INDIRECT_ITEMS,
        max_length=scoring.INDIRECT_ITEMS,
        description=(
            "間接質問（UCLA孤独感尺度 3項目短縮版）の答え、順に 人とのつきあいが無い・"
            "取り残されている・孤立している: 1 決してない, 2 ほとんどない, 3 時々ある, "
            "4 常にある. Integers (4.0 is the integer 4)."
        ),
        examples=[[2, 3, 2]],
    )
    direct: int = Field(
        ...,
        ge=scoring.DIRECT_MIN,
        le=scoring.DIRECT_MAX,
        description=(
            "直接質問の答え: 1 決してない, 2 ほとんどない, 3 たまにある, 4 時々ある, "
            "5 しばしばある・常にある. An integer."
        ),
        examples=[3],
    )


class ScoreOut(Schema):
    indirect_score: int = Field(
        ..., ge=scoring.SCORE_MIN, le=scoring.SCORE_MAX, description="間接質問の合計 (3–12)"
    )
    indirect_band: Literal["never", "hardly", "sometimes", "always"] = Field(
        ...,
        description="全国調査の区分: never 3, hardly 4–6, sometimes 7–9, always 10–12",
    )
    direct_level: int = Field(
        ..., ge=scoring.DIRECT_MIN, le=scoring.DIRECT_MAX, description="直接質問の答え (1–5)"
    )
    direct_lonely: bool = Field(
        ..., description="直接質問で「孤独感がある」に数えられるか (3–5: たまにある以上)"
    )


def _problem(detail: str, errors: dict[str, str]) -> Status[dict[str, Any]]:
    return Status(422, problem_body(detail, errors))


def _as_number(value: object) -> object:
    """JSON has one kind of number: 4.0 is the integer 4 (as JSON Schema says), 4.5 is not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_body(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    """The parsed JSON body, or the problems that make it unreadable."""
    try:
        return json.loads(request.body), {}
    except RequestDataTooBig:
        return None, {"body": "the body is too large"}
    except (ValueError, RecursionError):  # not JSON, not UTF-8, absurdly nested or long
        return None, {"body": "the body must be a JSON object"}


DESCRIPTION = """
Scores one set of self-check answers with the national survey's method
(内閣府「孤独・孤立の実態把握に関する全国調査」) and **stores nothing**. No sign-in and
no CSRF token are needed.

- `indirect`: the three answers of the UCLA Loneliness Scale short form, each an
  integer 1–4; `indirect_score` is their sum (3–12) and `indirect_band` the survey's
  reporting band (3 / 4–6 / 7–9 / 10–12). The survey counts 7–12 as "feels lonely".
- `direct`: the direct question, an integer 1–5; `direct_lonely` is true for 3–5.

Any other body (not JSON, not an object, a missing field, a list of another length, a
boolean, a number with a fraction or a string as an answer, an answer out of range) is
answered with 422 and one message per problem in `errors`. JSON has one kind of number,
so `4.0` is the answer 4, as the schema's `integer` says.

Limit: API_THROTTLE_SCORES_PER_MINUTE requests a minute per network (120 by default;
see the API's description); over it, 429 with `Retry-After`.
"""


@router.post(
    "/selfcheck/score",
    response={200: ScoreOut, 422: ProblemOut},
    throttle=[throttle.SCORES],
    summary="セルフチェックの採点 (score a loneliness self-check; stores nothing)",
    description=DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": ScoreIn.model_json_schema(),
                    "example": {"indirect": [2, 3, 2], "direct": 3},
                }
            },
        }
    },
)
def score_selfcheck(request: HttpRequest) -> Status[dict[str, Any]]:
    payload, problems = _read_body(request)
    if problems:
        return _problem("The body is not a JSON object.", problems)
    if not isinstance(payload, dict):
        return _problem(
            "The body must be a JSON object.",
            {"body": 'expected an object like {"indirect": [1, 2, 3], "direct": 1}'},
        )
    missing = {
        name: "this field is required" for name in ("indirect", "direct") if name not in payload
    }
    try:
        indirect = payload.get("indirect")
        if isinstance(indirect, list):
            indirect = [_as_number(v) for v in indirect]
        result = scoring.score(indirect, _as_number(payload.get("direct")))
    except scoring.ScoreError as e:
        return _problem("Some answers are missing or out of range.", {**e.problems, **missing})
    return Status(200, result.as_json())
