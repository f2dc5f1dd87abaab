"""Pages of the working groups (分科会): the list, a group's page with its board, and the
secretariat's forms. See access.py for who may do what."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import ActingFor
from tsunagari.audit.models import record_changed, snapshot
from tsunagari.groups import services
from tsunagari.groups.access import (
    can_read_groups,
    can_remove_members,
    can_use_board,
    current_memberships,
    get_group,
    get_group_for_board,
    is_secretariat,
    member_organizations_of,
    require_secretariat,
)
from tsunagari.groups.forms import GroupForm, JoinForm, PostForm, ReplyForm
from tsunagari.groups.models import (
    GroupDigestSubscription,
    GroupMembership,
    GroupPost,
    WorkingGroup,
)
from tsunagari.lib.transitions import AlreadyChanged


@login_not_required
def group_list(request: HttpRequest) -> HttpResponse:
    """Anyone sees the groups' names, themes, member counts and conveners; the pages
    of the groups (members, meetings, board) are for signed-in people."""
    groups = (
        WorkingGroup.objects.annotate(
            member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(
                    left_on__isnull=True, is_convener=True
                ).select_related("organization"),
                to_attr="conveners",
            )
        )
        .order_by("status", "name", "id")
    )
    return render(
        request,
        "groups/group_list.html",
        {
            "groups": groups,
            "signed_in": can_read_groups(request.user),
            "can_create": is_secretariat(request.user),
        },
    )


def _board(group: WorkingGroup) -> list[GroupPost]:
    """Threads, newest first, each with its replies (oldest first)."""
    return list(
        group.posts.threads()
        .select_related("author", "organization")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=GroupPost.objects.select_related("author", "organization").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-created_at", "-id")
    )


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group(request, pk)
    user: Any = request.user
    memberships = current_memberships(group)
    board_allowed = can_use_board(user, group)
    now = timezone.now()
    # Meetings sit a floor above groups: read through the reverse relation, never imported.
    meetings = list(
        group.meetings.published()
        .select_related("location")
        .prefetch_related("documents")
        .order_by("starts_at", "id")
    )
    upcoming = [m for m in meetings if m.starts_at >= now]
    past = [m for m in reversed(meetings) if m.starts_at < now]
    documents = sorted(
        (d for m in meetings for d in m.documents.all()),
        key=lambda d: (d.uploaded_at, d.pk),
        reverse=True,
    )
    acting = ActingFor(request)
    member_ids = {m.organization_id for m in memberships}
    joinable = [o for o in acting.organizations if o.pk not in member_ids]
    mine = [m for m in memberships if m.organization_id in user.organization_ids]
    posts = _board(group) if board_allowed else []
    for post in posts:
        post.may_edit = services.can_edit_post(user, post)  # type: ignore[attr-defined]
        for reply in post.replies.all():
            reply.may_edit = services.can_edit_post(user, reply)  # type: ignore[attr-defined]
    form = PostForm()
    _acting_for_board(request, group).add_to(form)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "memberships": memberships,
            "upcoming": upcoming,
            "past": past,
            "documents": documents,
            "board_allowed": board_allowed,
            "posts": posts,
            "form": form,
            "reply_form": ReplyForm(),
            "joinable": joinable,
            "mine": mine,
            "can_remove": can_remove_members(user, group),
            "is_secretariat": is_secretariat(user),
            "subscribed": board_allowed
            and GroupDigestSubscription.objects.filter(user=user, group=group).exists(),
        },
    )


# Membership


@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's staff join the group for their organisation (「どの立場で」 when they
    are staff of several organisations that are not members yet)."""
    group = get_group(request, pk)
    acting = ActingFor(request)
    member_ids = {m.organization_id for m in current_memberships(group)}
    acting.organizations = [o for o in acting.organizations if o.pk not in member_ids]
    if not acting.organizations:
        raise PermissionDenied
    form = JoinForm(request.POST)
    acting.add_to(form)
    if not form.is_valid():
        messages.error(request, _("どの立場で参加するかを選んでください。"))
        return redirect("groups:group_detail", pk=group.pk)
    organization = acting.organization(form)
    assert organization is not None
    try:
        services.join(request.user, group, organization)
    except AlreadyChanged as e:
        messages.info(request, e.message)
    else:
        messages.success(
            request, _("%(org)sとして分科会に参加しました。") % {"org": organization.name}
        )
    return redirect("groups:group_detail", pk=group.pk)


def _membership(group: WorkingGroup, membership_pk: int) -> GroupMembership:
    return get_object_or_404(
        GroupMembership.objects.select_related("organization", "group"),
        pk=membership_pk,
        group=group,
    )


