"""The error bodies of the JSON API, and how the OpenAPI document states them.

Every error is a JSON object with a one-sentence `detail`:

- 404 `{"detail": "Not Found"}`: an unknown id in the path.
- 422 `{"detail": "...", "errors": {"<field>": "<message>", ...}}`: a bad parameter or
  body, one message per bad field (`errors` may be empty when the problem is the
  combination of fields).
- 429 `{"detail": "...", "retry_after": <seconds>}` with the same number in the
  Retry-After header: too many requests from one network (tsunagari/lib/throttle.py).

`document_errors` adds these responses to every operation of the OpenAPI document that
can give them, so the document and the server say the same (checked by schemathesis in
scripts/api-fuzz).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError, Throttled, ValidationError

from tsunagari.lib.throttle import too_many_body

MESSAGE_LIMIT = 200  # characters of one message: a bad value is echoed only in part


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in one sentence")


class ProblemOut(Schema):
    detail: str = Field(..., description="What was wrong, in one sentence")
    errors: dict[str, str] = Field(
        ...,
        description="One message per bad field (a parameter or body field name, "
        'e.g. "page", "indirect[1]"); empty when the fields are wrong only together',
        examples=[{"page": "Input should be greater than or equal to 1"}],
    )


class TooManyOut(Schema):
    detail: str = Field(..., description="Why the request was refused")
    retry_after: int = Field(..., ge=1, description="Seconds to wait (as in Retry-After)")


class ApiProblem(HttpError):
    """A 422 naming each bad field: raise ApiProblem("...", {"page": "..."})."""

    def __init__(self, detail: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(422, detail)
        self.errors = errors or {}


def _short(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + "…"


def problem_body(detail: str, errors: dict[str, str]) -> dict[str, Any]:
    return {"detail": _short(detail), "errors": {k: _short(v) for k, v in errors.items()}}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """("query", "page") -> "page"; ("body", "payload", "indirect", 1) -> "indirect[1]"."""
    parts = list(loc[1:]) if loc and loc[0] in ("query", "path", "body", "header") else list(loc)
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "request"


def install_handlers(api: NinjaAPI) -> None:
    """Every error the API gives has the body its OpenAPI document states."""

    # Ninja types a handler's exception loosely (the class or an instance): Any here.
    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(_field_name(error.get("loc", ())), str(error.get("msg", "")))
        return api.create_response(
            request, problem_body("Some parameters are not valid.", errors), status=422
        )

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 422:
            body = problem_body(str(exc), getattr(exc, "errors", {}))
        else:
            body = {"detail": str(exc)}
        return api.create_response(request, body, status=exc.status_code)

    def throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        # Ninja adds the Retry-After header: ceil(wait), the same number.
        body = too_many_body(max(1, math.ceil(exc.wait or 1)))
        return api.create_response(request, body, status=429)

    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Throttled, throttled)


def _component(schema: type[Schema]) -> dict[str, Any]:
    return schema.model_json_schema(ref_template="#/components/schemas/{model}")


def _json_response(description: str, name: str, headers: dict[str, Any] | None = None) -> Any:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request (1–60)",
        "required": True,
        "schema": {"type": "string", "pattern": r"^[1-9]\d*$"},
    }
}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent or a string: `anyOf: [X, null]` is just X."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        rest = [o for o in options if o != {"type": "null"}]
        if len(rest) == 1 and len(rest) < len(options):
            merged = {k: v for k, v in schema.items() if k != "anyOf"}
            merged.update(rest[0])
            return merged
    return schema


def document_errors(
    schema: dict[str, Any],
    choices: dict[str, Callable[[], dict[str, list[Any]]]],
    throttled: bool = True,
) -> dict[str, Any]:
    """Add to the OpenAPI document (in place) the error responses each operation can give.

    404 where the path has an id; 422 where there are parameters or a body; 429 on
    every throttled operation. `choices` gives, per operation id, the values a
    parameter accepts that only the database knows (the municipality codes, the
    kinds...): the document lists them as an enum, as the server checks them.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ProblemOut, TooManyOut):
        components[model.__name__] = _component(model)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            responses = operation.setdefault("responses", {})
            choose = choices.get(operation.get("operationId", ""))
            enums = choose() if choose else {}
            for parameter in parameters:
                if parameter.get("in") in ("query", "path"):
                    parameter["schema"] = _without_null(parameter.get("schema", {}))
                if parameter["name"] in enums and enums[parameter["name"]]:
                    parameter["schema"]["enum"] = enums[parameter["name"]]
            if any(p.get("in") == "path" for p in parameters):
                responses.setdefault("404", _json_response("No such item", "ErrorOut"))
            if parameters or "requestBody" in operation:
                responses.setdefault(
                    "422",
                    _json_response("A parameter or the body is not valid", "ProblemOut"),
                )
            if throttled:
                responses.setdefault(
                    "429",
                    _json_response(
                        "Too many requests from one network (see the API's description)",
                        "TooManyOut",
                        RETRY_AFTER,
                    ),
                )
    return schema
