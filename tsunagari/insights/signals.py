"""Receivers that keep the dashboard's tallies in step with the data below.

The apps below never import insights (the floors): insights listens to what they already
send — Django's post_save / post_delete / m2m_changed on their models, and the directory's
`resources_changed` (sent by search.reindex, also after imports and bulk edits). A change
only marks the objects touched; once the transaction commits, `tallies.apply` recounts
each of them once (an edit that saves a resource, its terms and its places recounts it
once, not five times). Bulk changes that send no signal at all (queryset.update, raw SQL)
need `manage.py rebuild_tallies`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from tsunagari.insights import tallies
from tsunagari.lib import pagecache

log = logging.getLogger(__name__)


def mark(source: str, ids: Any) -> None:
    """Recount these objects after the current transaction commits (at once outside one)."""
    ids = {int(pk) for pk in ids if pk is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    pending: dict[str, set[int]] | None = getattr(connection, "_tallies_pending", None)
    waiting = pending is not None  # marked since the last flush
    if pending is None:
        pending = connection._tallies_pending = defaultdict(set)
    pending[source] |= ids
    # One callback per transaction, which recounts all that is pending. A rollback drops
    # the callback (Django removes it from run_on_commit) and the next mark registers it
    # again; ids left over from a rolled-back change are merely recounted for nothing.
    if waiting and any(func is flush for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    connection = transaction.get_connection()
    pending = getattr(connection, "_tallies_pending", None)
    if not pending:
        return
    connection._tallies_pending = None
    tallies.apply(pending)
    pagecache.bump("insights")


def _m2m_ids(instance: Any, reverse: bool, pk_set: Any, action: str, related: str) -> Any:
    """The ids on the owning side of an m2m change (the resource, the need …)."""
    if not reverse:
        return [instance.pk]
    if action == "pre_clear":  # the reverse clear: who is about to lose this term
        return getattr(instance, related).values_list("pk", flat=True)
    return pk_set or ()


def resource_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark(tallies.RESOURCE, [instance.pk])


def location_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark(tallies.RESOURCE, [instance.resource_id])


def resource_terms_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action in ("post_add", "post_remove", "post_clear") or (action == "pre_clear" and reverse):
        mark(tallies.RESOURCE, _m2m_ids(instance, reverse, pk_set, action, "resources"))


def resources_changed(sender: Any, ids: Any = (), **kwargs: Any) -> None:
    mark(tallies.RESOURCE, ids)


def need_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark(tallies.NEED, [instance.pk])
    # Its collaborations are counted in its municipality too.
    mark(tallies.COLLABORATION, instance.collaborations.values_list("pk", flat=True))


def need_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Captured before the delete sets their `need` to NULL (which sends no signal).
    mark(tallies.COLLABORATION, instance.collaborations.values_list("pk", flat=True))


def need_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark(tallies.NEED, [instance.pk])


def need_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action in ("post_add", "post_remove", "post_clear") or (action == "pre_clear" and reverse):
        mark(tallies.NEED, _m2m_ids(instance, reverse, pk_set, action, "needs"))


def collaboration_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark(tallies.COLLABORATION, [instance.pk])


def party_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark(tallies.COLLABORATION, [instance.collaboration_id])


def organization_places_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    from tsunagari.collaborations.models import CollaborationParty

    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if action == "pre_clear" and not reverse:
        return
    organizations = _m2m_ids(instance, reverse, pk_set, action, "organizations")
    mark(
        tallies.COLLABORATION,
        CollaborationParty.objects.filter(organization_id__in=list(organizations)).values_list(
            "collaboration_id", flat=True
        ),
    )


def connect() -> None:
    """Called from InsightsConfig.ready()."""
    from tsunagari.collaborations.models import Collaboration, CollaborationParty
    from tsunagari.directory.models import Location, Resource
    from tsunagari.directory.signals import resources_changed as directory_resources_changed
    from tsunagari.matching.models import Need
    from tsunagari.members.models import Organization

    def on(signal: Any, receiver: Any, sender: Any, name: str) -> None:
        signal.connect(receiver, sender=sender, dispatch_uid=f"insights-tallies-{name}")

    on(post_save, resource_saved, Resource, "resource-saved")
    on(post_delete, resource_saved, Resource, "resource-deleted")
    on(post_save, location_saved, Location, "location-saved")
    on(post_delete, location_saved, Location, "location-deleted")
    on(m2m_changed, resource_terms_changed, Resource.kinds.through, "resource-kinds")
    on(m2m_changed, resource_terms_changed, Resource.target_groups.through, "resource-groups")
    on(directory_resources_changed, resources_changed, Resource, "resources-changed")
    on(post_save, need_saved, Need, "need-saved")
    on(pre_delete, need_deleting, Need, "need-deleting")
    on(post_delete, need_deleted, Need, "need-deleted")
    on(m2m_changed, need_groups_changed, Need.target_groups.through, "need-groups")
    on(post_save, collaboration_saved, Collaboration, "collaboration-saved")
    on(post_delete, collaboration_saved, Collaboration, "collaboration-deleted")
    on(post_save, party_saved, CollaborationParty, "party-saved")
    on(post_delete, party_saved, CollaborationParty, "party-deleted")
    on(m2m_changed, organization_places_changed, Organization.municipalities.through, "org")
