"""The two ways of running the recurring jobs agree: every systemd timer's command also
runs in the container sites' loop (deploy/timers.sh), so a job added for one is not
forgotten for the other."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

DEPLOY = Path(settings.BASE_DIR) / "deploy"
# The container loop leaves the backup out (it has always been a systemd timer only: a
# container site chooses where its backups go).
ONLY_SYSTEMD = {"backup"}


def timer_commands() -> set[str]:
    commands = set()
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        service = timer.with_suffix(".service").read_text()
        found = re.search(r"^ExecStart=\S+ manage\.py (\w+)", service, flags=re.M)
        assert found, f"{timer.name}: no manage.py command in its service"
        commands.add(found.group(1))
    return commands


class TimersTests(SimpleTestCase):
    def test_every_systemd_timer_runs_in_the_container_loop_too(self) -> None:
        loop = (DEPLOY / "timers.sh").read_text()
        in_loop = set(re.findall(r"^\s+(?:daily|weekly) (\w+)", loop, flags=re.M))
        in_loop |= set(re.findall(r"manage\.py (\w+)", loop))
        missing = timer_commands() - ONLY_SYSTEMD - in_loop
        self.assertEqual(missing, set())

    def test_the_new_jobs_of_the_courses_have_timers(self) -> None:
        self.assertLessEqual(
            {"send_course_reminders", "purge_supporter_data", "send_supporter_opportunities"},
            timer_commands(),
        )
