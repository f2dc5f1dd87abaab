"""Access-matrix rows: the roll-out: /rollout/, municipality pages, population figures, /about/.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import Row, everyone

ROWS: list[Row] = [
    Row("rollout:rollout", "GET", "/rollout/", everyone(200)),
]
