"""The filters of the public pages (search, print, consultation), as GET forms.

A bad value never breaks the page: the form reports it and the search runs with the
other filters.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagari.core.forms import JapaneseCharField
from tsunagari.directory.models import AccessibilityFeature, Concern, Kind, Language, TargetGroup
from tsunagari.lib import pagecache
from tsunagari.members.forms import municipality_choices

WEEKDAY_CHOICES = [
    (1, _("月曜日")),
    (2, _("火曜日")),
    (3, _("水曜日")),
    (4, _("木曜日")),
    (5, _("金曜日")),
    (6, _("土曜日")),
    (7, _("日曜日")),
]


def area_choices() -> list[tuple[str, Any]]:
    """Cities with their wards, other cities, towns; "anywhere" instead of the prefecture."""
    prefecture = str(_("県全域"))  # the group municipality_choices() names so
    groups = [(label, options) for label, options in municipality_choices() if label != prefecture]
    return [("", _("県内のすべての地域")), *groups]


def term_choices(model: type[Any], everything: str) -> list[tuple[str, str]]:
    return [
        ("", everything),
        *((t.slug, str(t.label)) for t in model.objects.filter(is_active=True)),
    ]


def _filter_choices() -> dict[str, list[tuple[str, Any]]]:
    def text(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        """Labels as plain text of the current language (lazy ones cannot be kept)."""
        return [
            (value, text(label) if isinstance(label, list) else str(label))
            for value, label in choices
        ]

    return {
        "municipality": text(area_choices()),
        "kind": term_choices(Kind, str(_("すべての種類"))),
        "target": term_choices(TargetGroup, str(_("どなたでも"))),
        "lang": text(
            [
                ("", _("指定しない")),
                *((language.code, language.label) for language in Language.objects.all()),
            ]
        ),
        "accessibility": term_choices(AccessibilityFeature, str(_("指定しない"))),
    }


def filter_choices() -> dict[str, list[tuple[str, Any]]]:
    """The choices of the search filters in the current language: five queries, kept in
    the cache until a term or a municipality changes (lib/pagecache.py)."""
    return pagecache.remember("directory-filter-choices", ("directory", "geo"), (), _filter_choices)


class FilterForm(forms.Form):
    """What a resident can narrow the directory by."""

    q = JapaneseCharField(
        label=_("キーワード"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    municipality = forms.ChoiceField(label=_("市区町村"), required=False)
    kind = forms.ChoiceField(label=_("種類"), required=False)
    target = forms.ChoiceField(label=pgettext_lazy("who a resource is for", "対象"), required=False)
    day = forms.TypedChoiceField(
        label=_("曜日"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("いつでも")), *WEEKDAY_CHOICES],
    )
    open_now = forms.BooleanField(label=_("今ひらいている"), required=False)
    free = forms.BooleanField(label=_("無料"), required=False)
    online = forms.BooleanField(label=_("オンライン"), required=False)
    lang = forms.ChoiceField(label=_("言語"), required=False)
    accessibility = forms.ChoiceField(label=_("バリアフリー・配慮"), required=False)
    # "Near me": the browser's position, filled in by static/js/directory-search.js.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        for name, choices in filter_choices().items():
            fields[name].choices = choices  # type: ignore[attr-defined]
        for name in ("lat", "lon"):
            fields[name].error_messages["invalid"] = _("現在地を読み取れませんでした。")
            fields[name].error_messages["min_value"] = _("現在地を読み取れませんでした。")
            fields[name].error_messages["max_value"] = _("現在地を読み取れませんでした。")
        for field in fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = _(
                    "「%(value)s」は選べない値です。一覧から選んでください。"
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error(None, _("現在地を読み取れませんでした。"))
            data["lat"] = data["lon"] = None
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for directory.search.search(); bad values are left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "municipality": data.get("municipality") or None,
            "kind": data.get("kind") or None,
            "target": data.get("target") or None,
            "day": data.get("day"),
            "open_now": bool(data.get("open_now")),
            "free": bool(data.get("free")),
            "online": bool(data.get("online")),
            "lang": data.get("lang") or None,
            "accessibility": data.get("accessibility") or None,
        }

    def position(self) -> tuple[float, float] | None:
        self.is_valid()
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        if lat is None or lon is None:
            return None
        return lat, lon

    def is_filtered(self) -> bool:
        return any(self.filters().values()) or self.position() is not None


class ConsultForm(forms.Form):
    """The consultation page's filters: what the trouble is about, and where."""

    concern = forms.ChoiceField(label=_("相談したいこと"), required=False)
    municipality = forms.ChoiceField(label=_("お住まいの市区町村"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concern"].choices = term_choices(Concern, str(_("すべての分野")))  # type: ignore[attr-defined]
        self.fields["municipality"].choices = area_choices()  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _(
                "「%(value)s」は選べない値です。一覧から選んでください。"
            )
