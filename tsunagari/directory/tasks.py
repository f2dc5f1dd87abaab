"""E-mails about resources: error reports and reminders to verify stale information.

The sending itself is the background task `tsunagari.core.tasks.send_email`, queued by
`queue_email` inside the caller's transaction.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.conf import settings
from django.urls import reverse

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.mail import queue_email
from tsunagari.directory.models import ErrorReport, Resource
from tsunagari.directory.services import REMINDER_NOTE
from tsunagari.lib.ratelimit import RecipientLimit


def staff_addresses(organization_id: int | None) -> list[str]:
    """The active staff accounts of a member organisation."""
    return list(User.objects.staff_of(organization_id).values_list("email", flat=True))


# E-mails about error reports one address receives in an hour, from every resource.
REPORT_MAILS = RecipientLimit("report", per_recipient=10, window=3600)


def notify_error_report(report: ErrorReport) -> None:
    """Tell the owner's staff and the secretariat that someone reported an error."""
    resource = report.resource
    context: dict[str, Any] = {
        "report": report,
        "resource": resource,
        "path": reverse("directory:manage_report_list"),
        "edit_path": reverse("directory:manage_resource_edit", args=[resource.pk]),
    }
    recipients = [*staff_addresses(resource.organization_id), settings.SECRETARIAT_EMAIL]
    for address in dict.fromkeys(recipients):
        # Past the limit the report is still kept and listed (/manage/reports/), but a
        # flood of reports does not become a flood of e-mail to one inbox.
        if REPORT_MAILS.take(address):
            queue_email("directory/email/error_report", [address], context)


def send_stale_reminders(resources: list[Resource]) -> int:
    """One e-mail per owner listing its stale resources; each is recorded as reminded.

    Resources of providers that are not members go to the secretariat, which keeps them.
    Returns the number of e-mails queued.
    """
    sent = 0
    for organization_id, group in groupby(resources, key=lambda r: r.organization_id):
        items = list(group)
        if organization_id is None:
            to = [settings.SECRETARIAT_EMAIL]
            owner = ""
        else:
            to = staff_addresses(organization_id)
            owner = items[0].provider
        if not to:
            continue
        context = {
            "owner": owner,
            "resources": [
                (r, reverse("directory:manage_resource_edit", args=[r.pk])) for r in items
            ],
            "path": reverse("directory:manage_resource_list"),
        }
        queue_email("directory/email/stale_reminder", to, context)
        for resource in items:
            record(None, AuditEvent.Action.UPDATE, resource, note=REMINDER_NOTE)
        sent += 1
    return sent
