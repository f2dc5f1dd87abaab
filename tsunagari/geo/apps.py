from __future__ import annotations

from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "tsunagari.geo"

    def ready(self) -> None:
        from tsunagari.geo.models import Municipality
        from tsunagari.lib import pagecache

        # Names and choices of municipalities on the public pages.
        pagecache.bump_on_change("geo", Municipality)
