"""The home page and each signed-in person's starting page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagari.accounts.models import User
from tsunagari.geo.models import Municipality
from tsunagari.members import services as member_services
from tsunagari.members.models import MembershipApplication, Organization


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    day = member_services.roster_date()
    groups = member_services.roster_by_sector(day)
    return render(
        request,
        "core/home.html",
        {"as_of": day, "groups": groups, "total": sum(len(o) for _, _, o in groups)},
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
