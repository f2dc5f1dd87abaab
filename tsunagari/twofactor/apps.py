from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "tsunagari.twofactor"
    verbose_name = _("2段階認証")
