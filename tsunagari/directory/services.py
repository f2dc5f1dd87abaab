"""State changes of resources and error reports, each with its audit record.

Every change that residents could notice in search results is followed by a reindex.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, diff, record, snapshot
from tsunagari.directory import search
from tsunagari.directory.forms import (
    BaseLocationFormSet,
    BaseScheduleFormSet,
    ResourceForm,
    is_deleted,
)
from tsunagari.directory.models import ErrorReport, Location, Resource
from tsunagari.lib.transitions import AlreadyChanged, lock

# AuditEvent.note of a stale-resource reminder: the reminder command reads it back
# to send at most one reminder per resource in REMINDER_INTERVAL.
REMINDER_NOTE = "reminder"
VERIFIED_NOTE = "verified"
REMINDER_INTERVAL = dt.timedelta(days=30)


def reindex(resources: Resource | Iterable[int]) -> None:
    """Bring the search index up to date (the search module owns the index)."""
    search.reindex(resources)


def resource_snapshot(resource: Resource) -> dict[str, Any]:
    """The audited fields, plus the places and the schedules as organisers read them."""
    values = snapshot(resource, Resource.AUDITED_FIELDS)
    if resource.pk:
        values["locations"] = [
            f"{loc.name}（{loc.municipality.name}）"
            for loc in resource.locations.select_related("municipality")
        ]
        values["schedules"] = [str(s) for s in resource.schedules.all()]
    else:
        values["locations"] = values["schedules"] = []
    return values


def save_resource(
    form: ResourceForm,
    locations: BaseLocationFormSet,
    schedules: BaseScheduleFormSet,
    *,
    by: Any,
) -> Resource:
    """Save a resource with its places and schedules. Saving is verifying: the owner
    has just looked at every field."""
    with transaction.atomic():
        creating = form.instance.pk is None
        before = {} if creating else resource_snapshot(Resource.objects.get(pk=form.instance.pk))
        resource: Resource = form.save(commit=False)
        if creating:
            resource.created_by = by
        if not form.cleaned_data.get("last_verified_on"):
            resource.last_verified_on = timezone.localdate()
        if resource.online_only:
            resource.is_online = True
        resource.save()
        form.save_m2m()

        locations.instance = resource
        saved_locations: dict[int, Location | None] = {}
        for i, lform in enumerate(locations.forms):
            if is_deleted(lform):
                if lform.instance.pk:
                    lform.instance.delete()
                saved_locations[i] = None
            elif lform.has_changed() or lform.instance.pk:
                location = lform.save(commit=False)
                location.resource = resource
                location.sort_order = i
                location.save()
                saved_locations[i] = location

        schedules.instance = resource
        for sform in schedules.forms:
            if is_deleted(sform):
                if sform.instance.pk:
                    sform.instance.delete()
            elif sform.has_changed() or sform.instance.pk:
                schedule = sform.save(commit=False)
                schedule.resource = resource
                index = sform.cleaned_data.get("location_index")
                schedule.location = saved_locations.get(int(index)) if index else None
                places = [loc for loc in saved_locations.values() if loc is not None]
                if schedule.location is None and len(places) == 1:
                    schedule.location = places[0]
                schedule.save()

        changes = diff(before, resource_snapshot(resource))
        if creating or changes:
            action = AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE
            record(by, action, resource, changes=changes)
        reindex(resource)
    return resource


def mark_verified(resource: Resource, *, by: Any) -> bool:
    """「情報を確認しました」: nothing changed, and the owner says so. False when it was
    already confirmed today (a second click, or a colleague at the same moment)."""
    with transaction.atomic():
        lock(resource)
        before = resource.last_verified_on
        if before == timezone.localdate():
            return False
        resource.mark_verified(by=by)
        changes = diff(
            {"last_verified_on": before and before.isoformat()},
            {"last_verified_on": resource.last_verified_on.isoformat()},  # type: ignore[union-attr]
        )
        record(by, AuditEvent.Action.UPDATE, resource, changes=changes, note=VERIFIED_NOTE)
        reindex(resource)
    return True


def unpublish(resource: Resource, *, by: Any, reason: str) -> None:
    """Raises AlreadyChanged when it is already unpublished (by someone else just now)."""
    with transaction.atomic():
        lock(resource)
        if resource.status == Resource.Status.UNPUBLISHED:
            raise AlreadyChanged(
                _("「%(name)s」はすでに非公開になっています。") % {"name": resource.name}
            )
        before = snapshot(resource, ["status", "unpublished_reason"])
        resource.unpublish(by=by, reason=reason)
        after = snapshot(resource, ["status", "unpublished_reason"])
        record(by, AuditEvent.Action.STATUS, resource, changes=diff(before, after), note=reason)
        reindex(resource)


def republish(resource: Resource, *, by: Any) -> None:
    """Raises AlreadyChanged when it is already published (by someone else just now)."""
    with transaction.atomic():
        lock(resource)
        if resource.status == Resource.Status.PUBLISHED:
            raise AlreadyChanged(
                _("「%(name)s」はすでに公開されています。") % {"name": resource.name}
            )
        before = snapshot(resource, ["status", "unpublished_reason"])
        resource.status = Resource.Status.PUBLISHED
        resource.unpublished_reason = ""
        resource.save(update_fields=["status", "unpublished_reason", "updated_at"])
        after = snapshot(resource, ["status", "unpublished_reason"])
        record(by, AuditEvent.Action.STATUS, resource, changes=diff(before, after))
        reindex(resource)


def delete_resource(resource: Resource, *, by: Any) -> bool:
    """False when someone else deleted it first (nothing is recorded twice)."""
    with transaction.atomic():
        try:
            lock(resource)
        except Resource.DoesNotExist:
            return False
        pk = resource.pk
        record(by, AuditEvent.Action.STATUS, resource, note="deleted")
        resource.delete()
        reindex([pk])
    return True


def history(resource: Resource) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_object(resource).select_related("actor")


def submit_error_report(report: ErrorReport) -> ErrorReport:
    """Save a report and tell the owner's staff and the secretariat."""
    from tsunagari.directory.tasks import notify_error_report

    with transaction.atomic():
        report.save()
        notify_error_report(report)
    return report


