"""The secretariat's changes to the national lines, and the CSV reload.

Each change is one conditional UPDATE (`filter(pk=…, <the state it was read in>)`): when
two people act on one line at once, the second finds nothing to update and is told so,
instead of overwriting the first. Each change that happens is written to the audit trail
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from tsunagari.audit.models import AuditEvent, diff, record
from tsunagari.helplines import loader
from tsunagari.helplines.models import HAS_SOURCE, NationalLine

Status = NationalLine.Status


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    if hasattr(value, "pk"):
        return str(value)
    return value


def _values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in values.items()}


def reverify(
    line: NationalLine,
    *,
    by: Any,
    source_url: str,
    source_seen: dt.date | None,
    today: dt.date | None = None,
) -> bool:
    """The secretariat checked the line against its source today: record the date and
    who, and the source as now seen. A line waiting for its source is published by it."""
    today = today or timezone.localdate()
    if line.status == Status.RETIRED:
        return False
    status = Status.PUBLISHED if source_url and source_seen else Status.PENDING
    return _update(
        line,
        by=by,
        action=AuditEvent.Action.UPDATE,
        note="再確認",
        # As read: a re-verification saved meanwhile by someone else is not overwritten.
        condition={"status": line.status, "updated_at": line.updated_at},
        values={
            "source_url": source_url,
            "source_seen": source_seen,
            "verified_on": today,
            "verified_by": by,
            "status": status,
        },
    )


def retire(line: NationalLine, *, by: Any, reason: str = "") -> bool:
    """Stop showing a line (it closed, moved or could not be confirmed)."""
    return _update(
        line,
        by=by,
        action=AuditEvent.Action.STATUS,
        note=reason or "掲載終了",
        condition={"status__in": [Status.PUBLISHED, Status.PENDING]},
        values={"status": Status.RETIRED, "retired_reason": reason},
    )


def restore(line: NationalLine, *, by: Any) -> bool:
    """Show a retired line again; without a full source it waits for re-verification."""
    return _update(
        line,
        by=by,
        action=AuditEvent.Action.STATUS,
        note="掲載再開",
        condition={"status": Status.RETIRED},
        values={
            "status": Case(
                When(HAS_SOURCE, then=Value(Status.PUBLISHED)), default=Value(Status.PENDING)
            ),
            "retired_reason": "",
        },
    )


def set_period(
    line: NationalLine, *, by: Any, starts_on: dt.date | None, ends_on: dt.date | None
) -> bool:
    """The announced period of a line that runs only then (#9999)."""
    return _update(
        line,
        by=by,
        action=AuditEvent.Action.UPDATE,
        note="実施期間",
        condition={
            "period_only": True,
            "period_starts_on": line.period_starts_on,
            "period_ends_on": line.period_ends_on,
        },
        values={"period_starts_on": starts_on, "period_ends_on": ends_on},
    )


def _update(
    line: NationalLine,
    *,
    by: Any,
    action: str,
    note: str,
    condition: dict[str, Any],
    values: dict[str, Any],
) -> bool:
    before = {name: getattr(line, name) for name in values}
    with transaction.atomic():
        done = NationalLine.objects.filter(pk=line.pk, **condition).update(
            **values, updated_at=timezone.now()
        )
        if not done:
            return False
        line.refresh_from_db()
        after = {name: getattr(line, name) for name in values}
        record(by, action, line, changes=diff(_values(before), _values(after)), note=note)
    return True


def load_file(path: Path, *, dry_run: bool = False) -> tuple[loader.Parsed, loader.Outcome]:
    """Check a CSV and, when it has no bad row, create or update the lines from it.

    Nothing is written when any row is bad, or with `dry_run` (the transaction is rolled
    back after counting what would change)."""
    parsed = loader.read(path, today=timezone.localdate())
    outcome = loader.Outcome()
    if parsed.errors:
        return parsed, outcome

    def audit(line: NationalLine, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        if before is None:
            record(None, AuditEvent.Action.CREATE, line, changes=diff({}, _values(after)))
        else:
            record(
                None,
                AuditEvent.Action.UPDATE,
                line,
                changes=diff(_values(before), _values(after)),
                note="CSVから更新",
            )

    try:
        with transaction.atomic():
            outcome = loader.apply(parsed.rows, model=NationalLine, on_change=audit)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return parsed, outcome


class _DryRun(Exception):
    pass
