"""Forms of the member registry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import JapaneseCharField, japanese_formfield
from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.lib.wareki import era_year, parse_wareki
from tsunagari.members.models import (
    Membership,
    MembershipApplication,
    Organization,
    Sector,
    Theme,
)


def municipality_choices() -> list[tuple[str, Any]]:
    """Grouped choices: the whole prefecture, each designated city with its wards,
    then the other cities, then the towns and the village."""
    places = list(Municipality.objects.all())
    groups: list[tuple[str, Any]] = []
    prefecture = [(m.code, m.whole_label) for m in places if m.kind == Municipality.Kind.PREFECTURE]
    groups.append((str(_("県全域")), prefecture))
    for city in places:
        if city.kind == Municipality.Kind.DESIGNATED_CITY:
            wards = [(w.code, w.label) for w in places if w.parent_id == city.code]
            groups.append((city.label, [(city.code, city.whole_label), *wards]))
    cities = [(m.code, m.label) for m in places if m.kind == Municipality.Kind.CITY]
    groups.append((str(_("市")), cities))
    towns = [
        (m.code, m.label)
        for m in places
        if m.kind in (Municipality.Kind.TOWN, Municipality.Kind.VILLAGE)
    ]
    groups.append((str(_("町村")), towns))
    return groups


def use_japanese_blank_choice(form: forms.BaseForm) -> None:
    """Label the empty choice of select boxes in Japanese.

    Django's own label ("- Select an option -") has no Japanese translation.
    """
    for field in form.fields.values():
        # Only single selects from fixed choices: a multiple choice has no empty choice, and
        # model choice fields label theirs with empty_label.
        if type(field) in (forms.ChoiceField, forms.TypedChoiceField):
            choices: list[Any] = list(field.choices)  # type: ignore[attr-defined]
            if choices and choices[0][0] == "":
                field.choices = [("", _("選んでください")), *choices[1:]]  # type: ignore[attr-defined]


class MunicipalityChoiceField(forms.ChoiceField):
    """One place from the grouped list (the prefecture first, for 県全域); cleans to a
    Municipality, or None when left blank."""

    def __init__(self, *, blank_label: Any = None, **kwargs: Any) -> None:
        blank = blank_label or _("選んでください")
        super().__init__(choices=lambda: [("", blank), *municipality_choices()], **kwargs)

    def clean(self, value: Any) -> Municipality | None:
        code = super().clean(value)
        return Municipality.objects.filter(code=code).first() if code else None

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "pk", value)


class MunicipalityMultipleField(forms.MultipleChoiceField):
    """Areas served, as checkboxes grouped by city; cleans to a queryset."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("活動地域"))
        super().__init__(choices=municipality_choices, **kwargs)

    def clean(self, value: Any) -> QuerySet[Municipality]:
        codes = super().clean(value)
        return Municipality.objects.filter(code__in=codes)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Iterable) and not isinstance(value, str):
            return [getattr(v, "pk", v) for v in value]
        return value


class ThemeMultipleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ApplicationForm(forms.ModelForm):
    """The public application form (参加申込フォーム)."""

    municipalities = MunicipalityMultipleField(
        error_messages={"required": _("活動地域を1つ以上選んでください。")}
    )
    themes = ThemeMultipleField(
        queryset=Theme.objects.all(), required=False, label=_("関心のあるテーマ")
    )

    class Meta:
        model = MembershipApplication
        formfield_callback = japanese_formfield
        fields = MembershipApplication.APPLICANT_FIELDS
        labels = {
            "agreed_to_purpose": _(
                "かながわつながりネットワークの趣旨に賛同し、構成員として参加を申し込みます。"
            )
        }
        help_texts = {
            "name": _("法人格を含む正式名称（例：特定非営利活動法人〇〇）"),
            "name_kana": _("ひらがなで入力しても、カタカナに直して保存します。"),
            "postal_code": _("例：231-0023（全角・ハイフンなしでも入力できます）"),
            "phone": _("例：045-123-4567"),
            "contact_email": _("受付確認と審査結果をこのアドレスにお送りします。"),
            "offers": _("団体として提供できる場・活動・専門性など"),
            "needs": _("連携したい相手、不足している担い手や資源など"),
        }
        error_messages = {
            "agreed_to_purpose": {"required": _("趣旨への賛同にチェックを入れてください。")},
            "name": {"required": _("組織名を入力してください。")},
            "name_kana": {"required": _("組織名のフリガナを入力してください。")},
            "legal_form": {"required": _("法人格を選んでください。")},
            "sector": {"required": _("分野を選んでください。")},
            "description": {"required": _("団体の概要・活動内容を入力してください。")},
            "postal_code": {"required": _("郵便番号を入力してください。")},
            "address": {"required": _("所在地を入力してください。")},
            "phone": {"required": _("代表電話番号を入力してください。")},
            "contact_name": {"required": _("担当者氏名を入力してください。")},
            "contact_name_kana": {"required": _("担当者氏名のフリガナを入力してください。")},
            "contact_email": {
                "required": _("担当者メールアドレスを入力してください。"),
                "invalid": _("メールアドレスの形式が正しくありません。"),
            },
            "website": {"invalid": _("URLの形式が正しくありません（https:// から始まるURL）。")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_to_purpose"].required = True
        use_japanese_blank_choice(self)
        # Let browsers and password managers fill in the contact person's details.
        for name, token in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token

    AUTOCOMPLETE = {
        "name": "organization",
        "postal_code": "postal-code",
        "address": "street-address",
        "contact_name": "name",
        "contact_email": "email",
        "contact_phone": "tel",
    }


class PublicApplicationForm(HumanCheckForm, ApplicationForm):
    """The application form as the public sees it at /apply/, with the trap field and the
    fill-time token (lib/antibot.py). The edit form reached by the secret link after
    修正依頼 is the plain ApplicationForm: that link is proof enough of a person."""


class DecisionForm(forms.Form):
    """Reason for returning or declining an application; optional note on approval."""

    reason = JapaneseCharField(
        label=_("理由・申込者への連絡事項"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        self.fields["reason"].error_messages["required"] = _("理由を入力してください。")


class KeepsUntouchedTextMixin(forms.ModelForm):
    """Text that the person did not change is kept exactly as stored.

    Stored text may predate the input normalisation (the official roster's 出典 has
    full-width brackets, which the text fields turn half-width). Saving a page without
    touching such a field must neither rewrite it nor record a change nobody made.
    """

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or name not in data:
                continue
            initial = self.get_initial_for_field(field, name)
            if not isinstance(initial, str) or initial == data[name]:
                continue
            try:
                untouched = field.to_python(initial) == data[name]
            except ValidationError:
                untouched = False
            if untouched:
                data[name] = initial
        return data


class OrganizationProfileForm(KeepsUntouchedTextMixin, forms.ModelForm):
    """What a member's own staff may edit."""

    municipalities = MunicipalityMultipleField(required=False)
    themes = ThemeMultipleField(queryset=Theme.objects.all(), required=False, label=_("テーマ"))

    class Meta:
        model = Organization
        formfield_callback = japanese_formfield
        fields = Organization.PROFILE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_japanese_blank_choice(self)


class OrganizationAdminForm(OrganizationProfileForm):
    """What the secretariat may edit: everything, including the roster number and sector."""

    class Meta:
        model = Organization
        formfield_callback = japanese_formfield
        fields = ["roster_no", "name", "sector", *Organization.PROFILE_FIELDS, "source"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["started_on", "start_basis", "ended_on", "end_reason"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end <= start:
            self.add_error("ended_on", _("退会日は開始日より後の日付にしてください。"))
        return data


MembershipFormSet = forms.inlineformset_factory(
    Organization, Membership, form=MembershipForm, extra=0, can_delete=False
)


class AsOfForm(forms.Form):
    """The date a roster is shown or exported for; accepts 2025-07-30 or 令和7年7月30日."""

    as_of = forms.CharField(label=_("基準日"), required=False)
    sector = forms.ChoiceField(
        label=_("分野"), required=False, choices=[("", _("すべての分野")), *Sector.choices]
    )

    def clean_as_of(self) -> date | None:
        value = self.cleaned_data["as_of"].strip()
        if not value:
            return None
        try:
            day = parse_wareki(value)
        except ValueError as e:
            # parse_wareki says what is wrong, in Japanese: the format, a day that does
            # not exist (2025-02-30), or an era date outside its era (平成31年5月1日).
            raise forms.ValidationError(str(e)) from None
        try:
            era_year(day)
        except ValueError:
            # The roster is dated in 和暦, which starts with 明治.
            raise forms.ValidationError(_("明治以降の日付を指定してください。")) from None
        return day
