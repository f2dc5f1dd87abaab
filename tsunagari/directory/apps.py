from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tsunagari.directory"
    verbose_name = _("社会資源")

    def ready(self) -> None:
        from tsunagari.directory import (
            checks,  # noqa: F401  (registers the system checks)
            models,
        )
        from tsunagari.lib import pagecache

        # Anonymous pages showing resources (search, detail, the API); search.reindex()
        # bumps too, after its bulk writes to the index.
        pagecache.bump_on_change(
            "directory",
            models.Resource,
            models.Location,
            models.Schedule,
            models.Kind,
            models.TargetGroup,
            models.Concern,
            models.Language,
            models.AccessibilityFeature,
        )
