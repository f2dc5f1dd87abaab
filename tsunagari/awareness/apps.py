from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    name = "tsunagari.awareness"
    verbose_name = _("孤独・孤立対策強化月間")