def close_error_report(report: ErrorReport, *, by: Any, status: str) -> None:
    """Close an open report; AlreadyChanged when someone closed it first."""
    with transaction.atomic():
        lock(report)
        if report.status != ErrorReport.Status.OPEN:
            raise AlreadyChanged(
                _("この報告はすでに「%(status)s」になっています。")
                % {"status": report.get_status_display()}
            )
        before = report.get_status_display()
        report.status = status
        report.resolved_by = by
        report.save(update_fields=["status", "resolved_by"])
        record(
            by,
            AuditEvent.Action.STATUS,
            report,
            changes={"status": [before, report.get_status_display()]},
        )


def reminder_due(today: dt.date | None = None) -> QuerySet[Resource]:
    """Published resources not verified for 12 months and not reminded of in 30 days."""
    now = timezone.now()
    recently_reminded = AuditEvent.objects.filter(
        object_type=Resource._meta.label_lower,
        note=REMINDER_NOTE,
        at__gte=now - REMINDER_INTERVAL,
    ).values("object_id")
    return (
        Resource.objects.published()
        .stale(today)
        .exclude(pk__in=_as_ids(recently_reminded))
        .select_related("organization")
        .order_by("organization_id", "name", "id")
    )


def _as_ids(object_ids: QuerySet[Any]) -> list[int]:
    # AuditEvent.object_id is text; a list keeps the comparison portable.
    return [int(pk) for pk in object_ids.values_list("object_id", flat=True) if pk.isdigit()]


OFFICER_FLAG_NOTE = "officer_flag"


def flag_by_officer(resource: Resource, *, by: Any, municipality: Any, reason: str) -> bool:
    """「指摘する」: an officer's finding becomes an error report the owner's staff and
    the secretariat see on /manage/reports/ and receive by e-mail. The officer is named in
    the report and in the audit trail. False when the same officer's same finding is
    still open (a second click, or the same form sent twice at once)."""
    message = _("【%(municipality)sの担当者 %(name)s からの指摘】") % {
        "municipality": municipality.name,
        "name": getattr(by, "full_name", "") or by.email,
    }
    message = f"{message}\n{reason}"
    with transaction.atomic():
        lock(resource)
        if ErrorReport.objects.filter(
            resource=resource, status=ErrorReport.Status.OPEN, message=message
        ).exists():
            return False
        report = ErrorReport(
            resource=resource, message=message, reply_to=by.email, created_on=timezone.localdate()
        )
        submit_error_report(report)
        record(by, AuditEvent.Action.CREATE, report, note=OFFICER_FLAG_NOTE)
    return True
