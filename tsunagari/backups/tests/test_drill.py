"""The restore drill: back up a site with data of every kind, restore it into a scratch
database, and find the same rows in every table and the same roster and search results
served from the restored copy. Runs on SQLite (`make test`) and on PostgreSQL
(`scripts/test-postgres`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import unittest

from django.conf import settings
from django.db import connection, connections

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.backups import sets
from tsunagari.backups.tests.base import BackupTestCase
from tsunagari.backups.tests.pages import PAGES, page_texts
from tsunagari.directory.sample import attach_sample_organizations, load_sample_resources
from tsunagari.matching.sample import load_sample_needs
from tsunagari.members.models import Theme
from tsunagari.surveys.sample import load_sample_campaign, load_sample_selfchecks

# Stands for an uploaded file kept under VAR_DIR (no model stores files today).
UPLOAD = "media/logos/sample.png"
UPLOAD_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def make_site(var_dir: os.PathLike[str]) -> None:
    """What `load_demo` loads, smaller (load_demo itself took 16 s on SQLite and 85 s on
    PostgreSQL on the busy development machine, too slow for every CI run): sample
    resources with their organisations and search index, needs with a voice and a
    collaboration, self-check answers, a campaign, accounts, an application, and a file."""
    load_sample_resources(40)
    attach_sample_organizations()
    load_sample_needs()
    load_sample_selfchecks(count=30)
    load_sample_campaign()
    factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
    factory.make_application()
    upload = settings.VAR_DIR / UPLOAD
    upload.parent.mkdir(parents=True)
    upload.write_bytes(UPLOAD_BYTES)
    (settings.VAR_DIR / "import-previews").mkdir()
    (settings.VAR_DIR / "import-previews" / "old.csv").write_text("temporary")


class RestoreDrillTests(BackupTestCase):
    def test_a_restored_backup_holds_every_row_and_file_and_serves_the_same_pages(self) -> None:
        make_site(self.var_dir)
        before = self.live_digests()
        path = self.backup()

        restored_var = self.tmp / "restored-var"
        report = self.restore(path, f"--var-dir={restored_var}")

        self.assertIn("Restored: every table and file matches", report)
        after = self.target_digests()
        self.assertEqual(sorted(after), sorted(before))
        differing = [name for name in before if before[name] != after[name]]
        self.assertEqual(differing, [])
        self.assertGreater(after["directory_resource"].rows, 0)
        self.assertEqual((restored_var / UPLOAD).read_bytes(), UPLOAD_BYTES)
        self.assertFalse((restored_var / "import-previews").exists())

        original = page_texts(self.client)
        served = self.pages_served_from(restored_var)
        self.assertEqual(list(served), list(PAGES))
        for path_ in PAGES:
            with self.subTest(page=path_):
                self.assertTrue(original[path_].startswith("200\n"))
                self.assertEqual(served[path_], original[path_])
        self.assertNotIn(">0件見つかりました", original["/resources/?q=相談"])
        self.assertIn("件見つかりました", original["/resources/?q=相談"])

    def pages_served_from(self, var_dir: os.PathLike[str]) -> dict[str, str]:
        """The pages, from a second process whose site runs on the restored database."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tsunagari.settings",
            "TESTING": "true",
            "DATABASE_URL": self.target_url,
            "VAR_DIR": str(var_dir),
        }
        result = subprocess.run(
            [sys.executable, "-m", "tsunagari.backups.tests.pages"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        pages: dict[str, str] = json.loads(result.stdout)
        return pages

    def test_the_manifest_says_what_the_set_holds(self) -> None:
        path = self.backup()

        manifest = json.loads((path / sets.MANIFEST).read_text())
        self.assertEqual(manifest["database"]["vendor"], connection.vendor)
        self.assertIn("0001_initial", manifest["migrations"]["directory"])
        self.assertEqual(
            manifest["tables"], {n: d.as_json() for n, d in self.live_digests().items()}
        )
        self.assertGreater(manifest["tables"]["geo_municipality"]["rows"], 30)
        self.assertEqual(set(manifest["sha256"]), {manifest["database"]["file"], sets.FILES})
        self.assertEqual(manifest["files"]["skipped"], ["var/import-previews", "var/static"])


class BackupWhileTheSiteWritesTests(BackupTestCase):
    @unittest.skipUnless(connection.vendor == "postgresql", "the site writes from other processes")
    def test_a_backup_taken_while_rows_are_written_restores_exactly_as_its_manifest_says(
        self,
    ) -> None:
        stop = threading.Event()
        started = threading.Event()

        def write() -> None:
            n = 0
            try:
                while not stop.is_set():
                    Theme.objects.create(name=f"テーマ{n}", order=n % 100)
                    Theme.objects.filter(order=n % 100).update(order=n % 100 + 1)
                    n += 1
                    started.set()
            finally:
                connections.close_all()

        writer = threading.Thread(target=write)
        writer.start()
        try:
            started.wait(timeout=30)
            before = Theme.objects.count()
            path = self.backup()
            during = Theme.objects.count() - before
        finally:
            stop.set()
            writer.join()

        self.assertGreater(during, 0)
        report = self.restore(path)
        self.assertIn("Restored: every table", report)
