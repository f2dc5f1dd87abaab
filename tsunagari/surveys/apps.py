from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "tsunagari.surveys"
    verbose_name = _("孤独感のセルフチェックと調査")

    def ready(self) -> None:
        from tsunagari.lib import pagecache
        from tsunagari.surveys import checks  # noqa: F401  (registers the system checks)
        from tsunagari.surveys.models import SelfCheckResponse

        # The public results page: a stored or taken back response changes the tallies
        # (services.rebuild_tallies bumps after its bulk rewrite).
        pagecache.bump_on_change("surveys", SelfCheckResponse)
