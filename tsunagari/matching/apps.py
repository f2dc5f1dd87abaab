from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "tsunagari.matching"
    verbose_name = _("ニーズとシーズのマッチング")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tsunagari.directory.models import Resource
        from tsunagari.directory.signals import resources_changed
        from tsunagari.matching.models import SeedEmbedding

        resources_changed.connect(embed_after_commit, dispatch_uid="matching-embed-resources")
        resources_changed.connect(seeds_changed, dispatch_uid="matching-seeds-changed")
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(resource_saved, sender=Resource, dispatch_uid=f"matching-{name}")
            signal.connect(embedding_saved, sender=SeedEmbedding, dispatch_uid=f"matching-e{name}")


def embed_after_commit(sender: Any, ids: list[int], **kwargs: Any) -> None:
    """Saved, imported or deleted resources are embedded again by the worker."""
    from django.db import transaction

    from tsunagari.matching.tasks import embed_resources

    transaction.on_commit(lambda: embed_resources.enqueue(list(ids)))


# The seed store (store.py) notices a change through the corpus version, bumped in the
# transaction that makes it: a resource saved or deleted (also by a model method), its
# places, schedules or terms reindexed, its embedding stored.


def seeds_changed(sender: Any, ids: list[int], **kwargs: Any) -> None:
    from tsunagari.matching import store

    store.bump(ids)


def resource_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        from tsunagari.matching import store

        store.bump([instance.pk])


def embedding_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        from tsunagari.matching import store

        store.bump([instance.resource_id])
