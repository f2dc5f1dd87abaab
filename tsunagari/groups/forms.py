"""Forms of working groups (分科会) and their board."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.groups.models import GroupPost, WorkingGroup
from tsunagari.lib.text import normalize_text


class _Normalised(forms.ModelForm):
    """Full-width letters and digits, odd spaces and line ends made plain in every text."""

    text_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.text_fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = normalize_text(cleaned[name]).strip()
        return cleaned


class GroupForm(_Normalised):
    text_fields = ("name", "theme", "description")

    class Meta:
        model = WorkingGroup
        fields = ["name", "theme", "description", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class PostForm(_Normalised):
    text_fields = ("title", "body")

    class Meta:
        model = GroupPost
        fields = ["title", "body"]
        labels = {"title": _("件名（なくてもかまいません）")}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"body": {"required": _("本文を書いてください。")}}

    def clean_body(self) -> str:
        body = normalize_text(self.cleaned_data.get("body") or "").strip()
        if not body:
            raise forms.ValidationError(_("本文を書いてください。"))
        return body


class ReplyForm(PostForm):
    class Meta(PostForm.Meta):
        fields = ["body"]
        labels = {"body": _("返信")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class JoinForm(forms.Form):
    """Only 「どの立場で」 (added by ActingFor when the person has several organisations)."""
