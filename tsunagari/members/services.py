"""Member registry operations that touch several models, mail and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import User
from tsunagari.accounts.services import send_invitation
from tsunagari.audit.models import AuditEvent, diff, record, record_created, snapshot
from tsunagari.core.mail import queue_email
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.members.forms import ApplicationForm
from tsunagari.members.models import (
    ROSTER_BASELINE_DATE,
    Membership,
    MembershipApplication,
    Organization,
    OrganizationQuerySet,
    Sector,
)

# Raised by approve_application; the views catch it from here.
from tsunagari.members.models import ContactAlreadyRegistered as ContactAlreadyRegistered

Status = MembershipApplication.Status

# What the secretariat is told when another officer (or another tab) decided first.
ALREADY: dict[str, Any] = {
    Status.UNDER_REVIEW: _("この申込はすでに審査中です。"),
    Status.RETURNED: _("この申込はすでに修正を依頼しています。"),
    Status.APPROVED: _("この申込はすでに承認されています。"),
    Status.DECLINED: _("この申込はすでに不承認になっています。"),
}


def refusal(application: MembershipApplication, to: str) -> str:
    """Why the application cannot move to `to` now: 「すでに…」 when someone already took
    that step or decided, else that the status does not allow it."""
    if application.status == to or application.status in (Status.APPROVED, Status.DECLINED):
        message = ALREADY.get(application.status)
        if message:
            return str(message)
    return str(_("この申込は現在の状態ではその操作ができません。"))


def _lock_for(application: MembershipApplication, to: str) -> None:
    """Lock the application's row and check again that it may move to `to`: of two
    simultaneous clicks, the second waits here and then sees the first one's result."""
    lock(application)
    if not application.can_move_to(to):
        raise AlreadyChanged(refusal(application, to))


def roster_date(today: date | None = None) -> date:
    """The date the current roster is "as of": the last membership change up to today.

    The official roster is dated by its last update (令和7年7月30日時点), so the
    roster shows the same kind of date rather than today's.
    """
    today = today or timezone.localdate()
    latest = Membership.objects.filter(organization__is_sample=False).aggregate(
        started=Max("started_on", filter=Q(started_on__lte=today)),
        ended=Max("ended_on", filter=Q(ended_on__lte=today)),
    )
    candidates = [d for d in latest.values() if d is not None]
    return max(candidates) if candidates else ROSTER_BASELINE_DATE


def join_dates_unknown_until(day: date) -> date | None:
    """The date up to which some members' join dates are unknown, when `day` is before it.

    A member listed on a dated roster without a known join date (StartBasis.KNOWN_MEMBER)
    was a member on that date and may have been one before: a roster for an earlier day
    cannot say how many there were, so it must say so rather than show 「0団体」.
    """
    latest = Membership.objects.filter(
        organization__is_sample=False,
        start_basis=Membership.StartBasis.KNOWN_MEMBER,
        started_on__gt=day,
    ).aggregate(until=Max("started_on"))["until"]
    return latest


def roster(day: date, sector: str = "") -> OrganizationQuerySet:
    qs = Organization.objects.members_on(day).with_current_flag().in_roster_order()
    if sector:
        qs = qs.filter(sector=sector)
    return qs.prefetch_related("municipalities")


def roster_by_sector(day: date, sector: str = "") -> list[tuple[str, str, list[Organization]]]:
    """(sector value, sector label, organisations) in the official roster's sector order."""
    orgs = list(roster(day, sector))
    return [
        (s.value, str(s.label), [o for o in orgs if o.sector == s.value])
        for s in Sector
        if any(o.sector == s.value for o in orgs)
    ]


ROSTER_HEADER = [
    "No",
    "分野",
    "組織名",
    "フリガナ",
    "法人格",
    "活動地域",
    "構成員となった日",
    "区分",
]


def roster_rows(day: date) -> list[list[Any]]:
    orgs = roster(day).prefetch_related("memberships")
    rows = []
    for o in orgs:
        membership = next(
            m
            for m in o.memberships.all()
            if m.started_on <= day and (m.ended_on is None or m.ended_on > day)
        )
        rows.append(
            [
                o.roster_no,
                o.get_sector_display(),
                o.name,
                o.name_kana,
                o.get_legal_form_display() if o.legal_form else "",
                "、".join(m.name for m in o.municipalities.all()),
                membership.started_on,
                membership.get_start_basis_display(),
            ]
        )
    return rows


