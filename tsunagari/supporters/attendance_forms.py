"""Forms of attendance: the participant's code (public) and the organiser's roster."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.lib.text import normalize_text

SESSION_CODE_HELP = _("会場や画面に表示されている4けたの数字です。")


def _clean_session_code(value: str) -> str:
    code = re.sub(r"[\s\-ー－]", "", normalize_text(value or ""))
    if not re.fullmatch(r"\d{4}", code):
        raise forms.ValidationError(_("出席コードは4けたの数字で入力してください。"))
    return code


class LinkAttendForm(HumanCheckForm, forms.Form):
    """From the link in the participant's mail: only the session's code."""

    min_seconds = 2
    session_code = forms.CharField(
        label=_("出席コード"),
        max_length=20,
        help_text=SESSION_CODE_HELP,
        error_messages={"required": _("出席コードを入力してください。")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20}
        ),
    )

    def clean_session_code(self) -> str:
        return _clean_session_code(self.cleaned_data["session_code"])


class AttendForm(LinkAttendForm):
    """The public form: the 受付番号 from the confirmation mail and the session's code."""

    registration_code = forms.CharField(
        label=_("受付番号"),
        max_length=30,
        help_text=_("申し込んだときのメールに書いてある番号です。"),
        error_messages={"required": _("受付番号を入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 30}),
    )

    field_order = ["registration_code", "session_code"]

    def clean_registration_code(self) -> str:
        code = re.sub(r"\s", "", normalize_text(self.cleaned_data["registration_code"]))
        return re.sub("[ー－―‐]", "-", code).upper()


class ConfirmForm(forms.Form):
    """A confirmation checkbox for an action that cannot be undone."""

    confirm = forms.BooleanField(
        label=_("削除すると元に戻せないことを理解しました"),
        error_messages={"required": _("確認のチェックを入れてください。")},
    )
