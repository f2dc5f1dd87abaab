"""No stored answer tells in which order answers came (issue 11).

With sequential ids, the order of self-check rows next to a web server's log of requests
(time, address) could tie an answer to an address. Answers, campaign responses, their
answers and the tallies have random keys; they keep the day only; the exports are ordered
by month and content, never by arrival.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import time
import uuid
from typing import Any

from django.db import models

from tsunagari.lib.antibot import issue_token
from tsunagari.surveys import scoring, services
from tsunagari.surveys.models import (
    CampaignAnswer,
    CampaignResponse,
    SelfCheckHelpTally,
    SelfCheckResponse,
    SelfCheckTally,
)
from tsunagari.surveys.tests.test_campaigns import answer_all, fill, make_campaign, read_csv
from tsunagari.test import BaseTestCase

ANONYMOUS = [
    SelfCheckResponse,
    SelfCheckTally,
    SelfCheckHelpTally,
    CampaignResponse,
    CampaignAnswer,
]


def post_selfcheck(client: object, direct: int) -> None:
    response = client.post(  # type: ignore[attr-defined]
        "/selfcheck/",
        {
            "ucla_1": "2",
            "ucla_2": "2",
            "ucla_3": "2",
            "direct": str(direct),
            "helps": ["talk"],
            "shown_at": issue_token(now=time.time() - 60),
            "homepage": "",
        },
    )
    assert response.status_code == 200, response.status_code


class ArrivalOrderTests(BaseTestCase):
    def test_every_anonymous_row_has_a_random_key_and_no_time_of_day(self) -> None:
        for model in ANONYMOUS:
            with self.subTest(model.__name__):
                self.assertIsInstance(model._meta.pk, models.UUIDField)
                times = [f.name for f in model._meta.fields if isinstance(f, models.DateTimeField)]
                self.assertEqual(times, [])  # a day at most (answered_on), never a time

    def test_consecutive_answers_have_unordered_far_apart_keys(self) -> None:
        arrival: list[uuid.UUID] = []
        for n in range(20):
            if n < 3:  # through the public form, as a resident sends it
                post_selfcheck(self.client, n + 1)
            else:
                services.record_selfcheck(scoring.score([2, 2, 2], 2), helps=["talk"])
            arrival.append(SelfCheckResponse.objects.exclude(pk__in=arrival).get().pk)
        self.assertTrue(all(k.version == 4 for k in arrival))
        # The keys do not rise with arrival (20 random keys in order: 1 in 20! ≈ 4e-19),
        # so sorting by key, as a database or an export might, does not give it back.
        self.assertNotEqual(sorted(arrival), arrival)
        ordered = list(SelfCheckResponse.objects.order_by("pk").values_list("pk", flat=True))
        self.assertNotEqual(ordered, arrival)
        numbers = sorted(k.int for k in arrival)
        gaps = [b - a for a, b in itertools.pairwise(numbers)]
        self.assertGreater(min(gaps), 2**64)  # never neighbours like 41 and 42

    def test_a_new_tally_row_gets_a_random_key(self) -> None:
        # A tally row is born with the first answer of its kind: its key must not be
        # the next number either.
        services.record_selfcheck(scoring.score([4, 4, 4], 5), age_band="80+", helps=["care"])
        services.record_selfcheck(scoring.score([1, 1, 1], 1), age_band="20s", helps=["work"])
        for model in (SelfCheckTally, SelfCheckHelpTally):
            keys = list(model.objects.values_list("pk", flat=True))
            with self.subTest(model.__name__):
                self.assertGreaterEqual(len(keys), 2)
                self.assertTrue(all(isinstance(k, uuid.UUID) and k.version == 4 for k in keys))

    def test_the_researchers_export_is_in_content_order_not_arrival(self) -> None:
        day = dt.date(2025, 5, 17)
        for direct in (5, 1, 4, 2, 3):  # arrival order
            services.record_selfcheck(scoring.score([2, 2, 2], direct), answered_on=day)
        self.login(self.secretariat)
        response: Any = self.client.get("/surveys/export/responses.csv?period=FY2025")
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content)))
        self.assertEqual([r["direct"] for r in rows], ["1", "2", "3", "4", "5"])
        self.assertEqual({r["month"] for r in rows}, {"2025-05"})

    def test_the_campaign_export_is_not_in_arrival_order(self) -> None:
        campaign = make_campaign(self.organization)
        first = answer_all(campaign, (1, 1, 1, 1), answered_on=dt.date(2025, 6, 1))
        fill(campaign, 8, answered_on=dt.date(2025, 6, 2))
        last = answer_all(campaign, (4, 4, 4, 5), answered_on=dt.date(2025, 6, 30))
        self.login(self.staff)
        rows = read_csv(self.client.get(f"/surveys/{campaign.pk}/results.csv").content)[2:]
        # Within a month, rows follow the random keys: the same order the keys sort in,
        # whatever the day or the order they came.
        keys = sorted(str(r.pk) for r in CampaignResponse.objects.all())
        position = {
            str(first.pk): keys.index(str(first.pk)),
            str(last.pk): keys.index(str(last.pk)),
        }
        self.assertEqual(rows[position[str(first.pk)]][7:], ["1", "1", "1", "1"])
        self.assertEqual(rows[position[str(last.pk)]][7:], ["4", "4", "4", "5"])
        self.assertEqual({r[1] for r in rows}, {"2025-06"})
