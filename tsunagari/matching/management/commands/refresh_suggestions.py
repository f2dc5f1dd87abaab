"""Embed what is missing or changed, then recompute every open need's suggestions.

    python manage.py refresh_suggestions [--embed-only]

A nightly job (and the first run after loading data): seeds whose text changed since their
embedding are embedded in batches, needs without an embedding too, and the suggestions of
every open need are recomputed (bookmarked and dismissed ones keep their state). Before
that, the seed store's delta is merged into a new generation (store.compact).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tsunagari.matching import embeddings, engine, store

BATCH = 64


class Command(BaseCommand):
    help = "Embed changed seeds and needs, then recompute the suggestions of open needs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--embed-only", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from tsunagari.directory.models import Resource
        from tsunagari.matching.models import Need, SeedEmbedding

        stored = dict(SeedEmbedding.objects.values_list("resource_id", "text_hash"))
        todo = []
        for resource in Resource.objects.published().only("pk", "name", "description"):
            text = engine.resource_text(resource)
            digest = embeddings.text_hash(text)
            if stored.get(resource.pk) != digest:
                todo.append((resource.pk, text, digest))
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            vectors = embeddings.embed([text for _pk, text, _digest in chunk])
            for (pk, _text, digest), vector in zip(chunk, vectors, strict=True):
                SeedEmbedding.objects.update_or_create(
                    resource_id=pk,
                    defaults={"vector": embeddings.to_bytes(vector), "text_hash": digest},
                )
        unembedded = list(Need.objects.filter(embedding__isnull=True))
        for start in range(0, len(unembedded), BATCH):
            needs = unembedded[start : start + BATCH]
            for need, vector in zip(needs, embeddings.embed([n.text for n in needs]), strict=True):
                Need.objects.filter(pk=need.pk).update(embedding=embeddings.to_bytes(vector))
        self.stdout.write(f"embedded {len(todo)} seeds and {len(unembedded)} needs")
        if options["embed_only"]:
            return
        # The seeds changed since the store's generation, merged into a new one.
        store.compact(engine.store_root())
        count = 0
        for open_need in Need.objects.open().prefetch_related("target_groups", "kinds_wanted"):
            engine.compute_suggestions(open_need)
            count += 1
        self.stdout.write(f"suggestions recomputed for {count} open needs")
