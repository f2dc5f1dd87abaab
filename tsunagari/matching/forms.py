"""Forms of the needs pages: posting a need (ニーズ) and filtering the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import japanese_formfield
from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.matching.models import Need, NeedQuerySet
from tsunagari.members.forms import MunicipalityChoiceField, municipality_choices


class TermCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class NeedForm(forms.ModelForm):
    """A need as a member's staff (or the secretariat) write it for the network."""

    municipality = MunicipalityChoiceField(
        blank_label=_("選んでください"),
        label=_("地域"),
        help_text=_("県全域のニーズは「神奈川県全域」を、市の全域は「○○市全域」を選びます。"),
        error_messages={"required": _("地域を選んでください。")},
    )
    target_groups = TermCheckboxes(
        queryset=TargetGroup.objects.filter(is_active=True),
        label=_("対象"),
        required=False,
        help_text=_("どなたのためのニーズか（複数選べます）"),
    )
    kinds_wanted = TermCheckboxes(
        queryset=Kind.objects.filter(is_active=True),
        label=_("求める資源の種類"),
        required=False,
        help_text=_("あてはまるものがなければ空欄のままで構いません。"),
    )

    class Meta:
        model = Need
        formfield_callback = japanese_formfield
        fields = [
            "title",
            "description",
            "municipality",
            "target_groups",
            "kinds_wanted",
            "urgency",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "urgency": forms.RadioSelect,
        }
        help_texts = {
            "title": _("例：週末に親子で参加できる場がほしい"),
            "description": _(
                "どなたが、どこで、どんなことに困っているか。個人が特定される情報は書かないでください。"
            ),
        }
        error_messages = {
            "title": {"required": _("ニーズの見出しを入力してください。")},
            "description": {"required": _("内容を入力してください。")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A radio group has no empty choice to offer.
        urgency: Any = self.fields["urgency"]
        urgency.choices = Need.Urgency.choices


STATUS_ALL = "all"


class NeedFilterForm(forms.Form):
    """The filters of the needs list; an empty form lists the open needs."""

    municipality = forms.ChoiceField(label=_("地域"), required=False)
    target = forms.ModelChoiceField(
        label=_("対象"),
        queryset=TargetGroup.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("すべての対象"),
    )
    kind = forms.ModelChoiceField(
        label=_("求める資源の種類"),
        queryset=Kind.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("すべての種類"),
    )
    urgency = forms.ChoiceField(
        label=_("緊急度"),
        required=False,
        choices=[("", _("すべて")), *Need.Urgency.choices],
    )
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[
            (Need.Status.OPEN, Need.Status.OPEN.label),
            (Need.Status.MET, Need.Status.MET.label),
            (Need.Status.CLOSED, Need.Status.CLOSED.label),
            (STATUS_ALL, _("すべて")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read the places once for both validating and rendering.
        municipality: Any = self.fields["municipality"]
        municipality.choices = [("", _("すべての地域")), *municipality_choices()]

    def apply(self, qs: NeedQuerySet) -> NeedQuerySet:
        """The needs that pass the filters (the open ones when nothing is chosen)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or Need.Status.OPEN
        if status != STATUS_ALL:
            qs = qs.filter(status=status)
        if code := data.get("municipality"):
            # A city includes its wards.
            qs = qs.filter(Q(municipality_id=code) | Q(municipality__parent_id=code))
        if target := data.get("target"):
            qs = qs.filter(target_groups=target)
        if kind := data.get("kind"):
            qs = qs.filter(kinds_wanted=kind)
        if urgency := data.get("urgency"):
            qs = qs.filter(urgency=urgency)
        return qs
