"""Time the pages of the courses, the May month, news, meetings, groups, the network, model
cases, the roll-out, partner networks and the dashboard on the demo data, through Django's
test client (no server), page cache off: median of five
requests and the queries of the last one, per page.

    VAR_DIR=/tmp/demo .venv/bin/python manage.py migrate
    VAR_DIR=/tmp/demo .venv/bin/python manage.py load_demo
    VAR_DIR=/tmp/demo PAGE_CACHE_SECONDS=0 HTTPS=false .venv/bin/python bench/pages.py

Anonymous pages first, then a signed-in secretariat officer and a member's staff.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tsunagari.accounts.models import User  # noqa: E402
from tsunagari.cases.models import ModelCase  # noqa: E402
from tsunagari.collaborations.models import Collaboration  # noqa: E402
from tsunagari.groups.models import WorkingGroup  # noqa: E402
from tsunagari.meetings.models import Meeting  # noqa: E402
from tsunagari.rollout.models import PartnerNetwork  # noqa: E402
from tsunagari.supporters.models import Certificate, Course  # noqa: E402
from tsunagari.test import sign_in  # noqa: E402

RUNS = 5


def measure(client: Client, who: str, path: str) -> None:
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response: Any = client.get(path, secure=True)
            times.append((time.perf_counter() - start) * 1000)
    print(
        f"{who:<12} {path[:58]:<60} {response.status_code} "
        f"median {statistics.median(times):8.1f} ms {len(queries.captured_queries):4d} queries"
    )


def main() -> None:
    course = Course.objects.filter(is_sample=True).order_by("pk").first()
    certificate = Certificate.objects.order_by("pk").first()
    closed = Meeting.objects.filter(status=Meeting.Status.CLOSED).order_by("pk").first()
    group = WorkingGroup.objects.order_by("pk").first()
    collaboration = Collaboration.objects.order_by("-pk").first()
    case = ModelCase.objects.published().order_by("pk").first()
    network = PartnerNetwork.objects.filter(is_sample=True).first()
    if None in (course, certificate, closed, group, collaboration, case, network):
        sys.exit("No demo data here: run load_demo on this VAR_DIR or DATABASE_URL first.")
    assert course and certificate and closed and group and collaboration and case and network
    year = 2027
    anonymous = [
        "/supporters/",
        f"/supporters/courses/{course.pk}/",
        "/supporters/figures/",
        f"/supporters/verify/{certificate.serial}/",
        f"/awareness-month/{year}/",
        f"/awareness-month/{year}.ics",
        f"/awareness-month/{year}/flyer.pdf",
        "/news/",
        "/news/feed.atom",
        "/councils/",
        "/api/v1/supporters/counts?by=municipality&fiscal_year=2026",
        "/cases/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/recipe.pdf",
        "/cases.json",
        "/rollout/",
        "/municipalities/142051/",
        "/about/",
        "/networks/",
        f"/networks/{network.pk}/",
        "/api/v1/rollout",
        "/visible/",
        "/visible/?municipality=142051",
        "/visible/report/2026.pdf",
        "/api/v1/visible/resources",
    ]
    secretariat_pages = [
        "/meetings/",
        f"/meetings/{closed.pk}/",
        f"/meetings/{closed.pk}/minutes.pdf",
        "/meetings/actions/",
        f"/groups/{group.pk}/",
        "/secretariat/network/",
        "/api/v1/network/graph",
        f"/collaborations/{collaboration.pk}/",
        "/collaborations/",
        "/secretariat/cases/",
        "/cases/adoptions/",
        "/visible/staff/",
    ]
    staff_pages = ["/network/introductions/", "/meetings/", f"/groups/{group.pk}/"]
    client = Client(HTTP_HOST="127.0.0.1")
    for path in anonymous:
        measure(client, "anonymous", path)
    for who, user, paths in (
        (
            "secretariat",
            User.objects.filter(secretariat=True).order_by("pk").first(),
            secretariat_pages,
        ),
        ("staff", User.objects.filter(email__startswith="sample-pokapoka").first(), staff_pages),
    ):
        if user is None:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, user)
        for path in paths:
            measure(client, who, path)


if __name__ == "__main__":
    main()
