"""The engine in the web app: suggestions stored for a need, needs waiting for a seed."""

from __future__ import annotations

from typing import Any

from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.factory import make_resource
from tsunagari.matching import embeddings, engine
from tsunagari.matching.models import Need, SeedEmbedding, Suggestion
from tsunagari.matching.tasks import store_resource_embedding
from tsunagari.test import BaseTestCase


def make_need(title: str, description: str = "", **fields: Any) -> Need:
    targets = fields.pop("targets", ())
    kinds = fields.pop("kinds", ())
    need = Need.objects.create(title=title, description=description or title, **fields)
    need.target_groups.set(TargetGroup.objects.filter(slug__in=targets))
    need.kinds_wanted.set(Kind.objects.filter(slug__in=kinds))
    return need


class ComputeSuggestionsTest(BaseTestCase):
    def setUp(self) -> None:
        engine.clear_cache()
        self.hiroba = make_resource(
            "サンプル 週末の親子ひろば",
            description="毎週土曜日に親子で遊べる居場所です。",
            municipality="141097",
            targets=("kosodate",),
            schedules=({"frequency": "weekly", "weekdays": "6"},),
        )
        self.salon = make_resource(
            "サンプル 高齢者のお茶会",
            description="ひとり暮らしの高齢者が集うお茶会です。",
            municipality="142051",
            targets=("koreisha",),
        )
        self.draft = make_resource(
            "サンプル 下書きの親子ひろば", description="親子で遊べる。", status="draft"
        )
        for resource in (self.hiroba, self.salon):
            store_resource_embedding(resource.pk)
        self.need = make_need(
            "週末に親子で参加できる場がほしい",
            "土日に子どもと一緒に行ける場所を探しています。",
            organization=self.organization,
            municipality_id="141178",
            targets=("kosodate",),
            kinds=("ibasho",),
        )

    def test_it_ranks_published_seeds_with_japanese_reasons(self) -> None:
        suggestions = engine.compute_suggestions(self.need)
        self.assertEqual(suggestions[0].resource, self.hiroba)
        self.assertNotIn(self.draft, [s.resource for s in suggestions])
        reasons = suggestions[0].reasons
        self.assertEqual(
            reasons[:4], ["同じ市内", "対象: 子育て世帯", "種類: 居場所", "土日に開いている"]
        )
        self.assertIn("「親子」", reasons[4])
        self.assertIn("「週末」", reasons[4])
        self.assertTrue(reasons[4].endswith("が一致"))
        stored = list(self.need.suggestions.values_list("resource_id", "rank"))
        self.assertEqual(stored[0], (self.hiroba.pk, 1))
        self.need.refresh_from_db()
        self.assertIsNotNone(self.need.suggestions_computed_at)
        self.assertIsNotNone(self.need.vector())

    def test_bookmarked_and_dismissed_suggestions_keep_their_state(self) -> None:
        engine.compute_suggestions(self.need)
        Suggestion.objects.filter(resource=self.hiroba).update(state="bookmarked")
        Suggestion.objects.filter(resource=self.salon).update(state="dismissed")
        engine.compute_suggestions(self.need)
        states = dict(self.need.suggestions.values_list("resource_id", "state"))
        self.assertEqual(states, {self.hiroba.pk: "bookmarked", self.salon.pk: "dismissed"})

    def test_a_new_seed_appears_after_the_cache_notices_it(self) -> None:
        engine.compute_suggestions(self.need)
        newcomer = make_resource(
            "サンプル 親子の週末カフェ",
            description="日曜日に親子で参加できるカフェ。",
            municipality="141178",
            targets=("kosodate",),
            kinds=("ibasho",),
        )
        # Not embedded yet: ranked on words and structure alone.
        ranked = [s.resource for s in engine.compute_suggestions(self.need)]
        self.assertIn(newcomer, ranked)
        self.assertFalse(SeedEmbedding.objects.filter(resource=newcomer).exists())

    def test_the_corpus_is_cached_until_something_changes(self) -> None:
        engine.published_corpus()
        with self.assertNumQueries(1):  # the corpus version
            engine.published_corpus()
        self.salon.unpublish(by=self.secretariat, reason="終了")
        self.assertEqual(engine.published_corpus().seed_ids(), [self.hiroba.pk])

    def test_needs_for_resource_lists_open_needs_ranking_the_seed(self) -> None:
        closed = make_need("親子で週末に行ける場", status=Need.Status.CLOSED)
        engine.compute_suggestions(self.need)
        engine.compute_suggestions(closed)
        found = engine.needs_for_resource(self.hiroba)
        self.assertEqual([n for n, _score, _reasons in found], [self.need])
        self.assertIn("同じ市内", found[0][2])
        Suggestion.objects.filter(resource=self.hiroba).update(state="dismissed")
        self.assertEqual(engine.needs_for_resource(self.hiroba), [])


class EmbeddingStorageTest(BaseTestCase):
    def test_a_resource_embedding_round_trips_and_is_skipped_when_unchanged(self) -> None:
        resource = make_resource("サンプル 日本語教室", description="外国籍の方の日本語教室")
        self.assertTrue(store_resource_embedding(resource.pk))
        stored = SeedEmbedding.objects.get(resource=resource)
        expected = embeddings.embed_one(engine.resource_text(resource))
        self.assertEqual(stored.array().dtype.name, "float32")
        self.assertAlmostEqual(float(stored.array() @ expected), 1.0, places=5)
        self.assertEqual(stored.text_hash, embeddings.text_hash(engine.resource_text(resource)))
        self.assertFalse(store_resource_embedding(resource.pk))
        resource.description = "外国籍の方の日本語教室。夜に開きます。"
        resource.save()
        self.assertTrue(store_resource_embedding(resource.pk))
