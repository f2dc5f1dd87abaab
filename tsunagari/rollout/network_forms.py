"""Forms of partner networks: the network, its member bodies (a formset), the import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import SeenVersionForm
from tsunagari.geo.models import Municipality
from tsunagari.lib.text import normalize_text
from tsunagari.lib.wareki import format_wareki, parse_wareki
from tsunagari.members.models import Organization
from tsunagari.rollout import networks
from tsunagari.rollout.models import PartnerNetwork, PartnerNetworkMember


def _date(value: str) -> dt.date | None:
    text = normalize_text(value or "").strip()
    if not text:
        return None
    try:
        return parse_wareki(text)
    except ValueError as e:
        raise forms.ValidationError(str(e)) from None


class PartnerNetworkForm(SeenVersionForm, forms.ModelForm):
    source_seen_on = forms.CharField(
        label=_("出典を確認した日"),
        help_text=_("例：令和8年4月1日 または 2026-04-01"),
        max_length=30,
        required=False,
    )
    joined_on = forms.CharField(
        label=_("連携を始めた日"),
        help_text=_("例：令和8年4月1日 または 2026-04-01"),
        max_length=30,
        required=False,
    )

    class Meta:
        model = PartnerNetwork
        fields = [
            "name",
            "name_en",
            "liaison_body",
            "liaison_organization",
            "description",
            "topics",
            "municipalities",
            "website",
            "source_name",
            "source_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "topics": forms.CheckboxSelectMultiple,
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "source_name": _("この情報をどこで確認したか（例：県の支援機関一覧のページ）"),
            "liaison_organization": _("事務局がネットワークの構成員なら選んでください。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        liaison = self.fields["liaison_organization"]
        assert isinstance(liaison, forms.ModelChoiceField)
        liaison.queryset = Organization.objects.by_reading()
        liaison.empty_label = str(_("（ネットワークの構成員ではない）"))
        areas = self.fields["municipalities"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = Municipality.objects.selectable()
        areas.label_from_instance = lambda m: m.label  # type: ignore[method-assign,assignment]
        if self.instance.pk:
            for name in ("source_seen_on", "joined_on"):
                value = getattr(self.instance, name)
                self.initial[name] = format_wareki(value) if value else ""

    def clean_source_seen_on(self) -> dt.date | None:
        return _date(self.cleaned_data["source_seen_on"])

    def clean_joined_on(self) -> dt.date | None:
        return _date(self.cleaned_data["joined_on"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("name", "name_en", "liaison_body", "description", "source_name"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = normalize_text(cleaned[name]).strip()
        return cleaned

    def save(self, commit: bool = True) -> PartnerNetwork:
        self.instance.source_seen_on = self.cleaned_data["source_seen_on"]
        self.instance.joined_on = self.cleaned_data["joined_on"]
        return super().save(commit=commit)


class PartnerNetworkMemberForm(forms.ModelForm):
    """A body of the network: one of our members (picked), or a name."""

    class Meta:
        model = PartnerNetworkMember
        fields = ["organization", "name", "municipality", "topic"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = Organization.objects.by_reading()
        organization.required = False
        organization.empty_label = str(_("（ネットワークの構成員ではない）"))
        name = self.fields["name"]
        name.required = False
        name.help_text = _("構成員を選んだときは空のままでかまいません。")
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        municipality.queryset = Municipality.objects.selectable()
        municipality.label_from_instance = lambda m: m.label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name = normalize_text(cleaned.get("name") or "").strip()
        topic = normalize_text(cleaned.get("topic") or "").strip()
        organization = cleaned.get("organization")
        if not name and organization is not None:
            name = organization.name[:150]
        if not name and (organization or topic or cleaned.get("municipality")):
            self.add_error("name", _("団体名を入力するか、構成員を選んでください。"))
        cleaned["name"] = name
        cleaned["topic"] = topic
        self.instance.name = name
        return cleaned


class BaseMemberFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[int] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            organization = form.cleaned_data.get("organization")
            if organization is None:
                continue
            if organization.pk in seen:
                form.add_error("organization", _("同じ構成員が2回選ばれています。"))
            seen.add(organization.pk)


PartnerNetworkMemberFormSet = forms.inlineformset_factory(
    PartnerNetwork,
    PartnerNetworkMember,
    form=PartnerNetworkMemberForm,
    formset=BaseMemberFormSet,
    extra=3,
    can_delete=True,
)


class NetworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS 3.0 の JSON ファイル"),
        help_text=_(
            "サービス（service）、その一覧、または団体（organization）のJSON。UTF-8、5MBまで。"
        ),
    )
    verified_on = forms.CharField(
        label=_("内容を確認した日"),
        help_text=_(
            "ファイルに確認日（assured_date）がないサービスの最終確認日になります。"
            "例：令和8年4月1日 または 2026-04-01"
        ),
        max_length=30,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".json,application/json"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > networks.MAX_BYTES:
            raise forms.ValidationError(
                _("ファイルが大きすぎます（上限%(mb)dMB）。ファイルを分けて取り込んでください。")
                % {"mb": networks.MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_verified_on(self) -> dt.date | None:
        return _date(self.cleaned_data["verified_on"])
