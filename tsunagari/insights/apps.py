from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "tsunagari.insights"
    verbose_name = _("可視化")

    def ready(self) -> None:
        from tsunagari.insights import builders, signals  # noqa: F401 (builders fill CHARTS)

        signals.connect()
        self.refresh_pages_on_change()

    @staticmethod
    def refresh_pages_on_change() -> None:
        """The dashboard and the report read these models (the tallied ones bump the family
        when their tallies move, in signals.flush): a change shows on the next request."""
        from tsunagari.cases.models import CaseAdoption, ModelCase
        from tsunagari.collaborations.models import Collaboration, CollaborationParty
        from tsunagari.insights.models import SurveyFigure
        from tsunagari.lib import pagecache
        from tsunagari.matching.models import Need
        from tsunagari.supporters.models import Registration

        pagecache.bump_on_change(
            "insights",
            ModelCase,
            CaseAdoption,
            Collaboration,
            CollaborationParty,
            Need,
            Registration,
            SurveyFigure,
        )
