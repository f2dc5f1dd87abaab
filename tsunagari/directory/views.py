"""Public pages of the directory: search, detail, consultation windows, print."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from tsunagari.directory import search as search_backend
from tsunagari.directory.models import Concern, Location, Resource, ResourceQuerySet
from tsunagari.directory.public_forms import ConsultForm, FilterForm
from tsunagari.directory.sample import CENTRES
from tsunagari.lib.pagecache import anonymous_page

PER_PAGE = 20
PRINT_LIMIT = 15
CONSULTATION = "consultation"  # the Kind slug of consultation windows (相談窓口)


def get_resource_for_viewer(request: HttpRequest, pk: int) -> Resource:
    """A published resource is everyone's; an unpublished one only its owner's staff
    and the secretariat see (with a banner). Anyone else gets 404, not 403, so that
    the public cannot tell a withdrawn resource from one that never existed."""
    resource = get_object_or_404(Resource.objects.select_related("organization"), pk=pk)
    if resource.status == Resource.Status.PUBLISHED:
        return resource
    user = request.user
    if getattr(user, "is_secretariat", False):
        return resource
    if getattr(user, "is_member_staff", False) and user.may_act_for(resource.organization_id):  # type: ignore[union-attr]
        return resource
    raise Http404


def with_public_details(qs: ResourceQuerySet) -> ResourceQuerySet:
    """What a result shows, fetched in a fixed number of queries."""
    return qs.select_related("organization").prefetch_related(
        "kinds",
        Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        "schedules",
    )


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def municipality_centres(ids: list[int]) -> dict[int, tuple[float, float]]:
    """For resources without a public pin: the centre of the municipality of one of
    their places (a ward counts as its city). The centres are the approximate ones the
    sample data pins by; a hidden address is never used, only its area."""
    centres: dict[int, tuple[float, float]] = {}
    rows = Location.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "municipality_id", "municipality__parent_id"
    )
    for resource_id, code, parent in rows:
        centre = CENTRES.get(code) or (CENTRES.get(parent) if parent else None)
        if centre is not None:
            centres.setdefault(resource_id, centre)
    return centres


def nearest_first(
    qs: ResourceQuerySet, origin: tuple[float, float]
) -> tuple[list[int], dict[int, float], set[int]]:
    """The ids of `qs` by distance from `origin` to each resource's nearest public
    place. A resource without a public pin is placed at its municipality's centre and
    reported in the third value (its distance is approximate); one without any place
    (online only) follows in its relevance order."""
    ids = list(qs.values_list("pk", flat=True))
    places = Location.objects.filter(
        resource_id__in=ids,
        hide_address=False,
        latitude__isnull=False,
        longitude__isnull=False,
    ).values_list("resource_id", "latitude", "longitude")
    distances: dict[int, float] = {}
    for resource_id, lat, lon in places:
        assert lat is not None and lon is not None
        d = distance_km(origin, (float(lat), float(lon)))
        distances[resource_id] = min(d, distances.get(resource_id, math.inf))
    unpinned = [pk for pk in ids if pk not in distances]
    approximate: set[int] = set()
    for resource_id, centre in municipality_centres(unpinned).items():
        distances[resource_id] = distance_km(origin, centre)
        approximate.add(resource_id)
    return sorted(ids, key=lambda pk: distances.get(pk, math.inf)), distances, approximate


@dataclass
class Results:
    page: Page[Any]
    total: int
    near: bool = False
    resources: list[Resource] = field(default_factory=list)
    more: bool = False  # more than `total` (search.COUNT_CAP) were found: 「1,000件以上」


class _CountedPaginator(Paginator):
    """Pages over a search whose number of results is known already (capped: with more
    than COUNT_CAP results, the pages reach the first COUNT_CAP, newest first)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def find(form: FilterForm, page_number: Any, per_page: int) -> Results:
    """Run the form's search and fetch one page of resources with their details."""
    qs = search_backend.search(**form.filters())
    origin = form.position()
    if origin is None:
        total = qs.total()
        paginator = _CountedPaginator(with_public_details(qs), per_page, total.n)
        page = paginator.get_page(page_number)
        return Results(page=page, total=total.n, resources=list(page), more=total.at_least)
    ids, distances, approximate = nearest_first(qs, origin)
    id_page = Paginator(ids, per_page).get_page(page_number)
    by_id = with_public_details(Resource.objects.all()).in_bulk(list(id_page))
    resources = [by_id[pk] for pk in id_page if pk in by_id]
    for resource in resources:
        if resource.pk in distances:
            resource.distance_km = distances[resource.pk]  # type: ignore[attr-defined]
            resource.distance_is_approximate = resource.pk in approximate  # type: ignore[attr-defined]
    return Results(page=id_page, total=len(ids), near=True, resources=resources)


