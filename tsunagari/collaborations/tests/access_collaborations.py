"""Access-matrix rows of collaborations (see core/tests/test_access_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
    need_url,
)
from tsunagari.factory import make_resource
from tsunagari.members.models import Organization

if TYPE_CHECKING:
    from tsunagari.core.tests.test_access_matrix import AccessMatrixTestCase


def collaboration_url(
    suffix: str = "", *, received: bool = False, status: str = "proposed"
) -> Callable[[AccessMatrixTestCase], str]:
    """A fresh collaboration between the staff persona's organisation and 小田原市 (proposed
    by the organisation, or `received` from 小田原市), and one of its pages. The other
    staff persona is an outsider to it."""

    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.collaborations.tests.test_services import make_collaboration

        city = Organization.objects.get(roster_no=32)
        proposer, partner = (city, t.organization) if received else (t.organization, city)
        return f"/collaborations/{make_collaboration(proposer, partner, status).pk}/{suffix}"

    return make


def proposal_about_url(t: AccessMatrixTestCase) -> str:
    from tsunagari.collaborations.tests.test_services import make_need

    need = make_need(organization=t.other_organization)
    resource = make_resource(organization=Organization.objects.get(roster_no=32))
    return f"/collaborations/new/?need={need.pk}&resource={resource.pk}"


def proposal_posted(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    return {
        "partner": Organization.objects.get(roster_no=32).pk,
        "title": "マトリクスからの提案",
        "message": "一緒に取り組みませんか。",
    }


def voice_need_url(suffix: str = "") -> Callable[[AccessMatrixTestCase], str]:
    """A fresh need published from a (consenting) resident's voice, and one of its pages."""

    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.collaborations.tests.test_need_response import make_voice_need

        return f"/needs/{make_voice_need().pk}/{suffix}"

    return make


def voice_response_url(suffix: str = "") -> Callable[[AccessMatrixTestCase], str]:
    """A fresh response of the staff persona's organisation to a voice, and one of its pages."""

    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.collaborations import services as collaborations
        from tsunagari.collaborations.tests.test_need_response import make_voice_need

        c, _created = collaborations.respond(by=t.staff, need=make_voice_need(), message="応えます")
        return f"/collaborations/{c.pk}/{suffix}"

    return make


COLLABORATION_READ = (LOGIN, 200, 403, 403, 200)
ONE_SIDE_POST = (LOGIN, 302, 403, 403, 403)


def party_url(action: str, *, invited: bool = True) -> Callable[[AccessMatrixTestCase], str]:
    """A fresh collaboration proposed by 小田原市 to the staff persona's organisation: the
    page answering for the staff persona's party (or, not invited, for 小田原市's lead)."""

    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.collaborations.tests.test_services import make_collaboration

        city = Organization.objects.get(roster_no=32)
        c = make_collaboration(city, t.organization, "proposed")
        party = c.parties.get(organization=t.organization if invited else city)
        return f"/collaborations/{c.pk}/parties/{party.pk}/{action}/"

    return make


