from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tsunagari.directory"
    verbose_name = _("社会資源")

    def ready(self) -> None:
        from tsunagari.directory import checks  # noqa: F401  (registers the system checks)
