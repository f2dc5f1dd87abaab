"""Access-matrix rows: the model-case library: writing, review, publishing.

Everyone reads the published library and a published case (with its photos). A draft is
seen by its organisation's staff and the secretariat only (404 for others: its existence
is not told). Member staff and the secretariat write cases; only the secretariat reviews.
A case is made from a completed collaboration by staff of an accepted party or the
secretariat, and from an action item by the owner organisation's staff or the secretariat.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
    everyone,
    seen_of,
)

MEMBER_PAGE = (LOGIN, 200, 200, 403, 200)
MEMBER_POST = (LOGIN, 302, 302, 403, 302)
OWNER_PAGE = (LOGIN, 200, 403, 403, 200)
OWNER_POST = (LOGIN, 302, 403, 403, 302)
DRAFT_PAGE = (404, 200, 404, 404, 200)


def case_url(suffix: str = "", *, status: str = "published", own: bool = True) -> Callable:
    def make(t: Any) -> str:
        from tsunagari.cases.tests.factory_cases import make_case

        case = make_case(status=status, organization=t.organization if own else None)
        return f"/cases/{case.pk}/{suffix}"

    return make


def review_url(action: str) -> Callable:
    def make(t: Any) -> str:
        from tsunagari.cases.tests.factory_cases import make_case

        case = make_case(status="review", organization=t.organization)
        return f"/secretariat/cases/{case.pk}/{action}/"

    return make


def photo_url(status: str) -> Callable:
    def make(t: Any) -> str:
        from tsunagari.cases.tests.factory_cases import make_case, make_photo

        photo = make_photo(make_case(status=status, organization=t.organization))
        return f"/cases/photos/{photo.pk}/"

    return make


def collaboration_url(t: Any) -> str:
    """A completed collaboration of `staff`'s organisation and 小田原市."""
    from tsunagari.collaborations.tests.test_services import make_collaboration
    from tsunagari.members.models import Organization

    city = Organization.objects.get(roster_no=32)
    collaboration = make_collaboration(t.organization, city, "completed", outcome="成果です。")
    return f"/cases/new/from-collaboration/{collaboration.pk}/"


def action_url(t: Any) -> str:
    """An action item owned by `staff`'s organisation."""
    from tsunagari.meetings.tests.factory import make_action, make_closed

    item = make_action(make_closed(attending=[t.organization]), t.organization)
    return f"/cases/new/from-action/{item.pk}/"


def new_case(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.cases.tests.factory_cases import case_data

    return case_data()


def edit_case(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.cases.models import ModelCase
    from tsunagari.cases.tests.factory_cases import case_data

    return case_data(
        **seen_of(ModelCase, url), **{"partners-TOTAL_FORMS": "0", "steps-TOTAL_FORMS": "0"}
    )


ROWS: list[Row] = [
    Row("cases:case_list", "GET", "/cases/", everyone(200)),
    Row("cases:case_list", "GET", "/cases/?q=居場所&sector=community", everyone(200)),
    Row("cases:case_detail", "GET", "/cases/999999/", everyone(404)),
    Row("cases:case_detail", "GET", case_url(), everyone(200)),
    Row("cases:case_detail", "GET", case_url(status="draft"), DRAFT_PAGE),
    Row("cases:case_photo", "GET", photo_url("published"), everyone(200)),
    Row("cases:case_photo", "GET", photo_url("draft"), DRAFT_PAGE),
    Row("cases:case_mine", "GET", "/cases/mine/", MEMBER_PAGE),
    Row("cases:case_new", "GET", "/cases/new/", MEMBER_PAGE),
    Row("cases:case_new", "POST", "/cases/new/", MEMBER_POST, data=new_case),
    Row("cases:case_edit", "GET", case_url("edit/", status="draft"), OWNER_PAGE),
    Row("cases:case_edit", "POST", case_url("edit/", status="draft"), OWNER_POST, data=edit_case),
    Row("cases:case_submit", "POST", case_url("submit/", status="draft"), OWNER_POST),
    Row("cases:from_collaboration", "GET", collaboration_url, OWNER_PAGE),
    Row("cases:from_collaboration", "POST", collaboration_url, OWNER_POST),
    Row("cases:from_action", "GET", action_url, OWNER_PAGE),
    Row("cases:from_action", "POST", action_url, OWNER_POST),
    Row("cases:review_queue", "GET", "/secretariat/cases/", SECRETARIAT_PAGE),
    Row("cases:case_publish", "POST", review_url("publish"), SECRETARIAT_POST),
    Row(
        "cases:case_return",
        "POST",
        review_url("return"),
        SECRETARIAT_POST,
        data={"reason": "費用の内訳を書いてください。"},
    ),
]
