"""Open data: the events CSV (推奨データセット イベント一覧) and the iCalendar feeds."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from dateutil.rrule import rrulestr
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from tsunagari.directory import opendata
from tsunagari.directory.models import Location, Resource, Schedule
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

# As DATA.md lists them.
DATA_MD_COLUMNS = [
    *("都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名"),
    *("イベント名_カナ", "イベント名_英語", "開始日", "終了日", "開始時間", "終了時間"),
    *("開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称", "連絡先電話番号"),
    *("連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度", "アクセス方法"),
    *("駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考"),
]


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


class EventsCsvTestCase(BaseTestCase):
    today: dt.date
    soon: dt.date
    event: Resource
    hidden: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.soon = cls.today + dt.timedelta(days=10)
        cls.event = make_resource(
            "サンプル 冬のつどい",
            organization=cls.organization,
            kinds=("event",),
            is_free=True,
            name_kana="サンプル フユノツドイ",
            phone="0466-00-0000",
            schedules=(
                {
                    "frequency": "once",
                    "starts_on": cls.soon,
                    "opens_at": dt.time(10),
                    "closes_at": dt.time(12, 30),
                    "note": "雨天決行",
                },
            ),
        )
        location = cls.event.locations.get()
        location.latitude, location.longitude = Decimal("35.338"), Decimal("139.487")
        location.save()
        cls.hidden = make_resource(
            "サンプル ひみつの会",
            kinds=("event",),
            municipality="141097",
            address="横浜市港北区0-0-0（サンプル）",
            fee="300円",
            schedules=({"frequency": "weekly", "weekdays": "3", "opens_at": dt.time(18)},),
        )
        Location.objects.filter(resource=cls.hidden).update(
            hide_address=True, latitude=Decimal("35.5"), longitude=Decimal("139.6")
        )
        make_resource("サンプル 居場所（イベントではない）", schedules=({"frequency": "daily"},))
        make_resource(
            "サンプル 終わったイベント",
            kinds=("event",),
            schedules=({"frequency": "once", "starts_on": cls.today - dt.timedelta(days=1)},),
        )
        make_resource(
            "サンプル 不定期のイベント", kinds=("event",), schedules=({"frequency": "irregular"},)
        )
        make_resource(
            "サンプル 非公開のイベント",
            kinds=("event",),
            status=Resource.Status.UNPUBLISHED,
            schedules=({"frequency": "once", "starts_on": cls.soon},),
        )

    def get_rows(self) -> list[dict[str, str]]:
        r = self.client.get("/opendata/events.csv")
        self.assertEqual(r.status_code, 200)
        return read_csv(r.content)

    def test_it_has_the_32_columns_of_the_recommended_dataset_in_order(self) -> None:
        r = self.client.get("/opendata/events.csv")
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        self.assertTrue(r.content.startswith(b"\xef\xbb\xbf"))
        self.assertIn(b"\r\n", r.content)
        self.assertNotIn(b"\n", r.content.replace(b"\r\n", b""))
        header = next(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        self.assertEqual(header, DATA_MD_COLUMNS)
        self.assertEqual(header, opendata.EVENT_COLUMNS)
        self.assertEqual(len(header), 32)

    def test_a_one_off_event_is_one_row_with_dates_times_and_place(self) -> None:
        (row,) = [r for r in self.get_rows() if r["イベント名"] == "サンプル 冬のつどい"]
        self.assertEqual(row["都道府県コード又は市区町村コード"], "142051")
        self.assertEqual(row["都道府県名"], "神奈川県")
        self.assertEqual(row["市区町村名"], "藤沢市")
        self.assertEqual(row["イベント名_カナ"], "サンプル フユノツドイ")
        self.assertEqual(row["開始日"], self.soon.isoformat())
        self.assertEqual(row["終了日"], self.soon.isoformat())
        self.assertEqual((row["開始時間"], row["終了時間"]), ("10:00", "12:30"))
        self.assertEqual(row["開始日時特記事項"], "雨天決行")
        self.assertEqual(row["料金(基本)"], "無料")
        self.assertEqual(row["連絡先電話番号"], "0466-00-0000")
        self.assertEqual(row["主催者"], self.organization.name)
        self.assertEqual(row["住所"], "藤沢市藤沢1-1-1（サンプル）")
        self.assertEqual((row["緯度"], row["経度"]), ("35.338000", "139.487000"))
        self.assertEqual(row["URL"], f"http://127.0.0.1:8000/resources/{self.event.pk}/")
        self.assertIn("サンプル", row["備考"])

    def test_a_hidden_address_shows_only_the_municipality_and_no_coordinates(self) -> None:
        rows = [r for r in self.get_rows() if r["イベント名"] == "サンプル ひみつの会"]
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(row["住所"], "横浜市港北区")
            self.assertEqual(row["都道府県コード又は市区町村コード"], "141097")
            self.assertEqual((row["緯度"], row["経度"]), ("", ""))
            self.assertEqual(row["料金(基本)"], "有料")
            self.assertEqual(row["料金(詳細)"], "300円")
        self.assertNotIn("0-0-0", self.client.get("/opendata/events.csv").content.decode())

    def test_a_weekly_event_gives_a_row_for_each_date_in_the_next_90_days(self) -> None:
        rows = [r for r in self.get_rows() if r["イベント名"] == "サンプル ひみつの会"]
        expected = Schedule.objects.get(resource=self.hidden).occurrences(
            self.today, self.today + dt.timedelta(days=89)
        )
        self.assertEqual([r["開始日"] for r in rows], [d.isoformat() for d in expected])
        self.assertIn(len(rows), (12, 13))
        self.assertTrue(all(dt.date.fromisoformat(r["開始日"]).isoweekday() == 3 for r in rows))

    def test_only_upcoming_dated_published_events_are_listed(self) -> None:
        names = {r["イベント名"] for r in self.get_rows()}
        self.assertEqual(names, {"サンプル 冬のつどい", "サンプル ひみつの会"})

    def test_rows_are_numbered_in_date_order(self) -> None:
        rows = self.get_rows()
        self.assertEqual([r["NO"] for r in rows], [str(i) for i in range(1, len(rows) + 1)])
        self.assertEqual(
            [r["開始日"] + r["開始時間"] for r in rows],
            sorted(r["開始日"] + r["開始時間"] for r in rows),
        )

    def test_a_run_of_dates_is_one_row_while_it_lasts(self) -> None:
        start = self.today - dt.timedelta(days=1)
        make_resource(
            "サンプル 3日間の展示",
            kinds=("event",),
            schedules=(
                {
                    "frequency": "once",
                    "starts_on": start,
                    "ends_on": start + dt.timedelta(days=2),
                },
            ),
        )
        (row,) = [r for r in self.get_rows() if r["イベント名"] == "サンプル 3日間の展示"]
        self.assertEqual(row["開始日"], start.isoformat())
        self.assertEqual(row["終了日"], (start + dt.timedelta(days=2)).isoformat())
        self.assertEqual(row["開始時間"], "")

    def test_it_takes_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(4):
            self.client.get("/opendata/events.csv")
        for i in range(5):
            make_resource(
                f"サンプル 追加{i}",
                kinds=("event", "ibasho"),
                schedules=({"frequency": "monthly_day", "day_of_month": 15},),
            )
        with self.assertNumQueries(4):
            self.client.get("/opendata/events.csv")


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def event_dates(event: Any, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates a VEVENT happens on in [start, end], expanded with dateutil."""
    dtstart = event.decoded("DTSTART")
    if "RRULE" not in event:
        return [dtstart.date() if isinstance(dtstart, dt.datetime) else dtstart]
    rule_text = event["RRULE"].to_ical().decode()
    if isinstance(dtstart, dt.datetime):
        rule = rrulestr(rule_text, dtstart=dtstart)
        low = dt.datetime.combine(start, dt.time(0), tzinfo=dtstart.tzinfo)
        high = dt.datetime.combine(end, dt.time(23, 59, 59), tzinfo=dtstart.tzinfo)
    else:
        rule = rrulestr(rule_text, dtstart=dt.datetime.combine(dtstart, dt.time(0)))
        low = dt.datetime.combine(start, dt.time(0))
        high = dt.datetime.combine(end, dt.time(23, 59, 59))
    return [d.date() for d in rule.between(low, high, inc=True)]


