from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tsunagari.network"
    verbose_name = _("つながりの見える化（ネットワーク）")
