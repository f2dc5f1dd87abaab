from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "tsunagari.meetings"
    verbose_name = _("協議の場（会議）")
