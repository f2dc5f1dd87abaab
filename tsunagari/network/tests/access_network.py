"""Access-matrix rows of network (see core/tests/test_access_matrix.py)."""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import Row

ROWS: list[Row] = []
