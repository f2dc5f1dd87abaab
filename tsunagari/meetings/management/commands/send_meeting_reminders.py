"""Mail the staff of organisations attending tomorrow's meetings. Run daily (timer):

    python manage.py send_meeting_reminders

Safe to run again, or twice at once: each RSVP is reminded at most once (`reminded_at`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.meetings.services import send_reminders


class Command(BaseCommand):
    help = "明日の会議に出席と答えた団体の職員に、前日のお知らせをメールで送ります。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} meeting reminder e-mail(s) queued.")
