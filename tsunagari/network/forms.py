"""Forms of the network pages: the graph's filters, asking for and deciding introductions."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagari.lib.text import normalize_text
from tsunagari.network.graph import KIND_LABELS, KINDS
from tsunagari.network.models import IntroductionRequest


class GraphFilterForm(forms.Form):
    since = forms.DateField(
        label=_("この日以降のつながり"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("空欄ならすべての期間"),
    )
    kind = forms.MultipleChoiceField(
        label=_("つながりの種類"),
        required=False,
        choices=[(k, KIND_LABELS[k]) for k in KINDS],
        widget=forms.CheckboxSelectMultiple,
    )

    def cleaned_since(self) -> date | None:
        return self.cleaned_data.get("since") if self.is_valid() else None

    def cleaned_kinds(self) -> list[str]:
        if not self.is_valid():
            return list(KINDS)
        return self.cleaned_data.get("kind") or list(KINDS)


class AskForm(forms.Form):
    to_organization = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("事務局への一言（任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_note(self) -> str:
        return normalize_text(self.cleaned_data["note"])


class DecideForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("network", "対応"),
        choices=[
            (IntroductionRequest.Status.INTRODUCED, _("紹介した")),
            (IntroductionRequest.Status.DECLINED, _("見送る")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("メモ（見送るときは理由）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        data["note"] = normalize_text(data.get("note", ""))
        if data.get("status") == IntroductionRequest.Status.DECLINED and not data["note"]:
            self.add_error("note", _("見送る理由を書いてください。"))
        return data


class IntroduceForm(forms.Form):
    from_organization = forms.IntegerField(widget=forms.HiddenInput)
    to_organization = forms.IntegerField(label=_("紹介する相手"))
    note = forms.CharField(
        label=pgettext_lazy("network", "メモ（任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_note(self) -> str:
        return normalize_text(self.cleaned_data["note"])
