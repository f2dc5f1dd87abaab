"""Invitations: a new account gets an e-mail with a link to set its password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.mail import queue_email


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})


def send_invitation(user: User, *, by: Any) -> None:
    queue_email(
        "accounts/email/invitation",
        [user.email],
        {"user": user, "path": invitation_path(user)},
    )
    record(by, AuditEvent.Action.INVITE, user, note=user.get_role_display())
