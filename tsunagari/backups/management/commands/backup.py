"""`manage.py backup`: one backup set of the database and the files (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagari.backups import sets


class Command(BaseCommand):
    help = (
        "バックアップを取る (write one backup set: the database, the files under VAR_DIR and "
        "a manifest; --verify checks an existing set)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dest",
            type=Path,
            default=None,
            help="the folder that holds the sets (default: BACKUP_DIR)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            metavar="N",
            help="afterwards, delete all but the N newest sets in the folder",
        )
        parser.add_argument("--database", default="default", help="the database alias")
        parser.add_argument(
            "--verify",
            default=None,
            metavar="SET",
            help="do not back up: check that the set is whole and readable "
            "('latest': the newest set in the folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dest = options["dest"] or Path(settings.BACKUP_DIR)
        if options["verify"] is not None:
            if options["verify"] != "latest":
                return self.verify(Path(options["verify"]))
            newest = sets.complete_sets(dest)[-1:]
            if not newest:
                raise CommandError(f"No backup set in {dest}.")
            return self.verify(newest[0])
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be 1 or more")
        try:
            result = sets.create(dest, alias=options["database"], keep=options["keep"])
        except sets.BackupError as error:
            raise CommandError(f"No backup written: {error}") from None
        manifest = result.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {result.path}")
            + f"\n  {manifest['database']['vendor']} database {manifest['database']['name']}: "
            f"{len(manifest['tables'])} tables, {rows} rows"
            f"\n  {len(manifest['files']['entries'])} file(s) from "
            + ", ".join(manifest["files"]["roots"].values())
            + f" (not kept: {', '.join(manifest['files']['skipped'])})"
            f"\n  {sets.human_size(sets.set_size(result.path))} in {result.seconds:.1f} s"
        )
        for path in result.pruned:
            self.stdout.write(f"  deleted {path.name}")

    def verify(self, path: Path) -> None:
        try:
            manifest, check = sets.verify(path)
        except sets.BackupError as error:
            raise CommandError(f"Not a usable backup: {error}") from None
        self.stdout.write(
            f"Backup set {path} ({manifest['database']['vendor']}, {manifest['created_at']})"
        )
        for line in check.lines:
            self.stdout.write(line)
        if not check.ok:
            for problem in check.problems:
                self.stderr.write(f"  PROBLEM: {problem}")
            raise CommandError("The backup set fails its checks.")
        self.stdout.write(self.style.SUCCESS("The backup set is whole and readable."))
