from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "tsunagari.news"
    verbose_name = _("お知らせ・会員向けメール")
