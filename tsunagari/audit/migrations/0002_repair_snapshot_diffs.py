"""Repair creations recorded with a snapshot instead of a diff (`title: 高 → 齢`).

Needs published from a resident's voice and organisations created on approval stored
{field: value}; the log read the first two items of each value as before → after. A
record is a snapshot when one of its values is not a [before, after] pair (a title is a
plain string); each value then becomes [None, value], and empty values are dropped, as
record_created stores them now.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


def repair(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.filter(
        action="create", object_type__in=["matching.need", "members.organization"]
    )
    for event in events.iterator():
        changes = event.changes or {}
        if not changes or all(_is_pair(v) for v in changes.values()):
            continue
        event.changes = {
            k: [None, v] for k, v in changes.items() if v not in (None, "", [])
        }
        event.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
