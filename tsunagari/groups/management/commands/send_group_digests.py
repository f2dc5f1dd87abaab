"""Mail each subscriber the new posts of their working groups. Run daily (timer):

    python manage.py send_group_digests

Safe to run again, or twice at once: a post goes into one person's digest at most once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.groups.services import send_digests


class Command(BaseCommand):
    help = "分科会の掲示板の新しい投稿のまとめを、希望した人にメールで送ります。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} group digest e-mail(s) queued.")
