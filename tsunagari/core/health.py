"""Health checks for the load balancer, the orchestrator and the operators.

- /healthz: the process answers (liveness). No database, no cache: a database outage
  must not make a supervisor restart every web process.
- /readyz: this process can serve (readiness): the database answers, the cache
  answers, a task worker beat recently (core.WorkerHeartbeat) and no task has waited
  to run too long. 200 when every check passes, 503 otherwise; each check's status in
  the JSON. Thresholds: READY_WORKER_MAX_AGE_SECONDS, READY_TASK_MAX_AGE_SECONDS.

Both are public (no sign-in, no second factor, no HTTPS redirect: settings.
SECURE_REDIRECT_EXEMPT), are never cached, and say nothing about the data: a failed
check names the exception class only. The request log writes them only when they fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tsunagari.core.models import WorkerHeartbeat

Check = dict[str, Any]


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_cache() -> Check:
    """A write and a read back: the rate limits and the sessions need both."""
    key = "health:" + get_random_string(12)
    cache.set(key, "1", 10)
    found = cache.get(key)
    cache.delete(key)
    return {"status": "ok" if found == "1" else "fail"}


def check_worker() -> Check:
    age = WorkerHeartbeat.objects.newest_age()
    if age is None:
        return {"status": "fail", "reason": "no heartbeat"}
    status = "ok" if age <= settings.READY_WORKER_MAX_AGE_SECONDS else "fail"
    return {"status": status, "age_seconds": round(age, 1)}


def oldest_pending_age() -> float | None:
    """Seconds the oldest task that is due has waited: since it was queued, or since
    its `run_after` when it was deferred (a mail's retry)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    since = [
        ready.filter(run_after=get_date_max()).aggregate(t=Min("enqueued_at"))["t"],
        ready.exclude(run_after=get_date_max()).aggregate(t=Min("run_after"))["t"],
    ]
    due = [t for t in since if t is not None]
    return (now - min(due)).total_seconds() if due else None


def check_tasks() -> Check:
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return {"status": "ok", "reason": "no database queue"}
    age = oldest_pending_age()
    if age is None:
        return {"status": "ok", "oldest_pending_seconds": 0}
    status = "ok" if age <= settings.READY_TASK_MAX_AGE_SECONDS else "fail"
    return {"status": status, "oldest_pending_seconds": round(age, 1)}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "cache": check_cache,
    "worker": check_worker,
    "tasks": check_tasks,
}


def run_check(check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as e:  # any failure is a failed check, never a 500
        result = {"status": "fail", "error": type(e).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results = {name: run_check(check) for name, check in CHECKS.items()}
    ok = all(result["status"] == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503
    )
