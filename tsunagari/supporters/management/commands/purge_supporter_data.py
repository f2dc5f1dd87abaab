"""Erase the personal data of course participants kept longer than the retention period.
Run daily by a timer:

    python manage.py purge_supporter_data

Registrations whose course ended more than SUPPORTERS_RETENTION_DAYS ago lose their
name, contact, municipality, age band and needs; their certificates stay verifiable
without the name (see supporters/retention.py). Running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tsunagari.supporters.retention import purge_expired


class Command(BaseCommand):
    help = "保存期間を過ぎた講座参加者の個人情報を削除します。"

    def handle(self, *args: Any, **options: Any) -> None:
        erased = purge_expired()
        self.stdout.write(
            f"{erased} registration(s) erased "
            f"(courses ended more than {settings.SUPPORTERS_RETENTION_DAYS} days ago)."
        )