def invite_posted(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    return {
        "invite-organization": Organization.objects.get(roster_no=14).pk,
        "invite-role": "venue",
    }


ROWS: list[Row] = [
    Row(
        "collaborations:collaboration_list", "GET", "/collaborations/", (LOGIN, 200, 200, 403, 200)
    ),
    Row(
        "collaborations:collaboration_list",
        "GET",
        "/collaborations/?status=all",
        (LOGIN, 200, 200, 403, 200),
    ),
    Row(
        "collaborations:collaboration_new",
        "GET",
        "/collaborations/new/",
        (LOGIN, 200, 200, 403, 403),
        note="only a member's staff propose; the secretariat cannot act for a member",
    ),
    Row("collaborations:collaboration_new", "GET", proposal_about_url, (LOGIN, 200, 200, 403, 403)),
    Row(
        "collaborations:collaboration_new",
        "POST",
        "/collaborations/new/",
        (LOGIN, 302, 302, 403, 403),
        data=proposal_posted,
    ),
    Row(
        "collaborations:collaboration_detail",
        "GET",
        collaboration_url(),
        COLLABORATION_READ,
        note="the two organisations' staff read; the secretariat reads too",
    ),
    Row(
        "collaborations:collaboration_message",
        "POST",
        collaboration_url("messages/"),
        ONE_SIDE_POST,
        data={"body": "マトリクスからのメッセージ"},
    ),
    Row(
        "collaborations:collaboration_message",
        "GET",
        collaboration_url("messages/"),
        (LOGIN, 405, 405, 405, 405),
    ),
    Row(
        "collaborations:collaboration_step",
        "POST",
        collaboration_url("accept/", received=True),
        ONE_SIDE_POST,
        note="the partner answers a proposal",
    ),
    Row(
        "collaborations:collaboration_step",
        "POST",
        collaboration_url("accept/"),
        (LOGIN, 403, 403, 403, 403),
        note="the proposer cannot accept its own proposal",
    ),
    Row("collaborations:collaboration_step", "POST", collaboration_url("withdraw/"), ONE_SIDE_POST),
    Row(
        "collaborations:collaboration_step",
        "POST",
        collaboration_url("start/", received=True, status="accepted"),
        ONE_SIDE_POST,
    ),
    Row(
        "collaborations:collaboration_step",
        "POST",
        collaboration_url("complete/", status="in_progress"),
        ONE_SIDE_POST,
        data={"complete-note": "親子10組が参加しました。"},
    ),
    Row(
        "collaborations:need_respond",
        "GET",
        voice_need_url("respond/"),
        (LOGIN, 200, 200, 403, 403),
    ),
    Row(
        "collaborations:need_respond",
        "POST",
        voice_need_url("respond/"),
        (LOGIN, 302, 302, 403, 403),
        data={"message": "マトリクスから応えます"},
        note="any member's staff may answer a voice; the secretariat owns it",
    ),
    Row(
        "collaborations:need_respond",
        "GET",
        need_url("respond/"),
        (LOGIN, 403, 200, 403, 403),
        note="no offer to one's own need",
    ),
    Row(
        "collaborations:collaboration_relay", "GET", voice_response_url("relay/"), SECRETARIAT_PAGE
    ),
    Row(
        "collaborations:collaboration_relay",
        "POST",
        voice_response_url("relay/"),
        SECRETARIAT_POST,
        data={"note": ""},
    ),
    Row(
        "collaborations:collaboration_step",
        "POST",
        collaboration_url("nothing/"),
        (LOGIN, 404, 404, 404, 404),
    ),
    Row(
        "collaborations:collaboration_step",
        "GET",
        collaboration_url("accept/"),
        (LOGIN, 405, 405, 405, 405),
    ),
    Row(
        "collaborations:collaboration_invite",
        "POST",
        collaboration_url("parties/"),
        ONE_SIDE_POST,
        data=invite_posted,
        note="the lead invites one more organisation",
    ),
    Row(
        "collaborations:collaboration_invite",
        "POST",
        collaboration_url("parties/", received=True),
        (LOGIN, 403, 403, 403, 403),
        data=invite_posted,
        note="an invited party does not invite",
    ),
    Row(
        "collaborations:collaboration_invite",
        "GET",
        collaboration_url("parties/"),
        (LOGIN, 405, 405, 405, 405),
    ),
    Row(
        "collaborations:party_answer",
        "POST",
        party_url("accept"),
        ONE_SIDE_POST,
        note="the invited organisation's staff answer for it",
    ),
    Row(
        "collaborations:party_answer",
        "POST",
        party_url("decline", invited=False),
        (LOGIN, 403, 403, 403, 403),
        note="nobody answers for another organisation",
    ),
    Row("collaborations:party_answer", "POST", party_url("maybe"), (LOGIN, 404, 404, 404, 404)),
]
