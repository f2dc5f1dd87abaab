"""Form fields that normalise Japanese input (full/half width, phone, postal code), and
what editing forms share: the inline rows' order, the version an editor opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tsunagari.lib.text import (
    is_katakana_reading,
    normalize_phone,
    normalize_postal_code,
    normalize_text,
    to_katakana,
)


class JapaneseCharField(forms.CharField):
    """A CharField that normalises full-width letters and digits, spaces and line ends."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return normalize_text(text) if text else text


class KatakanaField(JapaneseCharField):
    """フリガナ: hiragana and half-width kana are accepted and stored as katakana."""

    default_error_messages = {"not_kana": _("カタカナで入力してください。")}

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return to_katakana(text) if text else text

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not is_katakana_reading(value):
            raise forms.ValidationError(self.error_messages["not_kana"], code="not_kana")


class PhoneField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if not text:
            return text
        try:
            return normalize_phone(text)
        except ValueError as e:
            raise forms.ValidationError(str(e), code="invalid_phone") from None


class PostalCodeField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if not text:
            return text
        try:
            return normalize_postal_code(text)
        except ValueError as e:
            raise forms.ValidationError(str(e), code="invalid_postal_code") from None


class NormalizedEmailField(forms.EmailField):
    def to_python(self, value: Any) -> str | None:
        text = super().to_python(normalize_text(value) if isinstance(value, str) else value)
        return text.lower() if text else text


def japanese_formfield(field: Any, **kwargs: Any) -> forms.Field | None:
    """`formfield_callback` for ModelForms: every text field normalises its input."""
    from django.db import models

    if isinstance(field, models.EmailField):
        return field.formfield(form_class=NormalizedEmailField, **kwargs)
    if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
        if field.name in ("phone", "contact_phone"):
            return field.formfield(form_class=PhoneField, **kwargs)
        if field.name == "postal_code":
            return field.formfield(form_class=PostalCodeField, **kwargs)
        if field.name.endswith("_kana"):
            return field.formfield(form_class=KatakanaField, **kwargs)
        return field.formfield(form_class=JapaneseCharField, **kwargs)
    return field.formfield(**kwargs)


def save_in_order(formset: Any, instance: Any, each: Callable[[Any], None] | None = None) -> None:
    """Save an inline formset's rows under `instance`: delete the rows marked for deletion
    and number the changed ones' sort_order in the order the form shows them (`each` may
    set more on a row before it is saved)."""
    formset.instance = instance
    changed = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    for n, form in enumerate(formset.forms):
        row = form.instance
        if row in changed:
            row.sort_order = n
            if each is not None:
                each(row)
            row.save()


class StaleEdit(Exception):
    """The row was saved by someone else after the editor opened the form."""


STALE_MESSAGE = _(
    "この画面を開いたあとに、ほかの人が変更を保存しました。下はあなたが入力した内容です。"
    "最新の内容を別の画面で確かめてから、このまま保存するときは、もう一度「保存」を押してください。"
)


def version_of(instance: Any) -> str:
    """The version of a row an editor sees: when it was last saved (its updated_at)."""
    return str(instance.updated_at.isoformat())


class SeenVersionForm(forms.Form):
    """Mixed into a ModelForm of a model with `updated_at`: the version the editor opened
    travels with the form (hidden), and `check_seen` refuses a save over a change someone
    else made meanwhile, instead of silently overwriting it (a lost update)."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["seen"] = version_of(instance)

    def check_seen(self, locked: Any) -> None:
        """Call with the row locked (select_for_update) in the save's transaction. When it
        changed since the form was opened: the form says so and raises StaleEdit, and now
        carries the current version, so that saving again is the editor's own choice."""
        current = version_of(locked)
        if self.cleaned_data.get("seen") == current:
            return
        self.add_error(None, STALE_MESSAGE)
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict, or a dict
        data[self.add_prefix("seen")] = current
        self.data = data
        raise StaleEdit


def save_edit(
    form: Any,
    formset: Any,
    instance: Any,
    *,
    state: Callable[[Any], dict[str, Any]],
    fields: list[str],
    by: Any,
) -> Any:
    """Save a SeenVersionForm and its inline rows (`save_in_order`) in one transaction,
    audited. A new row is recorded as created (with `created_by`); an existing one is
    locked, checked against the version its editor opened (StaleEdit, nothing saved) and
    its changes recorded as `state(row)` before → after (fields and inline rows)."""
    from tsunagari.audit.models import AuditEvent, diff, record, record_created

    with transaction.atomic():
        before = None
        if instance is not None:
            # The row as saved, locked: validating wrote the typed values onto `instance`.
            locked = type(instance).objects.select_for_update().get(pk=instance.pk)
            form.check_seen(locked)
            before = state(locked)
        saved = form.save(commit=False)
        if instance is None:
            saved.created_by = by
        saved.save()
        form.save_m2m()
        save_in_order(formset, saved)
        if before is None:
            record_created(by, saved, fields)
        else:
            changes = diff(before, state(saved))
            if changes:
                record(by, AuditEvent.Action.UPDATE, saved, changes=changes)
    return saved
