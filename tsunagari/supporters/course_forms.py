"""The organiser's course form, and 「どの立場で」 for a person with several capacities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.acting import FIELD, SESSION_KEY
from tsunagari.core.forms import japanese_formfield
from tsunagari.directory.forms import LocationField, location_choices
from tsunagari.directory.models import AccessibilityFeature, Language
from tsunagari.geo.models import Municipality
from tsunagari.members.forms import MunicipalityChoiceField
from tsunagari.members.models import Organization
from tsunagari.supporters.models import Course

AS_SECRETARIAT = "secretariat"
MUNICIPALITY_PREFIX = "municipality:"


@dataclass(frozen=True)
class Organiser:
    """Who runs a course: an organisation, a municipality, or (neither) the secretariat."""

    organization: Organization | None = None
    municipality: Municipality | None = None

    @property
    def value(self) -> str:
        if self.organization is not None:
            return str(self.organization.pk)  # as accounts/acting.py remembers it
        if self.municipality is not None:
            return MUNICIPALITY_PREFIX + self.municipality.pk
        return AS_SECRETARIAT

    @property
    def label(self) -> str:
        if self.organization is not None:
            return self.organization.name
        if self.municipality is not None:
            return str(_("%(name)sの担当者として") % {"name": self.municipality.label})
        return str(_("事務局として"))


def organisers_of(request: HttpRequest) -> list[Organiser]:
    """Every capacity in which the signed-in person may organise a course."""
    user: Any = request.user
    found = [Organiser(organization=o) for o in user.organizations.by_reading()]
    found += [Organiser(municipality=m) for m in user.officer_municipalities.order_by("code")]
    if user.is_secretariat:
        found.append(Organiser())
    return found


class OrganiserChoice:
    """「どの立場で」 for courses: like accounts.acting.ActingFor, with municipalities
    too. Asked only of someone with more than one capacity; the last answer is kept in
    the same session key, so it is preselected next time."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.choices = organisers_of(request)

    @property
    def asks(self) -> bool:
        return len(self.choices) > 1

    def preferred(self) -> Organiser:
        remembered = str(self.request.session.get(SESSION_KEY, ""))
        for organiser in self.choices:
            if organiser.value == remembered:
                return organiser
        return self.choices[0]

    def add_to(self, form: forms.BaseForm) -> None:
        if not self.asks:
            return
        field = forms.ChoiceField(
            label=_("どの立場で"),
            choices=[(o.value, o.label) for o in self.choices],
            widget=forms.RadioSelect,
            # Left out (a client that does not send it): the preferred capacity.
            required=False,
            initial=self.preferred().value,
            help_text=_("どの団体・市町村として講座を開くかを選んでください。"),
            error_messages={"invalid_choice": _("あなたの立場にない主催者は選べません。")},
        )
        form.fields = {FIELD: field, **form.fields}

    def chosen(self, form: forms.BaseForm) -> Organiser:
        if not self.asks:
            return self.choices[0]
        value = form.cleaned_data.get(FIELD) or ""
        for organiser in self.choices:
            if organiser.value == value:
                self.request.session[SESSION_KEY] = (
                    organiser.organization.pk if organiser.organization else value
                )
                return organiser
        return self.preferred()


