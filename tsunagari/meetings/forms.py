"""Forms of the meetings: the meeting and its agenda, documents, RSVPs and the closing."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import japanese_formfield
from tsunagari.directory.forms import LocationField, location_choices
from tsunagari.lib.text import normalize_text
from tsunagari.meetings.models import ActionItem, AgendaItem, Meeting, Rsvp
from tsunagari.members.models import Organization

# Extension → (content type, the magic the file starts with).
PDF = b"%PDF-"
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Office formats
DOCUMENT_TYPES: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", PDF),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "ppt": ("application/vnd.ms-powerpoint", OLE),
    "key": ("application/vnd.apple.keynote", ZIP),
    "odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "doc": ("application/msword", OLE),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "xls": ("application/vnd.ms-excel", OLE),
}


class MeetingForm(forms.ModelForm):
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
    end_time = forms.TimeField(
        label=_("終了時刻"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("終了時刻を入力してください。")},
    )
    deadline_day = forms.DateField(
        label=_("出欠の締切日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("この日の23時59分まで受け付けます。空欄なら開始まで。"),
    )
    publish = forms.BooleanField(
        label=_("公開して出欠を受け付ける"),
        required=False,
        help_text=_("外すと下書きのまま保存します（主催者と事務局だけが見られます）。"),
    )

    class Meta:
        model = Meeting
        formfield_callback = japanese_formfield
        fields = [
            "kind",
            "group",
            "council",
            "title",
            "description",
            "format",
            "location",
            "venue",
            "online_url",
            "capacity",
            "confidential",
        ]
        field_classes = {"location": LocationField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "format": forms.RadioSelect,
            "kind": forms.RadioSelect,
        }
        help_texts = {
            "title": _("例：2026年度 第2回 情報交換会"),
            "venue": _("社会資源の場所にない会場は、ここに名称と住所を書きます。"),
            "online_url": _("出席と答えた団体にだけ表示します。"),
            "capacity": _("空欄なら定員なし。"),
        }
        error_messages = {"title": {"required": _("会議名を入力してください。")}}

    def __init__(
        self, *args: Any, user: Any, kinds: list[str], groups: Any, councils: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        meeting: Meeting = self.instance
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            c for c in Meeting.Kind.choices if c[0] in kinds
        ]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        if not groups.exists():
            del self.fields["group"]
        if not councils.exists():
            del self.fields["council"]
        self.fields["location"].queryset = location_choices(  # type: ignore[attr-defined]
            user, meeting.location if meeting.pk else None
        )
        self.fields["location"].required = False
        if meeting.pk:
            local = timezone.localtime(meeting.starts_at)
            self.initial.update(
                day=local.date(),
                start_time=local.time(),
                end_time=timezone.localtime(meeting.ends_at).time(),
                publish=meeting.status != Meeting.Status.DRAFT,
            )
            if meeting.rsvp_deadline:
                self.initial["deadline_day"] = timezone.localtime(meeting.rsvp_deadline).date()
            del self.fields["kind"]
            self.fields.pop("group", None)
            self.fields.pop("council", None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end and end <= start:
            self.add_error("end_time", _("終了時刻は開始時刻より後にしてください。"))
        kind = data.get("kind", self.instance.kind if self.instance.pk else None)
        if kind == Meeting.Kind.GROUP and "group" in self.fields and not data.get("group"):
            self.add_error("group", _("分科会を選んでください。"))
        if kind == Meeting.Kind.COUNCIL and "council" in self.fields and not data.get("council"):
            self.add_error("council", _("地域協議会を選んでください。"))
        fmt = data.get("format")
        in_person = fmt in (Meeting.Format.IN_PERSON, Meeting.Format.HYBRID)
        if in_person and not data.get("location") and not data.get("venue"):
            self.add_error("venue", _("会場を選ぶか、会場の名称を書いてください。"))
        if fmt in (Meeting.Format.ONLINE, Meeting.Format.HYBRID) and not data.get("online_url"):
            self.add_error("online_url", _("オンライン参加のURLを入力してください。"))
        deadline = data.get("deadline_day")
        if day and deadline and deadline > day:
            self.add_error("deadline_day", _("出欠の締切日は開催日までにしてください。"))
        return data

    def save(self, commit: bool = True) -> Meeting:
        meeting: Meeting = super().save(commit=False)
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        meeting.starts_at = dt.datetime.combine(data["day"], data["start_time"], tzinfo=tz)
        meeting.ends_at = dt.datetime.combine(data["day"], data["end_time"], tzinfo=tz)
        meeting.rsvp_deadline = (
            min(
                dt.datetime.combine(data["deadline_day"], dt.time(23, 59), tzinfo=tz),
                meeting.starts_at,
            )
            if data.get("deadline_day")
            else None
        )
        if meeting.format == Meeting.Format.ONLINE:
            meeting.location = None
            meeting.venue = ""
        if meeting.format == Meeting.Format.IN_PERSON:
            meeting.online_url = ""
        if meeting.status in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
            meeting.status = (
                Meeting.Status.PUBLISHED if data.get("publish") else Meeting.Status.DRAFT
            )
        if commit:
            meeting.save()
        return meeting


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        formfield_callback = japanese_formfield
        fields = ["title", "presenter", "organization"]


AgendaFormSet = forms.inlineformset_factory(
    Meeting, AgendaItem, form=AgendaItemForm, extra=2, can_delete=True
)


def document_limit_bytes() -> int:
    return int(settings.MEETING_DOCUMENT_MAX_MB) * 1024 * 1024


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("資料名"), max_length=150, required=False)
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_("PDF、PowerPoint・Keynote・ODPのスライド、Word、Excel。"),
        error_messages={"required": _("ファイルを選んでください。")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        if extension not in DOCUMENT_TYPES:
            raise forms.ValidationError(
                _("この種類のファイルは添付できません（PDF・スライド・Word・Excelのみ）。")
            )
        if upload.size > document_limit_bytes():
            raise forms.ValidationError(
                _("ファイルが大きすぎます（%(mb)dMBまで）。")
                % {"mb": settings.MEETING_DOCUMENT_MAX_MB}
            )
        content_type, magic = DOCUMENT_TYPES[extension]
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(magic):
            raise forms.ValidationError(
                _("ファイルの中身が拡張子（.%(ext)s）と合いません。") % {"ext": extension}
            )
        upload.content_type = content_type
        return upload


class RsvpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("出欠"), choices=Rsvp.Status.choices, widget=forms.RadioSelect
    )
    people = forms.IntegerField(
        label=_("人数"),
        min_value=1,
        max_value=50,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    names = forms.CharField(
        label=_("参加者の氏名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1行に1人。受付の名簿に使います。"),
    )

    def clean_names(self) -> str:
        return normalize_text(self.cleaned_data.get("names") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Rsvp.Status.ATTENDING and not data.get("people"):
            self.add_error("people", _("出席する人数を入力してください。"))
        return data


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CloseForm(forms.Form):
    minutes = forms.CharField(
        label=_("議事録"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("議事録を入力してください。")},
    )
    decisions = forms.CharField(
        label=_("決定事項"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attending = forms.ModelMultipleChoiceField(
        label=_("出席した団体"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendee_count = forms.IntegerField(
        label=_("出席者数"),
        min_value=1,
        max_value=100000,
        error_messages={"required": _("出席者数を入力してください。")},
    )
    confidential = forms.BooleanField(
        label=_("議事録を出席団体だけに公開する"),
        required=False,
        help_text=_("地域協議会での個別事例の検討など。出席した団体と事務局だけが読めます。"),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attending"].queryset = organizations  # type: ignore[attr-defined]

    def clean_minutes(self) -> str:
        return normalize_text(self.cleaned_data["minutes"])


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("内容"), max_length=300)
    owner = OwnerChoiceField(
        label=_("担当団体"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("事務局"),
    )
    owner_name = forms.CharField(label=_("担当者"), max_length=100, required=False)
    due_on = forms.DateField(label=_("期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["owner"].queryset = organizations  # type: ignore[attr-defined]


ActionItemFormSet = forms.formset_factory(ActionItemForm, extra=3)


class ActionCollaborationForm(forms.Form):
    """An action item into a collaboration: the owner organisation leads (the secretariat
    picks a lead for its own items) and invites organisations that attended the meeting."""

    title = forms.CharField(label=_("件名"), max_length=120)
    lead = forms.ModelChoiceField(
        label=_("主体となる団体"), queryset=Organization.objects.none(), required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("招待する団体（会議に出席した団体）"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(label=_("最初のメッセージ"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        attended = item.meeting.attending_organizations.order_by("name")
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = attended
        if item.owner_organization_id is None:
            lead = self.fields["lead"]
            assert isinstance(lead, forms.ModelChoiceField)
            lead.queryset = attended
            self.fields["lead"].required = True
        else:
            del self.fields["lead"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lead = cleaned.get("lead") or self.item.owner_organization
        partners = [o for o in cleaned.get("partners") or [] if lead is None or o.pk != lead.pk]
        if "partners" in cleaned and not partners:
            self.add_error("partners", _("主体の団体のほかに、1つ以上の団体を選んでください。"))
        cleaned["lead"], cleaned["partners"] = lead, partners
        return cleaned
