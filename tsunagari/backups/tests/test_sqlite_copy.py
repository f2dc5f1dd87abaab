"""SQLite's copy is one consistent moment even while another process writes: what
another connection commits together is in the copy together, or not at all."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from django.test import SimpleTestCase

from tsunagari.backups import sets


class SqliteCopyWhileWritingTests(SimpleTestCase):
    def test_the_copy_holds_whole_transactions_of_a_writer_that_does_not_stop(self) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        live = folder / "live.sqlite3"
        with sets.closing_sqlite(live) as setup:
            setup.execute("PRAGMA journal_mode=WAL")
            setup.execute("CREATE TABLE need (id INTEGER PRIMARY KEY, title TEXT)")
            setup.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, need_id INTEGER)")
            setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
            setup.execute("INSERT INTO counter VALUES (1, 0)")
        stop, written = threading.Event(), threading.Event()

        def write() -> None:
            # Each transaction adds a need, its audit row, and counts it: the three agree.
            with sets.closing_sqlite(live) as conn:
                conn.execute("PRAGMA busy_timeout=5000")
                while not stop.is_set():
                    conn.execute("BEGIN IMMEDIATE")
                    need = conn.execute(
                        "INSERT INTO need (title) VALUES (?)", ("居場所" * 50,)
                    ).lastrowid
                    conn.execute("INSERT INTO audit (need_id) VALUES (?)", (need,))
                    conn.execute("UPDATE counter SET n = n + 1")
                    conn.execute("COMMIT")
                    written.set()

        writer = threading.Thread(target=write)
        writer.start()
        copies = []
        try:
            written.wait(timeout=30)
            with sets.closing_sqlite(live) as source:
                for n in range(5):
                    copies.append(folder / f"copy{n}.sqlite3")
                    sets.copy_sqlite(source, copies[-1])
        finally:
            stop.set()
            writer.join()

        for copy in copies:
            with sets.closing_sqlite(copy) as conn:
                needs, audits, counted = conn.execute(
                    "SELECT (SELECT count(*) FROM need), (SELECT count(*) FROM audit), "
                    "(SELECT n FROM counter)"
                ).fetchone()
            self.assertGreater(needs, 0)
            self.assertEqual((audits, counted), (needs, needs))
