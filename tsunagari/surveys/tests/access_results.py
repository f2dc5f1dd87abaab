"""Access-matrix rows of this part of surveys (see core/tests/test_access_matrix.py)."""

from __future__ import annotations

from tsunagari.core.tests.test_access_matrix import SECRETARIAT_PAGE, Row, everyone

ROWS: list[Row] = [
    # Aggregates are anonymous and suppressed: public.
    Row("surveys:results", "GET", "/selfcheck/results/", everyone(200)),
    Row("surveys:results", "GET", "/selfcheck/results/?city=142051&age_band=60s", everyone(200)),
    Row("surveys:results", "POST", "/selfcheck/results/", everyone(405)),
    Row("surveys:results_csv", "GET", "/selfcheck/results.csv?fiscal_year=2024", everyone(200)),
    Row("surveys:results_csv", "GET", "/selfcheck/results.csv?city=nothing", everyone(400)),
    Row("surveys:codebook_csv", "GET", "/selfcheck/codebook.csv", everyone(200)),
    # Answers one by one: the secretariat only (audited).
    Row("surveys:responses_csv", "GET", "/surveys/export/responses.csv", SECRETARIAT_PAGE),
    Row(
        "surveys:responses_csv",
        "GET",
        "/surveys/export/responses.csv?city=142051&fiscal_year=2024",
        SECRETARIAT_PAGE,
    ),
    Row("api-v1:selfcheck_aggregates", "GET", "/api/v1/selfcheck/aggregates", everyone(200)),
    Row(
        "api-v1:selfcheck_aggregates",
        "GET",
        "/api/v1/selfcheck/aggregates?city=141011",
        everyone(422),
    ),
    Row("api-v1:selfcheck_aggregates", "POST", "/api/v1/selfcheck/aggregates", everyone(405)),
]