@override_settings(SITE_URL="https://tsunagari.example.jp")
class ICalendarTestCase(BaseTestCase):
    SCHEDULES: tuple[dict[str, Any], ...] = (
        {"frequency": "weekly", "weekdays": "3", "opens_at": dt.time(10), "closes_at": dt.time(12)},
        {"frequency": "weekly", "weekdays": "1,5"},
        {
            "frequency": "monthly_nth",
            "weekdays": "6",
            "weeks_of_month": "2,4",
            "opens_at": dt.time(13),
            "closes_at": dt.time(15),
        },
        {"frequency": "monthly_nth", "weekdays": "5", "weeks_of_month": "-1"},
        {"frequency": "monthly_nth", "weekdays": "2", "weeks_of_month": "5"},
        {"frequency": "monthly_day", "day_of_month": 15, "opens_at": dt.time(9)},
        {"frequency": "monthly_day", "day_of_month": 31},
        {"frequency": "monthly_day", "day_of_month": 30},
        {"frequency": "daily"},
        {"frequency": "daily", "weekdays": "1,2,3,4,5", "opens_at": dt.time(9)},
        {
            "frequency": "weekly",
            "weekdays": "4",
            "starts_on": dt.date(2026, 1, 8),
            "ends_on": dt.date(2026, 3, 26),
            "opens_at": dt.time(19),
        },
        {"frequency": "once", "starts_on": dt.date(2026, 12, 5), "opens_at": dt.time(10)},
        {
            "frequency": "once",
            "starts_on": dt.date(2026, 8, 1),
            "ends_on": dt.date(2026, 8, 3),
            "opens_at": dt.time(10),
            "closes_at": dt.time(16),
        },
        {"frequency": "once", "starts_on": dt.date(2026, 5, 2), "ends_on": dt.date(2026, 5, 4)},
        {"frequency": "irregular", "note": "月1回程度"},
    )

    resource: Resource
    hidden: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resource = make_resource(
            "サンプル いろいろな日程",
            organization=cls.organization,
            kinds=("ibasho", "event"),
            schedules=cls.SCHEDULES,
        )
        cls.hidden = make_resource(
            "サンプル 住所非公開の相談",
            organization=cls.organization,
            kinds=("consultation",),
            municipality="141097",
            address="横浜市港北区0-0-0（サンプル）",
            schedules=({"frequency": "weekly", "weekdays": "2", "opens_at": dt.time(14)},),
        )
        Location.objects.filter(resource=cls.hidden).update(hide_address=True)

    def feed(self, url: str) -> Calendar:
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/calendar; charset=utf-8")
        return parse(r.content)

    def events_by_uid(self, calendar: Calendar) -> dict[str, Any]:
        return {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    def test_every_dated_schedule_is_an_event_whose_rule_expands_to_the_same_dates(self) -> None:
        calendar = self.feed(f"/opendata/ical/organization/{self.organization.pk}.ics")
        events = self.events_by_uid(calendar)
        # Recurring events start on the day they were published; compare from today.
        start = timezone.localdate()
        end = start + dt.timedelta(days=800)
        schedules = Schedule.objects.filter(resource=self.resource)
        self.assertEqual(len(schedules), len(self.SCHEDULES))
        for schedule in schedules:
            uid = f"schedule-{schedule.pk}@tsunagari.example.jp"
            with self.subTest(schedule=schedule.describe()):
                if schedule.frequency == "irregular":
                    self.assertNotIn(uid, events)
                    continue
                event = events[uid]
                expected = schedule.occurrences(start, end)
                got = [d for d in event_dates(event, start, end) if start <= d <= end]
                self.assertEqual(got, expected)

    def test_it_writes_the_rules_as_organisers_mean_them(self) -> None:
        events = self.events_by_uid(
            self.feed(f"/opendata/ical/organization/{self.organization.pk}.ics")
        )
        rules = {
            Schedule.objects.get(pk=int(uid.split("-")[1].split("@")[0])).describe(): (
                e["RRULE"].to_ical().decode() if "RRULE" in e else ""
            )
            for uid, e in events.items()
        }
        self.assertEqual(rules["毎週水曜 10:00〜12:00"], "FREQ=WEEKLY;BYDAY=WE")
        self.assertEqual(rules["第2・第4土曜 13:00〜15:00"], "FREQ=MONTHLY;BYDAY=2SA,4SA")
        self.assertEqual(rules["毎月15日 09:00〜"], "FREQ=MONTHLY;BYMONTHDAY=15")
        self.assertEqual(rules["毎日"], "FREQ=DAILY")
        self.assertEqual(rules["最終金曜"], "FREQ=MONTHLY;BYDAY=-1FR")

    def test_times_are_in_tokyo_with_a_vtimezone_and_all_day_events_are_dates(self) -> None:
        r = self.client.get(f"/opendata/ical/organization/{self.organization.pk}.ics")
        text = r.content.decode()
        self.assertIn("BEGIN:VTIMEZONE", text)
        self.assertIn("TZID:Asia/Tokyo", text)
        self.assertIn("DTSTART;TZID=Asia/Tokyo:20261205T100000", text)
        self.assertIn("DTSTART;VALUE=DATE:20260502", text)
        self.assertIn("UNTIL=20260326T145959Z", text)  # 23:59:59 in Tokyo, in UTC

    def test_an_event_names_the_resource_and_links_to_its_page(self) -> None:
        calendar = self.feed(f"/opendata/ical/organization/{self.organization.pk}.ics")
        self.assertEqual(str(calendar["X-WR-CALNAME"]), f"{self.organization.name}の予定")
        event = next(iter(calendar.walk("VEVENT")))
        self.assertEqual(str(event["SUMMARY"]), "サンプル いろいろな日程")
        self.assertEqual(
            str(event["URL"]), f"https://tsunagari.example.jp/resources/{self.resource.pk}/"
        )
        self.assertIn("藤沢市藤沢1-1-1（サンプル）", str(event["LOCATION"]))
        self.assertIn("日程：", str(event["DESCRIPTION"]))

    def test_a_hidden_address_shows_only_the_municipality(self) -> None:
        r = self.client.get("/opendata/ical/municipality/141097.ics")
        self.assertNotIn("0-0-0", r.content.decode())
        (event,) = parse(r.content).walk("VEVENT")
        self.assertIn("横浜市港北区", str(event["LOCATION"]))
        self.assertNotIn("GEO", event)

    def test_a_city_feed_includes_its_wards(self) -> None:
        events = self.feed("/opendata/ical/municipality/141003.ics").walk("VEVENT")
        self.assertEqual({str(e["SUMMARY"]) for e in events}, {"サンプル 住所非公開の相談"})

    def test_a_kind_feed_has_only_that_kind(self) -> None:
        events = self.feed("/opendata/ical/kind/consultation.ics").walk("VEVENT")
        self.assertEqual({str(e["SUMMARY"]) for e in events}, {"サンプル 住所非公開の相談"})

    def test_unpublished_resources_are_left_out(self) -> None:
        self.hidden.unpublish(by=self.secretariat, reason="確認中")
        events = self.feed("/opendata/ical/kind/consultation.ics").walk("VEVENT")
        self.assertEqual(events, [])

    def test_uids_are_stable_between_requests(self) -> None:
        url = f"/opendata/ical/organization/{self.organization.pk}.ics"
        self.assertEqual(self.client.get(url).content, self.client.get(url).content)

    def test_unknown_feeds_are_not_found(self) -> None:
        for url in (
            "/opendata/ical/organization/999999.ics",
            "/opendata/ical/municipality/999999.ics",
            "/opendata/ical/municipality/140007.ics",
            "/opendata/ical/kind/nothing.ics",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_feed_takes_a_fixed_number_of_queries(self) -> None:
        url = f"/opendata/ical/organization/{self.organization.pk}.ics"
        with self.assertNumQueries(5):
            self.client.get(url)
        make_resource(
            "サンプル 追加",
            organization=self.organization,
            schedules=({"frequency": "weekly", "weekdays": "1"},),
        )
        with self.assertNumQueries(5):
            self.client.get(url)


class OpenDataPageTestCase(BaseTestCase):
    def test_it_lists_the_files_and_feeds(self) -> None:
        r = self.client.get("/opendata/")
        self.assertContains(r, "<h1>オープンデータ</h1>", html=True)
        self.assertContains(r, 'href="/opendata/events.csv"')
        self.assertContains(r, 'href="/opendata/ical/kind/event.ics"')
        self.assertContains(r, 'href="/opendata/ical/municipality/142051.ics"')
        self.assertContains(r, f'href="/opendata/ical/organization/{self.organization.pk}.ics"')
