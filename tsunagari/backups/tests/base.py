"""Shared set-up of the backup tests: a folder of their own for VAR_DIR and the sets, and
a scratch database to restore into (PostgreSQL: a database created and dropped by the
test; SQLite: another file)."""

from __future__ import annotations

import io
import shutil
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from tsunagari.backups import sets
from tsunagari.backups.digests import TableDigest, read_snapshot, table_digests


class BackupTestCase(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="tsunagari-backup-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.var_dir = self.tmp / "var"
        self.var_dir.mkdir()
        self.dest = self.tmp / "backups"
        # The uploads live under VAR_DIR, as on a site with the default MEDIA_ROOT.
        self.enterContext(
            override_settings(
                VAR_DIR=self.var_dir, BACKUP_DIR=self.dest, MEDIA_ROOT=self.var_dir / "media"
            )
        )

    @cached_property
    def target_url(self) -> str:
        """The scratch database, made when a test first restores."""
        return self.scratch_database()

    @cached_property
    def target(self) -> dict[str, Any]:
        return sets.database_from_url(self.target_url)

    def scratch_database(self) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.tmp / 'restored' / 'tsunagari.sqlite3'}"
        db = connection.settings_dict
        name = f"{db['NAME']}_restore"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.addCleanup(self.drop_database, name)
        return (
            f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
        )

    def drop_database(self, name: str) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def backup(self, *args: str) -> Path:
        out = io.StringIO()
        call_command("backup", *args, stdout=out)
        self.assertIn("Backup written", out.getvalue())
        (newest,) = sets.complete_sets(self.dest)[-1:]
        return newest

    def restore(self, path: Path, *args: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(
                "restore",
                str(path),
                f"--database-url={self.target_url}",
                *args,
                stdout=out,
                stderr=err,
            )
        finally:
            self.restore_stderr = err.getvalue()
        return out.getvalue()

    def live_digests(self) -> dict[str, TableDigest]:
        with connection.cursor() as cursor, read_snapshot(cursor, connection.vendor):
            return table_digests(cursor, connection.vendor)

    def target_digests(self) -> dict[str, Any]:
        return sets.digests_of(self.target)
