"""Mail the confirmed participants of tomorrow's courses. Run daily (timer):

    python manage.py send_course_reminders

Safe to run again, or twice at once: each registration is reminded at most once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.supporters.tasks import send_reminders


class Command(BaseCommand):
    help = "明日開催の講座の参加確定者に、前日のお知らせをメールで送ります。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} course reminder e-mail(s) queued.")
