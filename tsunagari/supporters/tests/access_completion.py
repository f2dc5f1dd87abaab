"""Access-matrix rows of attendance, certificates, verify, the supporters' choices and
the figures (see core/tests/test_access_matrix.py).

The roster and the certificates of a course belong to its organiser (here the staff of
`organization`) and the secretariat; erasing for someone is the secretariat's. The pages
reached by the secret link in a participant's mail, the verify page and the figures are
everyone's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
    everyone,
)

ORGANISER_PAGE = (LOGIN, 200, 403, 403, 200)
ORGANISER_POST = (LOGIN, 302, 403, 403, 302)


def _registration(t: Any, *, attended: bool = False) -> Any:
    from tsunagari.supporters import attendance
    from tsunagari.supporters.tests.completion_helpers import running_course
    from tsunagari.supporters.tests.factory import make_registration

    registration = make_registration(running_course(organization=t.organization))
    if attended:
        attendance.mark_attended(registration)
        registration.refresh_from_db()
    return registration


def roster_url(t: Any) -> str:
    return f"/supporters/manage/courses/{_registration(t).course_id}/attendance/"


def roster_data(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.supporters.models import Registration

    course_id = int(re.findall(r"\d+", url)[0])
    pk = str(Registration.objects.filter(course_id=course_id).values_list("pk", flat=True)[0])
    return {"shown": [pk], "attended": [pk]}


def organiser_pdf_url(t: Any) -> str:
    registration = _registration(t, attended=True)
    return (
        f"/supporters/manage/courses/{registration.course_id}/attendance/"
        f"{registration.pk}/certificate.pdf"
    )


def erase_url(t: Any) -> str:
    return f"/supporters/manage/registrations/{_registration(t).pk}/erase/"


def token_url(suffix: str, *, attended: bool = False) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        return f"/supporters/r/{_registration(t, attended=attended).token}/{suffix}"

    return make


def verify_url(t: Any) -> str:
    registration = _registration(t, attended=True)
    return f"/supporters/verify/{registration.certificate.serial}/"


ROWS: list[Row] = [
    Row("supporters:attendance", "GET", roster_url, ORGANISER_PAGE),
    Row(
        "supporters:attendance",
        "GET",
        "/supporters/manage/courses/999999/attendance/",
        (LOGIN, 404, 404, 404, 404),
    ),
    Row("supporters:attendance", "POST", roster_url, ORGANISER_POST, data=roster_data),
    Row("supporters:organiser_certificate_pdf", "GET", organiser_pdf_url, ORGANISER_PAGE),
    Row("supporters:registration_erase", "GET", erase_url, SECRETARIAT_PAGE),
    Row(
        "supporters:registration_erase",
        "POST",
        erase_url,
        SECRETARIAT_POST,
        data={"confirm": "on"},
    ),
    Row("supporters:attend", "GET", "/supporters/attend/", everyone(200)),
    Row(
        "supporters:attend",
        "POST",
        "/supporters/attend/",
        everyone(400),
        data={"registration_code": "", "session_code": ""},
        note="an empty form is shown again",
    ),
    Row("supporters:attend_by_link", "GET", token_url("attend/"), everyone(200)),
    Row("supporters:attend_by_link", "GET", "/supporters/r/nope/attend/", everyone(404)),
    Row(
        "supporters:supporter_certificate",
        "GET",
        token_url("certificate/", attended=True),
        everyone(200),
    ),
    Row(
        "supporters:certificate_pdf",
        "GET",
        token_url("certificate.pdf", attended=True),
        everyone(200),
    ),
    Row("supporters:certificate_pdf", "GET", token_url("certificate.pdf"), everyone(404)),
    Row(
        "supporters:opportunities", "GET", token_url("opportunities/", attended=True), everyone(200)
    ),
    Row(
        "supporters:opportunities",
        "POST",
        token_url("opportunities/", attended=True),
        everyone(302),
        data={"opt_in": "1"},
    ),
    Row("supporters:opportunities_stop", "GET", token_url("opportunities/stop/"), everyone(200)),
    Row("supporters:opportunities_stop", "POST", token_url("opportunities/stop/"), everyone(200)),
    Row("supporters:erase", "GET", token_url("erase/"), everyone(200)),
    Row("supporters:erase", "POST", token_url("erase/"), everyone(200), data={"confirm": "on"}),
    Row("supporters:verify_form", "GET", "/supporters/verify/", everyone(200)),
    Row("supporters:verify", "GET", verify_url, everyone(200)),
    Row("supporters:verify", "GET", "/supporters/verify/TS-R8-999999/", everyone(404)),
    Row("supporters:figures", "GET", "/supporters/figures/", everyone(200)),
    Row("supporters:figures_csv", "GET", "/supporters/figures.csv?fiscal_year=2025", everyone(200)),
    Row("supporters:figures_csv", "GET", "/supporters/figures.csv?fiscal_year=1999", everyone(400)),
    Row("api-v1:supporter_counts", "GET", "/api/v1/supporters/counts", everyone(200)),
    Row(
        "api-v1:supporter_counts",
        "GET",
        "/api/v1/supporters/counts?by=age&fiscal_year=x",
        everyone(422),
    ),
]
