"""Disclosure control (秘匿) for published counts of people.

A count of people under MIN_CELL is never shown: it is shown as SUPPRESSED_TEXT (the
self-check aggregates, the supporters' figures). Where a table also shows the total of a
line (a row or a column), one hidden cell could be worked out by subtracting the others
from the total, so `protect` hides a second cell in that line as well (complementary
suppression), or the total when there is no other cell to hide.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

MIN_CELL = 10  # the smallest count ever shown
SUPPRESSED_TEXT = "<10"  # what a suppressed count shows (a hidden share shows the same)


def is_small(n: int) -> bool:
    """A count that must not be shown: 1 to MIN_CELL − 1 (0 is shown)."""
    return 0 < n < MIN_CELL


@dataclass
class Protected[R: Hashable, C: Hashable]:
    """Which cells and totals of a table are hidden."""

    cells: dict[tuple[R, C], int]
    hidden: set[tuple[R, C]] = field(default_factory=set)
    hidden_row_totals: set[R] = field(default_factory=set)
    hidden_column_totals: set[C] = field(default_factory=set)

    def cell(self, row: R, column: C) -> int | None:
        """The count to publish, or None when it is hidden."""
        if (row, column) in self.hidden:
            return None
        return self.cells.get((row, column), 0)

    def row_total(self, row: R) -> int | None:
        if row in self.hidden_row_totals:
            return None
        return sum(n for (r, _c), n in self.cells.items() if r == row)

    def column_total(self, column: C) -> int | None:
        if column in self.hidden_column_totals:
            return None
        return sum(n for (_r, c), n in self.cells.items() if c == column)


def protect[R: Hashable, C: Hashable](
    cells: Mapping[tuple[R, C], int],
    rows: Iterable[R],
    columns: Iterable[C],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
) -> Protected[R, C]:
    """Hide the small cells of a table and enough others that none can be recovered.

    1. Every cell (and every shown total) from 1 to MIN_CELL − 1 is hidden.
    2. In a line whose total is shown, a single hidden cell is joined by the smallest
       other non-zero cell of the line; when there is none (hiding a 0 would not hide
       anything: the reader would guess it), the total is hidden. This repeats until
       no line has a single hidden cell, as hiding a cell for one line can leave a
       single one in a crossing line.
    """
    rows, columns = list(rows), list(columns)
    table = {(r, c): int(cells.get((r, c), 0)) for r in rows for c in columns}
    result: Protected[R, C] = Protected(cells=table)
    result.hidden = {key for key, n in table.items() if is_small(n)}
    lines: list[tuple[str, Hashable, list[tuple[R, C]]]] = []
    if row_totals:
        lines += [("row", r, [(r, c) for c in columns]) for r in rows]
    if column_totals:
        lines += [("column", c, [(r, c) for r in rows]) for c in columns]
    for kind, line, keys in lines:
        if is_small(sum(table[k] for k in keys)):
            (result.hidden_row_totals if kind == "row" else result.hidden_column_totals).add(
                line  # type: ignore[arg-type]
            )
    changed = True
    while changed:
        changed = False
        for kind, line, keys in lines:
            totals = result.hidden_row_totals if kind == "row" else result.hidden_column_totals
            if line in totals:
                continue
            hidden = [k for k in keys if k in result.hidden]
            if len(hidden) != 1:
                continue
            others = [k for k in keys if k not in result.hidden and table[k] > 0]
            if others:
                result.hidden.add(min(others, key=lambda k: table[k]))
            else:
                totals.add(line)  # type: ignore[arg-type]
            changed = True
    return result
