"""Log records as one JSON object a line, for a log collector (LOG_FORMAT=json).

Each line has `time` (UTC, ISO 8601), `level`, `logger` and `message`, the fields a
caller passed in `extra=` (the request log's method, path, status...), `request_id`
when the line was written while serving a request (core/requestlog.py), and the
traceback as `exception`. Django's `request` extra is left out (its query string).
Values that are not JSON are written as their str().
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# The id of the request being served in this thread, for every line logged meanwhile.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# Attributes every LogRecord has: anything else on a record came from `extra=`.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id:
            line["request_id"] = request_id
        for key, value in record.__dict__.items():
            # Django's `request` (django.request, django.security) would print the query
            # string, which may hold personal data; the request id says which it was.
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
