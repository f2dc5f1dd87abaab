"""Forms of resident requests (住民の声): the public form and the secretariat's screening."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import japanese_formfield
from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.members.forms import (
    MunicipalityChoiceField,
    use_japanese_blank_choice,
)

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


class ResidentRequestForm(HumanCheckForm, forms.ModelForm):
    """「こんな場・支えがほしい」: anonymous; contact details only with explicit consent."""

    municipality = MunicipalityChoiceField(label=_("お住まいの市区町村（任意）"), required=False)

    class Meta:
        model = ResidentRequest
        formfield_callback = japanese_formfield
        fields = [
            "text",
            "municipality",
            "target_groups",
            "contact_consent",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 7, "maxlength": 2000}),
            "target_groups": forms.CheckboxSelectMultiple,
        }
        labels = {"text": _("どんな場や支えがほしいですか")}
        help_texts = {
            "text": _(
                "例：週末に親子で気軽に行ける場所が近くにほしい。"
                "2000文字まで。お名前や住所など、知られたくないことは書かなくてかまいません。"
            ),
            "contact_consent": _(
                "チェックした場合だけ、下のお名前と連絡先を記録します。"
                "チェックしない場合、入力しても記録しません。"
            ),
            "contact_phone": _("例：090-0000-0000"),
        }
        error_messages = {
            "text": {
                "required": _("ほしい場や支えについて書いてください。"),
                "max_length": _("2000文字以内で書いてください（今は%(show_value)d文字です）。"),
            },
            "contact_email": {"invalid": _("メールアドレスの形式が正しくありません。")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = self.fields["target_groups"]
        groups.queryset = TargetGroup.objects.filter(is_active=True)  # type: ignore[attr-defined]
        groups.label = _("どなたのための場・支えですか（任意）")
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_phone"].widget.attrs["inputmode"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("contact_consent"):
            # Without consent, what was typed in the contact fields is never stored.
            for name in CONTACT_FIELDS:
                data[name] = ""
        elif not (data.get("contact_email") or data.get("contact_phone")) and not any(
            name in self.errors for name in CONTACT_FIELDS
        ):
            self.add_error(
                "contact_email",
                _(
                    "連絡を希望する場合は、メールアドレスか電話番号を入力してください。"
                    "希望しない場合はチェックを外してください。"
                ),
            )
        return data


class PublishForm(forms.ModelForm):
    """The secretariat's rewrite of a resident request as a need for members to read."""

    municipality = MunicipalityChoiceField(label=_("市区町村"), required=False)
    personal_details_removed = forms.BooleanField(
        label=_("個人が特定される内容（名前・住所・連絡先・細かな事情）を取り除きました"),
        error_messages={
            "required": _("公開する前に、個人が特定される内容を取り除いたことを確かめてください。")
        },
    )

    class Meta:
        model = Need
        formfield_callback = japanese_formfield
        fields = [
            "title",
            "description",
            "municipality",
            "target_groups",
            "kinds_wanted",
            "urgency",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": 4000}),
            "target_groups": forms.CheckboxSelectMultiple,
            "kinds_wanted": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _("例：週末に親子で参加できる場がほしい"),
            "description": _(
                "住民の声の原文が入っています。構成員が読む文章に書き直してください。"
                "原文は構成員には表示されません。"
            ),
        }
        error_messages = {
            "title": {"required": _("見出しを入力してください。")},
            "description": {"required": _("内容を入力してください。")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["kinds_wanted"].queryset = Kind.objects.filter(is_active=True)  # type: ignore[attr-defined]
        use_japanese_blank_choice(self)

    @classmethod
    def for_request(cls, resident_request: ResidentRequest, data: Any = None) -> PublishForm:
        """Pre-filled with the original, for the secretariat to rewrite."""
        initial = {
            "description": resident_request.text,
            "municipality": resident_request.municipality_id,
            "target_groups": list(resident_request.target_groups.all()),
        }
        return cls(data, initial=initial, instance=Need(origin=Need.Origin.RESIDENT))


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("公開しない理由（事務局内のメモ）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
