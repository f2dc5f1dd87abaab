"""Erasing the supporters' personal data (個人情報の削除): on request, and after
SUPPORTERS_RETENTION_DAYS.

The registration row stays with its course, status and attendance, so the figures do
not change; its name, contact, municipality, age band and needs are blanked and
erased_at set.

The certificate differs by why the data goes:
- **on request** (the person, or the secretariat for them): the certificate is revoked
  and its printed name blanked; the verify page says it is no longer valid. The person
  asked that nothing of theirs remain, and a valid certificate without a holder would
  let anyone claim it.
- **after the retention period**: the certificate stays valid but its printed name is
  blanked; the verify page confirms the serial, course, date and organiser, and says the
  name is no longer kept. The paper in the holder's hands still proves itself by its
  serial, and nothing personal is kept longer than the period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tsunagari.audit.models import AuditEvent, record
from tsunagari.lib.transitions import lock
from tsunagari.supporters.models import Certificate, Registration

PERSONAL_FIELDS = ("name", "email", "phone", "municipality", "age_band", "accessibility_needs")


def erase(
    registration: Registration, *, by: Any = None, revoke: bool = True, note: str = ""
) -> bool:
    """Blank the registration's personal data; False when it already was."""
    with transaction.atomic():
        lock(registration)
        if registration.erased_at is not None:
            return False
        now = timezone.now()
        registration.name = ""
        registration.email = ""
        registration.phone = ""
        registration.municipality = None
        registration.age_band = ""
        registration.accessibility_needs = ""
        registration.opportunities_opt_in = False
        registration.erased_at = now
        registration.save(update_fields=[*PERSONAL_FIELDS, "opportunities_opt_in", "erased_at"])
        certificate = Certificate.objects.filter(registration=registration).first()
        if certificate is not None:
            certificate.name_printed = ""
            fields = ["name_printed"]
            if revoke and certificate.revoked_at is None:
                certificate.revoked_at = now
                fields.append("revoked_at")
            certificate.save(update_fields=fields)
        record(
            by,
            AuditEvent.Action.UPDATE,
            registration,
            changes={"erased_at": [None, now.isoformat()]},
            note=note or "個人情報を削除",
        )
    return True


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.SUPPORTERS_RETENTION_DAYS)


def expired(now: datetime | None = None) -> list[Registration]:
    """Registrations not yet erased whose course ended before the cutoff."""
    cutoff = retention_cutoff(now)
    # A course lasts hours, not days: narrow by the start, then check the end exactly.
    candidates = Registration.objects.filter(
        erased_at__isnull=True, course__starts_at__lt=cutoff
    ).select_related("course")
    return [r for r in candidates if r.course.ends_at < cutoff]


def purge_expired(now: datetime | None = None) -> int:
    """Erase every expired registration (certificates stay valid, without the name)."""
    count = 0
    for registration in expired(now):
        if erase(registration, revoke=False, note="保存期間の経過により個人情報を削除"):
            count += 1
    return count
