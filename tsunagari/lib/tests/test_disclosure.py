"""Small-count suppression with complementary suppression (lib/disclosure.py)."""

from __future__ import annotations

from django.test import SimpleTestCase

from tsunagari.lib.disclosure import MIN_CELL, SUPPRESSED_TEXT, protect


def column(values: dict[str, int]) -> dict[tuple[str, str], int]:
    return {(row, "n"): n for row, n in values.items()}


class ProtectTest(SimpleTestCase):
    def test_the_threshold_is_the_self_checks(self) -> None:
        self.assertEqual((MIN_CELL, SUPPRESSED_TEXT), (10, "<10"))

    def test_counts_under_the_threshold_are_hidden_and_zero_is_shown(self) -> None:
        table = protect(column({"a": 0, "b": 9, "c": 10}), "abc", ["n"])
        self.assertEqual([table.cell(r, "n") for r in "abc"], [0, None, 10])

    def test_a_lone_hidden_cell_takes_the_smallest_other_with_it_when_the_total_shows(
        self,
    ) -> None:
        table = protect(
            column({"a": 5, "b": 40, "c": 12, "d": 0}), "abcd", ["n"], column_totals=True
        )
        self.assertEqual([table.cell(r, "n") for r in "abcd"], [None, 40, None, 0])
        self.assertEqual(table.column_total("n"), 57)

    def test_without_a_total_one_hidden_cell_is_enough(self) -> None:
        table = protect(column({"a": 5, "b": 40, "c": 12}), "abc", ["n"])
        self.assertEqual([table.cell(r, "n") for r in "abc"], [None, 40, 12])

    def test_with_nothing_else_to_hide_the_total_is_hidden(self) -> None:
        table = protect(column({"a": 5, "b": 0, "c": 30}), "ab", ["n"], column_totals=True)
        self.assertEqual([table.cell(r, "n") for r in "ab"], [None, 0])
        self.assertIsNone(table.column_total("n"))

    def test_a_small_total_is_hidden(self) -> None:
        table = protect(column({"a": 4, "b": 3}), "ab", ["n"], column_totals=True)
        self.assertIsNone(table.column_total("n"))

    def test_two_hidden_cells_need_no_more(self) -> None:
        table = protect(column({"a": 5, "b": 3, "c": 30}), "abc", ["n"], column_totals=True)
        self.assertEqual([table.cell(r, "n") for r in "abc"], [None, None, 30])
        self.assertEqual(table.column_total("n"), 38)

    def test_hiding_for_a_row_can_need_more_hiding_in_a_column(self) -> None:
        cells = {("r1", "x"): 5, ("r1", "y"): 20, ("r2", "x"): 30, ("r2", "y"): 40}
        table = protect(cells, ["r1", "r2"], ["x", "y"], row_totals=True, column_totals=True)
        # Every line with a hidden cell has at least two, so none can be subtracted out.
        for line in (
            [("r1", "x"), ("r1", "y")],
            [("r2", "x"), ("r2", "y")],
            [("r1", "x"), ("r2", "x")],
            [("r1", "y"), ("r2", "y")],
        ):
            hidden = [key for key in line if key in table.hidden]
            self.assertNotEqual(len(hidden), 1, line)
        self.assertIsNone(table.cell("r1", "x"))
