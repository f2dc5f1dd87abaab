"""Public JSON API of the news: GET /api/v1/news (published posts, newest first)."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tsunagari.lib import pagecache
from tsunagari.news.models import Post

router = Router(tags=["news"])

PER_PAGE = 20


class NewsPost(Schema):
    id: int
    title: str
    category: str = Field(description="notice / event / recruiting / report")
    category_label: str = Field(description="分類の表示名")
    organization: str | None = Field(description="発信した構成員。null は事務局")
    published_at: dt.datetime
    body: str = Field(description="本文（プレーンテキスト）")
    url: str = Field(description="公開ページのURL")


class NewsPage(Schema):
    count: int
    page: int
    pages: int
    results: list[NewsPost]


class NewsFilters(Schema):
    page: int = Field(1, ge=1, le=100_000)


def _page(page: int) -> NewsPage:
    posts = Post.objects.published().for_list().newest_first()
    count = posts.count()
    start = (page - 1) * PER_PAGE
    results = [
        NewsPost(
            id=post.pk,
            title=post.title,
            category=post.category,
            category_label=str(post.get_category_display()),
            organization=post.organization.name if post.organization else None,
            published_at=post.published_at,  # type: ignore[arg-type]  # published: set
            body=post.body,
            url=settings.SITE_URL + post.get_absolute_url(),
        )
        for post in posts[start : start + PER_PAGE]
    ]
    return NewsPage(
        count=count, page=page, pages=max(1, math.ceil(count / PER_PAGE)), results=results
    )


@router.get("/news", response=NewsPage, summary="お知らせの一覧 (published news)")
def list_news(request: HttpRequest, filters: Query[NewsFilters]) -> NewsPage:
    """公開中のお知らせ、新しい順に20件ずつ。Published news posts, newest first, 20 a page."""
    return pagecache.remember(
        "news-api", ("news", "members"), (filters.page,), lambda: _page(filters.page)
    )
