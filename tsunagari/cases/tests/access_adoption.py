"""Access-matrix rows: adoption of model cases, the recipe PDF and the JSON export.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import Row, everyone  # noqa: F401

ROWS: list[Row] = []
