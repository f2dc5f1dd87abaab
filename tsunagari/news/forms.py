"""Forms of the news posts and the member mailings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.lib.text import normalize_text
from tsunagari.news.models import Mailing, Post


class _Normalised:
    """Full-width letters and digits, odd spaces and line ends made plain in every text."""

    cleaned_data: dict[str, Any]
    text_fields: tuple[str, ...] = ()

    def _normalise(self) -> None:
        for name in self.text_fields:
            if isinstance(self.cleaned_data.get(name), str):
                self.cleaned_data[name] = normalize_text(self.cleaned_data[name])


class PostForm(_Normalised, forms.ModelForm):
    text_fields = ("title", "body")

    class Meta:
        model = Post
        fields = ["title", "category", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._normalise()
        return cleaned


class ReturnForm(forms.Form):
    prefix = "return"

    reason = forms.CharField(
        label=_("差し戻しの理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("投稿した人にメールで届きます。直してほしい点を具体的に書いてください。"),
    )

    def clean_reason(self) -> str:
        reason = normalize_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("差し戻しの理由を入力してください。"))
        return reason


class MailingForm(_Normalised, forms.ModelForm):
    text_fields = ("subject", "body")

    class Meta:
        model = Mailing
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "body": _("文章のみ。宛名と配信停止の案内は自動で付きます。"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._normalise()
        return cleaned


class SubscriptionForm(forms.Form):
    subscribed = forms.BooleanField(
        label=_("事務局からの会員向けメールを受け取る"),
        required=False,
        help_text=_(
            "構成員向けのお知らせ（会議・研修・募集など）がメールで届きます。いつでも停止できます。"
        ),
    )
