"""A resource saved anywhere in the directory reaches the engine: the worker embeds it."""

from __future__ import annotations

from tsunagari.directory import search
from tsunagari.factory import make_resource
from tsunagari.matching.models import SeedEmbedding
from tsunagari.test import BaseTestCase


class ResourceEmbeddingHookTestCase(BaseTestCase):
    def test_a_reindexed_resource_is_embedded_by_the_worker(self) -> None:
        resource = make_resource("サンプル 親子ひろば", targets=("kosodate",))
        with self.captureOnCommitCallbacks(execute=True):
            search.reindex(resource)
        self.assertFalse(SeedEmbedding.objects.exists())  # nothing in the request itself
        self.run_tasks()
        embedding = SeedEmbedding.objects.get(resource=resource)
        self.assertEqual(embedding.array().shape, (512,))

    def test_an_unchanged_resource_is_not_embedded_again(self) -> None:
        resource = make_resource("サンプル 親子ひろば")
        with self.captureOnCommitCallbacks(execute=True):
            search.reindex(resource)
        self.run_tasks()
        first = SeedEmbedding.objects.get(resource=resource).updated_at
        with self.captureOnCommitCallbacks(execute=True):
            search.reindex(resource)
        self.run_tasks()
        self.assertEqual(SeedEmbedding.objects.get(resource=resource).updated_at, first)
