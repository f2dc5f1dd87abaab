"""「どの立場で」: the organisation a person acts for in one action.

A person who holds several capacities that fit an action (staff of two member
organisations, or the secretariat who is also a member's staff) is asked which one;
the last answer is remembered in the session and preselected next time. A person with
one fitting capacity is not asked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagari.members.models import Organization

FIELD = "acting_for"
SESSION_KEY = "acting_for"
AS_SECRETARIAT = "secretariat"


class ActingFor:
    """The capacities of the signed-in person that fit one action.

    `secretariat=True` when the secretariat may take the action on its own account
    (the organisation is then None, e.g. a need the secretariat owns).
    """

    def __init__(self, request: HttpRequest, *, secretariat: bool = False) -> None:
        user: Any = request.user
        self.request = request
        self.secretariat = secretariat and bool(getattr(user, "is_secretariat", False))
        if getattr(user, "is_authenticated", False):
            self.organizations = list(user.organizations.by_reading())
        else:
            self.organizations = []

    @property
    def allowed(self) -> bool:
        """At least one capacity fits the action."""
        return self.secretariat or bool(self.organizations)

    def require(self) -> None:
        if not self.allowed:
            raise PermissionDenied

    @property
    def asks(self) -> bool:
        """More than one capacity fits: the form asks 「どの立場で」."""
        return len(self.organizations) + int(self.secretariat) > 1

    def add_to(self, form: forms.BaseForm) -> None:
        """Put the question first in `form`, with the last choice preselected."""
        if not self.asks:
            return
        field = forms.ModelChoiceField(
            label=_("どの立場で"),
            queryset=Organization.objects.filter(
                pk__in=[o.pk for o in self.organizations]
            ).by_reading(),
            widget=forms.RadioSelect,
            required=not self.secretariat,
            blank=self.secretariat,
            empty_label=_("事務局として") if self.secretariat else None,
            help_text=_("どの団体として行うかを選んでください。"),
            error_messages={
                "required": _("どの立場で行うかを選んでください。"),
                "invalid_choice": _("あなたが所属していない団体は選べません。"),
            },
        )
        remembered = self.request.session.get(SESSION_KEY)
        if remembered == AS_SECRETARIAT and self.secretariat:
            field.initial = ""
        elif remembered in [o.pk for o in self.organizations]:
            field.initial = remembered
        form.fields = {FIELD: field, **form.fields}

    def organization(self, form: forms.BaseForm | None = None) -> Organization | None:
        """The organisation chosen in a valid `form` (None: as the secretariat), and
        remember the choice for next time."""
        if not self.asks:
            return self.organizations[0] if self.organizations else None
        assert form is not None and FIELD in form.fields
        chosen: Organization | None = form.cleaned_data.get(FIELD)
        self.request.session[SESSION_KEY] = chosen.pk if chosen else AS_SECRETARIAT
        return chosen

    def preferred(self) -> Organization | None:
        """Before any form: the remembered organisation, else the first one."""
        remembered = self.request.session.get(SESSION_KEY)
        for organization in self.organizations:
            if organization.pk == remembered:
                return organization
        if self.secretariat and (remembered == AS_SECRETARIAT or not self.organizations):
            return None
        return self.organizations[0] if self.organizations else None
