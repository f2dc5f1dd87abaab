"""The timers' commands: recover_tasks puts back what dead workers left, as the workers
do; prune_task_results deletes old finished results and nothing else."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tsunagari.core import outbox
from tsunagari.core.models import OutgoingMail
from tsunagari.test import BaseTestCase


def queued_task() -> DBTaskResult:
    row = outbox.queue_mail(["someone@example.org"], "お知らせ", "本文です。")
    return DBTaskResult.objects.get(args_kwargs__kwargs__mail_id=row.pk)


def finished(days_ago: int, status: str = TaskResultStatus.SUCCESSFUL) -> DBTaskResult:
    task = queued_task()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=status, finished_at=timezone.now() - timedelta(days=days_ago)
    )
    return task


class RecoverTasksTestCase(BaseTestCase):
    @override_settings(TASK_LEASE_SECONDS=300)
    def test_a_task_left_running_by_a_dead_worker_is_run_again(self) -> None:
        stale, fresh = queued_task(), queued_task()
        for task, minutes in ((stale, 6), (fresh, 1)):
            DBTaskResult.objects.filter(pk=task.pk).update(
                status=TaskResultStatus.RUNNING,
                started_at=timezone.now() - timedelta(minutes=minutes),
                worker_ids=["dead"],
            )
        out = StringIO()
        call_command("recover_tasks", stdout=out)
        self.assertIn("1 task(s) put back", out.getvalue())
        stale.refresh_from_db()
        fresh.refresh_from_db()
        self.assertEqual(
            (stale.status, fresh.status), (TaskResultStatus.READY, TaskResultStatus.RUNNING)
        )
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(TASK_LEASE_SECONDS=300)
    def test_a_mail_that_lost_its_task_gets_a_new_one(self) -> None:
        row = outbox.queue_mail(["someone@example.org"], "お知らせ", "本文です。")
        DBTaskResult.objects.all().delete()
        OutgoingMail.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() - timedelta(minutes=10)
        )
        call_command("recover_tasks", stdout=StringIO())
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["someone@example.org"]])


class PruneTaskResultsTestCase(BaseTestCase):
    @override_settings(TASK_RESULT_KEEP_DAYS=14)
    def test_it_deletes_finished_results_older_than_the_setting(self) -> None:
        old = finished(15)
        old_failure = finished(20, TaskResultStatus.FAILED)
        recent = finished(13)
        waiting = queued_task()
        call_command("prune_task_results", verbosity=0)
        self.assertEqual(
            set(DBTaskResult.objects.values_list("pk", flat=True)), {recent.pk, waiting.pk}
        )
        self.assertFalse(DBTaskResult.objects.filter(pk__in=[old.pk, old_failure.pk]).exists())

    def test_days_and_dry_run_from_the_command_line(self) -> None:
        finished(3)
        call_command("prune_task_results", days=2, dry_run=True, verbosity=0)
        self.assertEqual(DBTaskResult.objects.count(), 1)
        call_command("prune_task_results", days=2, verbosity=0)
        self.assertEqual(DBTaskResult.objects.count(), 0)

    def test_the_outbox_keeps_its_record_of_a_pruned_mail(self) -> None:
        finished(30)
        call_command("prune_task_results", verbosity=0)
        self.assertEqual(OutgoingMail.objects.count(), 1)
