"""Sample survey data for `make demo`: generated self-check answers and one sample
before/after campaign (titled 【サンプル】). The demo site says on every page that answers
are samples (settings.DEMO). Deterministic, and loaded only into an empty table."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization
from tsunagari.surveys import scoring, services
from tsunagari.surveys.models import (
    AgeBand,
    Campaign,
    CampaignItem,
    Channel,
    Help,
    Item,
    SelfCheckResponse,
)

SAMPLE_SELFCHECKS = 3000
SAMPLE_PAIRS = 18


def _answers(rng: random.Random, lean: float) -> tuple[tuple[int, int, int], int]:
    """Answers drawn around the national distribution; `lean` shifts toward lonelier."""

    def one(high: int) -> int:
        return max(1, min(high, round(rng.gauss(1.8 + lean, 0.9))))

    return (one(4), one(4), one(4)), one(5)


@transaction.atomic
def load_sample_selfchecks(count: int = SAMPLE_SELFCHECKS, seed: int = 5) -> int:
    if SelfCheckResponse.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311  (sample data, not secrets)
    places = list(Municipality.objects.exclude(kind=Municipality.Kind.PREFECTURE))
    today = timezone.localdate()
    ages = [a.value for a in AgeBand]
    helps = [h.value for h in Help]
    rows = []
    for _ in range(count):
        indirect, direct = _answers(rng, lean=rng.choice([0.0, 0.0, 0.4, 0.9]))
        result = scoring.score(list(indirect), direct)
        # Most answers name their place; the big cities get more of them.
        place = None
        if rng.random() < 0.85:
            place = rng.choice(places[:40] if rng.random() < 0.6 else places)
        rows.append(
            SelfCheckResponse(
                answered_on=today - dt.timedelta(days=rng.randrange(0, 720)),
                channel=Channel.PAPER if rng.random() < 0.1 else Channel.WEB,
                indirect_1=indirect[0],
                indirect_2=indirect[1],
                indirect_3=indirect[2],
                indirect_score=result.indirect_score,
                indirect_band=result.indirect_band,
                direct=direct,
                age_band=rng.choice(ages) if rng.random() < 0.9 else "",
                municipality=place,
                helps=",".join(rng.sample(helps, rng.randrange(0, 3))),
            )
        )
    SelfCheckResponse.objects.bulk_create(rows, batch_size=1000)
    services.rebuild_tallies()
    return count


@transaction.atomic
def load_sample_campaign(seed: int = 7) -> Campaign | None:
    title = "【サンプル】居場所づくり講座 事前・事後アンケート"
    if Campaign.objects.filter(title=title).exists():
        return None
    organization = Organization.objects.get(roster_no=13)
    campaign = Campaign.objects.create(
        title=title,
        description="【サンプル】講座の初回と最終回に同じ質問に答えていただきます。",
        organization=organization,
        before_after=True,
    )
    codes = ["ucla_1", "ucla_2", "ucla_3", "direct", "kanagawa_satisfaction"]
    items = {item.code: item for item in Item.objects.filter(code__in=codes)}
    for position, code in enumerate(codes):
        CampaignItem.objects.create(campaign=campaign, item=items[code], position=position)
    rng = random.Random(seed)  # noqa: S311  (sample data, not secrets)
    start = timezone.localdate() - dt.timedelta(days=90)
    for n in range(SAMPLE_PAIRS):
        lean = rng.choice([0.6, 0.9, 1.2])
        for phase, shift, day in (
            ("before", lean, start),
            ("after", lean - 0.5, start + dt.timedelta(days=70)),
        ):
            indirect, direct = _answers(rng, shift)
            answers = {items[c].pk: v for c, v in zip(codes[:3], indirect, strict=True)}
            answers[items["direct"].pk] = direct
            answers[items["kanagawa_satisfaction"].pk] = rng.choice([2, 3, 3, 4, 4, 5, 6])
            services.record_response(
                campaign,
                answers,
                channel=Channel.PAPER if n % 5 == 0 else Channel.CAMPAIGN,
                phase=phase,
                code=f"sample-{n:02d}",
                answered_on=day,
            )
    return campaign
