from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    name = "tsunagari.awareness"
    verbose_name = _("孤独・孤立対策強化月間")

    def ready(self) -> None:
        from tsunagari.awareness.models import AwarenessItem
        from tsunagari.lib.pagecache import bump_on_change

        # The May page, its flyer and the home page's banner read the month's items.
        bump_on_change("awareness", AwarenessItem)
