"""State changes that stay safe when two requests arrive at once.

Every change of an object's status follows one rule: inside `transaction.atomic()`, lock
the row (`lock(obj)`, a `SELECT … FOR UPDATE` on PostgreSQL; SQLite already serialises
writers, as its transactions begin IMMEDIATE), check the status again on what was just
read, and only then write, record the audit event and queue the e-mail. The request that
loses the race sees the winner's status, writes nothing and says so kindly
(「すでに…されています」); see docs/security.md.
"""

from __future__ import annotations

from django.db import models, transaction


class AlreadyChanged(Exception):
    """Another request changed the object first; `message` says what happened."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lock[M: models.Model](obj: M) -> M:
    """Re-read `obj` in place under a row lock held until the transaction ends.

    Called inside `transaction.atomic()`; a second request doing the same waits here
    until the first commits, then reads the first one's result.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() is called inside transaction.atomic()")
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj
