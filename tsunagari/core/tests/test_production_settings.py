"""What production gets from its environment (a fresh process with a deployment's
variables): the PostgreSQL pool, sessions and counters in Redis, hashed static files,
JSON logs; and a wrong value stops start-up."""

from __future__ import annotations

import json

from django.test import SimpleTestCase

from tsunagari.core.tests.test_security import production_env, run_python

PG = "postgres://tsunagari@db.example.jp:5432/tsunagari"
SHOW = (
    "import json; from django.conf import settings as s; d = s.DATABASES['default']; "
    "pool = d['OPTIONS'].get('pool'); print(json.dumps({"
    "'pool': pool and {k: v for k, v in pool.items() if k != 'check'}, "
    "'checks_connections': bool(pool and pool.get('check')), "
    "'conn_max_age': d.get('CONN_MAX_AGE'), 'sessions': s.SESSION_ENGINE, "
    "'cache': s.CACHES['default'], 'static': s.STORAGES['staticfiles']['BACKEND'], "
    "'log_format': s.LOG_FORMAT, 'request_log': s.LOGGING['loggers']['tsunagari.request']}))"
)


def production_settings(**env: str) -> dict[str, object]:
    result = run_python(["-c", SHOW], production_env(**env))
    assert result.returncode == 0, result.stderr
    values: dict[str, object] = json.loads(result.stdout)
    return values


class ProductionSettingsTestCase(SimpleTestCase):
    def test_postgresql_uses_djangos_pool_with_sizes_from_the_environment(self) -> None:
        values = production_settings(DATABASE_URL=PG, DATABASE_POOL_MAX_SIZE="8")
        self.assertEqual(values["pool"], {"min_size": 1, "max_size": 8, "timeout": 10})
        self.assertTrue(values["checks_connections"])
        self.assertEqual(values["conn_max_age"], 0)

    def test_the_pool_can_be_turned_off_for_persistent_connections(self) -> None:
        values = production_settings(DATABASE_URL=PG, DATABASE_POOL="false")
        self.assertEqual((values["pool"], values["conn_max_age"]), (None, 60))

    def test_the_test_suite_keeps_plain_connections(self) -> None:
        values = production_settings(DATABASE_URL=PG, TESTING="true")
        self.assertIsNone(values["pool"])

    def test_with_redis_sessions_are_read_through_it_under_a_prefix(self) -> None:
        values = production_settings(REDIS_URL="redis://redis.example.jp:6379/0")
        self.assertEqual(values["sessions"], "django.contrib.sessions.backends.cached_db")
        self.assertEqual(values["cache"]["KEY_PREFIX"], "tsunagari")  # type: ignore[index]
        values = production_settings()
        self.assertEqual(values["sessions"], "django.contrib.sessions.backends.db")

    def test_static_files_have_hashed_names_over_https(self) -> None:
        self.assertEqual(
            production_settings()["static"],
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
        self.assertEqual(
            production_settings(HTTPS="false")["static"],
            "django.contrib.staticfiles.storage.StaticFilesStorage",
        )

    def test_json_logs_write_a_line_per_request(self) -> None:
        values = production_settings(LOG_FORMAT="json")
        self.assertEqual(values["request_log"]["level"], "INFO")  # type: ignore[index]
        values = production_settings()
        self.assertEqual(values["request_log"]["level"], "WARNING")  # type: ignore[index]

    def test_an_unknown_log_format_stops_start_up(self) -> None:
        result = run_python(["-c", SHOW], production_env(LOG_FORMAT="xml"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("LOG_FORMAT must be plain or json", result.stderr)


class GunicornConfigTestCase(SimpleTestCase):
    def test_the_instance_takes_its_address_and_size_from_the_environment(self) -> None:
        env = production_env(GUNICORN_BIND="127.0.0.1:8123", GUNICORN_WORKERS="3")
        result = run_python(
            ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--print-config"], env
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        config = dict(
            (name.strip(), value.strip())
            for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
        )
        self.assertEqual(config["bind"], "['127.0.0.1:8123']")
        self.assertEqual(config["workers"], "3")
        # The app writes the request log; two instances must not share a control socket.
        self.assertEqual(config["accesslog"], "None")
        self.assertEqual(config["control_socket_disable"], "True")
        self.assertEqual(config["forwarded_allow_ips"], "['127.0.0.1', '::1']")
