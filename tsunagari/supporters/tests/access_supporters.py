"""Access-matrix rows of supporters' courses and registrations (see
core/tests/test_access_matrix.py): the course pages and a person's own registration
(by its secret link) are everyone's; a course's participants are its organiser's
(staff of the organising organisation, officers of the organising municipality, the
secretariat)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tsunagari.core.tests.test_access_matrix import LOGIN, SIGNED_IN, Row, everyone

ORGANISER_PAGE = (LOGIN, 200, 403, 403, 200)  # a course of `organization`
ORGANISER_POST = (LOGIN, 302, 403, 403, 302)
OFFICER_PAGE = (LOGIN, 403, 403, 200, 200)  # a course of the municipality 藤沢市
SIGNED_IN_POST = (LOGIN, 302, 302, 302, 302)


def course_url(
    suffix: str = "", *, by: str = "organization", **fields: Any
) -> Callable[[Any], str]:
    """A fresh course for each cell (so that one persona's POST does not change the
    next one's), organised by `organization`, the municipality (藤沢市) or nobody's."""

    def make(t: Any) -> str:
        from tsunagari.supporters.tests.factory import make_course, make_registration

        if by == "organization":
            fields.setdefault("organization", t.organization)
        elif by == "municipality":
            fields.setdefault("organizing_municipality", t.municipality)
        course = make_course("【テスト】マトリクスの講座", **fields)
        if "{registration}" in suffix:
            registration = make_registration(course)
            return f"/supporters/manage/courses/{course.pk}/" + suffix.format(
                registration=registration.pk
            )
        if suffix.startswith("public"):
            return f"/supporters/courses/{course.pk}/"
        return f"/supporters/manage/courses/{course.pk}/{suffix}"

    return make


def registration_url(suffix: str = "") -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.supporters.tests.factory import make_course, make_registration

        registration = make_registration(make_course("【テスト】マトリクスの講座"))
        return f"/supporters/r/{registration.token}/{suffix}"

    return make


def sign_up(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.supporters.tests.test_course_public import registration_data

    return registration_data()


def new_course(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.supporters.tests.test_course_manage import course_data

    return course_data()


def edited_course(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.supporters.tests.test_course_manage import course_data

    return course_data(title="【テスト】マトリクスで直した講座")


ROWS: list[Row] = [
    Row("supporters:course_list", "GET", "/supporters/", everyone(200)),
    Row("supporters:course_list", "GET", "/supporters/?wording=easy", everyone(200)),
    Row("supporters:course_detail", "GET", course_url("public"), everyone(200)),
    Row("api-v1:list_courses", "GET", "/api/v1/supporters/courses", everyone(200)),
    Row("api-v1:list_courses", "GET", "/api/v1/supporters/courses?municipality=x", everyone(422)),
    Row(
        "supporters:course_detail",
        "GET",
        course_url("public", status="draft"),
        (404, 200, 404, 404, 200),
        note="a draft: its organiser only",
    ),
    Row("supporters:course_detail", "POST", course_url("public"), everyone(302), data=sign_up),
    Row("supporters:registration", "GET", registration_url(), everyone(200)),
    Row("supporters:registration", "GET", "/supporters/r/not-a-token/", everyone(404)),
    Row("supporters:registration_thanks", "GET", registration_url("thanks/"), everyone(200)),
    Row("supporters:registration_cancel", "GET", registration_url("cancel/"), everyone(200)),
    Row("supporters:registration_cancel", "POST", registration_url("cancel/"), everyone(302)),
    Row("supporters:manage_course_list", "GET", "/supporters/manage/courses/", SIGNED_IN),
    Row("supporters:manage_course_new", "GET", "/supporters/manage/courses/new/", SIGNED_IN),
    Row(
        "supporters:manage_course_new",
        "POST",
        "/supporters/manage/courses/new/",
        SIGNED_IN_POST,
        data=new_course,
    ),
    Row("supporters:manage_course_edit", "GET", course_url("edit/"), ORGANISER_PAGE),
    Row(
        "supporters:manage_course_edit", "GET", course_url("edit/", by="municipality"), OFFICER_PAGE
    ),
    Row(
        "supporters:manage_course_edit",
        "GET",
        course_url("edit/", by="secretariat"),
        (LOGIN, 403, 403, 403, 200),
        note="the secretariat's own course",
    ),
    Row(
        "supporters:manage_course_edit",
        "POST",
        course_url("edit/", online=True),
        ORGANISER_POST,
        data=edited_course,
    ),
    Row(
        "supporters:manage_course_publish",
        "POST",
        course_url("publish/", status="draft"),
        ORGANISER_POST,
    ),
    Row("supporters:manage_course_cancel", "GET", course_url("cancel/"), ORGANISER_PAGE),
    Row("supporters:manage_course_cancel", "POST", course_url("cancel/"), ORGANISER_POST),
    Row("supporters:participants", "GET", course_url("participants/"), ORGANISER_PAGE),
    Row(
        "supporters:participants",
        "GET",
        course_url("participants/", by="municipality"),
        OFFICER_PAGE,
    ),
    Row(
        "supporters:participants",
        "GET",
        "/supporters/manage/courses/999999/participants/",
        (LOGIN, 404, 404, 404, 404),
    ),
    Row("supporters:participants_csv", "GET", course_url("participants.csv"), ORGANISER_PAGE),
    Row(
        "supporters:participant_cancel",
        "POST",
        course_url("participants/{registration}/cancel/"),
        ORGANISER_POST,
    ),
    Row(
        "supporters:participant_cancel",
        "GET",
        course_url("participants/{registration}/cancel/"),
        (LOGIN, 405, 405, 405, 405),
    ),
]

# The completion part (attendance, certificates, verify, figures) keeps its rows apart.
from tsunagari.supporters.tests import access_completion  # noqa: E402

ROWS += access_completion.ROWS
