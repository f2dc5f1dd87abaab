"""Forms of the directory's management pages and of the public error report."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Model, Q, QuerySet
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import JapaneseCharField, japanese_formfield
from tsunagari.directory import recurrence
from tsunagari.directory.models import (
    AccessibilityFeature,
    Concern,
    ErrorReport,
    Kind,
    Language,
    Location,
    Resource,
    Schedule,
    TargetGroup,
)
from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.lib.text import normalize_text
from tsunagari.members.forms import (
    MunicipalityMultipleField,
    municipality_choices,
    use_japanese_blank_choice,
)
from tsunagari.members.models import Organization

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

WEEKDAY_CHOICES = [(str(n), name) for n, name in recurrence.WEEKDAY_LABELS.items()]
WEEK_CHOICES = [
    ("1", _("第1")),
    ("2", _("第2")),
    ("3", _("第3")),
    ("4", _("第4")),
    ("5", _("第5")),
    ("-1", _("最終")),
]
TAXONOMIES = {
    "kinds": Kind,
    "target_groups": TargetGroup,
    "concerns": Concern,
    "accessibility": AccessibilityFeature,
}


def location_municipality_choices() -> list[tuple[str, Any]]:
    """Municipalities grouped by city, wards under their city; a place is never 県全域."""
    return [("", _("選んでください")), *municipality_choices()[1:]]


class MunicipalityChoiceField(forms.ChoiceField):
    """One municipality from the grouped list; cleans to a Municipality."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=location_municipality_choices, **kwargs)

    def clean(self, value: Any) -> Municipality | None:
        code = super().clean(value)
        return Municipality.objects.filter(code=code).first() if code else None

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "pk", value)


class TimeField(forms.TimeField):
    """A time typed on a Japanese keyboard (１０：００) is read as 10:00."""

    widget = TIME_WIDGET

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = normalize_text(value).replace("：", ":")
        return super().to_python(value)


class TermCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ResourceForm(forms.ModelForm):
    """A resource as its owner or the secretariat enters it.

    The taxonomies offer only the terms in use; a retired term already on the resource
    stays on it when the form is saved.
    """

    kinds = TermCheckboxes(
        queryset=Kind.objects.filter(is_active=True),
        label=_("種類"),
        error_messages={"required": _("種類を1つ以上選んでください。")},
    )
    target_groups = TermCheckboxes(
        queryset=TargetGroup.objects.filter(is_active=True), label=_("対象"), required=False
    )
    concerns = TermCheckboxes(
        queryset=Concern.objects.filter(is_active=True),
        label=_("相談の分野"),
        required=False,
        help_text=_("相談窓口の場合に選んでください。"),
    )
    languages = TermCheckboxes(queryset=Language.objects.all(), label=_("対応言語"), required=False)
    accessibility = TermCheckboxes(
        queryset=AccessibilityFeature.objects.filter(is_active=True),
        label=_("アクセシビリティ"),
        required=False,
    )
    service_area = MunicipalityMultipleField(
        label=_("対象地域"),
        required=False,
        help_text=_("場所とは別に、利用できる人の住む地域（空欄なら場所の市町村）"),
    )

    SECRETARIAT_ONLY = ["organization", "provider_name", "source", "is_sample"]

    class Meta:
        model = Resource
        formfield_callback = japanese_formfield
        fields = [
            "organization",
            "provider_name",
            "name",
            "name_kana",
            "description",
            "kinds",
            "target_groups",
            "concerns",
            "languages",
            "accessibility",
            "accessibility_note",
            "service_area",
            "is_online",
            "online_only",
            "is_free",
            "fee",
            "capacity",
            "how_to_join",
            "hours_note",
            "is_24h",
            "contact_name",
            "phone",
            "email",
            "url",
            "status",
            "source",
            "last_verified_on",
            "is_sample",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "how_to_join": forms.Textarea(attrs={"rows": 3}),
            "last_verified_on": DATE_WIDGET,
        }
        help_texts = {
            "name_kana": _("ひらがなで入力しても、カタカナに直して保存します。"),
            "phone": _("例：045-000-0000"),
            "last_verified_on": _("空欄なら保存した日を最終確認日にします。"),
        }
        error_messages = {
            "name": {"required": _("名称を入力してください。")},
            "description": {"required": _("内容を入力してください。")},
            "email": {"invalid": _("メールアドレスの形式が正しくありません。")},
            "url": {"invalid": _("URLの形式が正しくありません（https:// から始まるURL）。")},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.is_secretariat = bool(getattr(user, "is_secretariat", False))
        if self.is_secretariat:
            organization = self.fields["organization"]
            organization.queryset = Organization.objects.by_reading()  # type: ignore[attr-defined]
            organization.empty_label = _("構成員以外（提供者名を入力）")  # type: ignore[attr-defined]
        else:
            for name in [*self.SECRETARIAT_ONLY, "last_verified_on"]:
                del self.fields[name]
            # Staff create resources for their own organisation only; someone with
            # several is asked 「どの立場で」 (ActingFor, added by the view).
            organization_ids: frozenset[int] = getattr(user, "organization_ids", frozenset())
            if self.instance.pk is None and len(organization_ids) == 1:
                self.instance.organization_id = next(iter(organization_ids))
        status = self.fields["status"]
        if self.instance.status == Resource.Status.UNPUBLISHED:
            # Only the secretariat's 再公開 button brings it back.
            status.disabled = True
            status.help_text = _("事務局が非公開にしました。再公開は事務局が行います。")
        else:
            status.choices = [  # type: ignore[attr-defined]
                (Resource.Status.PUBLISHED, Resource.Status.PUBLISHED.label),
                (Resource.Status.DRAFT, _("下書き（公開しない）")),
            ]
            status.widget = forms.RadioSelect(choices=status.choices)  # type: ignore[attr-defined]
        use_japanese_blank_choice(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("acting_for") is not None:
            # Before the model's own checks, which need to know the owner.
            self.instance.organization = data["acting_for"]
        return data

    def _with_retired_terms(self, name: str) -> QuerySet[Any]:
        chosen = self.cleaned_data[name]
        if self.instance.pk is None:
            return chosen
        model = TAXONOMIES[name]
        retired = getattr(self.instance, name).filter(is_active=False).values("pk")
        return model._default_manager.filter(Q(pk__in=chosen.values("pk")) | Q(pk__in=retired))

    def clean_kinds(self) -> QuerySet[Any]:
        return self._with_retired_terms("kinds")

    def clean_target_groups(self) -> QuerySet[Any]:
        return self._with_retired_terms("target_groups")

    def clean_concerns(self) -> QuerySet[Any]:
        return self._with_retired_terms("concerns")

    def clean_accessibility(self) -> QuerySet[Any]:
        return self._with_retired_terms("accessibility")


class LocationForm(forms.ModelForm):
    """A place where the resource takes place (場所)."""

    municipality = MunicipalityChoiceField(
        label=_("市区町村"), error_messages={"required": _("市区町村を選んでください。")}
    )

    class Meta:
        model = Location
        formfield_callback = japanese_formfield
        fields = [
            "name",
            "municipality",
            "postal_code",
            "address",
            "hide_address",
            "latitude",
            "longitude",
            "access",
        ]
        help_texts = {
            "postal_code": _("例：251-0052"),
            "latitude": _("地図に表示する位置（例：35.338）。分からなければ空欄で構いません。"),
            "longitude": _("例：139.487"),
        }
        error_messages = {"name": {"required": _("場所の名称を入力してください。")}}


def is_deleted(form: forms.BaseForm) -> bool:
    """The row's 削除 box is ticked (read from what the form cleaned)."""
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


class BaseLocationFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if getattr(self, "online_only", False):
            return
        kept = [f for f in self.forms if (f.has_changed() or f.instance.pk) and not is_deleted(f)]
        if not kept:
            raise forms.ValidationError(
                _("場所を1つ以上入力してください（オンラインのみの場合は不要です）。")
            )


LocationFormSet = cast(
    "type[BaseLocationFormSet]",
    forms.inlineformset_factory(
        Resource, Location, form=LocationForm, formset=BaseLocationFormSet, extra=1, can_delete=True
    ),
)


class ScheduleForm(forms.ModelForm):
    """When the resource meets (日程), in the forms organisers use."""

    weekdays = forms.MultipleChoiceField(
        label=_("曜日"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weeks_of_month = forms.MultipleChoiceField(
        label=_("第何週"),
        choices=WEEK_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("「毎月第n曜日」のとき。例：第2・第4土曜なら第2と第4、曜日は土"),
    )
    location_index = forms.ChoiceField(label=_("場所"), required=False, choices=[])
    opens_at = TimeField(label=_("開始時刻"), required=False)
    closes_at = TimeField(label=_("終了時刻"), required=False)

    # What each frequency uses; the rest is cleared so that no stale value lingers.
    USES = {
        recurrence.WEEKLY: {"weekdays"},
        recurrence.MONTHLY_NTH: {"weekdays", "weeks_of_month"},
        recurrence.MONTHLY_DAY: {"day_of_month"},
        recurrence.DAILY: {"weekdays"},
        recurrence.ONCE: set(),
        recurrence.IRREGULAR: set(),
    }

    class Meta:
        model = Schedule
        formfield_callback = japanese_formfield
        fields = [
            "frequency",
            "weekdays",
            "weeks_of_month",
            "day_of_month",
            "starts_on",
            "ends_on",
            "opens_at",
            "closes_at",
            "note",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
        }
        labels = {"day_of_month": _("毎月の日付")}
        help_texts = {
            "day_of_month": _("「毎月○日」のとき（1〜31）"),
            "starts_on": _("単発のときは開催日。くり返しのときは、この日から"),
            "ends_on": _("複数日の催しの最終日、またはくり返しの終わり"),
            "note": _("例：祝日は休み、不定期の場合は開催の目安"),
        }
        error_messages = {"frequency": {"required": _("頻度を選んでください。")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = [
                str(n) for n in recurrence.parse_ints(self.instance.weekdays)
            ]
            self.initial["weeks_of_month"] = [
                str(n) for n in recurrence.parse_ints(self.instance.weeks_of_month)
            ]
        use_japanese_blank_choice(self)
        self.fields["frequency"].widget.attrs["class"] = "frequency"

    def clean_weekdays(self) -> str:
        return ",".join(self.cleaned_data["weekdays"])

    def clean_weeks_of_month(self) -> str:
        return ",".join(self.cleaned_data["weeks_of_month"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        uses = self.USES.get(data.get("frequency") or "", set())
        if "weekdays" not in uses:
            data["weekdays"] = ""
        if "weeks_of_month" not in uses:
            data["weeks_of_month"] = ""
        if "day_of_month" not in uses:
            data["day_of_month"] = None
        return data


class BaseScheduleFormSet(forms.BaseInlineFormSet):
    def set_locations(self, location_formset: BaseLocationFormSet) -> None:
        """Let each schedule name one of the places on the same page, by its position."""
        choices: list[tuple[str, str]] = [("", str(_("指定しない")))]
        index_of: dict[int, str] = {}
        for i, lform in enumerate(location_formset.forms):
            name = lform["name"].value() or ""
            if not name and not lform.instance.pk:
                continue
            choices.append((str(i), f"{_('場所')}{i + 1}：{name}"))
            if lform.instance.pk:
                index_of[lform.instance.pk] = str(i)
        for sform in self.forms:
            field = sform.fields["location_index"]
            field.choices = choices  # type: ignore[attr-defined]
            if sform.instance.location_id in index_of:
                sform.initial.setdefault("location_index", index_of[sform.instance.location_id])


ScheduleFormSet = cast(
    "type[BaseScheduleFormSet]",
    forms.inlineformset_factory(
        Resource, Schedule, form=ScheduleForm, formset=BaseScheduleFormSet, extra=1, can_delete=True
    ),
)


def add_row(data: Any, prefix: str) -> Any:
    """POST data with one more blank row in a formset (the 「追加」 button without JS)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1)
    return data


def without_errors(*forms_and_formsets: forms.BaseForm | forms.BaseFormSet) -> None:
    """Show what was typed without judging it: the page only grew a row."""
    # Django computes errors lazily into these attributes; setting them empty skips it.
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            for f in item.forms:
                f._errors = ErrorDict()
            item._errors = []  # type: ignore[attr-defined]
            item._non_form_errors = ErrorList()  # type: ignore[attr-defined]
        else:
            item._errors = ErrorDict()  # type: ignore[attr-defined]


class UnpublishForm(forms.Form):
    reason = JapaneseCharField(
        label=_("非公開にする理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("理由を入力してください。")},
        help_text=_("提供団体にも表示されます。"),
    )


class ResourceFilterForm(forms.Form):
    """The secretariat's filters over every resource."""

    q = JapaneseCharField(label=_("名称・提供者で検索"), required=False)
    status = forms.ChoiceField(
        label=_("公開状態"), required=False, choices=[("", _("すべて")), *Resource.Status.choices]
    )
    organization = forms.ModelChoiceField(
        label=_("提供団体"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("すべての団体"),
    )
    stale = forms.BooleanField(label=_("1年以上確認されていないものだけ"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            resources__isnull=False
        ).distinct()


class TermForm(forms.ModelForm):
    """A taxonomy term. Its identifier is fixed once created: links and the API use it."""

    slug = forms.SlugField(
        label=_("識別子"),
        max_length=40,
        help_text=_("半角英小文字・数字・ハイフン（例：kodomo-shokudo）。作成後は変更できません。"),
        error_messages={"invalid": _("半角英数字とハイフンだけで入力してください。")},
    )

    class Meta:
        model = Kind  # replaced per taxonomy by term_form_class()
        formfield_callback = japanese_formfield
        fields = ["slug", "name", "name_en", "description", "sort_order", "is_active"]
        help_texts = {
            "is_active": _(
                "外すと入力フォームと検索の絞り込みに表示しません（登録済みの資源には残ります）。"
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["slug"].disabled = True


def term_form_class(model: type[Model]) -> type[TermForm]:
    meta = type("Meta", (TermForm.Meta,), {"model": model})
    return type(f"{model.__name__}Form", (TermForm,), {"Meta": meta})


class ErrorReportForm(HumanCheckForm, forms.ModelForm):
    """The public 「情報の誤りを報告」 form. Nothing about the sender is stored but what
    they type. The trap field and the fill-time token come from lib/antibot.py."""

    class Meta:
        model = ErrorReport
        formfield_callback = japanese_formfield
        fields = ["message", "reply_to"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 2000})}
        help_texts = {"message": _("どの情報がどう違っているか（例：開催日が第3土曜に変わった）")}
        error_messages = {
            "message": {"required": _("誤りの内容を入力してください。")},
            "reply_to": {"invalid": _("メールアドレスの形式が正しくありません。")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply_to"].widget.attrs["autocomplete"] = "email"


# A directory place for something held there (a course, a meeting): events elsewhere pick
# their venue from the directory instead of typing the address again.


def location_choices(user: Any, current: Location | None = None) -> Any:
    """The places an organiser may pick (of public directory resources, never a place
    whose address is hidden): their organisations' places, the places in the
    municipalities they are officers of (wards included); all for the secretariat."""
    qs = Location.objects.filter(
        resource__status=Resource.Status.PUBLISHED, hide_address=False
    ).select_related("municipality", "resource")
    if not user.is_secretariat:
        codes = list(user.officer_municipality_ids)
        qs = qs.filter(
            Q(resource__organization_id__in=user.organization_ids)
            | Q(municipality_id__in=codes)
            | Q(municipality__parent_id__in=codes)
        )
    if current is not None:
        qs = qs | Location.objects.filter(pk=current.pk).select_related("municipality", "resource")
    return qs.distinct().order_by("municipality_id", "name", "id")


class LocationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.municipality.label}／{obj.name}（{obj.resource.name}）"


class AreaResourceFilterForm(forms.Form):
    """An officer's filters over the resources in their area."""

    municipality = forms.ChoiceField(label=_("市町村"), required=False)
    kind = forms.ModelChoiceField(
        label=_("種類"),
        queryset=Kind.objects.all(),
        required=False,
        empty_label=_("すべての種類"),
        to_field_name="slug",
    )
    stale = forms.BooleanField(label=_("1年以上確認されていないものだけ"), required=False)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["municipality"])
        if len(municipalities) > 1:
            every = [("", _("担当するすべての市町村"))]
            field.choices = [*every, *((m.pk, m.name) for m in municipalities)]
        else:
            field.choices = [(m.pk, m.name) for m in municipalities]
            field.widget = forms.HiddenInput()


class OfficerFlagForm(forms.Form):
    """「指摘する」: what an officer found wrong; it reaches the owner as an error report."""

    reason = JapaneseCharField(
        label=_("指摘の内容"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1500}),
        help_text=_("どの情報がどう違っているか（例：会場が公民館から図書館に移った）"),
        error_messages={"required": _("指摘の内容を入力してください。")},
    )
