from __future__ import annotations

import datetime as dt
from unittest import mock

from tsunagari.awareness.tests.test_month_page import at
from tsunagari.test import BaseTestCase

BANNER = "5月は孤独・孤立対策強化月間です"


class HomeBannerTest(BaseTestCase):
    def test_it_shows_from_1_april_to_31_may_japan_time(self) -> None:
        for day, shown in (
            (dt.date(2027, 3, 31), False),
            (dt.date(2027, 4, 1), True),
            (dt.date(2027, 5, 31), True),
            (dt.date(2027, 6, 1), False),
        ):
            with self.subTest(day=day), at(day):
                r = self.client.get("/")
                if shown:
                    self.assertContains(r, BANNER)
                    self.assertContains(r, 'href="/awareness-month/2027/"')
                else:
                    self.assertNotContains(r, BANNER)

    def test_the_cached_home_page_turns_the_banner_on_at_midnight_in_japan(self) -> None:
        # 23:59 on 31 March in Tokyo is 14:59 UTC: the page cached then has no banner …
        before = dt.datetime(2027, 3, 31, 14, 59, tzinfo=dt.UTC)
        after = dt.datetime(2027, 3, 31, 15, 0, tzinfo=dt.UTC)  # … 00:00 on 1 April
        with mock.patch("django.utils.timezone.now", return_value=before):
            self.assertNotContains(self.client.get("/"), BANNER)
            self.assertEqual(self.client.get("/").pagecache, "hit")  # type: ignore[attr-defined]
        with mock.patch("django.utils.timezone.now", return_value=after):
            r = self.client.get("/")
            self.assertEqual(r.pagecache, "miss")  # type: ignore[attr-defined]
            self.assertContains(r, BANNER)

    def test_it_is_in_english_and_easy_japanese(self) -> None:
        with at(dt.date(2027, 4, 10)):
            english = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en")
            self.assertContains(english, "May is the month against loneliness and isolation")
            easy = self.client.get("/?wording=easy")
            self.assertContains(easy, "5がつは")
            self.assertContains(easy, "ひとりぼっち")
