from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "tsunagari.insights"
    verbose_name = _("可視化")

    def ready(self) -> None:
        from tsunagari.insights import signals

        signals.connect()
