"""The May page's filters (a GET form) and the secretariat's form for the month's items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagari.awareness import month
from tsunagari.awareness.models import AwarenessItem
from tsunagari.core.forms import JapaneseCharField
from tsunagari.directory.public_forms import filter_choices
from tsunagari.directory.recurrence import format_day
from tsunagari.helplines.forms import DateInput

MODE_CHOICES = [
    ("", _("指定しない")),
    ("in_person", _("会場で")),
    ("online", _("オンラインで")),
]


class MonthFilterForm(forms.Form):
    """What a resident can narrow the month's events by. A bad value never breaks the
    page: it is reported and the other filters apply."""

    municipality = forms.ChoiceField(label=_("地域"), required=False)
    kind = forms.ChoiceField(label=_("種類"), required=False)
    target = forms.ChoiceField(label=pgettext_lazy("who a resource is for", "対象"), required=False)
    week = forms.TypedChoiceField(label=_("週"), required=False, coerce=int, empty_value=None)
    day = forms.TypedChoiceField(
        label=_("日付"),
        required=False,
        coerce=dt.date.fromisoformat,
        empty_value=None,
    )
    mode = forms.ChoiceField(label=_("参加のしかた"), required=False, choices=MODE_CHOICES)

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        self.fields["municipality"].choices = choices["municipality"]  # type: ignore[attr-defined]
        self.fields["kind"].choices = choices["kind"]  # type: ignore[attr-defined]
        self.fields["target"].choices = choices["target"]  # type: ignore[attr-defined]
        first, last = month.may_days(year)
        weeks: list[tuple[Any, Any]] = [("", _("5月中いつでも"))]
        for week in range(1, 6):
            start = first + dt.timedelta(days=7 * (week - 1))
            end = min(start + dt.timedelta(days=6), last)
            weeks.append(
                (
                    week,
                    _("第%(week)d週（%(start)d日〜%(end)d日）")
                    % {"week": week, "start": start.day, "end": end.day},
                )
            )
        self.fields["week"].choices = weeks  # type: ignore[attr-defined]
        days: list[tuple[Any, Any]] = [("", _("指定しない"))]
        for n in range(31):
            day = first + dt.timedelta(days=n)
            days.append((day.isoformat(), format_day(day)))
        self.fields["day"].choices = days  # type: ignore[attr-defined]

    def filters(self) -> month.Filters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return month.Filters(
            municipality=data.get("municipality") or "",
            kind=data.get("kind") or "",
            target=data.get("target") or "",
            week=data.get("week"),
            day=data.get("day"),
            mode=data.get("mode") or "",
        )

    def is_filtered(self) -> bool:
        return any(v for v in self.filters().__dict__.values())


class AwarenessItemForm(forms.ModelForm):
    title = JapaneseCharField(label=_("名称"), max_length=120)
    description = JapaneseCharField(
        label=_("内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    source = JapaneseCharField(
        label=_("出典"),
        max_length=300,
        help_text=_("この情報をどこで確かめたか（発表資料の名称やURL）"),
    )

    class Meta:
        model = AwarenessItem
        fields = ["title", "kind", "starts_on", "ends_on", "description", "url", "source"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        labels = {"starts_on": _("開始日"), "ends_on": _("終了日")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("終了日は開始日より後にしてください。"))
        return data
