"""Storing answers. Every self-check goes through `record_selfcheck`, which keeps
SelfCheckTally, SelfCheckHelpTally and SelfCheckMonthTally in step in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from tsunagari.geo.models import Municipality
from tsunagari.lib import pagecache
from tsunagari.lib.text import normalize_text
from tsunagari.surveys import aggregates, scoring
from tsunagari.surveys.items import Wording
from tsunagari.surveys.models import (
    Campaign,
    CampaignAnswer,
    CampaignResponse,
    Channel,
    SelfCheckHelpTally,
    SelfCheckMonthTally,
    SelfCheckResponse,
    SelfCheckTally,
    random_key,
)


def city_code(municipality: Municipality | None) -> str:
    """The code tallies count a response under: a ward's city, or "" when not given."""
    return municipality.city_code if municipality is not None else ""


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


_TALLY_UPSERT = """
INSERT INTO {table} (month, municipality_code, age_band, indirect_band, direct, n, id)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (month, municipality_code, age_band, indirect_band, direct)
DO UPDATE SET n = {table}.n + excluded.n
"""


_HELP_UPSERT = """
INSERT INTO {table} (month, municipality_code, age_band, help, n, id)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (month, municipality_code, age_band, help)
DO UPDATE SET n = {table}.n + excluded.n
"""


