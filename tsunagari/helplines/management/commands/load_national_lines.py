"""Reload the national lines from a CSV of the reference list's shape.

    manage.py load_national_lines [path/to/national_consultation_windows.csv] [--dry-run]

Without a path it reads the copy shipped in tsunagari/helplines/data/. Every bad row is
reported with its line number and nothing is written; otherwise all rows are created or
updated in one transaction (running it twice changes nothing the second time). Lines
the secretariat retired stay retired; a source re-verified later than the file's date
is kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagari.helplines import loader, services


class Command(BaseCommand):
    help = "全国・県の相談窓口をCSVから登録・更新します（出典URLと情報確認日つき）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(loader.DATA_FILE))
        parser.add_argument(
            "--dry-run", action="store_true", help="変更内容を数えるだけで、保存しません。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"ファイルがありません: {path}")
        try:
            parsed, outcome = services.load_file(path, dry_run=options["dry_run"])
        except UnicodeDecodeError:
            raise CommandError(f"UTF-8 のCSVとして読めません: {path}") from None
        for problem in parsed.warnings:
            self.stdout.write(self.style.WARNING(f"注意 {problem}"))
        if parsed.errors:
            for problem in parsed.errors:
                self.stderr.write(f"誤り {problem}")
            raise CommandError(f"{len(parsed.errors)}件の誤りがあるため、何も保存しませんでした。")
        prefix = "（試行・保存していません）" if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}新規 {len(outcome.created)}件、更新 {len(outcome.updated)}件、"
            f"変更なし {len(outcome.unchanged)}件"
        )
        for name in outcome.updated:
            self.stdout.write(f"  更新: {name}")
        if outcome.not_in_file:
            self.stdout.write(
                f"CSVにない窓口 {len(outcome.not_in_file)}件（変更していません。"
                "掲載を終える場合は事務局の画面から）: " + "、".join(outcome.not_in_file)
            )
