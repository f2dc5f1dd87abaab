"""Access-matrix rows: the dashboard, its charts, CSV, API and the annual report.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import Row, everyone

ROWS: list[Row] = [
    Row("insights:dashboard", "GET", "/visible/", everyone(200)),
]
