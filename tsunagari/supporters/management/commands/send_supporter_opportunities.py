"""Mail each supporter who opted in the new events and volunteering near them. Run
weekly by a timer:

    python manage.py send_supporter_opportunities

Only what was published since the supporter's last mail; nothing new, no mail. Running it
twice sends nothing twice (supporters/opportunities.py).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.supporters.opportunities import send_all


class Command(BaseCommand):
    help = (
        "参加の機会のお知らせを希望したつながりサポーターに、"
        "新しいイベント・ボランティアをメールで知らせます。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_all()
        self.stdout.write(f"{result['mails']} opportunity e-mail(s) queued.")
