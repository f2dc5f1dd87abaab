"""System checks for configuration that can be wrong at start-up."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.http.request import validate_host


@register(deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development key while DEBUG is off.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="tsunagari.E001",
            )
        ]
    return []


@register()
def check_task_backend(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.TASKS["default"]["BACKEND"]
    if "Immediate" in backend or "Dummy" in backend:
        return [
            Warning(
                f"The task backend is {backend}; e-mails will not go through a worker.",
                hint="Use django_tasks_db.DatabaseBackend and run `manage.py db_worker`.",
                id="tsunagari.W001",
            )
        ]
    return []


@register(deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Invitation and password links are built from SITE_URL; they must lead to this site."""
    parts = urlsplit(settings.SITE_URL)
    problems = []
    if settings.HTTPS and parts.scheme != "https":
        problems.append("does not start with https://")
    if not parts.hostname or not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        problems.append("is not one of ALLOWED_HOSTS")
    if problems:
        return [
            Warning(
                f"SITE_URL {settings.SITE_URL!r} {' and '.join(problems)}; "
                "links in e-mails would not lead to this site.",
                hint="Set SITE_URL to the public address, e.g. https://tsunagari.example.jp",
                id="tsunagari.W002",
            )
        ]
    return []