def submit_application(
    form: ApplicationForm, *, send_receipt: bool = True
) -> MembershipApplication:
    """Store an application, tell the secretariat, and (unless the address has had its
    receipts for the day, see views.RECEIPTS) send the applicant a receipt."""
    with transaction.atomic():
        application = form.save()
        application.record_submission()
        if send_receipt:
            queue_email(
                "members/email/application_received",
                [application.contact_email],
                {"application": application},
            )
        queue_email(
            "members/email/application_to_secretariat",
            [settings.SECRETARIAT_EMAIL],
            {
                "application": application,
                "path": reverse("members:application_detail", args=[application.pk]),
            },
        )
    return application


def resubmit_application(form: ApplicationForm) -> MembershipApplication:
    """The applicant sends a returned application again. A second click at the same moment
    finds it already resubmitted and changes nothing (the first one's text stands)."""
    with transaction.atomic():
        current = MembershipApplication.objects.select_for_update().get(pk=form.instance.pk)
        if current.status != Status.RETURNED:
            return current
        application = form.save()
        application.resubmit()
        queue_email(
            "members/email/application_received",
            [application.contact_email],
            {"application": application, "resubmitted": True},
        )
    return application


def start_review(application: MembershipApplication, *, by: User) -> None:
    """Raises AlreadyChanged, like every step below, when another request moved it first."""
    with transaction.atomic():
        _lock_for(application, Status.UNDER_REVIEW)
        application.start_review(by=by)
        record(by, AuditEvent.Action.STATUS, application, note=application.get_status_display())


def approve_application(
    application: MembershipApplication, *, by: User, note: str = ""
) -> Organization:
    """Idempotent: a second approval at the same moment raises AlreadyChanged, and the
    roster number and the contact's account are made once (ContactAlreadyRegistered when
    the address is taken, by an account made before or at the same moment)."""
    with transaction.atomic():
        _lock_for(application, Status.APPROVED)
        organization = application.approve(by=by, reason=note)
        record(by, AuditEvent.Action.STATUS, application, note=application.get_status_display())
        record_created(by, organization, Organization.AUDITED_FIELDS)
        contact = User.objects.get(email__iexact=application.contact_email)
        queue_email(
            "members/email/application_approved",
            [application.contact_email],
            {"application": application, "organization": organization, "note": note},
        )
        send_invitation(contact, by=by)
    return organization


def return_application(application: MembershipApplication, *, by: User, reason: str) -> None:
    with transaction.atomic():
        _lock_for(application, Status.RETURNED)
        application.return_for_changes(by=by, reason=reason)
        record(by, AuditEvent.Action.STATUS, application, note=application.get_status_display())
        queue_email(
            "members/email/application_returned",
            [application.contact_email],
            {
                "application": application,
                "reason": reason,
                "path": reverse("members:application_edit", args=[application.edit_token]),
            },
        )


def decline_application(application: MembershipApplication, *, by: User, reason: str) -> None:
    with transaction.atomic():
        _lock_for(application, Status.DECLINED)
        application.decline(by=by, reason=reason)
        record(by, AuditEvent.Action.STATUS, application, note=application.get_status_display())
        queue_email(
            "members/email/application_declined",
            [application.contact_email],
            {"application": application, "reason": reason},
        )


def organization_history(organization: Organization) -> QuerySet[AuditEvent]:
    """Recorded changes to an organisation and to its membership periods, newest first."""
    memberships = [str(pk) for pk in organization.memberships.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type=Organization._meta.label_lower, object_id=str(organization.pk))
        | Q(object_type=Membership._meta.label_lower, object_id__in=memberships)
    ).select_related("actor")


def save_with_audit(form: Any, *, by: User, fields: list[str]) -> Any:
    """Save a ModelForm and record what changed, field by field."""
    obj = form.instance
    with transaction.atomic():
        before = snapshot(type(obj).objects.get(pk=obj.pk), fields) if obj.pk else {}
        obj = form.save()
        changes = diff(before, snapshot(obj, fields))
        if changes:
            record(
                by,
                AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
                obj,
                changes=changes,
            )
    return obj
