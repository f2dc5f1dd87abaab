"""The secretariat's forms for the national lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.helplines.models import NationalLine


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReverifyForm(forms.Form):
    """Re-verification: the source as seen now (prefilled with what is stored)."""

    prefix = "verify"

    source_url = forms.URLField(
        label=_("出典URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("確認した公式ページのURL。変わっていなければそのままにしてください。"),
    )
    source_seen = forms.DateField(
        label=_("情報確認日"),
        widget=DateInput(),
        help_text=_("出典のページでこの窓口の内容を確かめた日。"),
    )

    def __init__(self, *args: Any, line: NationalLine, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "source_url": line.source_url,
                "source_seen": timezone.localdate(),
            },
        )
        super().__init__(*args, **kwargs)

    def clean_source_seen(self) -> dt.date:
        seen: dt.date = self.cleaned_data["source_seen"]
        if seen > timezone.localdate():
            raise forms.ValidationError(_("情報確認日に未来の日付は入力できません。"))
        return seen


class RetireForm(forms.Form):
    prefix = "retire"

    reason = forms.CharField(
        label=_("掲載終了の理由"),
        max_length=300,
        required=False,
        help_text=_("例：番号が変わった、事業が終了した、公式ページで確認できない"),
    )


class PeriodForm(forms.Form):
    """The announced period of a line that runs only then. Both empty: not shown."""

    prefix = "period"

    starts_on = forms.DateField(label=_("実施期間（開始）"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("実施期間（終了）"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if bool(starts) != bool(ends):
            raise forms.ValidationError(
                _(
                    "実施期間は開始日と終了日の両方を入力してください（表示をやめるときは両方を空に）。"
                )
            )
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("実施期間の終了日は開始日より後にしてください。"))
        return data
