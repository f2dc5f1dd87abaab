"""Access-matrix rows of meetings (see core/tests/test_access_matrix.py).

Everyone who works in the network sees network meetings; anonymous visitors get the
public list only. A member's meeting is organised by its staff; a council's meeting is
seen by the officers of its municipality, the invited member bodies and the secretariat.
Confidential minutes: the attending organisations (here `staff`'s), the organiser and the
secretariat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SIGNED_IN,
    Row,
    everyone,
)

MINE_PAGE = (LOGIN, 200, 403, 403, 200)
MINE_POST = (LOGIN, 302, 403, 403, 302)
STAFF_POST = (LOGIN, 302, 302, 403, 403)


def meeting_url(suffix: str = "", **fields: Any) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.meetings.tests.factory import make_meeting

        return f"/meetings/{make_meeting(**fields).pk}/{suffix}"

    return make


def own_meeting_url(suffix: str = "", **fields: Any) -> Callable[[Any], str]:
    """A meeting organised by `staff`'s organisation."""

    def make(t: Any) -> str:
        from tsunagari.meetings.tests.factory import make_meeting

        meeting = make_meeting(kind="member", organization=t.organization, **fields)
        return f"/meetings/{meeting.pk}/{suffix}"

    return make


def council_meeting(t: Any) -> Any:
    """A 藤沢市 council meeting to which `staff`'s organisation is invited."""
    from tsunagari.councils.models import CouncilMember, LocalCouncil
    from tsunagari.meetings.tests.factory import make_meeting

    council, _ = LocalCouncil.objects.get_or_create(
        municipality=t.municipality,
        name="【テスト】藤沢市孤独・孤立対策地域協議会",
        defaults={"coordinating_body": "藤沢市福祉部", "established_on": "2025-04-01"},
    )
    CouncilMember.objects.get_or_create(
        council=council, name="構成団体", organization=t.organization
    )
    return make_meeting(kind="council", council=council, municipality=t.municipality)


def council_url(t: Any) -> str:
    return f"/meetings/{council_meeting(t).pk}/"


def ics_url(t: Any) -> str:
    from tsunagari.meetings.tests.factory import make_meeting

    return f"/meetings/{make_meeting().pk}.ics"


def document_url(council: bool = False) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.meetings.models import MeetingDocument
        from tsunagari.meetings.tests.factory import make_meeting

        meeting = council_meeting(t) if council else make_meeting()
        document = MeetingDocument.objects.create(
            meeting=meeting,
            title="資料",
            file=SimpleUploadedFile("shiryo.pdf", b"%PDF-1.4 matrix"),
            content_type="application/pdf",
            size=15,
        )
        return f"/meetings/documents/{document.pk}/"

    return make


def feed_url(t: Any) -> str:
    from tsunagari.meetings.services import feed_token

    return f"/meetings/feed/{feed_token(t.organization)}.ics"


def minutes_url(suffix: str, confidential: bool) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.meetings.tests.factory import make_closed

        meeting = make_closed(attending=[t.organization], confidential=confidential)
        return f"/meetings/{meeting.pk}/{suffix}"

    return make


def action_url(suffix: str) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.meetings.tests.factory import make_action, make_closed

        item = make_action(make_closed(), t.organization)
        return f"/meetings/actions/{item.pk}/{suffix}"

    return make


def new_meeting(t: Any, url: str) -> dict[str, Any]:
    return {
        "kind": "network",
        "title": "【テスト】マトリクスの会議",
        "format": "in_person",
        "venue": "県庁 会議室",
        "day": "2031-06-01",
        "start_time": "14:00",
        "end_time": "16:00",
        "publish": "on",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }


def rsvp(t: Any, url: str) -> dict[str, Any]:
    return {"status": "attending", "people": "2", "names": "山田\n佐藤"}


def upload(t: Any, url: str) -> dict[str, Any]:
    return {"title": "次第", "file": SimpleUploadedFile("shidai.pdf", b"%PDF-1.7 test")}


def closing(t: Any, url: str) -> dict[str, Any]:
    return {
        "minutes": "議事の記録。",
        "attendee_count": "8",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }


