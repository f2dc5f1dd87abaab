from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplinesConfig(AppConfig):
    name = "tsunagari.helplines"
    verbose_name = _("全国・県の相談窓口")
