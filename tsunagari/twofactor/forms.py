from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.twofactor.services import is_totp_shaped, normalise


class AppCodeForm(forms.Form):
    """The six digits an authenticator app shows (full-width digits and spaces are fine)."""

    code = forms.CharField(
        label=_("確認コード（6桁）"),
        help_text=_("認証アプリに表示されている6桁の数字を入力してください。"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not is_totp_shaped(code):
            raise forms.ValidationError(_("6桁の数字を入力してください。"))
        return code


class RecoveryCodeForm(forms.Form):
    """One of the ten recovery codes (8 letters and digits, e.g. abcd-2345)."""

    recovery_code = forms.CharField(
        label=_("回復コード"),
        help_text=_(
            "設定したときに保存した回復コード（例：abcd-2345）。一度使うと使えなくなります。"
        ),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )

    def clean_recovery_code(self) -> str:
        code = normalise(self.cleaned_data["recovery_code"])
        if not (code.isascii() and code.isalnum() and 6 <= len(code) <= 16):
            raise forms.ValidationError(_("回復コードの形が正しくありません。"))
        return code
