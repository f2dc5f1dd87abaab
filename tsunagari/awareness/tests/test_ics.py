from __future__ import annotations

import datetime as dt
import re

from dateutil.rrule import rrulestr
from icalendar import Calendar

from tsunagari.awareness.tests.factory import make_item, make_may_event
from tsunagari.test import BaseTestCase

URL = "/awareness-month/2027.ics"


class MonthCalendarTest(BaseTestCase):
    def fetch(self) -> tuple[bytes, Calendar]:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/calendar; charset=utf-8")
        return r.content, Calendar.from_ical(r.content)

    def test_it_is_rfc_5545_text_with_crlf_lines_folded_at_75_octets(self) -> None:
        make_may_event(
            "【テスト】とても長い名前の催し" * 4,
            self.organization,
            description="説明の文章。" * 40 + "\nカンマ, セミコロン; バックスラッシュ\\",
        )
        body, cal = self.fetch()
        self.assertTrue(body.startswith(b"BEGIN:VCALENDAR\r\n"))
        self.assertTrue(body.endswith(b"END:VCALENDAR\r\n"))
        self.assertNotIn(b"\n", body.replace(b"\r\n", b""))  # no bare LF
        for line in body.split(b"\r\n"):
            self.assertLessEqual(len(line), 75, line)
            line.decode()  # folding never splits a character
        unfolded = body.replace(b"\r\n ", b"").decode()
        self.assertIn("\\, セミコロン\\; バックスラッシュ\\\\", unfolded)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertIn("PRODID", cal)

    def test_each_schedule_is_one_event_limited_to_may_in_tokyo_time(self) -> None:
        weekly = make_may_event(
            "【テスト】毎週水曜の居場所",
            self.organization,
            kinds=("ibasho",),
            schedules=(
                {"frequency": "weekly", "weekdays": "3", "opens_at": "10:00", "closes_at": "12:00"},
            ),
        )
        once = make_may_event("【テスト】交流会", self.other_organization)
        _body, cal = self.fetch()
        events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
        self.assertEqual(set(events), {weekly.name, once.name})
        self.assertTrue(cal.walk("VTIMEZONE"))
        self.assertEqual(cal.walk("VTIMEZONE")[0]["TZID"], "Asia/Tokyo")
        recurring = events[weekly.name]
        start = recurring.decoded("DTSTART")
        self.assertEqual(str(start.tzinfo), "Asia/Tokyo")
        self.assertEqual(start.replace(tzinfo=None), dt.datetime(2027, 5, 5, 10, 0))
        text = recurring["RRULE"].to_ical()
        rule = rrulestr(text.decode() if isinstance(text, bytes) else text, dtstart=start)
        self.assertEqual([d.day for d in rule], [5, 12, 19, 26])
        single = events[once.name]
        self.assertNotIn("RRULE", single)
        self.assertEqual(single.decoded("DTSTART").date(), dt.date(2027, 5, 12))
        for event in events.values():
            self.assertRegex(str(event["UID"]), r"^awareness-2027-schedule-\d+@")
            self.assertIn("DTSTAMP", event)
            self.assertRegex(str(event["URL"]), r"/resources/\d+/$")

    def test_the_months_own_items_are_all_day_events_cut_to_may(self) -> None:
        item = make_item(starts_on=dt.date(2027, 4, 20), ends_on=dt.date(2027, 5, 10))
        _body, cal = self.fetch()
        (event,) = cal.walk("VEVENT")
        self.assertEqual(str(event["SUMMARY"]), item.title)
        self.assertEqual(event.decoded("DTSTART"), dt.date(2027, 5, 1))
        self.assertEqual(event.decoded("DTEND"), dt.date(2027, 5, 11))  # exclusive end
        self.assertRegex(str(event["UID"]), rf"^awareness-2027-item-{item.pk}@[\w.-]+$")
        self.assertIn("テスト用の出典", str(event["DESCRIPTION"]))

    def test_a_year_without_data_is_an_empty_valid_calendar(self) -> None:
        body, cal = self.fetch()
        self.assertEqual(cal.walk("VEVENT"), [])
        self.assertTrue(re.search(rb"^BEGIN:VCALENDAR\r\n", body))
