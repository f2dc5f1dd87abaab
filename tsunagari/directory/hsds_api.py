"""Open Referral HSDS 3.0 API under /api/v1/hsds/: public, read-only, published resources only.

The paths, parameters and the Page envelope follow the HSDS openapi.json; the bodies are
built by tsunagari.directory.hsds (and validated against the compiled schemas in tests).
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from tsunagari.directory import hsds
from tsunagari.directory.models import Resource

router = Router(tags=["hsds"])

MAX_PER_PAGE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, description="ページ番号 (page number, from 1)")
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE, description="1ページの件数 (1–100)")


class ServiceFilters(PageParams):
    search: str = Field("", max_length=100, description="名称・内容に含む語 (full text)")
    taxonomy_term_id: str = Field("", max_length=36, description="分類の用語のID")
    organization_id: str = Field("", max_length=36, description="提供団体のID")


class TermFilters(PageParams):
    taxonomy_id: str = Field("", max_length=36, description="分類のID")


class ApiInfo(Schema):
    version: str
    profile: str
    openapi_url: str


def page_of(
    items: list[Any] | QuerySet[Any], params: PageParams
) -> tuple[list[Any], dict[str, Any]]:
    """One page of items and the HSDS Page envelope fields around it."""
    total = items.count() if isinstance(items, QuerySet) else len(items)
    start = (params.page - 1) * params.per_page
    contents = list(items[start : start + params.per_page])
    total_pages = math.ceil(total / params.per_page)
    return contents, {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": params.page,
        "size": len(contents),
        "first_page": params.page == 1,
        "last_page": params.page >= total_pages,
        "empty": not contents,
    }


HSDS_SCHEMAS = "https://github.com/openreferral/specification/tree/3.0/schema/compiled"


def _hsds_object(kind: str) -> dict[str, Any]:
    """The document's schema of an HSDS object: its id is sure; the rest is HSDS 3.0's
    compiled schema for it (checked in tests/data, test_hsds_api.py)."""
    return {
        "type": "object",
        "description": f"An HSDS 3.0 {kind}: see {HSDS_SCHEMAS}/{kind}.json",
        "required": ["id"],
        "properties": {"id": {"type": "string"}},
    }


def _page(kind: str) -> dict[str, Any]:
    """The HSDS Page envelope around objects of one kind."""
    count = {"type": "integer", "minimum": 0}
    flag = {"type": "boolean"}
    return {
        "type": "object",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {
            "total_items": count,
            "total_pages": count,
            "page_number": {"type": "integer", "minimum": 1},
            "size": count,
            "first_page": flag,
            "last_page": flag,
            "empty": flag,
            "contents": {"type": "array", "items": _hsds_object(kind)},
        },
    }


def _ok(schema: dict[str, Any], item: tuple[str, str] | None = None) -> dict[str, Any]:
    """openapi_extra stating the JSON body of the 200 answer, and for a page, the link
    from its first item to the operation (view function, path parameter) showing it."""
    ok: dict[str, Any] = {"content": {"application/json": {"schema": schema}}}
    if item:
        view, parameter = item
        ok["links"] = {
            "first_item": {
                "operationId": f"tsunagari_directory_hsds_api_{view}",
                "parameters": {parameter: "$response.body#/contents/0/id"},
            }
        }
    return {"responses": {"200": ok}}


def _not_found(what: str) -> Http404:
    return Http404(f"{what} not found")


@router.get("/", response=ApiInfo, summary="HSDS API information")
def hsds_root(request: HttpRequest) -> dict[str, str]:
    return {
        "version": hsds.HSDS_VERSION,
        # Our profile (extensions as taxonomy terms) is described with the API's docs.
        "profile": request.build_absolute_uri("/api/v1/docs"),
        "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
    }


def _services(filters: ServiceFilters) -> QuerySet[Resource]:
    resources = hsds.published()
    if filters.search:
        resources = resources.filter(
            Q(name__icontains=filters.search) | Q(description__icontains=filters.search)
        )
    if filters.organization_id:
        member = hsds.find_by_id(
            resources.exclude(organization=None)
            .order_by()
            .values_list("organization", flat=True)
            .distinct(),
            "organization",
            filters.organization_id,
        )
        providers = [
            name
            for name in resources.filter(organization=None)
            .values_list("provider_name", flat=True)
            .distinct()
            if hsds.hsds_id("provider", name) == filters.organization_id
        ]
        resources = resources.filter(
            Q(organization_id=member)
            if member
            else Q(organization=None, provider_name__in=providers)
        )
    if filters.taxonomy_term_id:
        resources = resources.filter(_term_filter(filters.taxonomy_term_id))
    return resources


def _term_filter(term_id: str) -> Q:
    relations = {
        hsds.KIND.slug: "kinds",
        hsds.TARGET.slug: "target_groups",
        hsds.CONCERN.slug: "concerns",
        hsds.ACCESSIBILITY.slug: "accessibility",
    }
    for term in hsds.taxonomy_terms():
        if term["id"] == term_id:
            relation = relations.get(term["taxonomy"])
            if relation:
                return Q(**{f"{relation}__slug": term["code"]})
            flags = {
                "sample": Q(is_sample=True),
                "online": Q(is_online=True),
                "online-only": Q(online_only=True),
                "free": Q(is_free=True),
                "open-24h": Q(is_24h=True),
                "hidden-address": Q(locations__hide_address=True),
                "event": Q(schedules__frequency="once"),
            }
            return flags.get(term["code"], Q(pk__in=[]))
    return Q(pk__in=[])


@router.get(
    "/services",
    summary="Services (HSDS Page of service_list)",
    openapi_extra=_ok(_page("service_list"), ("hsds_service", "service_id")),
)
def hsds_services(request: HttpRequest, filters: Query[ServiceFilters]) -> dict[str, Any]:
    resources = hsds.summary_queryset(_services(filters).distinct())
    contents, page = page_of(resources, filters)
    return {**page, "contents": [hsds.service_summary(r) for r in contents]}


@router.get(
    "/services/{service_id}",
    summary="A fully nested service (HSDS service)",
    openapi_extra=_ok(_hsds_object("service")),
)
def hsds_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    pk = hsds.find_by_id(hsds.published().values_list("pk", flat=True), "service", service_id)
    if pk is None:
        raise _not_found("service")
    return hsds.service_as_hsds(hsds.prefetched(Resource.objects.filter(pk=pk)).get())


@router.get(
    "/organizations",
    summary="Organizations (HSDS Page of organization_list)",
    openapi_extra=_ok(_page("organization_list"), ("hsds_organization", "organization_id")),
)
def hsds_organizations(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    contents, page = page_of(hsds.organizations(hsds.published()), params)
    return {**page, "contents": contents}


@router.get(
    "/organizations/{organization_id}",
    summary="An organization with its services",
    openapi_extra=_ok(_hsds_object("organization")),
)
def hsds_organization(request: HttpRequest, organization_id: str) -> dict[str, Any]:
    for organization in hsds.organizations(hsds.published()):
        if organization["id"] == organization_id:
            resources = hsds.summary_queryset(hsds.published())
            services = [
                hsds.service_summary(r)
                for r in resources
                if hsds.organization_id(r) == organization_id
            ]
            for service in services:
                del service["organization"]
            return {**organization, "services": services}
    raise _not_found("organization")


@router.get(
    "/taxonomies",
    summary="Taxonomies (HSDS Page of taxonomy)",
    openapi_extra=_ok(_page("taxonomy"), ("hsds_taxonomy", "taxonomy_id")),
)
def hsds_taxonomies(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    contents, page = page_of([t.as_hsds() for t in hsds.TAXONOMIES], params)
    return {**page, "contents": contents}


@router.get(
    "/taxonomies/{taxonomy_id}",
    summary="A taxonomy",
    openapi_extra=_ok(_hsds_object("taxonomy")),
)
def hsds_taxonomy(request: HttpRequest, taxonomy_id: str) -> dict[str, Any]:
    for taxonomy in hsds.TAXONOMIES:
        if taxonomy.id == taxonomy_id:
            return taxonomy.as_hsds()
    raise _not_found("taxonomy")


@router.get(
    "/taxonomy_terms",
    summary="Taxonomy terms (HSDS Page of taxonomy_term)",
    openapi_extra=_ok(_page("taxonomy_term"), ("hsds_taxonomy_term", "term_id")),
)
def hsds_taxonomy_terms(request: HttpRequest, filters: Query[TermFilters]) -> dict[str, Any]:
    terms = hsds.taxonomy_terms()
    if filters.taxonomy_id:
        terms = [t for t in terms if t["taxonomy_id"] == filters.taxonomy_id]
    contents, page = page_of(terms, filters)
    return {**page, "contents": contents}


@router.get(
    "/taxonomy_terms/{term_id}",
    summary="A taxonomy term",
    openapi_extra=_ok(_hsds_object("taxonomy_term")),
)
def hsds_taxonomy_term(request: HttpRequest, term_id: str) -> dict[str, Any]:
    for term in hsds.taxonomy_terms():
        if term["id"] == term_id:
            return term
    raise _not_found("taxonomy term")
