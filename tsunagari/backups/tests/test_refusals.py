"""A restore refuses what it cannot trust (a set damaged or cut short) and what it would
destroy (a database that is not empty), and says so; a restore that does not match its
manifest ends with a non-zero exit."""

from __future__ import annotations

import io
import json
import os
import time

from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagari.backups import sets
from tsunagari.backups.tests.base import BackupTestCase


class RestoreRefusalTests(BackupTestCase):
    def assert_target_empty(self) -> None:
        self.assertEqual(sets.table_count(self.target), (0, 0))

    def test_it_refuses_a_database_that_is_not_empty_unless_forced(self) -> None:
        path = self.backup()
        self.restore(path)

        with self.assertRaisesMessage(CommandError, "is not empty"):
            self.restore(path)
        report = self.restore(path, "--force")

        self.assertIn("Restored: every table", report)

    def test_it_refuses_a_damaged_database_file_and_writes_nothing(self) -> None:
        path = self.backup()
        database = path / json.loads((path / sets.MANIFEST).read_text())["database"]["file"]
        data = bytearray(database.read_bytes())
        data[len(data) // 2] ^= 0xFF
        database.write_bytes(bytes(data))

        with self.assertRaisesMessage(CommandError, "does not match its checksum"):
            self.restore(path)
        self.assert_target_empty()

    def test_it_refuses_a_set_without_its_manifest(self) -> None:
        path = self.backup()
        (path / sets.MANIFEST).unlink()

        with self.assertRaisesMessage(CommandError, "an incomplete backup"):
            self.restore(path)
        self.assert_target_empty()

    def test_it_refuses_a_set_that_lacks_its_files_archive(self) -> None:
        path = self.backup()
        (path / sets.FILES).unlink()

        with self.assertRaisesMessage(CommandError, "files.tar.gz is missing"):
            self.restore(path)
        self.assert_target_empty()

    def test_a_restore_that_differs_from_the_manifest_exits_non_zero_and_names_the_table(
        self,
    ) -> None:
        path = self.backup()
        manifest = json.loads((path / sets.MANIFEST).read_text())
        manifest["tables"]["geo_municipality"]["rows"] += 1
        manifest["tables"]["members_theme"]["md5"] = "0" * 32
        (path / sets.MANIFEST).write_text(json.dumps(manifest))

        with self.assertRaisesMessage(CommandError, "do not match the backup (2 problem(s))"):
            self.restore(path)
        self.assertIn("MISMATCH: table geo_municipality:", self.restore_stderr)
        self.assertIn("MISMATCH: table members_theme: its rows differ", self.restore_stderr)

    def test_it_refuses_a_backup_of_the_other_kind_of_database(self) -> None:
        path = self.backup()
        manifest = json.loads((path / sets.MANIFEST).read_text())
        other = "sqlite" if manifest["database"]["vendor"] == "postgresql" else "postgresql"
        manifest["database"]["vendor"] = other
        (path / sets.MANIFEST).write_text(json.dumps(manifest))

        with self.assertRaisesMessage(CommandError, f"this is a {other} backup"):
            self.restore(path)


class BackupCommandTests(BackupTestCase):
    def test_a_backup_cut_short_is_never_taken_for_a_set_and_keep_clears_it_a_day_later(
        self,
    ) -> None:
        self.dest.mkdir()
        cut_short = self.dest / f"{sets.INCOMPLETE}{sets.PREFIX}20260101T000000Z-sqlite"
        cut_short.mkdir()

        path = self.backup("--keep=3")
        self.assertEqual(sets.complete_sets(self.dest), [path])
        self.assertTrue(cut_short.exists())

        two_days_ago = time.time() - 2 * 24 * 3600
        os.utime(cut_short, (two_days_ago, two_days_ago))
        self.backup("--keep=3")
        self.assertFalse(cut_short.exists())

    def test_verify_passes_a_whole_set_and_fails_a_damaged_one(self) -> None:
        path = self.backup()
        out = io.StringIO()
        call_command("backup", "--verify=latest", stdout=out)
        self.assertIn(path.name, out.getvalue())
        self.assertIn("The backup set is whole and readable.", out.getvalue())

        with (path / sets.FILES).open("ab") as archive:
            archive.write(b"junk")
        with self.assertRaisesMessage(CommandError, "files.tar.gz does not match its checksum"):
            call_command("backup", f"--verify={path}", stdout=io.StringIO())

    def test_keep_deletes_all_but_the_newest_sets(self) -> None:
        first = self.backup()
        second = self.backup()
        third = self.backup("--keep=2")

        self.assertEqual(sets.complete_sets(self.dest), [second, third])
        self.assertFalse(first.exists())

    def test_files_under_var_dir_are_kept_but_previews_static_files_and_backups_are_not(
        self,
    ) -> None:
        for name in ("media/a/photo.jpg", "import-previews/x.csv", "static/app.css", "notes.txt"):
            file = self.var_dir / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(name)
        self.enterContext(self.settings(BACKUP_DIR=self.var_dir / "backups"))
        self.dest = self.var_dir / "backups"
        self.backup()

        path = self.backup()

        manifest = json.loads((path / sets.MANIFEST).read_text())
        kept = sorted(entry["path"] for entry in manifest["files"]["entries"])
        self.assertEqual(kept, ["var/media/a/photo.jpg", "var/notes.txt"])
        restored = self.tmp / "restored-var"
        self.restore(path, f"--var-dir={restored}")
        self.assertEqual((restored / "media/a/photo.jpg").read_text(), "media/a/photo.jpg")

    def test_files_that_exist_are_not_overwritten_unless_forced(self) -> None:
        (self.var_dir / "notes.txt").write_text("backed up")
        path = self.backup()
        restored = self.tmp / "restored-var"
        restored.mkdir()
        (restored / "notes.txt").write_text("newer")

        with self.assertRaisesMessage(CommandError, "already exist in the target folders"):
            self.restore(path, f"--var-dir={restored}")
        self.assertEqual((restored / "notes.txt").read_text(), "newer")
        self.assertEqual(sets.table_count(self.target), (0, 0))
