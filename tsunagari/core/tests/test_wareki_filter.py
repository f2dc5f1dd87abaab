from __future__ import annotations

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation


def render(template: str, **context: object) -> str:
    return Template(template).render(Context(context))


class WarekiFilterTestCase(SimpleTestCase):
    def test_it_renders_the_first_year_of_an_era_as_gannen_in_japanese(self) -> None:
        with translation.override("ja"):
            self.assertEqual(render("{{ d|wareki }}", d=date(2019, 5, 1)), "令和元年5月1日")

    def test_it_renders_the_last_day_of_heisei(self) -> None:
        with translation.override("ja"):
            self.assertEqual(render("{{ d|wareki }}", d=date(2019, 4, 30)), "平成31年4月30日")

    def test_it_renders_a_gregorian_date_in_english(self) -> None:
        with translation.override("en"):
            self.assertEqual(render("{{ d|wareki }}", d=date(2019, 5, 1)), "1 May 2019")
            self.assertEqual(render("{{ d|wareki }}", d=date(2025, 7, 30)), "30 July 2025")

    def test_a_datetime_is_shown_on_its_day_in_japan(self) -> None:
        # 2019-04-30 15:30 UTC is already 1 May 00:30 in Tokyo: the first day of 令和.
        moment = datetime(2019, 4, 30, 15, 30, tzinfo=UTC)
        with translation.override("ja"):
            self.assertEqual(render("{{ d|wareki }}", d=moment), "令和元年5月1日")
            self.assertEqual(render("{{ d|wareki_datetime }}", d=moment), "令和元年5月1日 00:30")
        with translation.override("en"):
            self.assertEqual(render("{{ d|wareki_datetime }}", d=moment), "1 May 2019 00:30")

    def test_nothing_renders_as_empty(self) -> None:
        with translation.override("ja"):
            self.assertEqual(render("[{{ d|wareki }}][{{ d|wareki_datetime }}]", d=None), "[][]")

    def test_the_filters_need_no_load_tag(self) -> None:
        # They are builtins (settings.TEMPLATES), so every template may use them.
        with translation.override("ja"):
            self.assertEqual(render("{{ d|wareki }}", d=date(2025, 7, 30)), "令和7年7月30日")
