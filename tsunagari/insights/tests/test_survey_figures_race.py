"""Two secretariat members entering the same year's 県民ニーズ調査 figures at the same moment
(PostgreSQL, real threads): one row and one audit entry; the other sees a clear error."""

from __future__ import annotations

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.insights.models import SurveyFigure
from tsunagari.insights.tests.test_survey_figures import URL, figure_data
from tsunagari.race import Post, RaceTestCase, at_once, make_people


class SurveyFigureRaceTestCase(RaceTestCase):
    def test_the_same_year_at_once_is_entered_once(self) -> None:
        people = make_people(6, "jimukyoku", User.Role.SECRETARIAT)
        outcomes = at_once([Post(u, URL, figure_data()) for u in people])
        self.assertEqual(sorted(o.status for o in outcomes), [302] + [400] * 5)
        self.assertEqual(SurveyFigure.objects.filter(fiscal_year=2024).count(), 1)
        figure = SurveyFigure.objects.get(fiscal_year=2024)
        self.assertEqual(AuditEvent.objects.for_object(figure).count(), 1)
