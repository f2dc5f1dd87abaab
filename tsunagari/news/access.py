"""Who may write, edit, review and read news posts and mailings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagari.news.models import Post


def may_write(user: Any) -> bool:
    """The secretariat and member staff write posts."""
    return bool(getattr(user, "is_secretariat", False) or getattr(user, "is_member_staff", False))


def may_edit(user: Any, post: Post) -> bool:
    if getattr(user, "is_secretariat", False):
        return True
    return post.organization_id is not None and user.may_act_for(post.organization_id)


def get_post_for_editor(request: HttpRequest, pk: int) -> Post:
    """The post, for the secretariat or staff of its organisation; 404 / 403 otherwise."""
    post = get_object_or_404(Post.objects.select_related("organization", "author"), pk=pk)
    if not may_edit(request.user, post):
        raise PermissionDenied
    return post


def require_writer(request: HttpRequest) -> None:
    if not may_write(request.user):
        raise PermissionDenied


def require_member_staff(request: HttpRequest) -> None:
    """The mailing subscription is for member staff (the mailings go only to them)."""
    if not getattr(request.user, "is_member_staff", False):
        raise PermissionDenied