# What a search URL may carry: the filter form's fields and the page number.
SEARCH_PARAMETERS = (*FilterForm.base_fields, "page")


def search_querystring(params: QueryDict) -> str:
    """The search's own parameters of `params`, encoded again; anything else is dropped,
    so a value built from it can only ever lead back to the search page."""
    kept = QueryDict(mutable=True)
    for name in SEARCH_PARAMETERS:
        values = [v[:200] for v in params.getlist(name) if v]
        if values:
            kept.setlist(name, values[:20])
    return kept.urlencode()


def back_to_search_url(request: HttpRequest) -> str:
    """「さがす画面に戻る」: the search the visitor came from, read from the `back`
    parameter the result links carry (a query string, never a URL)."""
    url = reverse("directory:search")
    querystring = search_querystring(QueryDict(request.GET.get("back", "")[:2000]))
    return f"{url}?{querystring}" if querystring else url


def _depends_on_the_hour(request: HttpRequest) -> bool:
    """「今ひらいている」 finds other places an hour later: such a search is never cached."""
    return bool(request.GET.get("open_now"))


@login_not_required
@anonymous_page("directory", "members", "geo", unless=_depends_on_the_hour)
def search(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    results = find(form, request.GET.get("page"), PER_PAGE)
    ctx = {
        "form": form,
        "results": results,
        "filtered": form.is_filtered(),
        "back": search_querystring(request.GET),
    }
    template = "directory/search.html"
    # After a history miss HTMX asks for the whole page again, still as an HTMX request.
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        template += "#results"
    response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_not_required
def print_list(request: HttpRequest) -> HttpResponse:
    """One A4 sheet to hand to someone without a smartphone."""
    form = FilterForm(request.GET)
    results = find(form, 1, PRINT_LIMIT)
    ctx = {"form": form, "results": results, "today": timezone.localdate()}
    return render(request, "directory/print.html", ctx)


@login_not_required
@anonymous_page("directory", "members", "geo")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for_viewer(request, pk)
    locations = list(resource.locations.select_related("municipality"))
    places = [
        {"name": location.name, "lat": coordinates[0], "lon": coordinates[1]}
        for location in locations
        if (coordinates := location.public_coordinates) is not None
    ]
    organization = resource.organization
    ctx = {
        "resource": resource,
        "locations": locations,
        "schedules": list(resource.schedules.select_related("location")),
        "places": places,
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION},
        "member_page": organization is not None and organization.current_membership() is not None,
        "back_url": back_to_search_url(request),
        "today": timezone.localdate(),
    }
    return render(request, "directory/detail.html", ctx)


@dataclass
class ConcernGroup:
    concern: Concern | None  # None: windows not filed under any concern
    windows: list[Resource]


@login_not_required
def consult(request: HttpRequest) -> HttpResponse:
    """Consultation windows (相談窓口) grouped by what the trouble is about."""
    form = ConsultForm(request.GET)
    form.is_valid()
    chosen = form.cleaned_data.get("concern") or ""
    municipality = form.cleaned_data.get("municipality") or None
    qs = search_backend.search(kind=CONSULTATION, municipality=municipality)
    windows = list(with_public_details(qs).prefetch_related("concerns", "languages"))
    concerns = list(Concern.objects.filter(is_active=True))
    groups = [
        ConcernGroup(c, [w for w in windows if any(x.pk == c.pk for x in w.concerns.all())])
        for c in concerns
        if not chosen or c.slug == chosen
    ]
    if not chosen:
        unfiled = [w for w in windows if not w.concerns.all()]
        if unfiled:
            groups.append(ConcernGroup(None, unfiled))
    ctx = {
        "form": form,
        "concerns": concerns,
        "chosen": chosen,
        "groups": groups,
        "municipality": municipality,
    }
    return render(request, "directory/consult.html", ctx)
