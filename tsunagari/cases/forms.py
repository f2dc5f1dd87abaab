"""Forms of the model-case library: the filters, a case with its partners, steps and
photos (inline formsets), and the secretariat's return reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from tsunagari.cases.models import CasePartner, CasePhoto, CaseStep, ModelCase
from tsunagari.core.forms import SeenVersionForm, japanese_formfield
from tsunagari.directory.models import TargetGroup
from tsunagari.geo.models import Municipality
from tsunagari.lib.text import normalize_text
from tsunagari.members.models import Sector, Theme

# Pillow's format name → (content type, file extension).
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


def without_metadata(
    upload: Any, kind: str, content_type: str, name: str
) -> tuple[Any, tuple[int, int]]:
    """The photo drawn afresh, upright and without its metadata: a phone's EXIF holds where
    and when it was taken (GPS), which a public case page must not give away."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        clean = ImageOps.exif_transpose(image)
        if kind == "JPEG" and clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        out = BytesIO()
        options: dict[str, Any] = {"quality": 90} if kind in ("JPEG", "WEBP") else {}
        clean.save(out, format=kind, **options)
        size = clean.size
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type), size


def photo_limit_mb() -> int:
    return int(getattr(settings, "CASE_PHOTO_MAX_MB", 5))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), max_length=100, required=False)
    theme = forms.ModelChoiceField(
        label=_("テーマ"), queryset=Theme.objects.all(), required=False, empty_label=_("すべて")
    )
    municipality = forms.ModelChoiceField(
        label=_("市町村"),
        queryset=Municipality.objects.municipalities(),
        required=False,
        empty_label=_("すべて"),
    )
    target = forms.ModelChoiceField(
        label=_("対象"),
        queryset=TargetGroup.objects.filter(is_active=True),
        required=False,
        empty_label=_("すべて"),
    )
    sector = forms.MultipleChoiceField(
        label=_("参加した分野（すべてを含む事例）"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["municipality"]
        field.label_from_instance = lambda m: m.label  # the reader's language

    def clean_q(self) -> str:
        return normalize_text(self.cleaned_data.get("q") or "").strip()


class CaseForm(SeenVersionForm, forms.ModelForm):
    class Meta:
        model = ModelCase
        fields = [
            "title",
            "summary",
            "issue",
            "themes",
            "target_groups",
            "municipalities",
            "area_note",
            "resources_used",
            "cost_yen",
            "cost_note",
            "started_on",
            "ended_on",
            "period_note",
            "outcomes",
            "campaign",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        formfield_callback = japanese_formfield
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, campaigns: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["municipalities"].queryset = Municipality.objects.selectable()
        fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)
        field: Any = self.fields["campaign"]
        if campaigns is not None:
            field.queryset = campaigns
        field.help_text = _("事前・事後で比べた調査を選ぶと、その比較の結果を事例に載せます。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("終了日は開始日より後にしてください。"))
        return data


class PartnerForm(forms.ModelForm):
    class Meta:
        model = CasePartner
        fields = ["name", "sector", "role"]
        formfield_callback = japanese_formfield


class StepForm(forms.ModelForm):
    class Meta:
        model = CaseStep
        fields = ["title", "body"]
        formfield_callback = japanese_formfield
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class PhotoForm(forms.ModelForm):
    image = forms.FileField(
        label=_("写真"),
        help_text=_("JPEG・PNG・WebP。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = CasePhoto
        fields = ["image", "alt_text", "caption"]
        formfield_callback = japanese_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alt_text"].help_text = _(
            "目の見えない人のために、写真に写っているものを文章で書いてください。"
        )
        self.fields["alt_text"].error_messages["required"] = _("写真の説明を書いてください。")

    def clean_image(self) -> Any:
        upload = self.cleaned_data["image"]
        if upload is None or not hasattr(upload, "content_type"):
            return upload  # the photo already stored
        if upload.size > photo_limit_mb() * 1024 * 1024:
            raise forms.ValidationError(
                _("写真が大きすぎます（%(mb)dMBまで）。") % {"mb": photo_limit_mb()}
            )
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                kind = image.format or ""
                image.verify()
                size = image.size
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
            raise forms.ValidationError(_("写真として読めません（JPEG・PNG・WebPのみ）。")) from e
        if kind not in PHOTO_FORMATS:
            raise forms.ValidationError(_("写真として読めません（JPEG・PNG・WebPのみ）。"))
        content_type, extension = PHOTO_FORMATS[kind]
        upload, size = without_metadata(upload, kind, content_type, f"photo.{extension}")
        self.photo_facts = {
            "content_type": content_type,
            "size": upload.size,
            "width": size[0],
            "height": size[1],
        }
        return upload

    def save(self, commit: bool = True) -> CasePhoto:
        photo: CasePhoto = super().save(commit=False)
        for key, value in getattr(self, "photo_facts", {}).items():
            setattr(photo, key, value)
        if commit:
            photo.save()
        return photo


PartnerFormSet = forms.inlineformset_factory(
    ModelCase, CasePartner, form=PartnerForm, extra=2, can_delete=True, max_num=30
)
StepFormSet = forms.inlineformset_factory(
    ModelCase, CaseStep, form=StepForm, extra=2, can_delete=True, max_num=30
)
PhotoFormSet = forms.inlineformset_factory(
    ModelCase, CasePhoto, form=PhotoForm, extra=1, can_delete=True, max_num=10
)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("差し戻しの理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("差し戻しの理由を書いてください。")},
    )

    def clean_reason(self) -> str:
        return normalize_text(self.cleaned_data["reason"]).strip()
