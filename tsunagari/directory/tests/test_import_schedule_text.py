"""The schedule text of the import file, as organisers write it."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase

from tsunagari.directory.csv_import import parse_schedule_text


def one(text: str) -> dict[str, object]:
    schedules = parse_schedule_text(text)
    assert len(schedules) == 1, schedules
    return {k: v for k, v in schedules[0].items() if v not in ("", None)}


class ScheduleTextTestCase(SimpleTestCase):
    def test_it_reads_a_weekly_schedule_with_hours(self) -> None:
        self.assertEqual(
            one("毎週水曜 10:00-12:00"),
            {
                "frequency": "weekly",
                "weekdays": "3",
                "opens_at": dt.time(10),
                "closes_at": dt.time(12),
            },
        )

    def test_it_accepts_the_ways_a_weekday_is_written(self) -> None:
        for text in ("毎週水曜日", "毎週水", "水曜", "水曜日", "毎週 水曜"):
            with self.subTest(text=text):
                self.assertEqual(one(text), {"frequency": "weekly", "weekdays": "3"})

    def test_it_reads_several_weekdays(self) -> None:
        self.assertEqual(one("毎週月・水曜")["weekdays"], "1,3")
        self.assertEqual(one("毎週土日")["weekdays"], "6,7")
        self.assertEqual(one("毎週日曜日")["weekdays"], "7")

    def test_it_reads_nth_weekdays_of_the_month(self) -> None:
        expected = {"frequency": "monthly_nth", "weekdays": "6", "weeks_of_month": "2,4"}
        for text in ("第2・第4土曜", "第２・第４土曜日", "毎月第2、4土曜", "第2と第4土曜"):
            with self.subTest(text=text):
                self.assertEqual(one(text), expected)
        self.assertEqual(one("最終金曜")["weeks_of_month"], "-1")

    def test_it_reads_a_day_of_the_month_and_every_day(self) -> None:
        self.assertEqual(one("毎月15日"), {"frequency": "monthly_day", "day_of_month": 15})
        self.assertEqual(one("毎月１５日"), {"frequency": "monthly_day", "day_of_month": 15})
        self.assertEqual(one("毎日"), {"frequency": "daily"})

    def test_it_reads_a_date_in_the_western_or_japanese_calendar(self) -> None:
        expected = {"frequency": "once", "starts_on": dt.date(2026, 12, 5)}
        for text in (
            "2026-12-05",
            "2026/12/5",
            "2026年12月5日",
            "令和8年12月5日",
            "２０２６－１２－０５",
        ):
            with self.subTest(text=text):
                self.assertEqual(one(text), expected)
        self.assertEqual(one("令和8年12月5日（土）")["starts_on"], dt.date(2026, 12, 5))

    def test_it_reads_a_run_of_dates(self) -> None:
        self.assertEqual(
            one("2026-12-05〜2026-12-07 10:00-16:00"),
            {
                "frequency": "once",
                "starts_on": dt.date(2026, 12, 5),
                "ends_on": dt.date(2026, 12, 7),
                "opens_at": dt.time(10),
                "closes_at": dt.time(16),
            },
        )

    def test_it_accepts_every_dash_and_full_width_time(self) -> None:
        for text in (
            "第2土曜 13:00〜15:00",
            "第2土曜 13:00～15:00",
            "第2土曜 13:00-15:00",
            "第２土曜日　１３：００～１５：００",
            "第2土曜 13時〜15時",
            "第2土曜 13時から15時まで",
        ):
            with self.subTest(text=text):
                schedule = one(text)
                self.assertEqual(schedule["opens_at"], dt.time(13))
                self.assertEqual(schedule["closes_at"], dt.time(15))
        self.assertEqual(one("毎週水曜 9時半〜11時30分")["opens_at"], dt.time(9, 30))
        self.assertEqual(one("毎週水曜 18:00〜")["opens_at"], dt.time(18))

    def test_it_keeps_the_note_of_an_irregular_schedule(self) -> None:
        self.assertEqual(one("不定期"), {"frequency": "irregular"})
        self.assertEqual(
            one("不定期（月1回程度）"), {"frequency": "irregular", "note": "月1回程度"}
        )

    def test_it_reads_several_schedules_separated_by_semicolons(self) -> None:
        schedules = parse_schedule_text("毎週水曜 10:00-12:00; 第1日曜\n毎月15日")
        self.assertEqual(
            [s["frequency"] for s in schedules], ["weekly", "monthly_nth", "monthly_day"]
        )

    def test_it_says_in_japanese_what_it_cannot_read(self) -> None:
        for text, message in (
            ("ときどき", "日程「ときどき」を読み取れません"),
            ("毎週水曜 午前中", "「午前中」を読み取れません"),
            ("毎週水曜 25:00", "時刻「25:00」が正しくありません"),
            ("毎週水曜 12:00-10:00", "終了時刻は開始時刻より後にしてください"),
            ("毎月32日", "日付（1〜31）を入力してください"),
            ("2026-02-30", "2026-02-30"),
        ):
            with self.subTest(text=text), self.assertRaisesMessage(ValueError, message):
                parse_schedule_text(text)

    def test_a_blank_schedule_is_no_schedule(self) -> None:
        self.assertEqual(parse_schedule_text(" "), [])
