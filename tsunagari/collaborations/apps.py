from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationsConfig(AppConfig):
    name = "tsunagari.collaborations"
    verbose_name = _("連携・協働")
