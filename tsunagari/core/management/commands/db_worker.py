"""`manage.py db_worker`: django-tasks-db's worker, made to lose nothing.

The upstream worker (django_tasks_db 0.13) leaves a task RUNNING forever when its
process dies mid-task (`kill -9`, out of memory, a stop that escalates to SIGKILL):
django-tasks issue #46. This worker, with the same options:

- at start and every `lease / 4` (at most a minute) puts back RUNNING tasks older than
  TASK_LEASE_SECONDS, and at start those left RUNNING by an earlier life of its own
  `--worker-id`; each with a conditional update, so two workers never both take one;
  a task that has been started `MAX_ATTEMPTS` times (it kills its worker) is failed;
- on SIGTERM/SIGINT stops taking tasks, lets the running one finish for up to
  TASK_STOP_GRACE_SECONDS, then interrupts it and puts it back (READY), and on its
  way out puts back anything still RUNNING under its own id;
- gives outbox mails that lost their task a new one (`outbox.sweep`);
- writes a heartbeat row (`WorkerHeartbeat`) every WORKER_HEARTBEAT_SECONDS, which the
  readiness check /readyz reads (core/health.py), and removes it when it stops.

`recover()` is the recovery alone, also run by `manage.py recover_tasks` from a timer.

Tasks must therefore be safe to run twice; the e-mail task is (see core/outbox.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import socket
import time
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.db.utils import OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from tsunagari.core import outbox
from tsunagari.core.models import WorkerHeartbeat

logger = logging.getLogger("django_tasks_db")

# A task started this many times without finishing takes its worker down with it.
MAX_ATTEMPTS = 5


class TaskInterrupted(KeyboardInterrupt):
    """Raised inside a running task when the stop's grace period is over."""


def put_back(
    backend_name: str, *, older_than: timedelta | None = None, worker_id: str | None = None
) -> int:
    """Put RUNNING tasks back to READY: those started before `now - older_than`, or
    those whose last claim is `worker_id`'s. Each row is changed only if it is still
    the same run (status and started_at unchanged), so a task that another worker has
    just put back and claimed again is left alone."""
    now = timezone.now()
    count = 0
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    for row in running.only("id", "started_at", "worker_ids"):
        mine = worker_id is not None and row.worker_ids[-1:] == [worker_id]
        stale = older_than is not None and (row.started_at or now) < now - older_than
        if not (mine or stale):
            continue
        same_run = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= MAX_ATTEMPTS:
            changed = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="tsunagari.core.management.commands.db_worker.TaskInterrupted",
                traceback=f"Started {len(row.worker_ids)} times without finishing; given up.",
            )
            logger.error("Task id=%s started %s times; failed", row.pk, len(row.worker_ids))
        else:
            changed = same_run.update(status=TaskResultStatus.READY)
            if changed:
                logger.warning("Task id=%s put back (was RUNNING since %s)", row.pk, row.started_at)
        count += changed
    return count


def recover(
    backend_name: str, *, lease: timedelta, worker_id: str | None = None
) -> tuple[int, int]:
    """Put back the tasks of dead workers (RUNNING longer than `lease`, or last claimed
    by `worker_id`) and give orphaned outbox mails a task again. Returns the two counts."""
    return put_back(backend_name, older_than=lease, worker_id=worker_id), outbox.sweep()


