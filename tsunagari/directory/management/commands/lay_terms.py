"""Check the lay-language table (data/lay_terms.tsv) after editing it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.directory import lay_terms
from tsunagari.directory.search import search


class Command(BaseCommand):
    help = (
        "言い換え表を検査し、各行の言葉で見つかる公開中の資源の数を表示する "
        "(check the lay-language table and count what each line finds)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            table = lay_terms.load()
        except lay_terms.LayTermsError as error:
            raise CommandError(str(error)) from error
        for line in table.lines:
            found = search(q=line.everyday[0]).count()
            self.stdout.write(
                f"{line.number}: {'/'.join(line.everyday)} → {'/'.join(line.service)}: {found}件"
            )
            for word in line.service:
                if not search(q=word).exists():
                    self.stdout.write(f"    「{word}」を含む公開中の資源はまだありません。")
        self.stdout.write(
            f"{len(table.lines)}行、{len(table.pairs())}組。"
            "反映するにはアプリを再起動してください。"
        )
