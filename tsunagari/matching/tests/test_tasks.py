"""The engine's background tasks, run by the real task worker."""

from __future__ import annotations

from tsunagari.factory import make_resource
from tsunagari.matching import engine
from tsunagari.matching.models import SeedEmbedding
from tsunagari.matching.tasks import embed_need, embed_resource, refresh_need
from tsunagari.matching.tests.test_engine_suggestions import make_need
from tsunagari.test import BaseTestCase


class TasksTest(BaseTestCase):
    def setUp(self) -> None:
        engine.clear_cache()

    def test_refresh_need_embeds_the_need_and_stores_suggestions(self) -> None:
        resource = make_resource(
            "サンプル ひきこもりの若者のフリースペース",
            description="人と話さなくても過ごせる若者の居場所。",
            targets=("hikikomori", "wakamono"),
        )
        need = make_need(
            "家以外で安心して過ごせる場所がほしい若者",
            municipality_id="142051",
            targets=("hikikomori",),
        )
        refresh_need.enqueue(need.pk)
        self.assertEqual(self.run_tasks(), 1)
        need.refresh_from_db()
        self.assertIsNotNone(need.vector())
        suggestion = need.suggestions.get()
        self.assertEqual(suggestion.resource, resource)
        self.assertIn("同じ市町村", suggestion.reasons)
        self.assertIn("対象: ひきこもり", suggestion.reasons)

    def test_embed_need_stores_the_vector(self) -> None:
        need = make_need("外国籍の単身者が入居できる住まいが見つからない")
        embed_need.enqueue(need.pk)
        self.run_tasks()
        need.refresh_from_db()
        vector = need.vector()
        assert vector is not None
        self.assertEqual(vector.shape, (512,))

    def test_embed_resource_runs_in_the_worker_and_skips_unchanged_text(self) -> None:
        resource = make_resource("サンプル 子ども食堂")
        embed_resource.enqueue(resource.pk)
        self.run_tasks()
        first = SeedEmbedding.objects.get(resource=resource)
        embed_resource.enqueue(resource.pk)
        self.run_tasks()
        self.assertEqual(SeedEmbedding.objects.get(resource=resource).updated_at, first.updated_at)

    def test_tasks_for_deleted_rows_do_nothing(self) -> None:
        refresh_need.enqueue(999_999)
        embed_resource.enqueue(999_999)
        self.assertEqual(self.run_tasks(), 2)
