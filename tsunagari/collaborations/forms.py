"""Forms of collaborations (連携・協働): the proposal, a message, a step with its note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.collaborations.services import STEPS, current_partners
from tsunagari.core.forms import JapaneseCharField
from tsunagari.directory.models import Resource
from tsunagari.members.models import Organization


class ProposalForm(forms.Form):
    """Propose a collaboration. When it is about another member's resource, that member is
    the partner; otherwise the proposer chooses among the current members."""

    partner = forms.ModelChoiceField(
        label=_("提案先の団体"),
        queryset=Organization.objects.none(),
        empty_label=_("選んでください"),
    )
    title = JapaneseCharField(label=_("件名"), max_length=120)
    message = JapaneseCharField(
        label=_("メッセージ"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("何を一緒にしたいか、相手に期待することを書いてください。"),
    )

    def __init__(
        self,
        *args: Any,
        organization: Organization | None,
        fixed_partner: Organization | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        partners = current_partners(organization)
        if fixed_partner is not None:
            field.queryset = partners.filter(pk=fixed_partner.pk)
            field.initial = fixed_partner.pk
            field.widget = forms.HiddenInput()
        else:
            field.queryset = partners

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        acting_for, partner = data.get("acting_for"), data.get("partner")
        if acting_for is not None and partner is not None and acting_for.pk == partner.pk:
            self.add_error("partner", _("提案する団体とは別の団体を選んでください。"))
        return data


class MessageForm(forms.Form):
    body = JapaneseCharField(
        label=_("メッセージ"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class StepForm(forms.Form):
    """The note that goes with a step: a reason to decline (optional), an outcome (required)."""

    note = JapaneseCharField(
        label=_("ひとこと（任意）"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        step = STEPS.get(action)
        note = self.fields["note"]
        if step is not None and step.note_label:
            note.label = step.note_label
        if action == "complete":
            note.required = True
            note.help_text = _("何ができたか、だれにどう届いたかを書いてください。")
        self.prefix = action or None


class ResponseForm(forms.Form):
    """「この声に応えられます」/「協力を申し出る」: which of our resources, and a message."""

    resource = forms.ModelChoiceField(
        label=_("役立てられる社会資源（任意）"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("選ばない"),
    )
    message = JapaneseCharField(
        label=_("メッセージ"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("どんなことができるか、いつ頃から、連絡してほしい方法などを書いてください。"),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resource"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Resource.objects.published().owned_by(organization.pk).order_by("name")


class RelayForm(forms.Form):
    """What the secretariat told the resident, kept in the thread (optional)."""

    note = JapaneseCharField(
        label=_("連絡した内容（任意）"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("声の主の名前や連絡先は書かないでください。団体にも表示されます。"),
    )


class InviteForm(forms.Form):
    """The lead invites one more organisation, with the role it takes."""

    organization = forms.ModelChoiceField(
        label=_("招待する団体"),
        queryset=Organization.objects.none(),
        empty_label=_("選んでください"),
    )
    role = forms.ChoiceField(
        label=_("連携での役割"),
        choices=[
            c for c in CollaborationParty.Role.choices if c[0] != CollaborationParty.Role.LEAD
        ],
    )

    def __init__(self, *args: Any, collaboration: Collaboration, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = current_partners(None).exclude(
            pk__in=collaboration.parties.values("organization_id")
        )
