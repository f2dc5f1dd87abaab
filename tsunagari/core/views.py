"""The home page and each signed-in person's starting page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    user = request.user
    ctx: dict[str, object] = {}
    if getattr(user, "is_secretariat", False):
        ctx["open_applications"] = MembershipApplication.objects.open().count()
        ctx["member_count"] = Organization.objects.members_on(
            member_services.roster_date()
        ).count()
    elif getattr(user, "is_municipality_officer", False):
        municipality = user.municipality  # type: ignore[union-attr]
        ctx["local_members"] = (
            Organization.objects.members_on(member_services.roster_date())
            .filter(municipalities__in=[municipality, *municipality.wards.all()])  # type: ignore[union-attr]
            .distinct()
            .in_roster_order()
        )
    return render(request, "core/dashboard.html", ctx)
