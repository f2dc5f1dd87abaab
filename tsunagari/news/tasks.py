"""Background work of the member mailings."""

from __future__ import annotations

from django.tasks import task

from tsunagari.news import services


@task()
def send_mailing_batch(mailing_id: int, recipient_ids: list[int]) -> dict[str, int]:
    """Hand one batch of a mailing's recipients to the outbox; safe to run more than once."""
    return services.send_batch(mailing_id, recipient_ids)