def collaboration_action_url(t: Any) -> str:
    """An action item of `organization` from a meeting both organisations attended."""
    from tsunagari.meetings.tests.factory import make_action, make_closed

    meeting = make_closed(attending=(t.organization, t.other_organization))
    item = make_action(meeting, t.organization)
    return f"/meetings/actions/{item.pk}/collaboration/"


def collaboration(t: Any, url: str) -> dict[str, Any]:
    return {"title": "【テスト】会議から始める連携", "partners": [t.other_organization.pk]}


def need(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.matching.tests.test_needs import need_data

    return need_data()


ROWS: list[Row] = [
    Row("meetings:list", "GET", "/meetings/", everyone(200)),
    Row("meetings:new", "GET", "/meetings/new/", SIGNED_IN),
    Row("meetings:new", "POST", "/meetings/new/", (LOGIN, 400, 400, 400, 302), data=new_meeting),
    Row("meetings:detail", "GET", meeting_url(), SIGNED_IN),
    Row("meetings:detail", "GET", "/meetings/999999/", (LOGIN, 404, 404, 404, 404)),
    Row(
        "meetings:detail",
        "GET",
        own_meeting_url(status="draft"),
        MINE_PAGE,
        note="a draft: its organiser and the secretariat",
    ),
    Row(
        "meetings:detail",
        "GET",
        council_url,
        (LOGIN, 200, 403, 200, 200),
        note="a council meeting: invited bodies, the municipality's officers, the secretariat",
    ),
    Row("meetings:edit", "GET", own_meeting_url("edit/"), MINE_PAGE),
    Row("meetings:rsvp", "POST", meeting_url("rsvp/"), STAFF_POST, data=rsvp),
    Row("meetings:document_upload", "POST", own_meeting_url("documents/"), MINE_POST, data=upload),
    Row("meetings:document", "GET", document_url(), SIGNED_IN),
    Row("meetings:document", "GET", document_url(council=True), (LOGIN, 200, 403, 200, 200)),
    Row("meetings:ics", "GET", ics_url, SIGNED_IN),
    Row("meetings:feed", "GET", feed_url, everyone(200)),
    Row("meetings:feed", "GET", "/meetings/feed/13:forged.ics", everyone(404)),
    Row("meetings:cancel", "POST", own_meeting_url("cancel/"), MINE_POST),
    Row("meetings:cancel", "GET", own_meeting_url("cancel/"), (LOGIN, 405, 405, 405, 405)),
    Row("meetings:close", "GET", own_meeting_url("close/", days=-1), MINE_PAGE),
    Row("meetings:close", "POST", own_meeting_url("close/", days=-1), MINE_POST, data=closing),
    Row("meetings:minutes", "GET", minutes_url("minutes/", False), SIGNED_IN),
    Row(
        "meetings:minutes",
        "GET",
        minutes_url("minutes/", True),
        MINE_PAGE,
        note="confidential minutes: attendees and the secretariat only",
    ),
    Row("meetings:minutes_pdf", "GET", minutes_url("minutes.pdf", True), MINE_PAGE),
    Row("meetings:action_list", "GET", "/meetings/actions/", (LOGIN, 200, 200, 403, 200)),
    Row("meetings:action_done", "POST", action_url("done/"), MINE_POST),
    Row("meetings:action_need", "GET", action_url("need/"), MINE_PAGE),
    Row("meetings:action_need", "POST", action_url("need/"), MINE_POST, data=need),
    Row("meetings:action_case", "POST", action_url("case/"), MINE_POST),
    Row("meetings:action_collaboration", "GET", collaboration_action_url, MINE_PAGE),
    Row(
        "meetings:action_collaboration",
        "POST",
        collaboration_action_url,
        MINE_POST,
        data=collaboration,
    ),
    Row("api-v1:list_meetings", "GET", "/api/v1/meetings", everyone(200)),
    Row("meetings:case_candidates", "GET", "/meetings/case-candidates/", SECRETARIAT_PAGE),
]
