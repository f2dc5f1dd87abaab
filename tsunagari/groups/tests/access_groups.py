"""Access-matrix rows of the working groups (see core/tests/test_access_matrix.py).

The list is public; a group's page is for every signed-in person; its board, posts and
digests for the staff of its member organisations and the secretariat; the
secretariat creates and edits groups and names conveners; an organisation's staff
leave, and a convener's staff or the secretariat remove a member.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    SIGNED_IN,
    Row,
    everyone,
)

_serial = count(1)
MEMBERS_POST = (LOGIN, 302, 403, 403, 302)


def _group(t: Any, *, member: bool = True) -> Any:
    from tsunagari.groups.tests.factory import make_group

    return make_group(*((t.organization,) if member else ()))


def group_url(suffix: str = "", *, member: bool = True) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        return f"/groups/{_group(t, member=member).pk}/{suffix}"

    return make


def leave_url(t: Any) -> str:
    """Leave (or remove) `organization`'s membership of a fresh group."""
    group = _group(t)
    membership = group.memberships.get(organization=t.organization)
    return f"/groups/{group.pk}/members/{membership.pk}/leave/"


def remove_url(t: Any) -> str:
    """`organization` convenes a fresh group; remove a third organisation from it."""
    from tsunagari.groups.models import GroupMembership
    from tsunagari.members.models import Organization

    group = _group(t)
    group.memberships.filter(organization=t.organization).update(is_convener=True)
    third = Organization.objects.create(
        name=f"【テスト】第三の団体{next(_serial)}", sector="community"
    )
    membership = GroupMembership.objects.create(group=group, organization=third)
    return f"/groups/{group.pk}/members/{membership.pk}/leave/"


def convener_url(t: Any) -> str:
    group = _group(t)
    membership = group.memberships.get(organization=t.organization)
    return f"/groups/{group.pk}/members/{membership.pk}/convener/"


def others_post_url(suffix: str = "edit/") -> Callable[[Any], str]:
    """A post by another staff member of `organization` (only its author edits it)."""

    def make(t: Any) -> str:
        from tsunagari.accounts.models import User
        from tsunagari.groups.tests.factory import make_post

        group = _group(t)
        author = User.objects.create_user(
            f"group-author{next(_serial)}@example.org",
            full_name="投稿者",
            organization=t.organization,
        )
        post = make_post(group, author, organization=t.organization)
        return f"/groups/{group.pk}/posts/{post.pk}/{suffix}"

    return make


def unsubscribe_url(t: Any) -> str:
    from tsunagari.groups.models import GroupDigestSubscription
    from tsunagari.groups.services import unsubscribe_token

    subscription = GroupDigestSubscription.objects.create(user=t.staff, group=_group(t))
    return f"/groups/digest/unsubscribe/{unsubscribe_token(subscription)}/"


def group_data(t: Any, url: str) -> dict[str, Any]:
    return {"name": f"【テスト】新しい分科会{next(_serial)}", "theme": "テーマ", "status": "active"}


ROWS: list[Row] = [
    Row("groups:group_list", "GET", "/groups/", everyone(200)),
    Row("groups:group_new", "GET", "/groups/new/", SECRETARIAT_PAGE),
    Row("groups:group_new", "POST", "/groups/new/", SECRETARIAT_POST, data=group_data),
    Row("groups:group_detail", "GET", group_url(), SIGNED_IN),
    Row("groups:group_detail", "GET", "/groups/999999/", (LOGIN, 404, 404, 404, 404)),
    Row("groups:group_edit", "GET", group_url("edit/"), SECRETARIAT_PAGE),
    Row("groups:group_edit", "POST", group_url("edit/"), SECRETARIAT_POST, data=group_data),
    Row(
        "groups:group_join",
        "POST",
        group_url("join/", member=False),
        (LOGIN, 302, 302, 403, 403),
        note="member staff join for their organisation; no organisation, no joining",
    ),
    Row(
        "groups:membership_leave",
        "POST",
        leave_url,
        (LOGIN, 302, 403, 403, 302),
        note="the organisation's own staff leave; the secretariat removes",
    ),
    Row(
        "groups:membership_leave",
        "POST",
        remove_url,
        (LOGIN, 302, 403, 403, 302),
        note="a convener's staff remove a member",
    ),
    Row(
        "groups:membership_convener",
        "POST",
        convener_url,
        SECRETARIAT_POST,
        data={"is_convener": "1"},
    ),
    Row(
        "groups:post_new",
        "POST",
        group_url("posts/"),
        MEMBERS_POST,
        data={"title": "件名", "body": "本文"},
        note="the board is its members' and the secretariat's",
    ),
    Row(
        "groups:post_edit",
        "GET",
        others_post_url(),
        (LOGIN, 403, 403, 403, 403),
        note="only the author edits a post (test_board)",
    ),
    Row(
        "groups:post_edit",
        "POST",
        others_post_url(),
        (LOGIN, 403, 403, 403, 403),
        data={"title": "件名", "body": "書き換え"},
    ),
    Row("groups:digest", "POST", group_url("digest/"), MEMBERS_POST, data={"subscribed": "1"}),
    Row("groups:digest_unsubscribe", "GET", unsubscribe_url, everyone(200)),
    Row("groups:digest_unsubscribe", "POST", unsubscribe_url, everyone(200)),
]
