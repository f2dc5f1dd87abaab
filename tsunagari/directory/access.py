"""Who may manage which resource: the owner organisation's staff and the secretariat."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagari.directory.models import ErrorReport, Location, Resource, ResourceQuerySet


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False))


def is_resource_manager(user: Any) -> bool:
    """The secretariat, or a member's staff with an organisation to manage for."""
    if is_secretariat(user):
        return True
    return bool(getattr(user, "is_member_staff", False))


def require_resource_manager(request: HttpRequest) -> None:
    if not is_resource_manager(request.user):
        raise PermissionDenied


def managed_resources(user: Any) -> ResourceQuerySet:
    """The resources a person may manage: all for the secretariat, else their
    organisations'."""
    if is_secretariat(user):
        return Resource.objects.all()
    if is_resource_manager(user):
        return Resource.objects.filter(organization_id__in=user.organization_ids)
    return Resource.objects.none()


def can_manage(user: Any, resource: Resource) -> bool:
    if is_secretariat(user):
        return True
    return is_resource_manager(user) and user.may_act_for(resource.organization_id)


def get_resource_for_user(request: HttpRequest, pk: int) -> Resource:
    """The resource if the signed-in person may edit it; 404 if missing, else 403."""
    resource = get_object_or_404(Resource.objects.select_related("organization"), pk=pk)
    if not can_manage(request.user, resource):
        raise PermissionDenied
    return resource


def get_report_for_user(request: HttpRequest, pk: int) -> ErrorReport:
    """An error report, for whoever may edit the resource it is about."""
    report = get_object_or_404(ErrorReport.objects.select_related("resource"), pk=pk)
    if not can_manage(request.user, report.resource):
        raise PermissionDenied
    return report


# Municipality officers: they look after the resources held in their area (a location in
# their municipality or one of its wards), may confirm or flag them, never edit them.

AREA_STATUSES = (Resource.Status.PUBLISHED, Resource.Status.DRAFT)


def area_resources(user: Any, codes: frozenset[str] | None = None) -> ResourceQuerySet:
    """Published and draft resources with a location in the officer's area (or in `codes`,
    a part of it)."""
    from tsunagari.core.access import officer_area_codes

    area = officer_area_codes(user)
    if codes is not None:
        area = area & codes
    if not area:
        return Resource.objects.none()
    located = Location.objects.filter(municipality_id__in=area).values("resource_id")
    return Resource.objects.filter(status__in=AREA_STATUSES, pk__in=located)


def get_area_resource(request: HttpRequest, pk: int) -> Resource:
    """A resource in the signed-in officer's area; 404 if missing, 403 if elsewhere."""
    resource = get_object_or_404(Resource.objects.select_related("organization"), pk=pk)
    if not area_resources(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return resource
