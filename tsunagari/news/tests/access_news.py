"""Access-matrix rows of news (see core/tests/test_access_matrix.py): the news pages and
the feed are everyone's; member staff write posts for their organisation and the
secretariat reviews them; the mailings are the secretariat's, the subscription setting
each member staff's own, and the one-click unsubscribe answers whoever holds the link."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
    everyone,
)

NOT_GET = (LOGIN, 405, 405, 405, 405)
# The secretariat and the post's own organisation's staff.
EDITOR_PAGE = (LOGIN, 200, 403, 403, 200)
EDITOR_POST = (LOGIN, 302, 403, 403, 302)
WRITER_PAGE = (LOGIN, 200, 200, 403, 200)
WRITER_POST = (LOGIN, 302, 302, 403, 302)
STAFF_PAGE = (LOGIN, 200, 200, 403, 403)
_serial = count(1)


def post_url(suffix: str = "", **fields: Any) -> Callable[[Any], str]:
    """A fresh post of the staff persona's organisation (a POST changes it)."""

    def make(t: Any) -> str:
        from tsunagari.news.tests.factory import make_post

        fields.setdefault("status", "draft")
        post = make_post(
            f"【テスト】マトリクスのお知らせ{next(_serial)}",
            organization=t.organization,
            author=t.staff,
            **fields,
        )
        return f"/news/manage/{post.pk}/{suffix}"

    return make


def public_post_url(t: Any) -> str:
    from tsunagari.news.tests.factory import make_post

    return f"/news/{make_post(f'【テスト】公開のお知らせ{next(_serial)}').pk}/"


def draft_public_url(t: Any) -> str:
    from tsunagari.news.tests.factory import make_post

    post = make_post("【テスト】下書き", status="draft", organization=t.organization)
    return f"/news/{post.pk}/"


def mailing_url(suffix: str = "") -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.news.tests.factory import make_mailing

        return f"/news/mailings/{make_mailing().pk}/{suffix}"

    return make


def unsubscribe_url(t: Any) -> str:
    from tsunagari.news import services
    from tsunagari.news.tests.factory import subscribe

    subscribe(t.staff)
    return f"/news/mailings/unsubscribe/{services.unsubscribe_token(t.staff)}/"


POST_DATA = {"title": "マトリクスのお知らせ", "category": "notice", "body": "本文"}
MAILING_DATA = {"subject": "マトリクスの会員向けメール", "body": "本文"}

ROWS: list[Row] = [
    Row("api-v1:list_news", "GET", "/api/v1/news", everyone(200)),
    Row("api-v1:list_news", "GET", "/api/v1/news?page=0", everyone(422)),
    Row("news:post_list", "GET", "/news/", everyone(200)),
    Row("news:post_list", "GET", "/news/?page=2", everyone(200)),
    Row("news:feed", "GET", "/news/feed.atom", everyone(200)),
    Row("news:post_detail", "GET", public_post_url, everyone(200)),
    Row("news:post_detail", "GET", "/news/999999/", everyone(404)),
    Row("news:post_detail", "GET", draft_public_url, (404, 200, 404, 404, 200)),
    Row("news:manage_list", "GET", "/news/manage/", WRITER_PAGE),
    Row("news:manage_new", "GET", "/news/manage/new/", WRITER_PAGE),
    Row("news:manage_new", "POST", "/news/manage/new/", WRITER_POST, data=POST_DATA),
    Row("news:manage_detail", "GET", post_url(), EDITOR_PAGE),
    Row("news:manage_detail", "GET", "/news/manage/999999/", (LOGIN, 404, 404, 404, 404)),
    Row("news:manage_edit", "GET", post_url("edit/"), EDITOR_PAGE),
    Row("news:manage_edit", "POST", post_url("edit/"), EDITOR_POST, data=POST_DATA),
    Row("news:manage_action", "POST", post_url("submit/"), EDITOR_POST),
    Row("news:manage_action", "GET", post_url("submit/"), NOT_GET),
    Row("news:manage_action", "POST", post_url("publish/"), (LOGIN, 403, 403, 403, 302)),
    Row(
        "news:manage_action",
        "POST",
        post_url("approve/", status="review"),
        (LOGIN, 403, 403, 403, 302),
    ),
    Row(
        "news:manage_action",
        "POST",
        post_url("unpublish/", status="published"),
        (LOGIN, 403, 403, 403, 302),
    ),
    Row("news:manage_action", "POST", post_url("destroy/"), (LOGIN, 404, 403, 403, 404)),
    Row(
        "news:manage_return",
        "POST",
        post_url("return/", status="review"),
        SECRETARIAT_POST,
        data={"return-reason": "日付を確認してください。"},
    ),
    Row("news:manage_return", "GET", post_url("return/", status="review"), NOT_GET),
    Row("news:mailing_list", "GET", "/news/mailings/", SECRETARIAT_PAGE),
    Row("news:mailing_new", "GET", "/news/mailings/new/", SECRETARIAT_PAGE),
    Row("news:mailing_new", "POST", "/news/mailings/new/", SECRETARIAT_POST, data=MAILING_DATA),
    Row("news:mailing_detail", "GET", mailing_url(), SECRETARIAT_PAGE),
    Row("news:mailing_edit", "GET", mailing_url("edit/"), SECRETARIAT_PAGE),
    Row("news:mailing_edit", "POST", mailing_url("edit/"), SECRETARIAT_POST, data=MAILING_DATA),
    Row("news:mailing_send", "POST", mailing_url("send/"), SECRETARIAT_POST),
    Row("news:mailing_send", "GET", mailing_url("send/"), NOT_GET),
    Row("news:subscription", "GET", "/news/mailings/subscription/", STAFF_PAGE),
    Row(
        "news:subscription",
        "POST",
        "/news/mailings/subscription/",
        (LOGIN, 302, 302, 403, 403),
        data={"subscribed": "on"},
    ),
    Row("news:unsubscribe", "GET", unsubscribe_url, everyone(200)),
    Row("news:unsubscribe", "POST", unsubscribe_url, everyone(200)),
    Row("news:unsubscribe", "GET", "/news/mailings/unsubscribe/forged:token/", everyone(404)),
]