class CourseForm(forms.ModelForm):
    day = forms.DateField(
        label=_("開催日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("開催日を入力してください。")},
    )
    start_time = forms.TimeField(
        label=_("開始時刻"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("開始時刻を入力してください。")},
    )
    deadline_day = forms.DateField(
        label=_("申込締切日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("この日の23時59分まで受け付けます（開始時刻を過ぎることはありません）。"),
        error_messages={"required": _("申込締切日を入力してください。")},
    )
    area = MunicipalityChoiceField(
        label=_("対象地域（オンラインの場合）"),
        required=False,
        help_text=_("会場で開く講座は、会場の市町村になります。"),
    )

    class Meta:
        model = Course
        formfield_callback = japanese_formfield
        fields = [
            "title",
            "description",
            "instructor",
            "format",
            "location",
            "venue_note",
            "online_url",
            "duration_minutes",
            "capacity",
            "target",
            "languages",
            "accessibility",
            "accessibility_note",
        ]
        field_classes = {"location": LocationField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
            "format": forms.RadioSelect,
            "languages": forms.CheckboxSelectMultiple,
            "accessibility": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _("例：つながりサポーター養成講座（藤沢会場）"),
            "description": _("講義とかんたんなワークで約90分、参加費は無料、など。"),
            "online_url": _(
                "参加が確定した人にだけ、確認メール・前日のお知らせ・申込ページで伝えます。"
                "公開ページには表示しません。"
            ),
            "duration_minutes": _("ふつうは90分です。"),
            "target": _("例：どなたでも（中学生以上）"),
        }
        error_messages = {
            "title": {"required": _("講座名を入力してください。")},
            "capacity": {"required": _("定員を入力してください。")},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course: Course = self.instance
        self.fields["location"].queryset = location_choices(  # type: ignore[attr-defined]
            user, course.location if course.pk else None
        )
        self.fields["location"].required = False
        self.fields["location"].empty_label = _("選んでください")  # type: ignore[attr-defined]
        self.fields["location"].help_text = _(
            "社会資源に登録された場所から選びます。ない場合は、先に社会資源として場所を登録してください。"
        )
        self.fields["languages"].queryset = Language.objects.all()  # type: ignore[attr-defined]
        self.fields["accessibility"].queryset = AccessibilityFeature.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        )
        self.fields["capacity"].widget.attrs["min"] = 1
        if course.pk:
            local = timezone.localtime(course.starts_at)
            self.initial.setdefault("day", local.date())
            self.initial.setdefault("start_time", local.time())
            self.initial.setdefault("deadline_day", timezone.localtime(course.deadline).date())
            if course.format == Course.Format.ONLINE:
                self.initial.setdefault("area", course.municipality_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        course: Course = self.instance
        fmt = data.get("format")
        if fmt == Course.Format.IN_PERSON:
            location = data.get("location")
            if location is None and "location" not in self.errors:
                self.add_error("location", _("会場で開く講座は、会場を選んでください。"))
            elif location is not None:
                place = location.municipality
                course.municipality = place.parent if place.parent_id else place
            data["online_url"] = ""
        elif fmt == Course.Format.ONLINE:
            data["location"] = None
            if not data.get("online_url") and "online_url" not in self.errors:
                self.add_error("online_url", _("オンラインの講座は、参加のURLを入力してください。"))
            area = data.get("area")
            if area is None:
                self.add_error("area", _("オンラインの講座は、対象地域を選んでください。"))
            else:
                course.municipality = area
        day, start, deadline_day = data.get("day"), data.get("start_time"), data.get("deadline_day")
        if day and start:
            starts = timezone.make_aware(dt.datetime.combine(day, start))
            changed = not course.pk or starts != course.starts_at
            if changed and starts <= timezone.now():
                self.add_error("day", _("開催日時は、これから先の日時にしてください。"))
            course.starts_at = starts
            if deadline_day:
                if deadline_day > day:
                    self.add_error("deadline_day", _("申込締切日は、開催日より前にしてください。"))
                end_of_day = timezone.make_aware(dt.datetime.combine(deadline_day, dt.time(23, 59)))
                course.deadline = min(end_of_day, starts)
        capacity = data.get("capacity")
        if course.pk and capacity:
            taken = course.registrations.confirmed().count()
            if capacity < taken:
                self.add_error(
                    "capacity",
                    _(
                        "参加が確定している人が%(count)s人います。定員はそれより少なくできません。"
                        "先に参加者の一覧で取り消してください。"
                    )
                    % {"count": taken},
                )
        return data
