"""System checks for configuration that can be wrong at start-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


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
