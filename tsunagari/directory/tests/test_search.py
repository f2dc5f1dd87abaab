from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from tsunagari.directory.models import Location, Resource, SearchDocument
from tsunagari.directory.search import Total, naive_search, reindex, reindex_all, search
from tsunagari.factory import make_resource
from tsunagari.geo.models import Municipality


def indexed(name: str, **fields: Any) -> Resource:
    resource = make_resource(name, **fields)
    reindex(resource)
    return resource


def names(qs: Any) -> list[str]:
    return [r.name for r in qs]


def at(day: str, time: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{time}"))


class KeywordSearchTestCase(TestCase):
    def test_it_finds_variant_spellings(self) -> None:
        indexed("みんなの子ども食堂")
        for q in ("子ども食堂", "こども食堂", "子供食堂", "ｺﾄﾞﾓ", "食堂"):
            with self.subTest(q):
                self.assertEqual(names(search(q=q)), ["みんなの子ども食堂"])

    def test_every_word_must_match(self) -> None:
        indexed("ひきこもり相談窓口", kinds=("consultation",))
        indexed("ひきこもりの方の居場所")
        indexed("子育て相談")
        self.assertEqual(names(search(q="ひきこもり 相談")), ["ひきこもり相談窓口"])

    def test_it_finds_a_weekday_in_a_schedule(self) -> None:
        indexed(
            "土曜の居場所",
            schedules=({"frequency": "monthly_nth", "weekdays": "6", "weeks_of_month": "2,4"},),
        )
        indexed("水曜の居場所", schedules=({"frequency": "weekly", "weekdays": "3"},))
        self.assertEqual(names(search(q="居場所 土曜")), ["土曜の居場所"])
        self.assertEqual(names(search(q="土曜日")), ["土曜の居場所"])

    def test_it_finds_words_inside_compounds(self) -> None:
        indexed("にじいろ日本語教室", kinds=("learning",))
        indexed("英語で話そう", kinds=("learning",))
        self.assertEqual(names(search(q="日本語")), ["にじいろ日本語教室"])
        self.assertEqual(names(search(q="日本語教室")), ["にじいろ日本語教室"])

    def test_it_searches_terms_and_municipality_names(self) -> None:
        indexed("どこかの会", targets=("hikikomori",), municipality="141097")
        self.assertEqual(names(search(q="ひきこもり 港北")), ["どこかの会"])

    def test_a_name_match_ranks_above_a_description_match(self) -> None:
        indexed("地域の集い", description="食堂も開いています。食堂の日があります。")
        indexed("まちの食堂", description="誰でも来られます。")
        self.assertEqual(names(search(q="食堂")), ["まちの食堂", "地域の集い"])

    def test_it_does_not_index_a_hidden_address(self) -> None:
        resource = indexed("相談の場", address="秘密町1-2-3")
        Location.objects.filter(resource=resource).update(
            hide_address=True, name="隠れ家ハウス", access="桜ヶ丘駅から徒歩"
        )
        reindex(resource)
        for q in ("秘密町", "隠れ家", "桜ヶ丘"):
            with self.subTest(q):
                self.assertEqual(names(search(q=q)), [])
        self.assertEqual(names(search(q="藤沢 相談")), ["相談の場"])

    def test_it_leaves_out_unpublished_resources(self) -> None:
        indexed("下書きの食堂", status=Resource.Status.DRAFT)
        indexed("非公開の食堂", status=Resource.Status.UNPUBLISHED)
        self.assertEqual(names(search(q="食堂")), [])
        self.assertEqual(len(search(q="食堂", include_unpublished=True)), 2)

    def test_reindex_follows_an_edit(self) -> None:
        resource = indexed("まちの食堂", description="どなたでも。", municipality=None)
        resource.name = "まちの図書室"
        resource.save()
        self.assertEqual(names(search(q="食堂")), ["まちの図書室"])  # until reindexed
        reindex([resource.pk])
        reindex([resource.pk])  # idempotent
        self.assertEqual(names(search(q="食堂")), [])
        self.assertEqual(names(search(q="図書室")), ["まちの図書室"])
        self.assertEqual(SearchDocument.objects.count(), 1)

    def test_a_deleted_resource_leaves_the_index(self) -> None:
        resource = indexed("まちの食堂")
        pk = resource.pk
        resource.delete()
        self.assertEqual(names(search(q="食堂")), [])
        self.assertFalse(SearchDocument.objects.filter(pk=pk).exists())
        reindex([pk])  # a stale id is harmless
        indexed("となりの食堂")
        self.assertEqual(names(search(q="食堂")), ["となりの食堂"])

    def test_a_query_of_only_particles_finds_nothing(self) -> None:
        indexed("まちの食堂")
        self.assertEqual(names(search(q="の は")), [])
        self.assertEqual(names(search(q="   ")), ["まちの食堂"])

    def test_the_rebuild_command_indexes_everything(self) -> None:
        make_resource("まちの食堂")
        make_resource("となりの食堂")
        self.assertEqual(names(search(q="食堂")), [])
        out = StringIO()
        call_command("rebuild_search_index", stdout=out)
        self.assertIn("2", out.getvalue())
        self.assertEqual(len(search(q="食堂")), 2)
        self.assertEqual(reindex_all(), 2)

    def test_the_naive_baseline_matches_substrings(self) -> None:
        indexed("まちの子ども食堂")
        self.assertEqual(names(naive_search(q="子ども 食堂")), ["まちの子ども食堂"])
        self.assertEqual(names(naive_search(q="こども")), [])  # why the index exists


class FilterTestCase(TestCase):
    def test_a_ward_finds_what_is_in_it_or_serves_it_its_city_or_the_prefecture(self) -> None:
        indexed("港北区の会", municipality="141097")
        indexed("鶴見区の会", municipality="141011")
        serves_city = indexed("横浜市全域の会", municipality="142051")
        serves_city.service_area.set(Municipality.objects.filter(pk="141003"))
        serves_all = indexed("県全域の会", municipality="142051")
        serves_all.service_area.set(Municipality.objects.filter(pk="140007"))
        reindex([serves_city.pk, serves_all.pk])  # filters live in the index too
        indexed("藤沢市の会", municipality="142051")
        self.assertEqual(
            sorted(names(search(municipality="141097"))),
            sorted(["港北区の会", "横浜市全域の会", "県全域の会"]),
        )
        self.assertEqual(
            sorted(names(search(municipality="141003"))),
            sorted(["港北区の会", "鶴見区の会", "横浜市全域の会", "県全域の会"]),
        )
        self.assertEqual(len(search(municipality="140007")), 5)
        self.assertEqual(names(search(municipality="999999")), [])

    def test_an_online_resource_without_an_area_matches_an_area_only_when_asked_online(
        self,
    ) -> None:
        indexed("オンライン雑談会", municipality=None, is_online=True, online_only=True)
        self.assertEqual(names(search(municipality="142051")), [])
        self.assertEqual(names(search(municipality="142051", online=True)), ["オンライン雑談会"])

    def test_term_filters(self) -> None:
        indexed(
            "全部入り",
            kinds=("food",),
            targets=("kodomo",),
            concerns=("kosodate",),
            languages=("ja", "en"),
            accessibility=("wheelchair",),
            is_free=True,
            is_online=True,
        )
        indexed("なにもなし")
        for filters in (
            {"kind": "food"},
            {"target": "kodomo"},
            {"concern": "kosodate"},
            {"lang": "en"},
            {"accessibility": "wheelchair"},
            {"free": True},
            {"online": True},
        ):
            with self.subTest(filters):
                self.assertEqual(names(search(**filters)), ["全部入り"])
                self.assertEqual(names(naive_search(**filters)), ["全部入り"])

    def test_filters_and_keywords_combine(self) -> None:
        indexed("こども食堂A", kinds=("food",), targets=("kodomo",))
        indexed("こども食堂B", kinds=("food",), targets=("koreisha",))
        indexed("こども食堂C", kinds=("ibasho",), targets=("kodomo",))
        self.assertEqual(names(search(q="食堂", kind="food", target="kodomo")), ["こども食堂A"])

    def test_a_day_finds_weekly_monthly_and_daily_schedules(self) -> None:
        indexed("毎週土曜", name_kana="1", schedules=({"frequency": "weekly", "weekdays": "2,6"},))
        indexed(
            "第2土曜",
            name_kana="2",
            schedules=({"frequency": "monthly_nth", "weekdays": "6", "weeks_of_month": "2"},),
        )
        indexed("毎日", name_kana="3", schedules=({"frequency": "daily"},))
        indexed("24時間", name_kana="4", is_24h=True)
        indexed("毎週日曜", schedules=({"frequency": "weekly", "weekdays": "7"},))
        indexed(
            "終わった土曜",
            schedules=({"frequency": "weekly", "weekdays": "6", "ends_on": dt.date(2020, 1, 1)},),
        )
        indexed("毎月15日", schedules=({"frequency": "monthly_day", "day_of_month": 15},))
        self.assertEqual(names(search(day=6)), ["毎週土曜", "第2土曜", "毎日", "24時間"])

    def test_open_now_follows_the_schedule_rules(self) -> None:
        indexed(
            "第2・第4土曜 10-12時",
            schedules=(
                {
                    "frequency": "monthly_nth",
                    "weekdays": "6",
                    "weeks_of_month": "2,4",
                    "opens_at": dt.time(10),
                    "closes_at": dt.time(12),
                },
            ),
        )
        indexed(
            "最終土曜",
            schedules=({"frequency": "monthly_nth", "weekdays": "6", "weeks_of_month": "-1"},),
        )
        indexed("毎月31日", schedules=({"frequency": "monthly_day", "day_of_month": 31},))
        indexed(
            "3日間のイベント",
            schedules=(
                {
                    "frequency": "once",
                    "starts_on": dt.date(2026, 2, 13),
                    "ends_on": dt.date(2026, 2, 15),
                },
            ),
        )
        indexed("24時間の窓口", is_24h=True)
        # 2026-02-14 is the second Saturday; 2026-02-28 the fourth and last.
        cases = {
            at("2026-02-14", "10:00"): {"第2・第4土曜 10-12時", "3日間のイベント", "24時間の窓口"},
            at("2026-02-14", "12:00"): {"3日間のイベント", "24時間の窓口"},
            at("2026-02-21", "11:00"): {"24時間の窓口"},
            at("2026-02-28", "11:00"): {
                "第2・第4土曜 10-12時",
                "最終土曜",
                "毎月31日",
                "24時間の窓口",
            },
            at("2026-02-16", "09:00"): {"24時間の窓口"},
        }
        for moment, expected in cases.items():
            with self.subTest(moment):
                found = set(names(search(at=moment)))
                self.assertEqual(found, expected)
                reference = {r.name for r in Resource.objects.all() if r.is_open_at(moment)}
                self.assertEqual(found, reference)

    def test_without_keywords_results_are_in_reading_order(self) -> None:
        indexed("ん", name_kana="あ")
        indexed("あ", name_kana="い")
        self.assertEqual(names(search()), ["ん", "あ"])


class LargeResultsTestCase(TestCase):
    """What keeps a common word fast: index counts, and no ranking of long lists."""

    def test_a_long_list_is_newest_first_and_its_pages_do_not_overlap(self) -> None:
        made = [indexed(f"食堂{i}", name_kana=f"{9 - i}") for i in range(5)]
        with mock.patch("tsunagari.directory.search.RANK_LIMIT", 3):
            found = search(q="食堂")
            pages = [list(found[0:2]), list(found[2:4]), list(found[4:6])]
            self.assertEqual([r.pk for page in pages for r in page], [r.pk for r in made][::-1])
            self.assertEqual(found.count(), 5)
        # Short lists stay ranked (here: by reading, the names being equally relevant).
        self.assertEqual(names(search(q="食堂")), ["食堂4", "食堂3", "食堂2", "食堂1", "食堂0"])

    def test_the_count_comes_from_the_index_in_one_query(self) -> None:
        indexed("子ども食堂", is_free=True)
        indexed("大人の食堂", is_free=False)
        with self.assertNumQueries(1):
            found = search(q="食堂", free=True)
        with self.assertNumQueries(0):
            self.assertEqual(found.count(), 1)
        # Filtered further, it is counted again (and correctly).
        self.assertEqual(found.filter(name="大人の食堂").count(), 0)
        self.assertEqual(found.none().count(), 0)

    def test_a_schedule_that_has_ended_no_longer_counts_for_its_weekday(self) -> None:
        ended = {"frequency": "weekly", "weekdays": "3", "ends_on": dt.date(2020, 3, 25)}
        indexed("終わった水曜の会", schedules=(ended,))
        indexed("続く水曜の会", schedules=(ended, {"frequency": "weekly", "weekdays": "3"}))
        indexed("24時間の窓口", is_24h=True, schedules=(ended,))
        found = search(day=3)
        self.assertEqual(sorted(names(found)), ["24時間の窓口", "続く水曜の会"])
        self.assertEqual(found.count(), 2)


class CappedCountTestCase(TestCase):
    """More than COUNT_CAP results show as 「COUNT_CAP件以上」; fewer are counted exactly.

    (COUNT_CAP is 1,000; here it is lowered to 3 so that a few resources pass it.)
    """

    def test_more_than_the_cap_is_a_lower_bound_and_up_to_it_is_exact(self) -> None:
        for i in range(5):
            indexed(f"食堂{i}", is_free=i < 3)
        with mock.patch("tsunagari.directory.search.COUNT_CAP", 3):
            found = search(q="食堂")
            self.assertEqual(found.total(), Total(3, at_least=True))
            self.assertEqual(found.count(), 5)  # count() stays exact
            self.assertEqual(len(list(found)), 5)  # and so does the list
            self.assertEqual(search(q="食堂", free=True).total(), Total(3))
            self.assertEqual(search(q="食堂", free=True).count(), 3)
            self.assertEqual(search(q="水泳").total(), Total(0))

    def test_open_now_is_capped_the_same_way(self) -> None:
        for i in range(4):
            indexed(f"窓口{i}", is_24h=i < 3)
        moment = at("2026-04-08", "10:00")
        with mock.patch("tsunagari.directory.search.COUNT_CAP", 2):
            self.assertEqual(search(at=moment).total(), Total(2, at_least=True))
        with mock.patch("tsunagari.directory.search.COUNT_CAP", 3):
            self.assertEqual(search(at=moment).total(), Total(3))

    def test_a_schedule_that_has_ended_is_left_out_of_the_capped_count(self) -> None:
        ended = {"frequency": "weekly", "weekdays": "3", "ends_on": dt.date(2020, 3, 25)}
        for i in range(3):
            indexed(f"終わった水曜の会{i}", schedules=(ended,))
        indexed("続く水曜の会", schedules=({"frequency": "weekly", "weekdays": "3"},))
        indexed("24時間の窓口", is_24h=True)
        with mock.patch("tsunagari.directory.search.COUNT_CAP", 2):
            self.assertEqual(search(day=3).total(), Total(2))
        with mock.patch("tsunagari.directory.search.COUNT_CAP", 1):
            self.assertEqual(search(day=3).total(), Total(1, at_least=True))
