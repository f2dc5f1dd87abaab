"""Forms of local councils: the council, and its member bodies as a formset."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import SeenVersionForm
from tsunagari.councils.models import CouncilMember, LocalCouncil
from tsunagari.geo.models import Municipality
from tsunagari.lib.text import normalize_text
from tsunagari.lib.wareki import format_wareki, parse_wareki
from tsunagari.members.models import Organization


class CouncilForm(SeenVersionForm, forms.ModelForm):
    """The council; `municipalities` are the ones the person may register for."""

    established_on = forms.CharField(
        label=_("設置日"),
        help_text=_("例：令和8年4月1日 または 2026-04-01"),
        max_length=30,
    )

    class Meta:
        model = LocalCouncil
        fields = ["municipality", "name", "coordinating_body", "notice", "source_url"]
        widgets = {"notice": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "coordinating_body": _("協議会の事務を総括し、連絡調整を行う機関（例：市の福祉部局）"),
            "notice": _("市町村が公表している事項（守秘義務のことなど）を載せます。"),
        }

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities
        field.label_from_instance = lambda m: m.label  # type: ignore[method-assign,assignment]
        if self.instance.pk:
            self.initial["established_on"] = format_wareki(self.instance.established_on)
        if municipalities.count() == 1:
            self.initial.setdefault("municipality", municipalities.first())

    def clean_established_on(self) -> date:
        try:
            return parse_wareki(normalize_text(self.cleaned_data["established_on"]).strip())
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("name", "coordinating_body", "notice"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = normalize_text(cleaned[name]).strip()
        return cleaned

    def save(self, commit: bool = True) -> LocalCouncil:
        self.instance.established_on = self.cleaned_data["established_on"]
        return super().save(commit=commit)


class CouncilMemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ["name", "organization"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organization.objects.by_reading()
        field.required = False
        field.empty_label = str(_("（ネットワークの構成員ではない）"))

    def clean_name(self) -> str:
        return normalize_text(self.cleaned_data["name"]).strip()


CouncilMemberFormSet = forms.inlineformset_factory(
    LocalCouncil,
    CouncilMember,
    form=CouncilMemberForm,
    extra=3,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


def municipalities_for(user: Any) -> Any:
    if getattr(user, "is_secretariat", False):
        return Municipality.objects.selectable()
    return user.officer_municipalities
