"""The stable JSON API under /api/v1/, documented at /api/v1/openapi.json."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI

from tsunagari.directory.api import router as directory_router
from tsunagari.directory.hsds_api import router as hsds_router
from tsunagari.geo.api import router as geo_router
from tsunagari.members.api import router as members_router
from tsunagari.surveys.aggregates_api import router as aggregates_router
from tsunagari.surveys.api import router as selfcheck_router

api = NinjaAPI(
    title="Tsunagari API",
    version="1",
    description=(
        "かながわつながりネットワークの公開API。Public API of the Kanagawa Tsunagari Network."
    ),
    urls_namespace="api-v1",
)
api.add_router("/", members_router)
api.add_router("/", geo_router)
api.add_router("/", directory_router)
api.add_router("/hsds/", hsds_router)
api.add_router("/", selfcheck_router)
api.add_router("/", aggregates_router)


@login_not_required
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Unknown API paths answer in JSON, like the API itself, not with the HTML 404 page."""
    return JsonResponse({"detail": "Not Found"}, status=404)


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API is public: exempt every route from LoginRequiredMiddleware.

    Ninja's root route (needed to reverse the API's paths) answers the HTML 404 page;
    it gets the JSON one instead.
    """
    for p in patterns:
        if isinstance(p, URLResolver):
            _public(p.url_patterns)
        elif p.name == "api-root":
            p.callback = not_found
        else:
            p.callback = login_not_required(p.callback)
    return patterns


def urls() -> list[URLPattern | URLResolver]:
    api_patterns, _app, namespace = api.urls
    return [
        path("api/v1/", ((_public(api_patterns)), "api-v1", namespace)),
        path("api/v1/<path:rest>", not_found),
    ]
