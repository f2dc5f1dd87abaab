"""Count the dashboard's tallies afresh from the data.

Run once on a fresh install or after upgrading (until then the dashboard counts from the
data directly, which is slow at scale), and after a bulk change made without signals
(raw SQL, queryset.update). Idempotent; load_demo runs it.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.insights import tallies


class Command(BaseCommand):
    help = "Rebuild the dashboard's tallies (insights) from the data."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        counted = tallies.rebuild()
        cells = tallies.Tally.objects.filter(metric__in=tallies.METRICS).count()
        self.stdout.write(
            f"集計値を再計算しました（tallies rebuilt）: "
            f"{counted[tallies.RESOURCE]} resources, {counted[tallies.NEED]} needs, "
            f"{counted[tallies.COLLABORATION]} collaborations counted into {cells} cells "
            f"in {time.perf_counter() - start:.1f} s."
        )
