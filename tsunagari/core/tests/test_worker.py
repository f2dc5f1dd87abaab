"""The real `manage.py db_worker`, in its own process, against a real SMTP server:
killed mid-send, stopped mid-send, two at once. Every mail arrives exactly once.

The worker runs as a subprocess on the test database: on PostgreSQL it connects to it;
on SQLite (an in-memory test database) the database is copied to a file for the worker
and copied back afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase
from django_tasks_db.models import DBTaskResult

from tsunagari.core import outbox
from tsunagari.core.models import OutgoingMail, WorkerHeartbeat
from tsunagari.core.tests.smtp import Inbox, SmtpServer

Status = OutgoingMail.Status


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class WorkerProcessTestCase(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="tsunagari-worker-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.inbox = Inbox()
        self.server = SmtpServer(self.inbox).__enter__()
        self.addCleanup(self.server.__exit__)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.addCleanup(self.kill_all)

    def kill_all(self) -> None:
        for p in self.processes:
            if p.poll() is None:
                p.kill()
                p.wait()

    # The database, shared with the worker processes -------------------------------

    @property
    def sqlite_file(self) -> Path:
        return self.tmp / "tsunagari.sqlite3"

    def share(self) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as target:
                connection.connection.backup(target)
            target.close()

    def take_back(self) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(self.sqlite_file)
            source.backup(connection.connection)
            source.close()

    def env(self, lease: int, grace: int) -> dict[str, str]:
        env = {
            **os.environ,
            "TESTING": "true",
            "EMAIL_BACKEND_CLASS": "django.core.mail.backends.smtp.EmailBackend",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.server.port),
            "TASK_LEASE_SECONDS": str(lease),
            "TASK_STOP_GRACE_SECONDS": str(grace),
        }
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            env["DATABASE_URL"] = (
                f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
                f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
            )
        else:
            env.pop("DATABASE_URL", None)
            env["VAR_DIR"] = str(self.tmp)
        return env

    def start_worker(
        self, worker_id: str, *args: str, lease: int = 300, grace: int = 5
    ) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{worker_id}-{len(self.processes)}.log").open("wb")
        self.addCleanup(log.close)
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
                "--interval=0.1",
                f"--worker-id={worker_id}",
                *args,
            ],
            cwd=settings.BASE_DIR,
            env=self.env(lease, grace),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes], escalate_after: float = 8) -> int:
        """An ordinary stop, as systemd or `docker stop` does it: SIGTERM, then SIGKILL
        if the process is still there after a while."""
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=escalate_after)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def queue(self, count: int) -> list[str]:
        subjects = [f"お知らせ {i:04d}" for i in range(count)]
        for subject in subjects:
            outbox.queue_mail(["someone@example.org"], subject, "本文です。")
        return subjects

    def assert_each_delivered_once(self, subjects: list[str]) -> None:
        counts = Counter(self.inbox.subjects())
        self.assertEqual(sorted(counts), sorted(subjects), "every mail arrived")
        self.assertEqual({s: n for s, n in counts.items() if n > 1}, {}, "none arrived twice")
        self.assertEqual(
            OutgoingMail.objects.exclude(status=Status.SENT).count(), 0, "every row is SENT"
        )
        self.assertFalse(DBTaskResult.objects.running().exists(), "no task is left RUNNING")


class KilledWorkerTestCase(WorkerProcessTestCase):
    def kill_mid_send(self) -> list[str]:
        """Three mails; the first worker is killed (-9) while the SMTP server holds its
        first send before the message is complete."""
        subjects = self.queue(3)
        self.inbox.hold()
        self.share()
        worker = self.start_worker("w1")
        self.assertTrue(self.inbox.holding.wait(60), "the worker reached the SMTP server")
        worker.kill()
        worker.wait()
        self.take_back()
        self.assertEqual(DBTaskResult.objects.running().count(), 1)
        self.assertEqual(OutgoingMail.objects.filter(status=Status.SENDING).count(), 1)
        self.assertEqual(self.inbox.messages, [])
        self.inbox.release()
        return subjects

    def test_a_killed_workers_task_is_put_back_after_the_lease(self) -> None:
        subjects = self.kill_mid_send()
        self.share()
        # Another worker, whose lease is 2 s: the dead worker's task waits that long.
        worker = self.start_worker("w2", lease=2)
        wait_for(lambda: len(self.inbox.messages) >= 3, 60, "three mails")
        time.sleep(1)  # any duplicate would arrive now
        self.assertEqual(self.stop(worker), 0)
        self.take_back()
        self.assert_each_delivered_once(subjects)
        resent = OutgoingMail.objects.get(attempts=2)
        self.assertEqual(resent.subject, subjects[0])

    def test_a_worker_restarted_under_its_id_takes_its_task_back_at_once(self) -> None:
        subjects = self.kill_mid_send()
        self.share()
        worker = self.start_worker("w1", "--batch", lease=300)
        self.assertEqual(worker.wait(timeout=60), 0)
        self.take_back()
        self.assert_each_delivered_once(subjects)


class StoppedWorkerTestCase(WorkerProcessTestCase):
    def test_sigterm_lets_the_running_send_finish(self) -> None:
        subjects = self.queue(2)
        self.inbox.hold()
        self.share()
        worker = self.start_worker("w1", grace=20)
        self.assertTrue(self.inbox.holding.wait(60))
        worker.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        self.inbox.release()
        self.assertEqual(worker.wait(timeout=20), 0)
        self.take_back()
        self.assertEqual(self.inbox.subjects(), subjects[:1], "the running send finished")
        self.assertFalse(DBTaskResult.objects.running().exists())
        self.assertEqual(DBTaskResult.objects.ready().count(), 1, "the next one waits")

    def test_sigterm_puts_back_a_send_that_does_not_finish(self) -> None:
        subjects = self.queue(2)
        self.inbox.hold()
        self.share()
        worker = self.start_worker("w1", grace=1)
        self.assertTrue(self.inbox.holding.wait(60))
        self.assertEqual(self.stop(worker, escalate_after=8), 0, "it stopped by itself")
        self.take_back()
        self.assertFalse(DBTaskResult.objects.running().exists(), "not left RUNNING")
        self.assertEqual(DBTaskResult.objects.ready().count(), 2, "put back")
        self.assertEqual(self.inbox.messages, [])
        self.inbox.release()
        self.share()
        # A different worker, with a long lease: nothing waits for the lease.
        self.assertEqual(self.start_worker("w2", "--batch").wait(timeout=60), 0)
        self.take_back()
        self.assert_each_delivered_once(subjects)


@unittest.skipUnless(connection.vendor == "postgresql", "two workers at once: PostgreSQL")
class TwoWorkersTestCase(WorkerProcessTestCase):
    def test_two_workers_send_a_thousand_mails_each_exactly_once(self) -> None:
        subjects = self.queue(1000)
        started = time.monotonic()
        workers = [self.start_worker(w, "--batch", lease=2) for w in ("w1", "w2")]
        for worker in workers:
            self.assertEqual(worker.wait(timeout=600), 0)
        elapsed = time.monotonic() - started
        self.assert_each_delivered_once(subjects)
        tasks = DBTaskResult.objects.all()
        self.assertEqual(tasks.count(), 1000)
        self.assertEqual(tasks.successful().count(), 1000)
        runs = Counter(w for t in tasks for w in t.worker_ids)
        self.assertEqual(sum(runs.values()), 1000, "no task ran twice")
        self.assertEqual(set(runs), {"w1", "w2"}, "both workers took part")
        print(f"\n1000 mails, two workers: {elapsed:.1f} s, {dict(runs)}")


class HeartbeatTestCase(WorkerProcessTestCase):
    """What /readyz reads (core/health.py): a live worker's row, gone when it stops
    cleanly, left to grow stale when it is killed."""

    def heartbeats(self) -> list[str]:
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.sqlite_file) as db:
                rows = db.execute("SELECT worker_id FROM core_workerheartbeat").fetchall()
            db.close()
            return [worker_id for (worker_id,) in rows]
        return list(WorkerHeartbeat.objects.values_list("worker_id", flat=True))

    def test_a_running_worker_beats_and_a_stopped_one_removes_its_row(self) -> None:
        self.share()
        worker = self.start_worker("w1")
        wait_for(lambda: self.heartbeats() == ["w1"], 60, "the worker's heartbeat")
        self.assertEqual(self.stop(worker), 0)
        self.assertEqual(self.heartbeats(), [])

    def test_a_killed_workers_last_beat_stays_to_grow_stale(self) -> None:
        self.share()
        worker = self.start_worker("w1")
        wait_for(lambda: self.heartbeats() == ["w1"], 60, "the worker's heartbeat")
        worker.kill()
        worker.wait()
        self.assertEqual(self.heartbeats(), ["w1"])
