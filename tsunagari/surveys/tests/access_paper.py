"""Access-matrix rows of this part of surveys (see core/tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from tsunagari.core.tests.test_access_matrix import LOGIN, SIGNED_IN, Row, everyone
from tsunagari.surveys.models import Campaign
from tsunagari.surveys.tests.test_paper_entry import paper_campaign

OWNER_PAGE = (LOGIN, 200, 403, 403, 200)
OWNER_POST = (LOGIN, 302, 403, 403, 302)


def campaign_url(suffix: str) -> Any:
    def make(t: Any) -> str:
        return f"/surveys/{paper_campaign(t.organization).pk}/{suffix}"

    return make


def selfcheck_sheet(t: Any, url: str) -> dict[str, str]:
    return {
        "answered_on": "2025-05-01",
        "wording": "ja",
        "ucla_1": "1",
        "ucla_2": "2",
        "ucla_3": "3",
        "direct": "2",
    }


def campaign_sheet(t: Any, url: str) -> dict[str, str]:
    campaign = Campaign.objects.get(pk=int(url.split("/")[2]))
    data = {"answered_on": "2025-05-01", "wording": "ja"}
    data.update({f"item_{entry.item_id}": "2" for entry in campaign.entries.all()})
    return data


ROWS: list[Row] = [
    Row("surveys:selfcheck_pdf", "GET", "/selfcheck/paper.pdf", everyone(200)),
    Row("surveys:selfcheck_entry", "GET", "/selfcheck/entry/", SIGNED_IN),
    Row(
        "surveys:selfcheck_entry",
        "POST",
        "/selfcheck/entry/",
        (LOGIN, 302, 302, 302, 302),
        data=selfcheck_sheet,
    ),
    Row("surveys:campaign_pdf", "GET", campaign_url("paper.pdf"), OWNER_PAGE),
    Row("surveys:campaign_entry", "GET", campaign_url("entry/"), OWNER_PAGE),
    Row("surveys:campaign_entry", "POST", campaign_url("entry/"), OWNER_POST, data=campaign_sheet),
]
