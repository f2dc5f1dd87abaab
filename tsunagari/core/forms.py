"""Form fields that normalise Japanese input (full/half width, phone, postal code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
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