@require_POST
def membership_leave(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """The organisation's own staff leave; a convener's staff or the secretariat remove."""
    group = get_group(request, pk)
    membership = _membership(group, membership_pk)
    user: Any = request.user
    own = membership.organization_id in user.organization_ids
    if not own and not can_remove_members(user, group):
        raise PermissionDenied
    try:
        services.leave(user, membership, note="leave" if own else "removed")
    except AlreadyChanged as e:
        messages.info(request, e.message)
    else:
        messages.success(
            request,
            _("%(org)sは分科会を退会しました。") % {"org": membership.organization.name},
        )
    return redirect("groups:group_detail", pk=group.pk)


@require_POST
def membership_convener(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    require_secretariat(request)
    group = get_group(request, pk)
    membership = _membership(group, membership_pk)
    flag = request.POST.get("is_convener") == "1"
    try:
        services.set_convener(request.user, membership, flag)
    except AlreadyChanged as e:
        messages.info(request, e.message)
    else:
        if flag:
            messages.success(
                request, _("%(org)sを世話人にしました。") % {"org": membership.organization.name}
            )
        else:
            messages.success(
                request,
                _("%(org)sを世話人から外しました。") % {"org": membership.organization.name},
            )
    return redirect("groups:group_detail", pk=group.pk)


# The secretariat's forms


def group_new(request: HttpRequest) -> HttpResponse:
    require_secretariat(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.create_group(request.user, form.save(commit=False))
        messages.success(request, _("分科会「%(name)s」を作りました。") % {"name": group.name})
        return redirect("groups:group_detail", pk=group.pk)
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "group": None},
        status=400 if request.method == "POST" else 200,
    )


def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_secretariat(request)
    group = get_object_or_404(WorkingGroup, pk=pk)
    before = snapshot(group, services.GROUP_FIELDS)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_changed(request.user, group, before, snapshot(group, services.GROUP_FIELDS))
        messages.success(request, _("分科会の内容を保存しました。"))
        return redirect("groups:group_detail", pk=group.pk)
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "group": group},
        status=400 if request.method == "POST" else 200,
    )


# The board


def _acting_for_board(request: HttpRequest, group: WorkingGroup) -> ActingFor:
    acting = ActingFor(request, secretariat=True)
    acting.organizations = member_organizations_of(request.user, group)
    return acting


@require_POST
def post_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_board(request, pk)
    parent = None
    if request.POST.get("parent"):
        try:
            parent_pk = int(request.POST["parent"])
        except ValueError:
            raise Http404 from None
        parent = get_object_or_404(GroupPost, pk=parent_pk, group=group)
    acting = _acting_for_board(request, group)
    form: PostForm = ReplyForm(request.POST) if parent else PostForm(request.POST)
    acting.add_to(form)
    if form.is_valid():
        services.create_post(
            request.user,
            group,
            acting.organization(form),
            title=form.cleaned_data.get("title", ""),
            body=form.cleaned_data["body"],
            parent=parent,
        )
        messages.success(request, _("返信しました。") if parent else _("投稿しました。"))
        return redirect(reverse("groups:group_detail", args=[group.pk]) + "#board")
    return render(
        request,
        "groups/post_form.html",
        {"group": group, "form": form, "post": None, "parent": parent},
        status=400,
    )


def post_edit(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    group = get_group_for_board(request, pk)
    post = get_object_or_404(GroupPost.objects.select_related("parent"), pk=post_pk, group=group)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    form_class = ReplyForm if post.parent_id else PostForm
    form = form_class(request.POST or None, instance=post)
    if not services.can_edit_post(request.user, post):
        messages.info(request, _("投稿から24時間を過ぎたため、直せません。"))
        return redirect("groups:group_detail", pk=group.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(
                request.user,
                post,
                title=form.cleaned_data.get("title", ""),
                body=form.cleaned_data["body"],
            )
        except AlreadyChanged as e:
            messages.info(request, e.message)
        else:
            messages.success(request, _("投稿を直しました。"))
        return redirect(reverse("groups:group_detail", args=[group.pk]) + "#board")
    return render(
        request,
        "groups/post_form.html",
        {"group": group, "form": form, "post": post, "parent": post.parent},
        status=400 if request.method == "POST" else 200,
    )


# E-mail digests


@require_POST
def digest(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_board(request, pk)
    subscribed = request.POST.get("subscribed") == "1"
    services.set_subscribed(request.user, group, subscribed)
    if subscribed:
        messages.success(request, _("新しい投稿のまとめを毎朝メールで受け取ります。"))
    else:
        messages.success(request, _("まとめメールを止めました。"))
    return redirect("groups:group_detail", pk=group.pk)


@login_not_required
@csrf_exempt  # RFC 8058: a mail client posts here without a page, so without a token.
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from one group's digest: a POST stops it; a GET only asks."""
    found = services.subscription_from_token(token)
    if found is None:
        raise Http404
    user_id, group_id = found
    group = get_object_or_404(WorkingGroup, pk=group_id)
    if request.method == "POST":
        GroupDigestSubscription.objects.filter(user_id=user_id, group_id=group_id).delete()
        return render(request, "groups/unsubscribe.html", {"done": True, "group": group})
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return render(request, "groups/unsubscribe.html", {"done": False, "group": group})
