"""News pages (public), the posting and review pages, and the member mailings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import ActingFor
from tsunagari.audit.models import AuditEvent, record_changed, record_created, snapshot
from tsunagari.core.access import secretariat_required
from tsunagari.lib.pagecache import anonymous_page
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.news import services
from tsunagari.news.access import (
    get_post_for_editor,
    may_edit,
    require_member_staff,
    require_writer,
)
from tsunagari.news.forms import MailingForm, PostForm, ReturnForm, SubscriptionForm
from tsunagari.news.models import Mailing, Post

PER_PAGE = 10
MANAGE_PER_PAGE = 30

# ---------------------------------------------------------------- public pages


@login_not_required
@anonymous_page("news", "members")
def post_list(request: HttpRequest) -> HttpResponse:
    posts = Post.objects.published().for_list().newest_first()
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "news/post_list.html", {"page": page})


@login_not_required
@anonymous_page("news", "members")
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published post; its editors (and the secretariat) also see it before it is."""
    post = get_object_or_404(Post.objects.for_list(), pk=pk)
    if not post.is_published and not (
        request.user.is_authenticated and may_edit(request.user, post)
    ):
        raise Http404
    return render(request, "news/post_detail.html", {"post": post})


# ---------------------------------------------------------------- posting and review


def manage_list(request: HttpRequest) -> HttpResponse:
    """The writer's posts (their organisations'); for the secretariat, the review queue
    first, then every post."""
    require_writer(request)
    user: Any = request.user
    posts = Post.objects.select_related("organization")
    if user.is_secretariat:
        review = list(posts.filter(status=Post.Status.REVIEW).order_by("submitted_at", "pk"))
    else:
        review = []
        posts = posts.filter(organization_id__in=user.organization_ids)
    posts = posts.order_by("-updated_at", "-pk")
    page = Paginator(posts, MANAGE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "news/manage_list.html", {"page": page, "review": review})


def manage_new(request: HttpRequest) -> HttpResponse:
    """Write a post as the secretariat or for one of the person's organisations
    (asked 「どの立場で」 when there are several)."""
    require_writer(request)
    acting = ActingFor(request, secretariat=True)
    form = PostForm(request.POST or None)
    acting.add_to(form)
    if request.method == "POST" and form.is_valid():
        post = form.save(commit=False)
        post.organization = acting.organization(form)
        post.author = request.user
        with transaction.atomic():
            post.save()
            record_created(request.user, post, Post.AUDITED_FIELDS)
        messages.success(
            request, _("お知らせ「%(title)s」を下書きとして保存しました。") % {"title": post.title}
        )
        return redirect("news:manage_detail", pk=post.pk)
    return render(
        request,
        "news/manage_form.html",
        {"form": form, "post": None},
        status=400 if request.method == "POST" else 200,
    )


def _may_change_text(user: Any, post: Post) -> bool:
    """Member staff change a post until it is sent for review; the secretariat always."""
    return bool(user.is_secretariat) or post.status in (Post.Status.DRAFT, Post.Status.RETURNED)


def manage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_editor(request, pk)
    if not _may_change_text(request.user, post):
        messages.error(request, _("審査中または公開済みのお知らせは、事務局だけが変更できます。"))
        return redirect("news:manage_detail", pk=post.pk)
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(Post.objects.get(pk=post.pk), Post.AUDITED_FIELDS)
            post = form.save()
            record_changed(request.user, post, before, snapshot(post, Post.AUDITED_FIELDS))
        messages.success(
            request, _("お知らせ「%(title)s」を保存しました。") % {"title": post.title}
        )
        return redirect("news:manage_detail", pk=post.pk)
    return render(
        request,
        "news/manage_form.html",
        {"form": form, "post": post},
        status=400 if request.method == "POST" else 200,
    )


