"""Which consultation windows and places a person sees first after the self-check: what
fits what they told us (suggestions.fitting_first), never lines for a group they did not
point to."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache

from tsunagari import factory
from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import issue_token
from tsunagari.surveys import suggestions
from tsunagari.surveys.items import Wording
from tsunagari.surveys.suggestions import Person
from tsunagari.test import BaseTestCase

FUJISAWA = "142051"
KOHOKU = "141097"  # 横浜市港北区
PREFECTURE = "140007"

GENERAL_24H = "サンプル いつでも電話"
WOMEN_24H = "サンプル 女性の24時間ダイヤル"
MULTILINGUAL = "サンプル 外国籍の方の相談"
ENGLISH_ONLY = "サンプル English helpline"
VIETNAMESE_ONLY = "サンプル ベトナム語の相談"
FOREIGN = (MULTILINGUAL, ENGLISH_ONLY, VIETNAMESE_ONLY)
YOUTH = "サンプル 若者の相談"
ELDERLY = "サンプル 高齢者の相談"
FUJISAWA_LOCAL = "サンプル 藤沢のこころ相談"
KOHOKU_LOCAL = "サンプル 港北のこころ相談"
PREFECTURE_WIDE = "サンプル 県のこころ相談"
BILINGUAL = "サンプル 日英の相談"


def window(name: str, **fields: Any) -> Any:
    """A published consultation window (a telephone line unless given a municipality)."""
    fields.setdefault("municipality", None)
    fields.setdefault("concerns", ("kokoro",))
    return factory.make_resource(name, kinds=("consultation",), **fields)


class FitTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        window(GENERAL_24H, targets=("everyone",), is_24h=True, phone="0120-000-001")
        window(WOMEN_24H, targets=("josei",), concerns=("dv", "kokoro"), is_24h=True)
        window(MULTILINGUAL, targets=("gaikoku",), languages=("ja", "en", "zh"))
        window(ENGLISH_ONLY, languages=("en",))
        window(VIETNAMESE_ONLY, targets=("gaikoku",), languages=("vi",))
        window(YOUTH, targets=("wakamono",))
        window(ELDERLY, targets=("koreisha",))
        window(FUJISAWA_LOCAL, targets=("everyone",), municipality=FUJISAWA)
        window(KOHOKU_LOCAL, municipality=KOHOKU)
        window(PREFECTURE_WIDE, municipality=None).service_area.set([PREFECTURE])
        window(BILINGUAL, targets=("everyone",), languages=("ja", "en"))

    def names(self, person: Person, *, strong: bool = False, limit: int = 20) -> list[str]:
        return [r.name for r in suggestions.windows(person, strong=strong, limit=limit)]

    def fujisawa(self, **answers: Any) -> Person:
        return Person(Municipality.objects.get(pk=FUJISAWA), **answers)


class GroupTests(FitTestCase):
    def test_unknown_gender_with_strong_answers_gets_no_women_only_line(self) -> None:
        names = self.names(Person(), strong=True)
        self.assertEqual(names[0], GENERAL_24H)
        self.assertNotIn(WOMEN_24H, names)

    def test_japanese_wording_gets_no_foreign_language_line(self) -> None:
        for wording in (Wording.JA, Wording.EASY):
            with self.subTest(wording=wording):
                names = self.names(self.fujisawa(wording=wording))
                self.assertTrue(names)
                self.assertFalse(set(FOREIGN) & set(names), names)
                self.assertIn(BILINGUAL, names)  # it speaks Japanese too, for everyone

    def test_lines_for_another_group_come_when_nothing_else_does(self) -> None:
        window("サンプル 外国語の仕事相談", targets=("gaikoku",), concerns=("shigoto",))
        self.assertEqual(self.names(Person(helps=("work",))), ["サンプル 外国語の仕事相談"])

    def test_english_wording_puts_english_speaking_lines_first(self) -> None:
        names = self.names(self.fujisawa(wording=Wording.EN), strong=True)
        english = {MULTILINGUAL, ENGLISH_ONLY, BILINGUAL}
        self.assertEqual(set(names[:3]), english)
        # Other lines still follow; a line for women is still not offered.
        self.assertIn(FUJISAWA_LOCAL, names)
        self.assertNotIn(WOMEN_24H, names)

    def test_an_age_band_allows_lines_for_that_age(self) -> None:
        for band, allowed, left_out in [
            ("20s", YOUTH, ELDERLY),
            ("16-19", YOUTH, ELDERLY),
            ("70s", ELDERLY, YOUTH),
        ]:
            with self.subTest(band=band):
                names = self.names(Person(age_band=band))
                self.assertIn(allowed, names)
                self.assertNotIn(left_out, names)
        names = self.names(Person(age_band="40s"))
        self.assertNotIn(YOUTH, names)
        self.assertNotIn(ELDERLY, names)

    def test_what_would_help_allows_its_group(self) -> None:
        self.assertNotIn(ELDERLY, self.names(Person(helps=("mind",))))
        self.assertIn(ELDERLY, self.names(Person(helps=("mind", "care"))))

    def test_the_groups_pointed_at_come_only_from_answers(self) -> None:
        self.assertEqual(suggestions.groups_pointed_at(Person()), ())
        self.assertEqual(
            suggestions.groups_pointed_at(Person(age_band="20s", wording=Wording.EN)),
            ("wakamono", "gaikoku"),
        )
        self.assertEqual(
            suggestions.groups_pointed_at(Person(helps=("childcare",))), ("kosodate", "kodomo")
        )


class PlaceAndHoursTests(FitTestCase):
    def test_local_before_remote(self) -> None:
        names = self.names(self.fujisawa())
        self.assertEqual(names[0], FUJISAWA_LOCAL)
        self.assertLess(names.index(FUJISAWA_LOCAL), names.index(PREFECTURE_WIDE))
        self.assertNotIn(KOHOKU_LOCAL, names)  # another city

    def test_a_ward_before_its_city_before_the_prefecture(self) -> None:
        window("サンプル 青葉のこころ相談", municipality="141178")  # 横浜市青葉区
        names = self.names(Person(Municipality.objects.get(pk=KOHOKU)))
        self.assertEqual(names[:2], [KOHOKU_LOCAL, "サンプル 青葉のこころ相談"])
        self.assertNotIn(FUJISAWA_LOCAL, names)

    def test_24_hour_lines_before_others_as_near(self) -> None:
        names = self.names(Person())
        self.assertEqual(names[0], GENERAL_24H)
        # With strong answers 24-hour lines come even before local windows.
        self.assertLess(names.index(GENERAL_24H), names.index(PREFECTURE_WIDE))
        strong = self.names(self.fujisawa(), strong=True)
        self.assertEqual(strong[:2], [GENERAL_24H, FUJISAWA_LOCAL])
        calm = self.names(self.fujisawa())
        self.assertEqual(calm[:2], [FUJISAWA_LOCAL, GENERAL_24H])


class PlacesTests(FitTestCase):
    def test_places_for_another_group_are_left_out_too(self) -> None:
        factory.make_resource("サンプル 日本語教室", targets=("gaikoku",), municipality=FUJISAWA)
        factory.make_resource("サンプル 子育てひろば", targets=("kosodate",), municipality=FUJISAWA)
        factory.make_resource("サンプル 地域の茶の間", targets=("everyone",), municipality=FUJISAWA)
        names = [r.name for r in suggestions.places(self.fujisawa())]
        self.assertEqual(names, ["サンプル 地域の茶の間"])
        english = [r.name for r in suggestions.places(self.fujisawa(wording=Wording.EN))]
        self.assertIn("サンプル 日本語教室", english)
        parent = [r.name for r in suggestions.places(self.fujisawa(helps=("childcare",)))]
        self.assertEqual(parent, ["サンプル 子育てひろば"])


class ResultPageTests(FitTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def post(self, language: str = "ja", **answers: Any) -> str:
        data: dict[str, Any] = {
            "ucla_1": "4",
            "ucla_2": "3",
            "ucla_3": "3",
            "direct": "3",
            "shown_at": issue_token(now=time.time() - 60),
            "homepage": "",
            **answers,
        }
        r = self.client.post("/selfcheck/", data, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(r.status_code, 200)
        return str(r.content.decode())

    def section(self, html: str) -> str:
        return html[html.index('id="windows-heading"') : html.index('id="score-heading"')]

    def test_the_result_page_shows_what_fits_a_japanese_reader(self) -> None:
        windows = self.section(self.post(municipality=FUJISAWA))
        self.assertLess(windows.index(GENERAL_24H), windows.index(FUJISAWA_LOCAL))
        for name in (WOMEN_24H, *FOREIGN, YOUTH, ELDERLY):
            self.assertNotIn(name, windows)

    def test_an_english_reader_sees_english_speaking_lines_first(self) -> None:
        windows = self.section(self.post("en", age_band="20s"))
        first = windows.index('class="window-card"')
        self.assertTrue(
            any(windows.find(name, first) < windows.find(GENERAL_24H) for name in FOREIGN)
        )
        self.assertNotIn(WOMEN_24H, windows)

    def test_the_result_takes_as_many_queries_however_the_person_answered(self) -> None:
        factory.make_resource("サンプル 地域の茶の間", targets=("everyone",), municipality=None)
        # The municipality (1); the response, its tally, its monthly roll-up and help tally
        # in a transaction (6); places and windows, each with kinds, places and schedules
        # (4 + 4); the crisis block (1).
        with self.assertNumQueries(16):
            self.post(municipality=FUJISAWA, helps=["mind"])
        with self.assertNumQueries(16):
            self.post("en", municipality=KOHOKU, age_band="20s", helps=["mind"])
