from __future__ import annotations

from collections import Counter

from django.test import TestCase
from django.utils import translation

from tsunagari.geo.models import Municipality


def check_digit(code: str) -> int:
    """The sixth digit of a 全国地方公共団体コード, as the Ministry defines it: weight the
    first five digits 6, 5, 4, 3, 2, take the sum modulo 11, subtract from 11 and keep
    the last digit (a sum that divides by 11 gives 1)."""
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


class MunicipalityDataTestCase(TestCase):
    def test_the_check_digit_function_agrees_with_known_codes(self) -> None:
        # Published codes: 横浜市 141003, 藤沢市 142051, 清川村 144029, 東京都 130001.
        for code in ("141003", "142051", "144029", "130001"):
            self.assertEqual(check_digit(code), int(code[5]), code)
        self.assertNotEqual(check_digit("141004"), 4)

    def test_it_loaded_the_prefecture_and_its_municipalities_and_wards(self) -> None:
        kinds = Counter(Municipality.objects.values_list("kind", flat=True))
        self.assertEqual(
            kinds,
            {
                "prefecture": 1,
                "designated_city": 3,
                "city": 16,
                "town": 13,
                "village": 1,
                "ward": 28,
            },
        )
        self.assertEqual(Municipality.objects.municipalities().count(), 33)
        self.assertEqual(Municipality.objects.selectable().count(), 33 + 28)
        self.assertEqual(Municipality.objects.get(kind="prefecture").name, "神奈川県")

    def test_the_designated_cities_are_yokohama_kawasaki_and_sagamihara(self) -> None:
        cities = Municipality.objects.filter(kind="designated_city")
        self.assertEqual(
            {c.name: c.wards.count() for c in cities},
            {"横浜市": 18, "川崎市": 7, "相模原市": 3},
        )

    def test_each_ward_belongs_to_its_designated_city(self) -> None:
        wards = Municipality.objects.filter(kind="ward").select_related("parent")
        for ward in wards:
            with self.subTest(ward=ward.name):
                assert ward.parent is not None
                self.assertEqual(ward.parent.kind, "designated_city")
                self.assertTrue(ward.name.startswith(ward.parent.name))

    def test_only_wards_have_a_parent(self) -> None:
        self.assertFalse(Municipality.objects.exclude(kind="ward").filter(parent__isnull=False))

    def test_every_code_passes_the_check_digit(self) -> None:
        for code in Municipality.objects.values_list("code", flat=True):
            with self.subTest(code=code):
                self.assertRegex(code, r"^14\d{4}$")
                self.assertEqual(check_digit(code), int(code[5]))

    def test_a_ward_has_a_short_name_without_its_city(self) -> None:
        self.assertEqual(Municipality.objects.get(name="横浜市港北区").short_name, "港北区")
        self.assertEqual(Municipality.objects.get(name="相模原市中央区").short_name, "中央区")

    def test_other_places_keep_their_name_as_short_name(self) -> None:
        # 市 inside a name that is not a ward (e.g. a city) must not be cut.
        for name in ("横浜市", "藤沢市", "清川村", "神奈川県"):
            with self.subTest(name=name):
                self.assertEqual(Municipality.objects.get(name=name).short_name, name)


class MunicipalityLabelTestCase(TestCase):
    """Names in the reader's language, from data/kanagawa_municipalities_en.csv."""

    def test_every_place_has_an_english_name(self) -> None:
        self.assertFalse(Municipality.objects.filter(name_en="").exists())

    def test_the_label_follows_the_active_language(self) -> None:
        kohoku = Municipality.objects.get(code="141097")
        with translation.override("ja"):
            self.assertEqual(kohoku.label, "横浜市港北区")
            self.assertEqual(kohoku.whole_label, "横浜市港北区全域")
        with translation.override("en"):
            self.assertEqual(kohoku.label, "Kohoku Ward, Yokohama")
            self.assertEqual(Municipality.objects.get(code="141003").whole_label, "All of Yokohama")

    def test_the_short_name_for_matching_data_stays_japanese(self) -> None:
        with translation.override("en"):
            self.assertEqual(Municipality.objects.get(code="141097").short_name, "港北区")