def instance_name() -> str:
    """host:pid, as the request log names a web process."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker(upstream.Worker):
    def __init__(self, *, lease: timedelta, grace: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lease = lease
        self.grace = grace
        self.maintenance_every = min(60.0, lease.total_seconds() / 4)
        self.next_maintenance = 0.0
        self.heartbeat_every = float(settings.WORKER_HEARTBEAT_SECONDS)
        self.next_heartbeat = 0.0
        self.interrupted = False

    # Stopping ---------------------------------------------------------------------

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running and self.running_task and self.grace > 0:
            logger.warning(
                "Received %s - finishing the current task (up to %ss), then stopping.",
                signal.strsignal(signum),
                self.grace,
            )
            self.running = False
            signal.signal(signal.SIGALRM, self.interrupt)
            # Repeats: an interrupted SMTP send still says QUIT, which may hang too.
            signal.setitimer(signal.ITIMER_REAL, self.grace, 1.0)
            return
        if self.running_task:
            self.running = False
            self.interrupt(signum, frame)
        super().shutdown(signum, frame)  # idle: exit now

    def interrupt(self, signum: int, frame: FrameType | None) -> None:
        if self.running_task:
            if not self.interrupted:
                logger.warning("Interrupting the current task; it is put back for another run.")
            self.interrupted = True
            raise TaskInterrupted

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except TaskInterrupted:
            pass  # interrupted again while the failure was being recorded
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.running_task = False
        if self.interrupted:
            # The upstream worker records an interrupted task as FAILED: put it back.
            DBTaskResult.objects.filter(
                pk=db_task_result.pk,
                status__in=[TaskResultStatus.FAILED, TaskResultStatus.RUNNING],
            ).update(
                status=TaskResultStatus.READY,
                finished_at=None,
                exception_class_path="",
                traceback="",
            )
            self.running = False

    # Recovering -------------------------------------------------------------------

    def maintain(self, *, starting: bool = False) -> None:
        """Put back dead workers' tasks and re-task orphaned mails, at most every
        `maintenance_every` seconds."""
        if not starting and time.monotonic() < self.next_maintenance:
            return
        self.next_maintenance = time.monotonic() + self.maintenance_every
        try:
            recover(
                self.backend_name,
                lease=self.lease,
                worker_id=self.worker_id if starting else None,
            )
            # Rows of workers that died without a word, once they are a day old.
            WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
        except OperationalError as e:
            if not is_locked_database_exception(e):
                raise

    def heartbeat(self) -> None:
        """Say this worker is alive, at most every `heartbeat_every` seconds. A busy
        database (SQLite locked) only delays it to the next turn of the loop."""
        if time.monotonic() < self.next_heartbeat:
            return
        try:
            WorkerHeartbeat.beat(self.worker_id, instance_name())
        except OperationalError as e:
            if not is_locked_database_exception(e):
                raise
            return
        self.next_heartbeat = time.monotonic() + self.heartbeat_every

    def put_back_own_tasks(self) -> None:
        """On the way out: anything still RUNNING under this worker's id goes back
        (a stop that came between claiming a task and starting it)."""
        for attempt in range(2):
            try:
                put_back(self.backend_name, worker_id=self.worker_id)
                return
            except DatabaseError:
                if attempt:
                    logger.exception("Could not put back this worker's tasks")
                connections.close_all()

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s lease=%ss",
            self.worker_id,
            ",".join(self.queue_names),
            int(self.lease.total_seconds()),
        )
        try:
            self.heartbeat()
            self.maintain(starting=True)
            self._loop()
        finally:
            self.put_back_own_tasks()
            with contextlib.suppress(DatabaseError):
                WorkerHeartbeat.objects.filter(pk=self.worker_id).delete()

    def _loop(self) -> None:
        """The upstream loop (django_tasks_db 0.13 `Worker.run`), with `maintain()`."""
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311  (spreading workers' start)

        while self.running:
            close_old_connections()
            self.heartbeat()
            self.maintain()

            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)

            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    retrieved_task_result = True
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as e:
                    retrieved_task_result = False
                    if is_locked_database_exception(e):
                        task_result = None
                    else:
                        raise

            if task_result is not None:
                self.run_task(task_result)

            if self.batch and retrieved_task_result and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Run maximum tasks (%d) - exiting.", self._run_tasks)
                return

            close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)


class Command(upstream.Command):
    help = (
        "Run the database task worker; tasks of a dead worker are put back after "
        "TASK_LEASE_SECONDS."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise upstream.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            lease=timedelta(seconds=settings.TASK_LEASE_SECONDS),
            grace=settings.TASK_STOP_GRACE_SECONDS,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
