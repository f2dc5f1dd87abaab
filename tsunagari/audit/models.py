"""Audit trail: who changed or looked at what, and when."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One recorded staff action (監査ログ)."""

    class Action(models.TextChoices):
        CREATE = "create", _("作成")
        UPDATE = "update", _("変更")
        STATUS = "status", _("状態の変更")
        VIEW = "view", _("個人情報の閲覧")
        EXPORT = "export", _("出力")
        INVITE = "invite", _("招待")

    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作した人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("対象の種類"), max_length=100)
    object_id = models.CharField(_("対象のID"), max_length=64)
    object_repr = models.CharField(_("対象"), max_length=200)
    changes = models.JSONField(_("変更内容"), default=dict, blank=True)
    note = models.CharField(_("メモ"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field label, before, after) for the view: the field's translated verbose_name
        rather than its code name, and a choice's label rather than its stored value."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            model = None
        rows = []
        for name, change in (self.changes or {}).items():
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    field = None
            label = str(getattr(field, "verbose_name", "") or name)
            if isinstance(change, (list, tuple)) and len(change) == 2:
                before, after = change
            else:
                before, after = None, change
            choices = dict(getattr(field, "flatchoices", None) or ())
            rows.append((label, _choice_label(choices, before), _choice_label(choices, after)))
        return rows


def _choice_label(choices: dict[Any, Any], value: Any) -> Any:
    if isinstance(value, (str, int)) and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return str(_("はい") if value else _("いいえ"))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


class Snapshot(dict[str, Any]):
    """The audited values of an object at one moment: one side of a diff, never a change.

    `record` refuses a Snapshot as `changes`: passing one stored `title: 高 → 齢` (the
    first two characters read as before → after). Use record_created or record_changed.
    """


def _display(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    return value


def snapshot(obj: models.Model, fields: list[str]) -> Snapshot:
    """The values of `fields` (many-to-many included) in a JSON-friendly form."""
    values = Snapshot()
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else []
        else:
            values[name] = _display(getattr(obj, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Record an action; `changes` maps a field to [before, after] (see `diff`)."""
    if isinstance(changes, Snapshot):
        raise TypeError("record() takes a diff, not a snapshot: use record_created/record_changed")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        note=note[:300],
    )


def record_created(
    actor: Any, obj: models.Model, fields: list[str], *, note: str = ""
) -> AuditEvent:
    """Record that `obj` was created, with each of `fields` that has a value as
    (empty) → its value."""
    values = snapshot(obj, fields)
    changes = {k: [None, v] for k, v in values.items() if v not in (None, "", [])}
    return record(actor, AuditEvent.Action.CREATE, obj, changes=changes, note=note)


def record_changed(
    actor: Any,
    obj: models.Model,
    before: Snapshot,
    after: Snapshot,
    *,
    action: str = AuditEvent.Action.UPDATE,
    note: str = "",
) -> AuditEvent | None:
    """Record what changed between two snapshots of `obj`; nothing when nothing changed."""
    changes = diff(before, after)
    if not changes:
        return None
    return record(actor, action, obj, changes=changes, note=note)
