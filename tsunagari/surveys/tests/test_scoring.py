"""Scoring is exactly the national survey's: every boundary and every kind of bad answer."""

from __future__ import annotations

import itertools
from typing import Any

from django.test import SimpleTestCase

from tsunagari.surveys import scoring
from tsunagari.surveys.scoring import Band, ScoreError, band_of, score

# The bands of 厚生労働白書 令和5年版 図表1-3-10, written out score by score.
EXPECTED_BANDS = {
    3: Band.NEVER,
    4: Band.HARDLY,
    5: Band.HARDLY,
    6: Band.HARDLY,
    7: Band.SOMETIMES,
    8: Band.SOMETIMES,
    9: Band.SOMETIMES,
    10: Band.ALWAYS,
    11: Band.ALWAYS,
    12: Band.ALWAYS,
}


class IndirectScoreTests(SimpleTestCase):
    def test_every_score_from_3_to_12_falls_in_the_survey_band(self) -> None:
        for total, band in EXPECTED_BANDS.items():
            with self.subTest(score=total):
                self.assertEqual(band_of(total), band)

    def test_the_band_edges(self) -> None:
        edges = {
            (1, 1, 1): (3, Band.NEVER),
            (2, 1, 1): (4, Band.HARDLY),
            (2, 2, 2): (6, Band.HARDLY),
            (3, 2, 2): (7, Band.SOMETIMES),
            (3, 3, 3): (9, Band.SOMETIMES),
            (4, 3, 3): (10, Band.ALWAYS),
            (4, 4, 4): (12, Band.ALWAYS),
        }
        for answers, (total, band) in edges.items():
            with self.subTest(answers=answers):
                result = score(list(answers), 1)
                self.assertEqual(result.indirect_score, total)
                self.assertEqual(result.indirect_band, band)

    def test_every_combination_of_answers_scores_its_sum(self) -> None:
        for answers in itertools.product(range(1, 5), repeat=3):
            result = score(list(answers), 1)
            self.assertEqual(result.indirect_score, sum(answers))
            self.assertEqual(result.indirect_band, EXPECTED_BANDS[sum(answers)])
            # "Feels lonely" in the survey: 7–12.
            self.assertEqual(result.indirect_lonely, sum(answers) >= 7)

    def test_the_order_of_the_answers_does_not_change_the_score(self) -> None:
        self.assertEqual(score([4, 1, 2], 1).as_json(), score([2, 4, 1], 1).as_json())

    def test_scores_outside_3_to_12_have_no_band(self) -> None:
        for total in (2, 13, 0, -1):
            with self.subTest(score=total), self.assertRaises(ScoreError):
                band_of(total)


class DirectQuestionTests(SimpleTestCase):
    def test_lonely_starts_at_3_tamani_aru(self) -> None:
        expected = {1: False, 2: False, 3: True, 4: True, 5: True}
        for direct, lonely in expected.items():
            with self.subTest(direct=direct):
                self.assertIs(score([1, 1, 1], direct).direct_lonely, lonely)

    def test_the_level_is_reported_as_answered(self) -> None:
        for direct in range(1, 6):
            self.assertEqual(score([1, 1, 1], direct).as_json()["direct_level"], direct)


class StrongTests(SimpleTestCase):
    def test_strong_at_direct_5_whatever_the_score(self) -> None:
        self.assertTrue(score([1, 1, 1], 5).strong)
        self.assertFalse(score([1, 1, 1], 4).strong)

    def test_strong_from_an_indirect_score_of_10(self) -> None:
        self.assertFalse(score([3, 3, 3], 1).strong)  # 9
        self.assertTrue(score([4, 3, 3], 1).strong)  # 10
        self.assertTrue(score([4, 4, 4], 1).strong)  # 12

    def test_every_combination_is_strong_exactly_when_direct_5_or_score_10_or_more(self) -> None:
        for a, b, c, d in itertools.product(range(1, 5), range(1, 5), range(1, 5), range(1, 6)):
            self.assertEqual(score([a, b, c], d).strong, d == 5 or a + b + c >= 10)


class AsJsonTests(SimpleTestCase):
    def test_it_has_exactly_the_four_public_fields(self) -> None:
        self.assertEqual(
            score([2, 3, 2], 3).as_json(),
            {
                "indirect_score": 7,
                "indirect_band": "sometimes",
                "direct_level": 3,
                "direct_lonely": True,
            },
        )


class InvalidAnswerTests(SimpleTestCase):
    def assert_problem(self, indirect: Any, direct: Any, field: str) -> None:
        with self.assertRaises(ScoreError) as caught:
            score(indirect, direct)
        self.assertIn(field, caught.exception.problems)

    def test_each_indirect_answer_must_be_1_to_4(self) -> None:
        for bad in (0, 5, -1, 100):
            for position in range(3):
                answers: list[Any] = [2, 2, 2]
                answers[position] = bad
                with self.subTest(value=bad, position=position):
                    self.assert_problem(answers, 1, f"indirect[{position}]")

    def test_the_direct_answer_must_be_1_to_5(self) -> None:
        for bad in (0, 6, -1):
            with self.subTest(value=bad):
                self.assert_problem([1, 1, 1], bad, "direct")

    def test_booleans_floats_strings_and_none_are_not_answers(self) -> None:
        for bad in (True, False, 2.0, 2.5, "2", "２", None, [2], {"v": 2}):
            with self.subTest(value=bad):
                self.assert_problem([bad, 2, 2], 1, "indirect[0]")
                self.assert_problem([2, 2, 2], bad, "direct")

    def test_there_must_be_exactly_three_indirect_answers(self) -> None:
        for bad in ([], [1], [1, 2], [1, 2, 3, 4], None, "123", 6, (1, 2), {"a": 1}):
            with self.subTest(value=bad):
                self.assert_problem(bad, 1, "indirect")

    def test_a_tuple_of_three_is_accepted(self) -> None:
        self.assertEqual(score((1, 2, 3), 2).indirect_score, 6)

    def test_missing_answers_are_named(self) -> None:
        with self.assertRaises(ScoreError) as caught:
            score(None, None)
        self.assertEqual(set(caught.exception.problems), {"indirect", "direct"})

    def test_every_bad_answer_is_named_at_once(self) -> None:
        with self.assertRaises(ScoreError) as caught:
            score([0, 2, 9], 7)
        self.assertEqual(set(caught.exception.problems), {"indirect[0]", "indirect[2]", "direct"})

    def test_the_scale_version_is_the_national_surveys(self) -> None:
        self.assertEqual(scoring.SCALE_VERSION, "naikakufu-2021")
