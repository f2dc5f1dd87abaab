"""Queue e-mails rendered from templates, in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from tsunagari.core import outbox
from tsunagari.core.context_processors import contact_office
from tsunagari.core.models import OutgoingMail


def queue_email(
    template: str,
    to: list[str],
    context: dict[str, Any],
    *,
    language: str = "ja",
    headers: dict[str, str] | None = None,
) -> OutgoingMail:
    """Render `<template>_subject.txt` and `<template>_body.txt` (plain text, no HTML
    escaping) and put the mail in the outbox.

    The outbox row and its task are written in the caller's transaction, so an e-mail
    about a change that rolls back is never sent, and one about a change that commits
    is never lost. `headers` are extra message headers (List-Unsubscribe).
    """
    context = {"site_url": settings.SITE_URL, "CONTACT_OFFICE": contact_office(), **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context, using="text").strip()
        body = render_to_string(f"{template}_body.txt", context, using="text")
    return outbox.queue_mail(to, " ".join(subject.split()), body, headers=headers)
