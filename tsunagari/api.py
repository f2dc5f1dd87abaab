"""The stable JSON API under /api/v1/, documented at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from tsunagari.awareness.api import router as awareness_router
from tsunagari.cases.api import filter_values as case_choices
from tsunagari.cases.api import router as cases_router
from tsunagari.councils.api import router as councils_router
from tsunagari.directory.api import parameter_choices as service_choices
from tsunagari.directory.api import router as directory_router
from tsunagari.directory.hsds_api import router as hsds_router
from tsunagari.geo.api import router as geo_router
from tsunagari.insights.api import router as insights_router
from tsunagari.insights.api import visible_choices
from tsunagari.lib import throttle
from tsunagari.lib.apierrors import document_errors, install_handlers
from tsunagari.meetings.api import router as meetings_router
from tsunagari.members.api import router as members_router
from tsunagari.network.api import router as network_router
from tsunagari.news.api import router as news_router
from tsunagari.rollout.api import code_choices as rollout_choices
from tsunagari.rollout.api import router as rollout_router
from tsunagari.rollout.network_api import router as networks_router
from tsunagari.supporters.api import router as supporters_router
from tsunagari.supporters.figures import router as supporters_figures_router
from tsunagari.surveys import aggregates
from tsunagari.surveys.aggregates_api import router as aggregates_router
from tsunagari.surveys.api import router as selfcheck_router
from tsunagari.surveys.models import AgeBand

DESCRIPTION = """
かながわつながりネットワークの公開API。Public API of the Kanagawa Tsunagari Network.

**Errors** are JSON objects with a one-sentence `detail`: 404 for an unknown id in the
path; 422 for a bad parameter or body, with one message per bad field in `errors`; 429
when one network sends too many requests.

**Limits** per network (one IPv4 address, or one IPv6 /64), in fixed one-minute windows:
{reads} requests a minute to the read operations, {scores} a minute to
`POST /selfcheck/score`. Over the limit the answer is 429 with a `Retry-After` header
(the seconds until the window ends) and `retry_after` in the body.
"""


def aggregate_choices() -> dict[str, list[str]]:
    """The cities and age bands the aggregates accept (an empty age band is all ages)."""
    return {
        "city": list(aggregates.city_codes()),
        "age_band": ["", *AgeBand.values],
    }


def course_choices() -> dict[str, list[str]]:
    """The municipality codes the courses filter accepts (an unknown one is a 422)."""
    from tsunagari.geo.models import Municipality

    return {"municipality": sorted(Municipality.objects.values_list("code", flat=True))}


class TsunagariAPI(NinjaAPI):
    """Ninja, with the document stating every error the server gives (lib/apierrors.py)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["info"]["description"] = DESCRIPTION.format(
            reads=settings.API_THROTTLE_READS_PER_MINUTE,
            scores=settings.API_THROTTLE_SCORES_PER_MINUTE,
        ).strip()
        document_errors(
            schema,
            {
                "tsunagari_directory_api_list_services": service_choices,
                "tsunagari_surveys_aggregates_api_selfcheck_aggregates": aggregate_choices,
                "tsunagari_supporters_api_list_courses": course_choices,
                "tsunagari_rollout_api_rollout_detail": rollout_choices,
                "tsunagari_cases_api_list_cases": case_choices,
                "tsunagari_insights_api_visible_chart": visible_choices,
            },
        )
        return schema


api = TsunagariAPI(
    title="Tsunagari API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    throttle=[throttle.READS],
    # The document itself (built from the database) counts as a read too.
    docs_decorator=throttle.throttled_view(throttle.READS),
)
install_handlers(api)
api.add_router("/", members_router)
api.add_router("/", geo_router)
api.add_router("/", directory_router)
api.add_router("/hsds/", hsds_router)
api.add_router("/", selfcheck_router)
api.add_router("/", aggregates_router)
api.add_router("/", awareness_router)
api.add_router("/", supporters_router)
api.add_router("/", supporters_figures_router)
api.add_router("/", news_router)
api.add_router("/", councils_router)
api.add_router("/", network_router)
api.add_router("/", networks_router)
api.add_router("/", meetings_router)
api.add_router("/", rollout_router)
api.add_router("/", cases_router)
api.add_router("/", insights_router)


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
