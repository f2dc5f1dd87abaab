"""State changes of resident requests (住民の声): publish as a need, reject, forget contact."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, record, record_created
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.matching.requests_forms import CONTACT_FIELDS, PublishForm


def submit(form: Any) -> ResidentRequest:
    """Save a resident's request: the text and choices, the day, nothing about the sender."""
    resident_request: ResidentRequest = form.save(commit=False)
    resident_request.received_on = timezone.localdate()
    with transaction.atomic():
        resident_request.save()
        form.save_m2m()
    return resident_request


def _lock_new(resident_request: ResidentRequest) -> None:
    """Lock the voice and check it still waits for screening: of two officers screening it
    at the same moment, the second sees the first one's decision (AlreadyChanged)."""
    lock(resident_request)
    if resident_request.status != ResidentRequest.Status.NEW:
        raise AlreadyChanged(
            _("この声はすでに「%(status)s」になっています。")
            % {"status": resident_request.get_status_display()}
        )


def publish(resident_request: ResidentRequest, form: PublishForm, *, by: Any) -> Need:
    """Create the need the secretariat rewrote, link it, and rank seeds for it in the background."""
    from tsunagari.matching.tasks import refresh_need

    with transaction.atomic():
        _lock_new(resident_request)
        need: Need = form.save(commit=False)
        need.origin = Need.Origin.RESIDENT
        need.organization = None
        need.status = Need.Status.OPEN
        need.created_by = by
        need.save()
        form.save_m2m()
        resident_request.need = need
        resident_request.status = ResidentRequest.Status.PUBLISHED
        resident_request.screened_by = by
        resident_request.save(update_fields=["need", "status", "screened_by"])
        record_created(by, need, Need.AUDITED_FIELDS, note=f"住民の声 #{resident_request.pk} から")
        record(
            by,
            AuditEvent.Action.STATUS,
            resident_request,
            changes={"status": [ResidentRequest.Status.NEW, resident_request.status]},
        )
        need_id = need.pk
        transaction.on_commit(lambda: refresh_need.enqueue(need_id))
    return need


def reject(resident_request: ResidentRequest, *, note: str, by: Any) -> None:
    with transaction.atomic():
        _lock_new(resident_request)
        resident_request.status = ResidentRequest.Status.REJECTED
        resident_request.screening_note = note
        resident_request.screened_by = by
        resident_request.save(update_fields=["status", "screening_note", "screened_by"])
        record(
            by,
            AuditEvent.Action.STATUS,
            resident_request,
            changes={"status": [ResidentRequest.Status.NEW, resident_request.status]},
            note=note,
        )


def forget_contact(resident_request: ResidentRequest, *, by: Any) -> bool:
    """Delete the resident's name and contact once they are no longer needed; False when
    there was nothing left to delete (someone did it first)."""
    with transaction.atomic():
        lock(resident_request)
        if not resident_request.contact_consent and not any(
            getattr(resident_request, name) for name in CONTACT_FIELDS
        ):
            return False
        resident_request.contact_consent = False
        for name in CONTACT_FIELDS:
            setattr(resident_request, name, "")
        resident_request.save(update_fields=["contact_consent", *CONTACT_FIELDS])
        # The audit trail says that the contact was deleted, not what it was.
        record(by, AuditEvent.Action.UPDATE, resident_request, note="連絡先を削除")
    return True
