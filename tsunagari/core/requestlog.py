"""One log line per request (logger `tsunagari.request`), with a request id.

The id comes from the reverse proxy's X-Request-ID (nginx's $request_id) when it is
well-formed, else it is made here; it is sent back as X-Request-ID and put on every
log line written while the request is served (lib/jsonlog.py), so one id finds the
nginx line, the app line and any error between them.

What a line says: method, path without the query string (a search or a link may
carry personal data there), status, duration, the kind of person (`role`: anonymous,
or the capacities: secretariat / officer / member, or `none` for an account without
any) and the process (`instance`, host:pid). Never who: no user id, name or address,
and no client address either (nginx's own log has that, for as long as it keeps it).

The health checks (/healthz, /readyz) are polled every few seconds: logged only when
they fail.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from tsunagari.lib.jsonlog import current_request_id

logger = logging.getLogger("tsunagari.request")

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; a UUID or another proxy's token also fits.
WELL_FORMED_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
QUIET_PATHS = frozenset({"/healthz", "/readyz"})
HOSTNAME = socket.gethostname()


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if WELL_FORMED_ID.match(given) else uuid.uuid4().hex


def role_of(request: HttpRequest) -> str:
    """The kinds of capacity of whoever made the request, e.g. "secretariat+member".
    Read only if the request already read the user: logging adds no query."""
    user = getattr(request, "user", None)
    if user is None:
        return "anonymous"
    if getattr(user, "_wrapped", None) is empty:
        # Nothing in this request asked who it was (a public page without the user in
        # its template): whether a session cookie came is all we know without a query.
        return "unresolved" if settings.SESSION_COOKIE_NAME in request.COOKIES else "anonymous"
    if not user.is_authenticated:
        return "anonymous"
    kinds = []
    if getattr(user, "is_secretariat", False):
        kinds.append("secretariat")
    if getattr(user, "is_municipality_officer", False):
        kinds.append("officer")
    if getattr(user, "is_member_staff", False):
        kinds.append("member")
    return "+".join(kinds) or "none"


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        # Until the response is closed (request_finished): Django logs a 4xx/5xx after
        # the middleware returns.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        if request.path not in QUIET_PATHS or response.status_code >= 500:
            self.log(request, response.status_code, started)
        return response

    def log(self, request: HttpRequest, status: int, started: float) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "%s %s %s %sms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "request_id": request.request_id,  # type: ignore[attr-defined]
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "role": role_of(request),
                "instance": f"{HOSTNAME}:{os.getpid()}",
            },
        )


@receiver(request_finished)
def forget_request_id(**kwargs: object) -> None:
    current_request_id.set("")
