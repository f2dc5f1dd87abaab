"""/healthz says the process answers; /readyz says whether it can serve: database, cache,
a live task worker, no task left waiting. What a load balancer and an operator see."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tsunagari.core import outbox
from tsunagari.core.models import WorkerHeartbeat
from tsunagari.core.tests.smtp import free_port
from tsunagari.factory import DEFAULT_PASSWORD
from tsunagari.test import BaseTestCase, make_worker

# A Redis that is down: nothing listens on this port.
CACHE_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }
}


class HealthzTestCase(BaseTestCase):
    def test_it_answers_without_sign_in_or_database(self) -> None:
        with self.assertNumQueries(0):
            r = self.client.get("/healthz")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json(), {"status": "ok"})
        self.assertIn("no-cache", r["Cache-Control"])

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_a_health_check_over_plain_http_is_not_redirected(self) -> None:
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        self.assertEqual(self.client.get("/readyz").status_code, 503)  # no worker here
        self.assertEqual(self.client.get("/").status_code, 301)

    @override_settings(CACHES=CACHE_DOWN)
    def test_it_still_answers_when_the_cache_is_down(self) -> None:
        self.assertEqual(self.client.get("/healthz").status_code, 200)


class ReadyzTestCase(BaseTestCase):
    def setUp(self) -> None:
        make_worker("w1").heartbeat()

    def checks(self, expected_status: int) -> dict[str, dict[str, object]]:
        r = self.client.get("/readyz")
        self.assertEqual(r.status_code, expected_status, r.content)
        body = r.json()
        self.assertEqual(body["status"], "ok" if expected_status == 200 else "fail")
        return {name: check["status"] for name, check in body["checks"].items()}

    def test_it_is_ready_with_a_live_worker_and_nothing_waiting(self) -> None:
        self.assertEqual(
            self.checks(200), {"database": "ok", "cache": "ok", "worker": "ok", "tasks": "ok"}
        )

    def test_it_is_not_ready_when_no_worker_ever_beat(self) -> None:
        WorkerHeartbeat.objects.all().delete()
        self.assertEqual(self.checks(503)["worker"], "fail")

    @override_settings(READY_WORKER_MAX_AGE_SECONDS=120)
    def test_it_is_not_ready_when_the_last_heartbeat_is_stale(self) -> None:
        WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=3))
        checks = self.checks(503)
        self.assertEqual((checks["worker"], checks["database"]), ("fail", "ok"))

    @override_settings(READY_WORKER_MAX_AGE_SECONDS=120)
    def test_one_live_worker_among_dead_ones_is_enough(self) -> None:
        WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(hours=3))
        make_worker("w2").heartbeat()
        self.assertEqual(self.checks(200)["worker"], "ok")

    def test_a_worker_beats_again_after_its_interval(self) -> None:
        worker = make_worker("w1")
        WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(hours=1))
        worker.heartbeat()
        self.assertLess(WorkerHeartbeat.objects.newest_age() or 999, 60)
        self.assertEqual(WorkerHeartbeat.objects.count(), 1)

    @override_settings(READY_TASK_MAX_AGE_SECONDS=600)
    def test_a_task_waiting_longer_than_the_limit_makes_it_not_ready(self) -> None:
        outbox.queue_mail(["someone@example.org"], "お知らせ", "本文です。")
        self.assertEqual(self.checks(200)["tasks"], "ok")
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=11))
        self.assertEqual(self.checks(503)["tasks"], "fail")

    @override_settings(READY_TASK_MAX_AGE_SECONDS=600)
    def test_a_retry_deferred_to_later_is_not_waiting(self) -> None:
        outbox.queue_mail(["someone@example.org"], "お知らせ", "本文です。")
        DBTaskResult.objects.update(
            enqueued_at=timezone.now() - timedelta(hours=2),
            run_after=timezone.now() + timedelta(minutes=30),
        )
        self.assertEqual(self.checks(200)["tasks"], "ok")
        DBTaskResult.objects.update(run_after=timezone.now() - timedelta(minutes=11))
        self.assertEqual(self.checks(503)["tasks"], "fail")

    def test_it_is_not_ready_when_the_cache_is_down(self) -> None:
        with override_settings(CACHES=CACHE_DOWN):
            r = self.client.get("/readyz")
        self.assertEqual(r.status_code, 503)
        cache_check = r.json()["checks"]["cache"]
        self.assertEqual(cache_check["status"], "fail")
        # The kind of failure, not its text (addresses, credentials).
        self.assertEqual(cache_check["error"], "ConnectionError")
        self.assertEqual(r.json()["checks"]["database"]["status"], "ok")

    def test_a_signed_in_person_before_the_second_factor_gets_the_answer(self) -> None:
        self.client.post(
            "/accounts/login/",
            {"username": self.secretariat.email, "password": DEFAULT_PASSWORD},
        )
        self.assertEqual(self.client.get("/my/").status_code, 302)  # to the second factor
        self.assertEqual(self.client.get("/readyz").status_code, 200)
