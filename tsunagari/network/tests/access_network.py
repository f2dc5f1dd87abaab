"""Access-matrix rows of network (see core/tests/test_access_matrix.py).

The graph (page and API) and the introductions list are the secretariat's: the graph
shows who works with whom, collaborations that are not public included. A member's
staff see the suggestions for their own organisations and ask for introductions. The
API answers in JSON: 401 without a session, 403 for anyone but the secretariat.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from tsunagari.core.tests.test_access_matrix import (
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
)

_serial = count(1)
MEMBER_PAGE = (LOGIN, 200, 200, 403, 403)
API = (401, 403, 403, 403, 200)


def _member(t: Any) -> Any:
    from tsunagari.network.tests.factory import make_member

    return make_member(f"【テスト】マトリクスの構成員{next(_serial)}")


def decide_url(t: Any) -> str:
    from tsunagari.network.models import IntroductionRequest

    request = IntroductionRequest.objects.create(
        from_organization=t.organization, to_organization=_member(t)
    )
    return f"/secretariat/network/introductions/{request.pk}/decide/"


def ask_data(t: Any, url: str) -> dict[str, Any]:
    return {"to_organization": _member(t).pk, "note": "ぜひお話ししたいです"}


def introduce_data(t: Any, url: str) -> dict[str, Any]:
    return {"from_organization": t.organization.pk, "to_organization": _member(t).pk}


ROWS: list[Row] = [
    Row("network:graph", "GET", "/secretariat/network/", SECRETARIAT_PAGE),
    Row(
        "network:graph",
        "GET",
        "/secretariat/network/?since=2025-04-01&kind=meeting",
        SECRETARIAT_PAGE,
    ),
    Row("network:graph", "GET", "/secretariat/network/?since=bad", SECRETARIAT_PAGE),
    Row(
        "network:secretariat_introductions",
        "GET",
        "/secretariat/network/introductions/",
        SECRETARIAT_PAGE,
    ),
    Row(
        "network:introduction_decide",
        "POST",
        decide_url,
        SECRETARIAT_POST,
        data={"status": "introduced", "note": ""},
    ),
    Row("network:introduction_decide", "GET", decide_url, (LOGIN, 403, 403, 403, 405)),
    Row(
        "network:introduction_decide",
        "POST",
        "/secretariat/network/introductions/999999/decide/",
        (LOGIN, 403, 403, 403, 404),
        data={"status": "introduced"},
    ),
    Row(
        "network:introduce",
        "POST",
        "/secretariat/network/introduce/",
        SECRETARIAT_POST,
        data=introduce_data,
    ),
    Row("network:introduce", "GET", "/secretariat/network/introduce/", (LOGIN, 403, 403, 403, 405)),
    Row("network:introductions", "GET", "/network/introductions/", MEMBER_PAGE),
    Row(
        "network:introduction_ask",
        "POST",
        "/network/introductions/ask/",
        (LOGIN, 302, 302, 403, 403),
        data=ask_data,
    ),
    Row(
        "network:introduction_ask",
        "GET",
        "/network/introductions/ask/",
        (LOGIN, 405, 405, 405, 405),
    ),
    Row("api-v1:network_graph", "GET", "/api/v1/network/graph", API),
    Row(
        "api-v1:network_graph",
        "GET",
        "/api/v1/network/graph?since=2025-02-30",
        (401, 403, 403, 403, 422),
    ),
]
