"""Schedules in the forms organisers write them: the dates they meet and how they read."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase

from tsunagari.directory.recurrence import Rule, parse_ints

D = dt.date
T = dt.time


class MeetingDatesTestCase(SimpleTestCase):
    def test_every_wednesday(self) -> None:
        rule = Rule("weekly", weekdays=(3,))
        self.assertEqual(
            rule.occurrences(D(2026, 12, 1), D(2026, 12, 31)),
            [D(2026, 12, 2), D(2026, 12, 9), D(2026, 12, 16), D(2026, 12, 23), D(2026, 12, 30)],
        )

    def test_second_and_fourth_saturday(self) -> None:
        rule = Rule("monthly_nth", weekdays=(6,), weeks_of_month=(2, 4))
        self.assertEqual(
            rule.occurrences(D(2026, 11, 1), D(2026, 12, 31)),
            [D(2026, 11, 14), D(2026, 11, 28), D(2026, 12, 12), D(2026, 12, 26)],
        )

    def test_fifth_weekday_only_in_months_that_have_one(self) -> None:
        rule = Rule("monthly_nth", weekdays=(4,), weeks_of_month=(5,))
        # Thursdays: October 2026 has five (29th), November four.
        self.assertEqual(rule.occurrences(D(2026, 10, 1), D(2026, 11, 30)), [D(2026, 10, 29)])

    def test_last_friday_of_the_month(self) -> None:
        rule = Rule("monthly_nth", weekdays=(5,), weeks_of_month=(-1,))
        self.assertEqual(
            rule.occurrences(D(2026, 11, 1), D(2027, 1, 31)),
            [D(2026, 11, 27), D(2026, 12, 25), D(2027, 1, 29)],
        )

    def test_the_31st_falls_on_the_last_day_of_short_months(self) -> None:
        rule = Rule("monthly_day", day_of_month=31)
        self.assertEqual(
            rule.occurrences(D(2028, 1, 1), D(2028, 4, 30)),
            [D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31), D(2028, 4, 30)],
        )

    def test_a_three_day_event(self) -> None:
        rule = Rule("once", starts_on=D(2026, 12, 5), ends_on=D(2026, 12, 7))
        self.assertEqual(
            rule.occurrences(D(2026, 12, 1), D(2026, 12, 31)),
            [D(2026, 12, 5), D(2026, 12, 6), D(2026, 12, 7)],
        )
        self.assertEqual(rule.next_date(D(2026, 12, 6)), D(2026, 12, 6))
        self.assertIsNone(rule.next_date(D(2026, 12, 8)))

    def test_a_weekly_rule_ends_on_its_end_date(self) -> None:
        rule = Rule("weekly", weekdays=(1,), starts_on=D(2026, 12, 1), ends_on=D(2026, 12, 20))
        self.assertEqual(
            rule.occurrences(D(2026, 11, 1), D(2027, 1, 31)), [D(2026, 12, 7), D(2026, 12, 14)]
        )
        self.assertIsNone(rule.next_date(D(2026, 12, 21)))

    def test_irregular_has_no_dates(self) -> None:
        rule = Rule("irregular")
        self.assertEqual(rule.occurrences(D(2026, 1, 1), D(2026, 12, 31)), [])
        self.assertIsNone(rule.next_date(D(2026, 1, 1)))

    def test_daily_with_weekdays_means_those_days_only(self) -> None:
        rule = Rule("daily", weekdays=(1, 2, 3, 4, 5))
        self.assertEqual(len(rule.occurrences(D(2026, 11, 30), D(2026, 12, 6))), 5)
        self.assertEqual(len(Rule("daily").occurrences(D(2026, 11, 30), D(2026, 12, 6))), 7)


class OpenNowTestCase(SimpleTestCase):
    rule = Rule("weekly", weekdays=(3,), opens_at=T(10), closes_at=T(12))

    def test_open_from_the_opening_time_until_just_before_closing(self) -> None:
        wednesday = D(2026, 12, 2)
        self.assertFalse(self.rule.is_open_at(dt.datetime.combine(wednesday, T(9, 59))))
        self.assertTrue(self.rule.is_open_at(dt.datetime.combine(wednesday, T(10))))
        self.assertTrue(self.rule.is_open_at(dt.datetime.combine(wednesday, T(11, 59))))
        self.assertFalse(self.rule.is_open_at(dt.datetime.combine(wednesday, T(12))))

    def test_closed_on_other_days(self) -> None:
        self.assertFalse(self.rule.is_open_at(dt.datetime(2026, 12, 3, 11)))

    def test_a_day_without_hours_is_open_all_day(self) -> None:
        self.assertTrue(Rule("weekly", weekdays=(4,)).is_open_at(dt.datetime(2026, 12, 3, 23)))


class DescriptionTestCase(SimpleTestCase):
    def test_it_reads_as_organisers_write(self) -> None:
        cases = [
            (
                Rule("weekly", weekdays=(3,), opens_at=T(10), closes_at=T(12)),
                "毎週水曜 10:00〜12:00",
            ),
            (Rule("monthly_nth", weekdays=(6,), weeks_of_month=(2, 4)), "第2・第4土曜"),
            (Rule("monthly_nth", weekdays=(5,), weeks_of_month=(-1,)), "最終金曜"),
            (Rule("monthly_day", day_of_month=15, opens_at=T(13, 30)), "毎月15日 13:30〜"),
            (Rule("daily"), "毎日"),
            (Rule("irregular"), "不定期"),
            (Rule("once", starts_on=D(2026, 12, 5)), "令和8年12月5日（土）"),
        ]
        for rule, text in cases:
            with self.subTest(text):
                self.assertEqual(rule.describe(), text)


class ValidationTestCase(SimpleTestCase):
    def test_incomplete_rules_name_the_missing_part(self) -> None:
        self.assertIn("weekdays", Rule("weekly").errors())
        self.assertIn("weeks_of_month", Rule("monthly_nth", weekdays=(6,)).errors())
        self.assertIn("day_of_month", Rule("monthly_day", day_of_month=32).errors())
        self.assertIn("starts_on", Rule("once").errors())
        self.assertIn(
            "closes_at", Rule("weekly", weekdays=(1,), opens_at=T(12), closes_at=T(10)).errors()
        )
        self.assertIn(
            "ends_on", Rule("once", starts_on=D(2026, 5, 2), ends_on=D(2026, 5, 1)).errors()
        )
        self.assertEqual(Rule("weekly", weekdays=(1,)).errors(), {})

    def test_weekday_lists_accept_japanese_separators(self) -> None:
        self.assertEqual(parse_ints("2・4"), (2, 4))
        self.assertEqual(parse_ints("2、4,2"), (2, 4))
        self.assertEqual(parse_ints(""), ())


class EnglishDescriptionTestCase(SimpleTestCase):
    def test_an_english_reader_gets_english_words_and_western_dates(self) -> None:
        from django.utils import translation

        with translation.override("en"):
            self.assertEqual(Rule("weekly", weekdays=(3, 6)).describe(), "Every Wed, Sat")
            self.assertEqual(
                Rule("monthly_nth", weekdays=(6,), weeks_of_month=(2, 4)).describe(),
                "2nd, 4th Sat of the month",
            )
            self.assertEqual(Rule("once", starts_on=D(2026, 12, 5)).describe(), "Sat 5 Dec 2026")
