"""Access-matrix rows of this part of surveys (see core/tests/test_access_matrix.py).

Campaigns belong to the staff persona's organisation (t.organization): its staff and the
secretariat may open them, another organisation's staff and municipality officers get
403. The public answer page is everyone's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from tsunagari.core.tests.test_access_matrix import LOGIN, Row, everyone
from tsunagari.lib.antibot import issue_token

ORGANISER_PAGE = (LOGIN, 200, 200, 403, 200)
ORGANISER_POST = (LOGIN, 302, 302, 403, 302)
OWN_CAMPAIGN_PAGE = (LOGIN, 200, 403, 403, 200)
OWN_CAMPAIGN_POST = (LOGIN, 302, 403, 403, 302)


def campaign_url(suffix: str = "", *, responses: int = 0) -> Callable[[Any], str]:
    """A fresh campaign of the staff persona's organisation (with `responses` answers)."""

    def make(t: Any) -> str:
        from tsunagari.surveys.tests.test_campaigns import fill, make_campaign

        campaign = make_campaign(t.organization, before_after=True)
        fill(campaign, responses)
        return f"/surveys/{campaign.pk}/{suffix}"

    return make


def public_url(suffix: str = "", **fields: Any) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.surveys.tests.test_campaigns import make_campaign

        return f"/s/{make_campaign(t.organization, **fields).token}/{suffix}"

    return make


def campaign_posted(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.surveys.tests.test_campaigns import campaign_data, standard

    return campaign_data([standard("ucla_1"), standard("direct")])


def item_posted(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.surveys.tests.test_items import item_data

    return item_data()


def answer_posted(t: Any, url: str) -> dict[str, Any]:
    """Every item answered, shown 30 seconds ago (no person answers in under 3)."""
    from tsunagari.surveys.models import Campaign

    campaign = Campaign.objects.get(token=url.split("/")[2])
    data: dict[str, Any] = {f"item_{e.item_id}": "2" for e in campaign.entries.all()}
    data["shown_at"] = issue_token(now=timezone.now().timestamp() - 30)
    return data


ROWS: list[Row] = [
    Row("surveys:campaign_list", "GET", "/surveys/", ORGANISER_PAGE),
    Row("surveys:campaign_new", "GET", "/surveys/new/", ORGANISER_PAGE),
    Row("surveys:campaign_new", "POST", "/surveys/new/", ORGANISER_POST, data=campaign_posted),
    Row("surveys:campaign_detail", "GET", campaign_url(), OWN_CAMPAIGN_PAGE),
    Row(
        "surveys:campaign_detail",
        "GET",
        campaign_url(responses=10),
        OWN_CAMPAIGN_PAGE,
        note="with results shown",
    ),
    Row("surveys:campaign_detail", "GET", "/surveys/999999/", (LOGIN, 404, 404, 404, 404)),
    Row("surveys:campaign_edit", "GET", campaign_url("edit/"), OWN_CAMPAIGN_PAGE),
    Row(
        "surveys:campaign_edit",
        "POST",
        campaign_url("edit/"),
        OWN_CAMPAIGN_POST,
        data=campaign_posted,
    ),
    Row("surveys:campaign_qr", "GET", campaign_url("qr.svg"), OWN_CAMPAIGN_PAGE),
    Row("surveys:campaign_report", "GET", campaign_url("report/"), OWN_CAMPAIGN_PAGE),
    Row(
        "surveys:campaign_csv",
        "GET",
        campaign_url("results.csv", responses=10),
        OWN_CAMPAIGN_PAGE,
    ),
    Row(
        "surveys:campaign_csv",
        "GET",
        campaign_url("results.csv", responses=3),
        (LOGIN, 302, 403, 403, 302),
        note="fewer than 10 responses: back to the campaign page with a note",
    ),
    Row("surveys:item_list", "GET", "/surveys/items/", ORGANISER_PAGE),
    Row("surveys:item_new", "GET", "/surveys/items/new/", ORGANISER_PAGE),
    Row("surveys:item_new", "POST", "/surveys/items/new/", ORGANISER_POST, data=item_posted),
    Row("surveys:answer", "GET", public_url(), everyone(200)),
    Row("surveys:answer", "POST", public_url(), everyone(302), data=answer_posted),
    Row(
        "surveys:answer",
        "GET",
        public_url(is_open=False),
        everyone(200),
        note="a closed campaign: a kind page saying answers are no longer taken",
    ),
    Row("surveys:answer", "GET", "/s/not-a-token/", everyone(404)),
    Row("surveys:answer_thanks", "GET", public_url("thanks/"), everyone(200)),
]
