"""Identical applications sent again (a double click, a reload, a robot replaying a form)
are recognised, not stored twice and not mailed twice.

"Identical" means every field the applicant typed, the contact's e-mail address among
them, within IDENTICAL_WINDOW of the first. Recognised two ways:
- in the database, for an open application with the same content (durable: survives a
  restart and a cleared cache);
- in the cache, by claiming the content's fingerprint before saving (atomic: of several
  identical submissions at the same moment exactly one is saved).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from tsunagari.members.models import MembershipApplication

IDENTICAL_WINDOW = 24 * 3600
PENDING = "pending"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, Iterable):
        return sorted(_plain(v) for v in value)
    return str(value)


def fingerprint(values: dict[str, Any]) -> str:
    """A hash of what the applicant typed (the e-mail address in any case)."""
    content = {name: _plain(values.get(name)) for name in MembershipApplication.APPLICANT_FIELDS}
    content["contact_email"] = str(content["contact_email"]).lower()
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _key(digest: str) -> str:
    return f"apply:identical:{digest}"


def _stored(digest: str, email: str) -> MembershipApplication | None:
    since = timezone.now() - timedelta(seconds=IDENTICAL_WINDOW)
    candidates = (
        MembershipApplication.objects.filter(
            contact_email__iexact=email,
            submitted_at__gte=since,
            status__in=[
                MembershipApplication.Status.SUBMITTED,
                MembershipApplication.Status.UNDER_REVIEW,
            ],
        )
        .prefetch_related("municipalities", "themes")
        .order_by("submitted_at", "id")
    )
    for application in candidates:
        values = model_to_dict(application, fields=MembershipApplication.APPLICANT_FIELDS)
        if fingerprint(values) == digest:
            return application
    return None


class Submission:
    """One valid application about to be saved: `earlier()` finds the same content sent
    before; `claim()` reserves it; `saved()` or `abandon()` settles the claim."""

    def __init__(self, cleaned_data: dict[str, Any]) -> None:
        self.digest = fingerprint(cleaned_data)
        self.email = str(cleaned_data.get("contact_email") or "")

    def earlier(self) -> str | None:
        """The reference (受付番号) of the same application sent earlier, "" if it is
        being saved at this moment, None if there is none."""
        application = _stored(self.digest, self.email)
        if application is not None:
            return application.reference
        return self._claimed()

    def _claimed(self, wait: float = 2.0) -> str | None:
        """The reference another request claimed this content for; waits a little for
        one that is still saving."""
        deadline = time.monotonic() + wait
        while True:
            value = cache.get(_key(self.digest))
            if value is None:
                return None
            if value != PENDING:
                return str(value)
            if time.monotonic() > deadline:
                return ""
            time.sleep(0.05)

    def claim(self) -> bool:
        """Reserve this content; False when another request did first."""
        return bool(cache.add(_key(self.digest), PENDING, IDENTICAL_WINDOW))

    def saved(self, application: MembershipApplication) -> None:
        cache.set(_key(self.digest), application.reference, IDENTICAL_WINDOW)

    def abandon(self) -> None:
        cache.delete(_key(self.digest))
