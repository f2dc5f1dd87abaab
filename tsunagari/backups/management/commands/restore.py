"""`manage.py restore SET`: put a backup set back, then prove it (docs/backup.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections

from tsunagari.backups import sets


class Command(BaseCommand):
    help = (
        "バックアップから戻す (restore a backup set into a database, empty unless --force, "
        "then compare every table and file with the set's manifest)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("set", type=Path, help="the backup set's folder")
        parser.add_argument(
            "--database-url",
            default=None,
            help="restore into this database (e.g. a scratch one for a drill) instead of the "
            "site's own; its files are then restored only with --var-dir/--media-root",
        )
        parser.add_argument(
            "--var-dir", type=Path, default=None, help="restore VAR_DIR's files here"
        )
        parser.add_argument(
            "--media-root", type=Path, default=None, help="restore MEDIA_ROOT's files here"
        )
        parser.add_argument("--no-files", action="store_true", help="restore the database only")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database that is not empty, and files that exist",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["set"]
        if options["database_url"]:
            try:
                target = sets.database_from_url(options["database_url"])
            except sets.BackupError as error:
                raise CommandError(str(error)) from None
        else:
            target = dict(connections["default"].settings_dict)
            connections["default"].close()
        roots = self.roots(options)
        self.stdout.write(f"Restoring {path} into {sets.describe(target)}")
        started = time.monotonic()
        try:
            manifest, check = sets.restore(path, target, force=options["force"], roots=roots)
        except sets.BackupError as error:
            raise CommandError(f"Nothing restored: {error}") from None
        except DatabaseError as error:
            raise CommandError(
                f"Cannot use the target database {target['NAME']}: {error}".strip()
                + "\n(create it first, e.g. `createdb -O <owner> <name>`)"
            ) from None
        self.stdout.write(
            f"  backup of {manifest['created_at']}"
            + (
                f", code {manifest['app']['git_commit'][:12]}"
                if "git_commit" in manifest["app"]
                else ""
            )
        )
        if roots is None:
            self.stdout.write("  files: not restored")
        for line in check.lines:
            self.stdout.write(line)
        for note in check.notes:
            self.stdout.write(f"  NOTE: {note}")
        if not check.ok:
            for problem in check.problems:
                self.stderr.write(f"  MISMATCH: {problem}")
            raise CommandError(
                f"The restored data do not match the backup ({len(check.problems)} problem(s))."
            )
        what = "every table" if roots is None else "every table and file"
        self.stdout.write(
            self.style.SUCCESS(f"Restored: {what} matches the backup's manifest")
            + f" ({time.monotonic() - started:.1f} s)."
        )

    def roots(self, options: dict[str, Any]) -> dict[str, Path] | None:
        """Where the files go: the site's own folders when restoring the site's own
        database; only the folders given when restoring elsewhere (a drill)."""
        if options["no_files"]:
            return None
        given = {"var": options["var_dir"], "media": options["media_root"]}
        if options["database_url"]:
            roots = {name: path for name, path in given.items() if path is not None}
            return roots or None
        roots = {"var": Path(settings.VAR_DIR)}
        if getattr(settings, "MEDIA_ROOT", ""):
            roots["media"] = Path(settings.MEDIA_ROOT)
        return {**roots, **{n: p for n, p in given.items() if p is not None}}
