"""The database answers what the reference matcher answers, on SQLite and on PostgreSQL.

Expected results are computed in plain Python over the indexed tokens (tokens.matches)
and the resources' own data, never written down as ids, so the same test run on both
databases proves that they return the same resources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from tsunagari.directory import tokens
from tsunagari.directory.models import Resource
from tsunagari.directory.search import (
    PREFECTURE,
    _with_index_details,
    document_tokens,
    reindex,
    search,
)
from tsunagari.factory import make_resource
from tsunagari.geo.models import Municipality

SATURDAY = {"frequency": "monthly_nth", "weekdays": "6", "weeks_of_month": "2,4"}
WEDNESDAY = {"frequency": "weekly", "weekdays": "3", "opens_at": dt.time(10)}

FIXTURE: list[dict[str, Any]] = [
    {
        "name": "ひまわり子ども食堂",
        "kinds": ("food",),
        "targets": ("kodomo",),
        "is_free": True,
        "schedules": (SATURDAY,),
    },
    {"name": "こども食堂 にじ", "kinds": ("food", "ibasho"), "municipality": "141097"},
    {
        "name": "子供食堂みなと",
        "description": "地域のボランティアが運営します。",
        "municipality": "141011",
    },
    {"name": "みんなの食堂", "description": "大人も子どもも一緒に。", "schedules": (WEDNESDAY,)},
    {
        "name": "ひきこもり相談窓口",
        "kinds": ("consultation",),
        "concerns": ("hikikomori",),
        "description": "引きこもりのご本人とご家族の相談。",
        "municipality": "141003",
    },
    {
        "name": "こころの電話相談",
        "kinds": ("consultation",),
        "concerns": ("kokoro",),
        "is_24h": True,
        "municipality": None,
        "is_online": True,
    },
    {
        "name": "若者の居場所 ゆるり",
        "kinds": ("ibasho",),
        "targets": ("wakamono",),
        "schedules": (SATURDAY,),
        "municipality": "142051",
    },
    {
        "name": "シニアの居場所",
        "kinds": ("ibasho",),
        "targets": ("koreisha",),
        "schedules": (WEDNESDAY,),
    },
    {
        "name": "にほんごきょうしつ たんぽぽ",
        "kinds": ("learning",),
        "targets": ("gaikoku",),
        "languages": ("ja", "en", "zh"),
    },
    {"name": "日本語教室 かもめ", "kinds": ("learning",), "municipality": "141305"},
    {"name": "英会話サロン", "description": "日曜日の午後に開きます。", "kinds": ("culture",)},
    {"name": "ボランテイア募集 清掃活動", "kinds": ("volunteer",)},
    {"name": "ボランティアセンター", "kinds": ("volunteer",), "municipality": "141500"},
    {"name": "フード・バンク かながわ（サンプル）", "kinds": ("food",), "is_free": True},
    {"name": "ひとり親の交流会", "targets": ("kosodate",), "description": "子そだての悩みを話そう"},
    {
        "name": "オンライン雑談会",
        "kinds": ("online",),
        "municipality": None,
        "is_online": True,
        "online_only": True,
    },
    {"name": "下書きの子ども食堂", "status": "draft"},
    {
        "name": "終わった水曜の会",
        "schedules": ({"frequency": "weekly", "weekdays": "3", "ends_on": dt.date(2020, 3, 25)},),
    },
    {
        "name": "毎月15日の相談会",
        "kinds": ("consultation",),
        "schedules": ({"frequency": "monthly_day", "day_of_month": 15, "opens_at": dt.time(13)},),
    },
    {
        "name": "住所非公開の相談室",
        "kinds": ("consultation",),
        "address": "秘密町1-1",
        "hide": True,
    },
    {"name": "介護者のつどい", "targets": ("carer",), "municipality": "141003"},
]

QUERIES: list[dict[str, Any]] = [
    {"q": "子ども食堂"},
    {"q": "こども食堂"},
    {"q": "子供食堂"},
    {"q": "ｺﾄﾞﾓ"},
    {"q": "食堂"},
    {"q": "相談"},
    {"q": "ひきこもり 相談"},
    {"q": "居場所 土曜"},
    {"q": "日本語教室"},
    {"q": "日本語"},
    {"q": "ボランテイア"},
    {"q": "ボランティア"},
    {"q": "フードバンク"},
    {"q": "一人親"},
    {"q": "子育て"},
    {"q": "秘密町"},
    {"q": "食堂", "municipality": "141003"},
    {"q": "食堂", "kind": "food", "target": "kodomo"},
    {"q": "相談", "free": True},
    {"municipality": "141097"},
    {"municipality": "141003", "online": True},
    {"kind": "ibasho", "day": 6},
    {"day": 3},
    {"online": True},
    {"q": "居場所", "at": "2026-02-14T11:00"},
    {"at": "2026-02-18T09:00"},
    # Filter combinations (facet tokens in the index against plain attributes).
    {"municipality": "141003"},
    {"municipality": "141011"},
    {"municipality": "142051", "free": True},
    {"municipality": "140007", "kind": "consultation"},
    {"q": "相談", "municipality": "141097", "online": True},
    {"kind": "consultation", "concern": "hikikomori"},
    {"concern": "kokoro", "online": True},
    {"lang": "en"},
    {"q": "日本語", "lang": "zh"},
    {"day": 3, "free": False},
    {"day": 6, "municipality": "142051"},
    {"q": "居場所", "day": 3},
    {"kind": "food", "target": "kodomo", "at": "2026-02-14T11:00"},
    {"kind": "consultation", "at": "2026-02-15T14:00"},
    {"kind": "consultation", "at": "2026-02-15T11:00"},
    {"kind": "volunteer", "free": True, "online": True},
    # Everyday words through the lay-language table (data/lay_terms.tsv).
    {"q": "お年寄り"},
    {"q": "認知症"},
    {"q": "家から出られない"},
    {"q": "ごはん"},
    {"q": "外国人"},
    {"q": "週末"},
    {"q": "お年寄り", "municipality": "141003"},
    {"q": "たまり場", "day": 6},
    {"q": "つらい 電話"},
]


def in_area(resource: Resource, code: str, online: bool) -> bool:
    if code == PREFECTURE:
        return True
    area = {m.pk: m.parent_id for m in Municipality.objects.filter(pk=code)}
    wards = set(Municipality.objects.filter(parent_id=code).values_list("pk", flat=True))
    located = {code} | wards
    served = located | {PREFECTURE} | ({area[code]} if area.get(code) else set())
    places = {loc.municipality_id for loc in resource.locations.all()}
    serves = {m.pk for m in resource.service_area.all()}
    return (
        bool(places & located)
        or bool(serves & served)
        or (online and resource.is_online and not serves)
    )


def meets_on_weekday(resource: Resource, day: int) -> bool:
    if resource.is_24h:
        return True
    today = timezone.localdate()
    return any(
        (s.ends_on is None or s.ends_on >= today)
        and s.frequency in ("weekly", "monthly_nth", "daily")
        and (day in s.rule.weekdays or (s.frequency == "daily" and not s.rule.weekdays))
        for s in resource.schedules.all()
    )


def reference(params: dict[str, Any]) -> set[int]:
    """The expected resources, from tokens and plain attributes only."""
    query = tokens.parse_query(params.get("q", ""))
    documents = {
        r.pk: [t for part in document_tokens(r) for t in part]
        for r in _with_index_details(Resource.objects.all())
    }
    found = set()
    for r in Resource.objects.filter(status="published"):
        slugs = {k.slug for k in r.kinds.all()}
        targets = {t.slug for t in r.target_groups.all()}
        concerns = {c.slug for c in r.concerns.all()}
        languages = {lang.code for lang in r.languages.all()}
        checks = [
            not query or tokens.matches(query, documents[r.pk]),
            "municipality" not in params
            or in_area(r, params["municipality"], params.get("online", False)),
            "kind" not in params or params["kind"] in slugs,
            "target" not in params or params["target"] in targets,
            "concern" not in params or params["concern"] in concerns,
            "lang" not in params or params["lang"] in languages,
            "day" not in params or meets_on_weekday(r, params["day"]),
            "at" not in params or r.is_open_at(params["at"]),
            not params.get("free") or r.is_free,
            not params.get("online") or r.is_online,
        ]
        if all(checks):
            found.add(r.pk)
    return found


class SearchParityTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        for entry in FIXTURE:
            entry = dict(entry)
            hide = entry.pop("hide", False)
            resource = make_resource(**entry)
            if hide:
                resource.locations.update(hide_address=True)
        serving = Resource.objects.get(name="シニアの居場所")
        serving.service_area.set(Municipality.objects.filter(pk="141003"))
        ward = Resource.objects.get(name="英会話サロン")
        ward.service_area.set(Municipality.objects.filter(pk="141097"))
        reindex(Resource.objects.values_list("pk", flat=True))

    def test_the_database_answers_what_the_reference_matcher_answers(self) -> None:
        for params in QUERIES:
            params = dict(params)
            if "at" in params:
                params["at"] = timezone.make_aware(dt.datetime.fromisoformat(params["at"]))
            with self.subTest(params, database=connection.vendor):
                expected = reference(params)
                found = set(search(**params).values_list("pk", flat=True))
                self.assertEqual(found, expected)

    def test_the_query_set_is_not_trivial(self) -> None:
        """Each keyword query finds something, and not everything (apart from 秘密町)."""
        total = Resource.objects.filter(status="published").count()
        for params in QUERIES:
            if "q" in params and len(params) == 1 and params["q"] != "秘密町":
                with self.subTest(params):
                    self.assertTrue(0 < len(reference(params)) < total)
        self.assertEqual(reference({"q": "秘密町"}), set())

    def test_variant_spellings_give_the_same_results(self) -> None:
        same = [
            ("子ども食堂", "こども食堂", "子供食堂"),
            ("ボランテイア", "ボランティア"),
            ("お年寄り", "シニア", "老人"),
        ]
        for spellings in same:
            results = [set(search(q=q).values_list("pk", flat=True)) for q in spellings]
            self.assertTrue(all(r == results[0] for r in results), spellings)
