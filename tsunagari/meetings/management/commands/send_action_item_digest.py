"""Mail each owner organisation's staff their open action items that are overdue or due
this week. Run weekly (timer, Monday 09:00 JST):

    python manage.py send_action_item_digest

Safe to run again in the same week: an item is mailed at most once a week (`last_reminded_at`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.meetings.services import send_action_digest


class Command(BaseCommand):
    help = "期限切れ・今週期限の未完了アクションアイテムを、担当団体の職員にメールで送ります。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_action_digest()
        self.stdout.write(f"{sent} action item digest e-mail(s) queued.")
