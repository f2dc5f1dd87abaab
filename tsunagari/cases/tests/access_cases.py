"""Access-matrix rows: the model-case library: writing, review, publishing.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import Row, everyone

ROWS: list[Row] = [
    Row("cases:case_list", "GET", "/cases/", everyone(200)),
    Row("cases:case_detail", "GET", "/cases/999999/", everyone(404)),
]
