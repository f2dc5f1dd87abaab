from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tsunagari.core"

    def ready(self) -> None:
        from tsunagari.core import checks  # noqa: F401  (registers the checks)
