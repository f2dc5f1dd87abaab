from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "tsunagari.supporters"
    verbose_name = _("つながりサポーター養成講座")