def _manage_detail(
    request: HttpRequest, post: Post, *, return_form: ReturnForm | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    ctx = {
        "post": post,
        "is_secretariat": user.is_secretariat,
        "may_change_text": _may_change_text(user, post),
        "return_form": return_form or ReturnForm(),
        "history": AuditEvent.objects.for_object(post).select_related("actor"),
    }
    return render(request, "news/manage_detail.html", ctx, status=status)


def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_detail(request, get_post_for_editor(request, pk))


# What each button does, and who may press it.
ACTIONS = {
    "publish": (services.publish, True, gettext_lazy("お知らせ「%(title)s」を公開しました。")),
    "approve": (
        services.approve,
        True,
        gettext_lazy("お知らせ「%(title)s」を承認し、公開しました。"),
    ),
    "unpublish": (
        services.unpublish,
        True,
        gettext_lazy("お知らせ「%(title)s」の公開を停止しました。"),
    ),
    "submit": (
        services.submit,
        False,
        gettext_lazy("お知らせ「%(title)s」の審査を事務局に依頼しました。"),
    ),
}


@require_POST
def manage_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    post = get_post_for_editor(request, pk)
    if action not in ACTIONS:
        raise Http404
    step, secretariat_only, done = ACTIONS[action]
    if secretariat_only and not getattr(request.user, "is_secretariat", False):
        raise PermissionDenied
    if step(post, by=request.user):
        messages.success(request, str(done) % {"title": post.title})
    else:
        messages.info(
            request,
            _("お知らせ「%(title)s」はすでに「%(status)s」になっているため、変更しませんでした。")
            % {"title": post.title, "status": post.get_status_display()},
        )
    return redirect("news:manage_detail", pk=post.pk)


@require_POST
@secretariat_required
def manage_return(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_editor(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _manage_detail(request, post, return_form=form, status=400)
    if services.return_for_changes(post, by=request.user, reason=form.cleaned_data["reason"]):
        messages.success(
            request,
            _("お知らせ「%(title)s」を差し戻し、理由を投稿者にメールで伝えました。")
            % {"title": post.title},
        )
    else:
        messages.info(
            request,
            _("お知らせ「%(title)s」はすでに「%(status)s」になっているため、変更しませんでした。")
            % {"title": post.title, "status": post.get_status_display()},
        )
    return redirect("news:manage_detail", pk=post.pk)


# ---------------------------------------------------------------- mailings


@secretariat_required
def mailing_list(request: HttpRequest) -> HttpResponse:
    mailings = Mailing.objects.order_by("-created_at", "-pk")
    page = Paginator(mailings, MANAGE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/mailing_list.html",
        {"page": page, "subscribers": services.subscribers().count()},
    )


@secretariat_required
def mailing_new(request: HttpRequest) -> HttpResponse:
    form = MailingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mailing = form.save(commit=False)
        mailing.created_by = request.user
        with transaction.atomic():
            mailing.save()
            record_created(request.user, mailing, ["subject", "body"])
        return redirect("news:mailing_detail", pk=mailing.pk)
    return render(
        request,
        "news/mailing_form.html",
        {"form": form, "mailing": None},
        status=400 if request.method == "POST" else 200,
    )


@secretariat_required
def mailing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk)
    if mailing.status != Mailing.Status.DRAFT:
        messages.error(request, _("送信したメールは変更できません。"))
        return redirect("news:mailing_detail", pk=mailing.pk)
    form = MailingForm(request.POST or None, instance=mailing)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(Mailing.objects.get(pk=mailing.pk), ["subject", "body"])
            mailing = form.save()
            record_changed(request.user, mailing, before, snapshot(mailing, ["subject", "body"]))
        return redirect("news:mailing_detail", pk=mailing.pk)
    return render(
        request,
        "news/mailing_form.html",
        {"form": form, "mailing": mailing},
        status=400 if request.method == "POST" else 200,
    )


@secretariat_required
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft: the preview (the mail as it will arrive, and to how many). A sent one:
    the record of what was sent to how many."""
    mailing = get_object_or_404(Mailing.objects.select_related("sent_by"), pk=pk)
    ctx: dict[str, Any] = {"mailing": mailing}
    if mailing.status == Mailing.Status.DRAFT:
        subject, body, headers = services.render_mailing(mailing, request.user)
        ctx.update(
            preview_subject=subject,
            preview_body=body,
            preview_headers=headers,
            subscribers=services.subscribers().count(),
        )
    else:
        ctx["tally"] = services.tally(mailing)
    return render(request, "news/mailing_detail.html", ctx)


@require_POST
@secretariat_required
def mailing_send(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk)
    try:
        count = services.send(mailing, by=request.user)
    except AlreadyChanged:
        messages.info(request, _("このメールはすでに送信されています。二重には送りません。"))
    else:
        messages.success(
            request,
            _("「%(subject)s」を%(count)s人への送信にまわしました。")
            % {"subject": mailing.subject, "count": count},
        )
    return redirect("news:mailing_detail", pk=mailing.pk)


def subscription(request: HttpRequest) -> HttpResponse:
    """A member's staff turns the member mailings on or off (off until they choose)."""
    require_member_staff(request)
    # An unticked box sends nothing: an empty POST is still a POST.
    form = SubscriptionForm(
        request.POST if request.method == "POST" else None,
        initial={"subscribed": services.is_subscribed(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        subscribed = form.cleaned_data["subscribed"]
        services.set_subscribed(request.user, subscribed)
        if subscribed:
            messages.success(request, _("会員向けメールを受け取る設定にしました。"))
        else:
            messages.success(request, _("会員向けメールを受け取らない設定にしました。"))
        return redirect("news:subscription")
    return render(request, "news/subscription.html", {"form": form})


@login_not_required
@csrf_exempt  # RFC 8058: a mail client posts here without a page, so without a token.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe: a POST (from the mail client's button, or this page's)
    stops the mailings; a GET only asks. The signed token names the person."""
    user = services.user_from_token(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        services.set_subscribed(user, False)
        return render(request, "news/unsubscribe.html", {"done": True})
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return render(request, "news/unsubscribe.html", {"done": False})
