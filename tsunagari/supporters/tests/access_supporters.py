"""Access-matrix rows of supporters (see core/tests/test_access_matrix.py)."""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import Row
from tsunagari.supporters.tests import access_completion

ROWS: list[Row] = [*access_completion.ROWS]
