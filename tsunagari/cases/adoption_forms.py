"""The officer's form: where their municipality stands with a published case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.cases import adoption as services
from tsunagari.cases.models import CaseAdoption, ModelCase
from tsunagari.collaborations.models import Collaboration
from tsunagari.directory.models import Resource
from tsunagari.geo.models import Municipality
from tsunagari.lib.text import normalize_text
from tsunagari.lib.wareki import format_wareki, parse_wareki


class AdoptionForm(forms.Form):
    municipality = forms.ChoiceField(label=_("市町村"))
    stage = forms.ChoiceField(
        label=_("段階"), choices=CaseAdoption.Stage.choices, widget=forms.RadioSelect
    )
    on = forms.CharField(
        label=_("この段階になった日"),
        max_length=30,
        help_text=_("例：令和7年7月30日、R7.7.30、2025-07-30"),
    )
    note = forms.CharField(
        label=_("メモ"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("決まったこと、次にすること、担当課など（事例のページには載りません）"),
    )
    collaboration = forms.ModelChoiceField(
        label=_("地域での連携"),
        queryset=Collaboration.objects.none(),
        required=False,
        empty_label=_("（なし）"),
        help_text=_("この市町村で活動する構成員が加わる連携から選びます。"),
    )
    resource = forms.ModelChoiceField(
        label=_("地域の社会資源"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("（なし）"),
        help_text=_("この市町村にある社会資源から選びます。事例のページからリンクします。"),
    )

    def __init__(
        self,
        *args: Any,
        case: ModelCase,
        municipalities: list[Municipality],
        chosen: Municipality | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.municipalities = {m.pk: m for m in municipalities}
        field = self.fields["municipality"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m.pk, m.label) for m in municipalities]
        if len(municipalities) == 1:
            # One municipality: nothing to ask.
            field.widget = forms.HiddenInput()
            chosen = municipalities[0]
        self.initial.setdefault("on", format_wareki(timezone.localdate()))
        if chosen is not None:
            self.initial["municipality"] = chosen.pk
            current = CaseAdoption.objects.filter(case=case, municipality=chosen).first()
            if current is not None:
                self.initial.update(
                    stage=current.stage,
                    note=current.note,
                    collaboration=current.collaboration_id,
                    resource=current.resource_id,
                )
        collaboration = self.fields["collaboration"]
        resource = self.fields["resource"]
        assert isinstance(collaboration, forms.ModelChoiceField)
        assert isinstance(resource, forms.ModelChoiceField)
        collaboration.queryset = services.local_collaborations(municipalities)
        resource.queryset = services.local_resources(municipalities)

    def clean_municipality(self) -> Municipality:
        code = self.cleaned_data["municipality"]
        if code not in self.municipalities:
            raise forms.ValidationError(_("担当している市町村を選んでください。"))
        return self.municipalities[code]

    def clean_on(self) -> dt.date:
        try:
            day = parse_wareki(normalize_text(self.cleaned_data["on"]).strip())
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None
        if day > timezone.localdate():
            raise forms.ValidationError(_("今日より後の日付は入れられません。"))
        return day

    def clean_note(self) -> str:
        return normalize_text(self.cleaned_data["note"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        municipality = cleaned.get("municipality")
        if isinstance(municipality, Municipality):
            collaboration = cleaned.get("collaboration")
            if collaboration is not None and not services.collaboration_is_local(
                collaboration, municipality
            ):
                self.add_error(
                    "collaboration",
                    _("この市町村で活動する構成員が加わる連携を選んでください。"),
                )
            resource = cleaned.get("resource")
            if resource is not None and not services.resource_is_local(resource, municipality):
                self.add_error("resource", _("この市町村にある社会資源を選んでください。"))
        return cleaned
