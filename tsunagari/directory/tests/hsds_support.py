"""Shared by the HSDS tests: the upstream schemas and examples, and a varied directory."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tsunagari.directory.models import Location, Schedule
from tsunagari.directory.models import Resource as DirectoryResource
from tsunagari.factory import make_resource

# A copy of ../shared/reference/hsds-3.0 (CC BY-SA 4.0, Open Referral), so a clone tests alone.
REFERENCE = Path(settings.BASE_DIR) / "tests" / "data" / "hsds-3.0"
HIDDEN_ADDRESS = "秘密町9-8-7（サンプル）"
HIDDEN_PLACE = "サンプル緊急一時保護の家"
HIDDEN_ACCESS = "サンプル駅北口から徒歩4分"


def example(name: str) -> Any:
    return json.loads((REFERENCE / "examples" / name).read_text(encoding="utf-8"))


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for schema/<name>; the plain schemas' relative $refs resolve by file name."""
    schemas = REFERENCE / "schema"
    registry: Registry = Registry().with_resources(
        (
            path.name,
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in schemas.glob("*.json")
    )
    schema = json.loads((schemas / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def errors(name: str, instance: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator(name).iter_errors(instance)
    ]


def make_directory(organization: Any) -> dict[str, DirectoryResource]:
    """Published resources covering what the mapping handles, and one draft."""
    salon = make_resource(
        "サンプル 多世代サロン",
        organization=organization,
        name_kana="サンプル タセダイサロン",
        kinds=("ibasho", "event"),
        targets=("kodomo", "koreisha"),
        languages=("ja", "en", "ja-x-easy"),
        accessibility=("wheelchair", "hitsudan"),
        accessibility_note="スロープは北側入口",
        fee="1回300円（材料費）",
        phone="045-000-0000",
        contact_name="サンプル事務局",
        email="salon@example.org",
        url="https://example.org/salon",
        capacity="20人",
        hours_note="祝日は休み",
        how_to_join="当日直接お越しください",
        last_verified_on=dt.date(2025, 4, 1),
        schedules=(
            {
                "frequency": "weekly",
                "weekdays": "1,3",
                "opens_at": dt.time(10),
                "closes_at": dt.time(12),
            },
            {
                "frequency": "monthly_nth",
                "weekdays": "6",
                "weeks_of_month": "2,4",
                "opens_at": dt.time(13, 30),
                "closes_at": dt.time(15),
            },
            {"frequency": "monthly_day", "day_of_month": 15, "starts_on": dt.date(2025, 4, 1)},
            {"frequency": "monthly_day", "day_of_month": 31},
            {"frequency": "daily", "opens_at": dt.time(9), "closes_at": dt.time(17)},
            {"frequency": "monthly_nth", "weekdays": "5", "weeks_of_month": "-1"},
        ),
    )
    salon.service_area.set(["141097", "142051"])
    second = Location.objects.create(
        resource=salon,
        name="サンプル第二会場",
        municipality_id="141097",
        postal_code="222-0000",
        address="横浜市港北区サンプル町1-2-3",
        latitude=Decimal("35.520000"),
        longitude=Decimal("139.630000"),
        access="サンプル駅から徒歩3分",
        sort_order=1,
    )
    Schedule.objects.create(
        resource=salon, location=second, frequency="weekly", weekdays="5", opens_at=dt.time(18)
    )

    shelter = make_resource(
        "サンプル 女性のための相談",
        kinds=("consultation",),
        concerns=("dv",),
        targets=("josei",),
        is_free=True,
        is_24h=True,
        phone="0120-000-000",
        address=HIDDEN_ADDRESS,
        schedules=(
            {
                "frequency": "once",
                "starts_on": dt.date(2025, 6, 1),
                "ends_on": dt.date(2025, 6, 3),
                "opens_at": dt.time(10),
                "closes_at": dt.time(16),
                "note": "要予約",
            },
            {"frequency": "irregular", "note": "月に数回、ホームページでお知らせします"},
        ),
    )
    Location.objects.filter(resource=shelter).update(
        name=HIDDEN_PLACE,
        hide_address=True,
        postal_code="251-0099",
        latitude=Decimal("35.338000"),
        longitude=Decimal("139.487000"),
        access=HIDDEN_ACCESS,
    )

    online = make_resource(
        "サンプル オンライン交流会",
        municipality=None,
        kinds=("online",),
        languages=("ja", "vi"),
        is_online=True,
        online_only=True,
        is_free=True,
        url="https://example.org/online",
        schedules=({"frequency": "weekly", "weekdays": "7", "opens_at": dt.time(20)},),
    )
    draft = make_resource("サンプル 下書きの資源", status="draft")
    return {"salon": salon, "shelter": shelter, "online": online, "draft": draft}
