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

# The staff views, the annual report and the 県民ニーズ調査 figures (report helper).
from tsunagari.core.tests.test_access_matrix import (  # noqa: E402
    LOGIN,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
)


def _survey_posted(t: object, url: str) -> dict[str, str]:
    from tsunagari.insights.models import SurveyFigure

    year = 2030 + SurveyFigure.objects.count()  # a fresh year for every persona's POST
    return {
        "fiscal_year": str(year),
        "fully": "2.0",
        "fairly": "9.4",
        "neutral": "30.0",
        "hardly": "35.0",
        "not_at_all": "20.0",
        "unknown": "3.0",
        "no_answer": "0.6",
        "respondents": "",
        "source_name": "【テスト】県民ニーズ調査",
        "source_url": "",
    }


ROWS += [
    Row("insights:staff_dashboard", "GET", "/visible/staff/", SECRETARIAT_PAGE),
    Row("insights:staff_dashboard", "GET", "/visible/staff/?fiscal_year=2025", SECRETARIAT_PAGE),
    Row(
        "insights:municipality",
        "GET",
        "/visible/municipality/",
        (LOGIN, 403, 403, 200, 200),
        note="officers see their own municipality; the secretariat any",
    ),
    Row(
        "insights:municipality",
        "GET",
        "/visible/municipality/?municipality=141003",
        (LOGIN, 403, 403, 200, 200),
        note="an officer asking for another municipality gets their own",
    ),
    Row("insights:report", "GET", "/visible/report/2025.pdf", everyone(200)),
    Row("insights:report", "GET", "/visible/report/2019.pdf", everyone(404)),
    Row("insights:survey_figures", "GET", "/secretariat/visible/survey/", SECRETARIAT_PAGE),
    Row(
        "insights:survey_figures",
        "POST",
        "/secretariat/visible/survey/",
        SECRETARIAT_POST,
        data=_survey_posted,
    ),
]
