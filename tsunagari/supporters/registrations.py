"""Sign-ups for a course (参加申込): register, cancel, promote from the waitlist.

Seats are first come, first served and never over-booked: every change that can take or
free a seat runs inside `transaction.atomic()` holding the course row's lock
(`lock(course)`, SELECT … FOR UPDATE), so registrations and cancellations of one course
happen one after another. The lock order is always the course, then a registration.
A confirmed registration cancelled before the course starts gives its seat to the first
waiting person (by `registered_at`) in the same transaction, and they are mailed.
Every mail goes through the outbox (core.mail.queue_email), written in the same
transaction, so a rolled-back change mails no one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.mail import queue_email
from tsunagari.lib import pagecache
from tsunagari.lib.ratelimit import RecipientLimit
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.supporters.models import Course, Registration

# The family of the public course pages in the page cache (lib/pagecache.py): seats
# left change with every registration and cancellation.
FAMILY = "supporters"

# 受付番号: letters and digits nobody confuses when reading them out or copying them
# (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 6

# A repeated sign-up re-sends the person's own link; at most this many to one address.
RESENT_LINKS = RecipientLimit("course-link", per_recipient=3, window=3600)


class RegistrationClosed(Exception):
    """The course takes no sign-ups (not published, or past its deadline)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyRegistered(Exception):
    """The same e-mail or phone is already signed up for this course."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration.code)
        self.registration = registration


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def registration_path(registration: Registration) -> str:
    return reverse("supporters:registration", args=[registration.token])


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first waiting person; None unless waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = (
        Registration.objects.waitlisted()
        .filter(course_id=registration.course_id, registered_at__lte=registration.registered_at)
        .exclude(registered_at=registration.registered_at, id__gt=registration.pk)
        .count()
    )
    return ahead


def seats_taken(course: Course) -> int:
    return course.registrations.confirmed().count()


def _active_same_contact(course: Course, email: str, phone: str) -> Registration | None:
    active = course.registrations.exclude(status=Registration.Status.CANCELLED)
    if email:
        found = active.filter(email__iexact=email).first()
        if found is not None:
            return found
    if phone:
        return active.filter(phone=phone).first()
    return None


def mail_context(registration: Registration) -> dict[str, Any]:
    """What every mail about a registration shows. The online link only to a confirmed
    person: never to someone waiting."""
    course = registration.course
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "course": course,
        "registration": registration,
        "registration_url": settings.SITE_URL + registration_path(registration),
        "course_url": settings.SITE_URL + reverse("supporters:course_detail", args=[course.pk]),
        "online_url": course.online_url
        if confirmed and course.format == Course.Format.ONLINE
        else "",
        "location": course.location,
        "position": waitlist_position(registration),
    }


def send_mail(template: str, registration: Registration, **extra: Any) -> bool:
    """Queue one mail about `registration` in its language; False without an e-mail."""
    if not registration.email or registration.erased_at is not None:
        return False
    queue_email(
        f"supporters/email/{template}",
        [registration.email],
        {**mail_context(registration), **extra},
        language=registration.language or "ja",
    )
    return True


def register(course: Course, data: dict[str, Any]) -> Registration:
    """Sign a person up: CONFIRMED while a seat is free, else WAITLISTED.

    `data` holds the form's cleaned values (name, email, phone, municipality, age_band,
    accessibility_needs). Raises RegistrationClosed when the course takes no sign-ups,
    AlreadyRegistered when the same e-mail or phone is signed up already (their own
    link is mailed to them again).
    """
    email = (data.get("email") or "").strip().lower()
    phone = (data.get("phone") or "").strip()
    with transaction.atomic():
        lock(course)
        if course.status != Course.Status.PUBLISHED:
            raise RegistrationClosed(_("この講座はいま申し込みを受け付けていません。"))
        if timezone.now() >= course.deadline:
            raise RegistrationClosed(
                _("申し込みの締め切りを過ぎました。主催者にお問い合わせください。")
            )
        existing = _active_same_contact(course, email, phone)
        if existing is None:
            registration = _register_now(course, email, phone, data)
    if existing is not None:
        # After the lock is let go: their own link again, to their own address only.
        if existing.email and RESENT_LINKS.take(existing.email):
            with transaction.atomic():
                send_mail("registration_link", existing)
        raise AlreadyRegistered(existing)
    return registration


def _register_now(course: Course, email: str, phone: str, data: dict[str, Any]) -> Registration:
    """Take a seat, or a place on the waitlist (holding the course's lock)."""
    status = (
        Registration.Status.CONFIRMED
        if seats_taken(course) < course.capacity
        else Registration.Status.WAITLISTED
    )
    registration = _create(course, status, email, phone, data)
    send_mail(
        "registration_confirmed"
        if status == Registration.Status.CONFIRMED
        else "registration_waitlisted",
        registration,
    )
    pagecache.bump(FAMILY)
    return registration


def _create(
    course: Course, status: str, email: str, phone: str, data: dict[str, Any]
) -> Registration:
    fields = {
        "course": course,
        "status": status,
        "name": data["name"],
        "email": email,
        "phone": phone,
        "municipality": data.get("municipality"),
        "age_band": data.get("age_band") or "",
        "accessibility_needs": data.get("accessibility_needs") or "",
        "language": data.get("language") or translation.get_language() or "ja",
    }
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a clash of codes is tried again
                return Registration.objects.create(code=new_code(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free registration code")


@dataclass
class Cancelled:
    registration: Registration
    promoted: Registration | None


def cancel(registration: Registration, *, by: Any = None) -> Cancelled:
    """Cancel a registration (by the person's link, or by the organiser: `by`). A seat
    freed before the course starts goes to the first waiting person, in the same
    transaction. Raises AlreadyChanged when it was cancelled already (a double click,
    two tabs, the organiser at the same moment)."""
    with transaction.atomic():
        course = lock(registration.course)
        lock(registration)
        if registration.status == Registration.Status.CANCELLED:
            raise AlreadyChanged(_("このお申し込みはすでに取り消されています。"))
        before = registration.status
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if by is not None:
            record(
                by,
                AuditEvent.Action.STATUS,
                registration,
                changes={"status": [before, Registration.Status.CANCELLED]},
                note=f"course {course.pk}",
            )
        promoted = fill_seats(course)
        pagecache.bump(FAMILY)
    return Cancelled(registration, promoted[0] if promoted else None)


def fill_seats(course: Course) -> list[Registration]:
    """Promote waiting people, first come first served, while seats are free and the
    course has not started; each promoted person is mailed. Call holding the course lock."""
    if course.status != Course.Status.PUBLISHED or timezone.now() >= course.starts_at:
        return []
    free = course.capacity - seats_taken(course)
    if free <= 0:
        return []
    promoted = []
    now = timezone.now()
    for waiting in list(Registration.objects.waitlisted().filter(course=course)[:free]):
        # A conditional update: the row is under the course's lock, but say it plainly.
        changed = Registration.objects.filter(
            pk=waiting.pk, status=Registration.Status.WAITLISTED
        ).update(status=Registration.Status.CONFIRMED, promoted_at=now)
        if changed:
            waiting.status = Registration.Status.CONFIRMED
            waiting.promoted_at = now
            waiting.course = course
            send_mail("registration_promoted", waiting)
            promoted.append(waiting)
    return promoted
