"""The home page and each signed-in person's starting page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.accounts.models import User
from tsunagari.awareness import month as awareness_month
from tsunagari.core import outbox
from tsunagari.core.access import secretariat_required
from tsunagari.core.models import OutgoingMail
from tsunagari.geo.models import Municipality
from tsunagari.lib.pagecache import anonymous_page
from tsunagari.members import services as member_services
from tsunagari.members.models import MembershipApplication, Organization


@login_not_required
@anonymous_page("members")  # the roster changes a few times a year
def home(request: HttpRequest) -> HttpResponse:
    day = member_services.roster_date()
    groups = member_services.roster_by_sector(day)
    return render(
        request,
        "core/home.html",
        {
            "as_of": day,
            "groups": groups,
            "total": sum(len(o) for _, _, o in groups),
            # 1 April–31 May (the cache key holds the date, so the banner turns on and off)
            "awareness_year": awareness_month.banner_year(),
        },
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    """One section per capacity: the secretariat's, each municipality the person is an
    officer of, and their member organisations."""
    user = request.user
    ctx: dict[str, object] = {}
    if not isinstance(user, User):
        raise PermissionDenied  # unreachable: LoginRequiredMiddleware sends visitors to sign in
    if user.is_secretariat:
        ctx["open_applications"] = MembershipApplication.objects.open().count()
        ctx["member_count"] = Organization.objects.members_on(member_services.roster_date()).count()
        ctx["undelivered_mail"] = OutgoingMail.objects.undelivered().count()
    ctx["officer_sections"] = [
        _officer_section(municipality)
        for municipality in user.officer_municipalities.order_by("code")
    ]
    ctx["organizations"] = list(user.organizations.by_reading())
    return render(request, "core/dashboard.html", ctx)


def _officer_section(municipality: Municipality) -> dict[str, object]:
    members = Organization.objects.members_on(member_services.roster_date())
    # A designated city's officer also sees the members working in its wards.
    local = (
        members.filter(Q(municipalities=municipality) | Q(municipalities__parent=municipality))
        .distinct()
        .in_roster_order()
    )
    return {
        "municipality": municipality,
        "local_members": local,
        # Members that chose 県全域 serve this municipality too; listed apart so that
        # the local ones stay easy to find.
        "prefecture_wide_members": (
            members.filter(municipalities__kind=Municipality.Kind.PREFECTURE)
            .exclude(pk__in=local.values("pk"))
            .distinct()
            .in_roster_order()
        ),
    }


@secretariat_required
def undelivered_mail(request: HttpRequest) -> HttpResponse:
    """届かなかったメール: mails given up after their retries, to send again or to
    follow up by another way. Only what is needed to recognise one is shown (no body)."""
    mails = OutgoingMail.objects.undelivered().only(
        "to", "subject", "created_at", "claimed_at", "attempts", "last_error", "status"
    )
    page = Paginator(mails, 50).get_page(request.GET.get("page"))
    retrying = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.QUEUED, attempts__gt=0
    ).count()
    return render(request, "core/undelivered_mail.html", {"page": page, "retrying": retrying})


@require_POST
@secretariat_required
def resend_mail(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(OutgoingMail, pk=pk)
    if outbox.resend(mail, by=request.user):
        messages.success(request, _("メールを再送します。数分のうちに送信されます。"))
    else:
        messages.info(request, _("このメールはすでに再送されています。"))
    return redirect("core:undelivered_mail")