def _upsert(sql: str, model: type[models.Model], keys: Iterable[tuple[Any, ...]]) -> None:
    """Add one to the tally of each key (a key may repeat); one statement per distinct key."""
    counts: dict[tuple[Any, ...], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.executemany(
            sql.format(table=connection.ops.quote_name(model._meta.db_table)),
            # A new row's key is random (models.random_key), never the next number.
            [
                (*key, n, pk.get_db_prep_value(random_key(), connection))
                for key, n in counts.items()
            ],
        )


_MONTH_UPSERT = """
INSERT INTO {table} (month, municipality_code, age_band, n, indirect, direct, id)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (month, municipality_code, age_band)
DO UPDATE SET n = {table}.n + excluded.n, indirect = {table}.indirect + excluded.indirect,
    direct = {table}.direct + excluded.direct
"""


def _lonely(band: str, direct: int) -> tuple[int, int]:
    """Whether a tally key counts as lonely: (by the indirect scale, by the direct question)."""
    return int(band in aggregates.LONELY_BANDS), int(direct in aggregates.LONELY_DIRECT)


def bump_tallies(keys: Iterable[tuple[dt.date, str, str, str, int]]) -> None:
    """Count one response under each key: in SelfCheckTally and in its monthly roll-up."""
    keys = list(keys)
    _upsert(_TALLY_UPSERT, SelfCheckTally, keys)
    sums: dict[tuple[dt.date, str, str], list[int]] = {}
    for month, city, age, band, direct in keys:
        indirect, direct_lonely = _lonely(band, direct)
        counts = sums.setdefault((month, city, age), [0, 0, 0])
        counts[0] += 1
        counts[1] += indirect
        counts[2] += direct_lonely
    if not sums:
        return
    pk = SelfCheckMonthTally._meta.pk
    assert pk is not None
    table = connection.ops.quote_name(SelfCheckMonthTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            _MONTH_UPSERT.format(table=table),
            # In key order, so that two transactions never wait for each other in a cycle.
            [
                (*key, *counts, pk.get_db_prep_value(random_key(), connection))
                for key, counts in sorted(sums.items())
            ],
        )


def rebuild_month_tallies() -> int:
    """Roll SelfCheckTally up into SelfCheckMonthTally again; returns the rows written."""
    with transaction.atomic():
        SelfCheckMonthTally.objects.all().delete()
        rows = (
            SelfCheckTally.objects.order_by()
            .values("month", "municipality_code", "age_band")
            .annotate(
                total=Sum("n"),
                lonely_indirect=Sum("n", filter=Q(indirect_band__in=aggregates.LONELY_BANDS)),
                lonely_direct=Sum("n", filter=Q(direct__in=aggregates.LONELY_DIRECT)),
            )
        )
        created = SelfCheckMonthTally.objects.bulk_create(
            [
                SelfCheckMonthTally(
                    month=row["month"],
                    municipality_code=row["municipality_code"],
                    age_band=row["age_band"],
                    n=row["total"] or 0,
                    indirect=row["lonely_indirect"] or 0,
                    direct=row["lonely_direct"] or 0,
                )
                for row in rows.iterator(chunk_size=5000)
            ],
            batch_size=2000,
        )
    return len(created)


def bump_help_tallies(keys: Iterable[tuple[dt.date, str, str, str]]) -> None:
    _upsert(_HELP_UPSERT, SelfCheckHelpTally, keys)


def help_keys(
    month: dt.date, city: str, age_band: str, helps: Iterable[str]
) -> list[tuple[dt.date, str, str, str]]:
    """The help tallies one response counts in: each help chosen, and ANSWERED once."""
    chosen = [h for h in dict.fromkeys(helps) if h]
    if not chosen:
        return []
    return [(month, city, age_band, h) for h in (*chosen, SelfCheckHelpTally.ANSWERED)]


def tally_key(response: SelfCheckResponse) -> tuple[dt.date, str, str, str, int]:
    return (
        month_of(response.answered_on),
        city_code(response.municipality),
        response.age_band,
        response.indirect_band,
        response.direct,
    )


@transaction.atomic
def record_selfcheck(
    result: scoring.Result,
    *,
    channel: str = Channel.WEB,
    wording: str = Wording.JA,
    age_band: str = "",
    municipality: Municipality | None = None,
    helps: Iterable[str] = (),
    answered_on: dt.date | None = None,
) -> SelfCheckResponse:
    """Store one self-check (day precision, nothing about the person) and count it."""
    a, b, c = result.indirect
    response = SelfCheckResponse.objects.create(
        answered_on=answered_on or timezone.localdate(),
        scale_version=scoring.SCALE_VERSION,
        wording=wording,
        channel=channel,
        indirect_1=a,
        indirect_2=b,
        indirect_3=c,
        indirect_score=result.indirect_score,
        indirect_band=result.indirect_band,
        direct=result.direct,
        age_band=age_band,
        municipality=municipality,
        helps=",".join(dict.fromkeys(helps)),
    )
    key = tally_key(response)
    bump_tallies([key])
    bump_help_tallies(help_keys(key[0], key[1], key[2], response.help_codes))
    return response


@transaction.atomic
def unrecord_selfcheck(response: SelfCheckResponse) -> bool:
    """Take back one stored self-check (a paper sheet keyed by mistake) and its count;
    False when it was already taken back (an undo pressed twice counts down once)."""
    if not SelfCheckResponse.objects.select_for_update().filter(pk=response.pk).exists():
        return False
    month, city, age, band, direct = tally_key(response)
    tally = SelfCheckTally.objects.select_for_update().filter(
        month=month, municipality_code=city, age_band=age, indirect_band=band, direct=direct
    )
    # The last one removes the row; otherwise one less (in this order: an update first
    # would leave a row at 1 for the delete to find).
    tally.filter(n__lte=1).delete()
    tally.filter(n__gt=1).update(n=F("n") - 1)
    indirect, direct_lonely = _lonely(band, direct)
    rolled = SelfCheckMonthTally.objects.select_for_update().filter(
        month=month, municipality_code=city, age_band=age
    )
    rolled.filter(n__lte=1).delete()
    rolled.filter(n__gt=1).update(
        n=F("n") - 1, indirect=F("indirect") - indirect, direct=F("direct") - direct_lonely
    )
    for _m, _c, _a, help_code in help_keys(month, city, age, response.help_codes):
        helps = SelfCheckHelpTally.objects.select_for_update().filter(
            month=month, municipality_code=city, age_band=age, help=help_code
        )
        helps.filter(n__lte=1).delete()
        helps.filter(n__gt=1).update(n=F("n") - 1)
    response.delete()
    return True


@transaction.atomic
def rebuild_tallies() -> int:
    """Recount every tally, and their monthly roll-up, from the stored responses (after a
    bulk load or a repair)."""
    SelfCheckTally.objects.all().delete()
    SelfCheckHelpTally.objects.all().delete()
    pagecache.bump("surveys")
    SelfCheckMonthTally.objects.all().delete()
    cities = {m.code: city_code(m) for m in Municipality.objects.only("code", "kind", "parent_id")}
    rows = SelfCheckResponse.objects.values_list(
        "answered_on", "municipality_id", "age_band", "indirect_band", "direct", "helps"
    ).iterator(chunk_size=20000)
    batch: list[tuple[dt.date, str, str, str, int]] = []
    help_batch: list[tuple[dt.date, str, str, str]] = []
    total = 0
    for day, code, age, band, direct, helps in rows:
        month, city = month_of(day), cities.get(code, "") if code else ""
        batch.append((month, city, age, band, direct))
        if helps:
            help_batch.extend(help_keys(month, city, age, helps.split(",")))
        if len(batch) >= 50000:
            bump_tallies(batch)
            bump_help_tallies(help_batch)
            total += len(batch)
            batch, help_batch = [], []
    bump_tallies(batch)
    bump_help_tallies(help_batch)
    return total + len(batch)


def normalize_code(code: str) -> str:
    """A participant's code as typed on a phone or on paper: widths, case and spaces ignored."""
    return "".join(normalize_text(code).lower().split())


def pair_key(campaign_id: int, code: str) -> str:
    """The stored form of a participant's code: keyed per campaign, not reversible
    without the secret key, and different in every campaign."""
    message = f"{campaign_id}:{normalize_code(code)}".encode()
    key = f"tsunagari.surveys.pair:{settings.SECRET_KEY}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class CodeAlreadyUsed(ValueError):
    """The participant's code has already answered this phase of the campaign."""


class CampaignClosed(ValueError):
    """The campaign stopped taking answers (perhaps while the person was answering)."""


class CampaignChanged(ValueError):
    """The campaign's items changed while the person was answering the old ones."""


@transaction.atomic
def record_response(
    campaign: Campaign,
    answers: dict[int, int],
    *,
    channel: str = Channel.CAMPAIGN,
    wording: str = Wording.JA,
    phase: str = "",
    code: str = "",
    answered_on: dt.date | None = None,
) -> CampaignResponse:
    """Store one campaign response: `answers` maps Item pk → value (validated by the form).

    A before/after campaign needs a phase and the participant's code; the code is kept
    only as pair_key. Raises CodeAlreadyUsed when that code already answered that phase.
    """
    key = pair_key(campaign.pk, code) if code.strip() else ""
    with transaction.atomic():
        # The campaign's row lock orders this answer against an organiser closing the
        # campaign or changing its items at the same moment (CampaignForm.save): an answer
        # sent on the web after the close is refused, and the items cannot change under it.
        # (A paper sheet collected while it was open may be keyed after the close.)
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if channel == Channel.CAMPAIGN and not current.is_open:
            raise CampaignClosed(campaign.pk)
        try:
            # The unique constraint (campaign, phase, pair_key) decides, also between two
            # participants sending the same code at the same moment.
            with transaction.atomic():
                response = CampaignResponse.objects.create(
                    campaign=campaign,
                    answered_on=answered_on or timezone.localdate(),
                    channel=channel,
                    wording=wording,
                    phase=phase,
                    pair_key=key,
                )
        except IntegrityError:
            raise CodeAlreadyUsed(phase) from None
        items = {entry.item_id: entry.item for entry in campaign.entries.select_related("item")}
        if not set(answers) <= set(items):
            # The organiser changed the items while this person answered the old ones.
            raise CampaignChanged(campaign.pk)
        CampaignAnswer.objects.bulk_create(
            CampaignAnswer(
                response=response,
                item_id=item_id,
                value=value,
                scale_version=items[item_id].scale_version,
            )
            for item_id, value in answers.items()
            if item_id in items
        )
    return response
