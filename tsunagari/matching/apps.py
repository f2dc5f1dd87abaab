from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "tsunagari.matching"
    verbose_name = _("ニーズとシーズのマッチング")

    def ready(self) -> None:
        from tsunagari.directory.signals import resources_changed

        resources_changed.connect(embed_after_commit, dispatch_uid="matching-embed-resources")


def embed_after_commit(sender: Any, ids: list[int], **kwargs: Any) -> None:
    """Saved, imported or deleted resources are embedded again by the worker."""
    from django.db import transaction

    from tsunagari.matching.tasks import embed_resources

    transaction.on_commit(lambda: embed_resources.enqueue(list(ids)))
