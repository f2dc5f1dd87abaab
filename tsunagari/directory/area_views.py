"""A municipality officer's view of the resources in their area (担当地域の社会資源).

Officers keep the directory honest where they work: they confirm that a resource's
information still holds (確認した) or tell its owner what is wrong (指摘する). They never
edit a resource: its content stays with the owner organisation and the secretariat.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.core.access import officer_area_codes, officer_area_required
from tsunagari.directory import services
from tsunagari.directory.access import area_resources, get_area_resource
from tsunagari.directory.forms import AreaResourceFilterForm, OfficerFlagForm
from tsunagari.directory.models import Location, Resource
from tsunagari.geo.models import Municipality

PER_PAGE = 50


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list the officer acted from (its filters and page kept)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("directory:area_resources")


def _covering_municipality(user: Any, resource: Resource) -> Municipality:
    """The officer's municipality a resource is in (a ward's city for a ward)."""
    own = user.officer_municipality_ids
    for code, parent in Location.objects.filter(resource=resource).values_list(
        "municipality_id", "municipality__parent_id"
    ):
        for candidate in (code, parent):
            if candidate in own:
                return Municipality.objects.get(pk=candidate)
    raise PermissionDenied


@officer_area_required
def area_resource_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    municipalities = list(user.officer_municipalities.order_by("code"))
    filters = AreaResourceFilterForm(request.GET or None, municipalities=municipalities)
    qs = area_resources(user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["municipality"]:
            code = data["municipality"]
            wards = Municipality.objects.filter(parent_id=code).values_list("pk", flat=True)
            qs = area_resources(user, frozenset({code, *wards}))
        if data["kind"]:
            qs = qs.filter(kinds=data["kind"])
        if data["stale"]:
            qs = qs.stale()
    area = officer_area_codes(user)
    rows = (
        qs.select_related("organization")
        .prefetch_related(
            "kinds",
            Prefetch(
                "locations",
                queryset=Location.objects.filter(municipality_id__in=area).select_related(
                    "municipality"
                ),
                to_attr="area_locations",
            ),
        )
        .annotate(open_reports=Count("error_reports", filter=Q(error_reports__status="open")))
        .order_by("last_verified_on", "name", "id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/manage/area_resources.html",
        {
            "page": page,
            "filters": filters,
            "municipalities": municipalities,
            "flag_form": OfficerFlagForm(),
            "here": request.get_full_path(),
        },
    )


@require_POST
@officer_area_required
def area_resource_verify(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_area_resource(request, pk)
    if services.mark_verified(resource, by=request.user):
        messages.success(
            request, _("「%(name)s」の情報を確認済みにしました。") % {"name": resource.name}
        )
    else:
        messages.info(
            request, _("「%(name)s」の情報はすでに今日確認済みです。") % {"name": resource.name}
        )
    return _back(request)


@officer_area_required
def area_resource_flag(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_area_resource(request, pk)
    form = OfficerFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        municipality = _covering_municipality(request.user, resource)
        if services.flag_by_officer(
            resource, by=request.user, municipality=municipality, reason=form.cleaned_data["reason"]
        ):
            messages.success(
                request,
                _("「%(name)s」への指摘を提供団体と事務局に送りました。") % {"name": resource.name},
            )
        else:
            messages.info(
                request,
                _("「%(name)s」への同じ指摘はすでに送られています。") % {"name": resource.name},
            )
        return _back(request)
    return render(
        request,
        "directory/manage/area_flag.html",
        {
            "resource": resource,
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if request.method == "POST" else 200,
    )
