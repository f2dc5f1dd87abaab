"""Background work of the matching engine: embeddings and suggestions (django.tasks)."""

from __future__ import annotations

from django.tasks import task

from tsunagari.matching import embeddings, engine


@task()
def embed_need(need_id: int) -> bool:
    """Embed a need's title and description. False when the need is gone."""
    from tsunagari.matching.models import Need

    need = Need.objects.filter(pk=need_id).first()
    if need is None:
        return False
    vector = embeddings.embed_one(need.text)
    Need.objects.filter(pk=need_id).update(embedding=embeddings.to_bytes(vector))
    return True


@task()
def refresh_need(need_id: int) -> int:
    """Embed a need afresh, then compute its suggestions. Returns how many were ranked."""
    from tsunagari.matching.models import Need

    need = Need.objects.filter(pk=need_id).prefetch_related("target_groups", "kinds_wanted").first()
    if need is None:
        return 0
    need.embedding = embeddings.to_bytes(embeddings.embed_one(need.text))
    Need.objects.filter(pk=need_id).update(embedding=need.embedding)
    return len(engine.compute_suggestions(need))


def store_resource_embedding(resource_id: int) -> bool:
    """Embed a resource when its text changed since the stored embedding. True if embedded."""
    from tsunagari.directory.models import Resource
    from tsunagari.matching.models import SeedEmbedding

    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        return False
    text = engine.resource_text(resource)
    digest = embeddings.text_hash(text)
    if SeedEmbedding.objects.filter(resource=resource, text_hash=digest).exists():
        return False
    vector = embeddings.embed_one(text)
    SeedEmbedding.objects.update_or_create(
        resource=resource,
        defaults={"vector": embeddings.to_bytes(vector), "text_hash": digest},
    )
    return True


@task()
def embed_resource(resource_id: int) -> bool:
    """Embed a directory resource after it is saved (skipped when its text is unchanged)."""
    return store_resource_embedding(resource_id)


@task()
def embed_resources(resource_ids: list[int]) -> int:
    """Embed directory resources after they are saved or imported; returns how many changed."""
    return sum(store_resource_embedding(pk) for pk in resource_ids)
