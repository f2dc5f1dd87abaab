"""A sample past course with attendance and certificates, for `make demo`: the verify
page and the figures then have something to show. Everything is marked 【サンプル】, no
mail is sent, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tsunagari.geo.models import Municipality
from tsunagari.supporters.certificates import next_serial
from tsunagari.supporters.models import Certificate, Course, Registration

TITLE = "【サンプル】つながりサポーター養成講座（修了の例）"
PEOPLE = 15
ATTENDED = 12


def load_sample_completions() -> list[str]:
    """Create the sample unless it exists; return lines saying what was made."""
    if Course.objects.filter(title=TITLE, is_sample=True).exists():
        return []
    with transaction.atomic():
        starts = (timezone.localtime() - timedelta(days=30)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        course = Course.objects.create(
            title=TITLE,
            description="【サンプル】修了証と実績の表示を確かめるための、架空の講座です。",
            format=Course.Format.ONLINE,
            online_url="https://meet.example.org/sample-course",
            municipality=Municipality.objects.get(code="142051"),
            starts_at=starts,
            capacity=20,
            deadline=starts - timedelta(days=2),
            status=Course.Status.PUBLISHED,
            is_sample=True,
        )
        completed_on = timezone.localdate(starts)
        for n in range(1, PEOPLE + 1):
            registration = Registration.objects.create(
                course=course,
                status=Registration.Status.CONFIRMED,
                code=f"SMPL{n:04d}",
                name=f"【サンプル】参加者{n}",
                email=f"sample-supporter{n}@example.jp",
                registered_at=starts - timedelta(days=10, hours=n),
                attended_at=starts + timedelta(minutes=5) if n <= ATTENDED else None,
            )
            if n <= ATTENDED:
                Certificate.objects.create(
                    registration=registration,
                    serial=next_serial(completed_on),
                    name_printed=registration.name,
                    course_title=course.title,
                    completed_on=completed_on,
                    issued_at=starts + timedelta(minutes=5),
                )
    return [f"サンプルの修了例の講座を作成しました（申込{PEOPLE}件、修了証{ATTENDED}件）。"]
