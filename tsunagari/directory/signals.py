"""Signals other parts of the platform listen to."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by search.reindex() with `ids`, the resources just created, changed or deleted.
# Matching embeds them afresh for the engine.
resources_changed = Signal()
