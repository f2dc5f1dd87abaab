from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "tsunagari.councils"
    verbose_name = _("孤独・孤立対策地域協議会")
