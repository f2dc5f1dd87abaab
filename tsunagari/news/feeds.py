"""The Atom feed of the published news (/news/feed.atom)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from tsunagari.news.models import Post
from tsunagari.news.templatetags.news import body_html

FEED_SIZE = 20


class NewsFeed(Feed[Post, None]):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("かながわつながりネットワークのお知らせ")

    def subtitle(self) -> str:
        return _("事務局と構成員からのお知らせ")

    # Absolute links to the site's own address (SITE_URL), whatever host was asked.
    def link(self) -> str:
        return settings.SITE_URL + reverse("news:post_list")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("news:feed")

    def author_name(self) -> str:
        return _("かながわつながりネットワーク事務局")

    def items(self) -> list[Post]:
        return list(Post.objects.published().for_list().newest_first()[:FEED_SIZE])

    def item_title(self, item: Post) -> str:
        return item.title

    def item_link(self, item: Post) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_description(self, item: Post) -> str:
        """The body as the page shows it: escaped, paragraphs and links only (the feed
        says type="html", so raw text with a "<" would be read as markup)."""
        return body_html(item.body)

    def item_pubdate(self, item: Post) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> dt.datetime | None:
        return item.updated_at

    def item_author_name(self, item: Post) -> str:
        if item.organization is not None:
            return item.organization.name
        return _("かながわつながりネットワーク事務局")

    def item_categories(self, item: Post) -> list[str]:
        return [str(item.get_category_display())]
