"""The secretariat's forms: a municipality's roll-out state, and a newer population figure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from tsunagari.geo.models import Municipality
from tsunagari.lib.text import normalize_text
from tsunagari.rollout.models import MunicipalityRollout, PopulationFigure


class RolloutForm(forms.ModelForm):
    """The audited fields, the reason for the change, and the version the editor saw
    (a change made meanwhile by someone else makes this one stale: it is refused)."""

    reason = forms.CharField(label=_("変更の理由"), max_length=300)
    seen = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = MunicipalityRollout
        fields = MunicipalityRollout.AUDITED_FIELDS
        widgets = {
            "local_platform_since": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["seen"] = self.instance.updated_at.isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("local_platform_name", "note", "source", "reason"):
            if isinstance(data.get(name), str):
                data[name] = normalize_text(data[name])
        if data.get("local_platform") == MunicipalityRollout.Platform.RUNNING and not data.get(
            "local_platform_since"
        ):
            self.add_error("local_platform_since", _("設置済みのときは設置日を入れてください。"))
        return data


DUPLICATE_POPULATION = _(
    "この市町村のこの日付の人口は、すでに登録されています。一覧で確かめてください。"
)


class PopulationForm(forms.ModelForm):
    class Meta:
        model = PopulationFigure
        fields = ["municipality", "population", "households", "as_of", "source_name", "source_url"]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"})}
        error_messages = {NON_FIELD_ERRORS: {"unique_together": DUPLICATE_POPULATION}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.selectable().order_by("code")
        field.label_from_instance = lambda m: m.label  # type: ignore[method-assign,assignment]
        self.fields["source_name"].required = True

    def clean_source_name(self) -> str:
        return normalize_text(self.cleaned_data["source_name"])
