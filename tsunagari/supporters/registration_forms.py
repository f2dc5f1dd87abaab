"""The public sign-up form of a course (参加申込): no account, the least that is needed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import JapaneseCharField, NormalizedEmailField, PhoneField
from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.members.forms import municipality_choices
from tsunagari.surveys.models import AgeBand

OUTSIDE = "outside"  # 神奈川県外: anyone may attend


def residence_choices() -> list[tuple[str, Any]]:
    """The municipalities (wards under their cities), then 「神奈川県外」; not the
    prefecture as a whole, which is nobody's address."""
    groups = municipality_choices()[1:]
    return [("", _("選んでください")), *groups, (OUTSIDE, _("神奈川県外"))]


class ResidenceField(forms.ChoiceField):
    """Where the person lives: a Municipality, or None for outside Kanagawa."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=residence_choices, **kwargs)

    def clean(self, value: Any) -> Municipality | None:
        code = super().clean(value)
        if not code or code == OUTSIDE:
            return None
        return Municipality.objects.filter(code=code).first()


class RegistrationForm(HumanCheckForm, forms.Form):
    name = JapaneseCharField(
        label=_("お名前またはニックネーム"),
        max_length=100,
        help_text=_("受付で呼ぶお名前です。ニックネームでもかまいません。"),
        error_messages={"required": _("お名前またはニックネームを入力してください。")},
    )
    email = NormalizedEmailField(
        label=_("メールアドレス"),
        required=False,
        max_length=254,
        help_text=_("申し込みの確認と前日のお知らせをお送りします。"),
        error_messages={"invalid": _("メールアドレスの形式が正しくありません。")},
    )
    phone = PhoneField(
        label=_("電話番号"),
        required=False,
        max_length=20,
        help_text=_(
            "メールがない方は電話番号を書いてください。主催者からお電話します。例：090-0000-0000"
        ),
    )
    municipality = ResidenceField(
        label=_("お住まいの市町村"),
        error_messages={"required": _("お住まいの市町村を選んでください。")},
    )
    age_band = forms.ChoiceField(
        label=_("年代（任意）"),
        required=False,
        choices=[("", _("答えない")), *AgeBand.choices],
    )
    accessibility_needs = JapaneseCharField(
        label=_("参加にあたって必要な配慮（任意）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("例：車いすで参加します。手話通訳を希望します。字幕があると助かります。"),
    )
    consent = forms.BooleanField(
        label=_("上の「個人情報の取り扱い」を読み、同意します"),
        error_messages={"required": _("申し込むには、個人情報の取り扱いへの同意が必要です。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error(
                "email",
                _("メールアドレスか電話番号のどちらかを入力してください。"),
            )
        return data
