from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "tsunagari.news"
    verbose_name = _("お知らせ・会員向けメール")

    def ready(self) -> None:
        from tsunagari.lib.pagecache import bump_on_change
        from tsunagari.news.models import Post

        # The public news pages and the feed are cached for anonymous visitors.
        bump_on_change("news", Post)
