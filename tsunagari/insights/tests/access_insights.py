"""Access-matrix rows: the dashboard, its charts, CSV, API and the annual report.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import Row, everyone

ROWS: list[Row] = [
    Row("insights:dashboard", "GET", "/visible/", everyone(200)),
    Row(
        "insights:dashboard", "GET", "/visible/?municipality=142051&fiscal_year=2025", everyone(200)
    ),
    Row("insights:dashboard", "GET", "/visible/?municipality=999999", everyone(400)),
    Row("insights:chart_csv", "GET", "/visible/resources.csv", everyone(200)),
    Row("insights:chart_csv", "GET", "/visible/nothing.csv", everyone(404)),
    Row("insights:chart_csv", "GET", "/visible/cases.csv?fiscal_year=1999", everyone(400)),
    Row("api-v1:list_charts", "GET", "/api/v1/visible", everyone(200)),
    Row("api-v1:visible_chart", "GET", "/api/v1/visible/kenmin-kpi", everyone(200)),
    Row("api-v1:visible_chart", "GET", "/api/v1/visible/nothing", everyone(404)),
    Row("api-v1:visible_chart", "GET", "/api/v1/visible/cases?municipality=1", everyone(422)),
]
