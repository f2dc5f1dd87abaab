"""Keyed entry of paper questionnaires (紙の回答の入力): staff type, for each sheet, the
numbers printed beside the ticked boxes, one small field per question, in the order of
the sheet. The fields come from the same `pdf.Questionnaire` that printed the sheet.

Full-width digits (１２３) are read as digits; a blank is accepted only where the sheet
says 任意. The day of the session and the wording of the sheets stay the same from one
sheet to the next (the view carries them over).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.geo.models import Municipality
from tsunagari.lib.text import normalize_text
from tsunagari.surveys import campaigns, pdf, scoring, services
from tsunagari.surveys.items import UCLA_CODES, Wording
from tsunagari.surveys.models import (
    AgeBand,
    Campaign,
    CampaignResponse,
    Channel,
    Help,
    SelfCheckResponse,
)

_SEPARATORS = re.compile(r"[\s,、，・/]+")
MUNICIPALITY_LIST_ID = "paper-municipalities"


def _range_text(numbers: Sequence[int]) -> str:
    low, high = min(numbers), max(numbers)
    if list(numbers) == list(range(low, high + 1)):
        return f"{low}〜{high}"
    return ", ".join(str(n) for n in numbers)


class NumberAnswerField(forms.Field):
    """One answer, typed as the number printed beside the ticked box."""

    default_error_messages = {
        "required": _("用紙の番号を入力してください。"),
        "invalid": _("%(numbers)sの番号を1つ入力してください。"),
    }

    def __init__(self, numbers: Sequence[int], **kwargs: Any) -> None:
        self.numbers = tuple(numbers)
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            inputmode="numeric",
            maxlength=str(len(str(max(self.numbers)))),
            autocomplete="off",
            size="2",
            **{"data-paper-field": "", "data-max": str(max(self.numbers))},
        )
        if all(0 <= n <= 9 for n in self.numbers):
            # One keystroke decides the answer: the script moves on to the next field.
            attrs["data-autoadvance"] = ""
        return attrs

    @property
    def range_text(self) -> str:
        return _range_text(self.numbers)

    def to_python(self, value: Any) -> int | None:
        text = normalize_text(str(value or "")).replace(" ", "")
        if not text:
            return None
        if not text.isascii() or not text.isdigit() or int(text) not in self.numbers:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"numbers": self.range_text}
            )
        return int(text)


class NumbersField(forms.Field):
    """Several ticked boxes (いくつでも): their numbers separated by spaces, "1 3 5"."""

    default_error_messages = {
        "invalid": _("%(numbers)sの番号を、スペースで区切って入力してください（例：1 3 5）。"),
    }

    def __init__(self, numbers: Sequence[int], **kwargs: Any) -> None:
        self.numbers = tuple(numbers)
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            inputmode="numeric",
            maxlength="40",
            autocomplete="off",
            size="8",
            **{"data-paper-field": ""},
        )
        return attrs

    @property
    def range_text(self) -> str:
        return _range_text(self.numbers)

    def to_python(self, value: Any) -> list[int]:
        text = normalize_text(str(value or ""))
        picked: list[int] = []
        for part in _SEPARATORS.split(text):
            if not part:
                continue
            if not part.isascii() or not part.isdigit() or int(part) not in self.numbers:
                raise forms.ValidationError(
                    self.error_messages["invalid"],
                    code="invalid",
                    params={"numbers": self.range_text},
                )
            picked.append(int(part))
        return list(dict.fromkeys(picked))


class MunicipalityEntryField(forms.CharField):
    """The municipality written on the sheet: its 団体コード (6 digits, or the first 5)
    or its name as written (藤沢市, or 藤沢)."""

    default_error_messages = {
        "unknown": _("神奈川県内の市区町村名か、団体コード（6桁）を入力してください。"),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            autocomplete="off", size="10", list=MUNICIPALITY_LIST_ID, **{"data-paper-field": ""}
        )
        return attrs

    def clean(self, value: Any) -> Municipality | None:
        text = normalize_text(str(value or "")).replace(" ", "")
        if not text:
            return None
        places = Municipality.objects.selectable()
        if text.isdigit() and len(text) in (5, 6):
            found = list(places.filter(code__startswith=text)[:2])
        else:
            found = list(places.filter(name=text)[:1]) or list(
                places.filter(name__in=[text + suffix for suffix in "市町村区"])[:2]
            )
        if len(found) != 1:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return found[0]


def municipality_names() -> list[str]:
    return list(Municipality.objects.selectable().values_list("name", flat=True))


class PaperEntryForm(forms.Form):
    """What stays from sheet to sheet (the day, the wording) and one sheet's answers."""

    skipped_questions_allowed = False

    answered_on = forms.DateField(
        label=_("実施日"),
        help_text=_("用紙に記入した日（催しの日）。次の用紙にも引き継ぎます。"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    wording = forms.ChoiceField(
        label=_("用紙の文言"),
        choices=Wording.choices,
        initial=Wording.JA,
        help_text=_("印刷した用紙の種類。次の用紙にも引き継ぎます。"),
    )
    # Fields that are not part of one sheet's row.
    batch_fields = ("answered_on", "wording")

    def __init__(self, questionnaire: pdf.Questionnaire, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.questions = {q.key: q for q in questionnaire.questions}
        if questionnaire.before_after:
            phase = pdf.phase_question(Wording.JA)
            self.fields["phase"] = NumberAnswerField(
                [n for n, _label in phase.options],
                label=_("時点"),
                help_text=" / ".join(f"{n} {label}" for n, label in phase.options),
            )
            self.fields["code"] = forms.CharField(
                label=_("合言葉"),
                required=False,
                max_length=40,
                help_text=_("用紙に書かれたとおりに。空欄なら空欄のまま（組み合わせません）。"),
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "size": "10", "data-paper-field": ""}
                ),
            )
        for question in questionnaire.questions:
            self.fields[question.key] = field = self.field_for(question)
            if self.skipped_questions_allowed and field.required:
                # A participant skipped it on paper: keyed blank, stored as no answer.
                field.required = False
                field.help_text = _("%(range)s（空欄＝無回答）") % {"range": field.help_text}

    @staticmethod
    def field_for(question: pdf.Question) -> forms.Field:
        label = _("問%(number)s") % {"number": question.number}
        numbers = [n for n, _label in question.options]
        if question.write_in:
            return MunicipalityEntryField(
                label=label,
                required=False,
                max_length=20,
                help_text=_("団体コードか名前"),
            )
        if question.multiple:
            return NumbersField(
                numbers, label=label, required=False, help_text=_range_text(numbers)
            )
        return NumberAnswerField(
            numbers, label=label, required=not question.optional, help_text=_range_text(numbers)
        )

    def clean_answered_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["answered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("未来の日付は入力できません。"), code="future")
        return day

    def save(self) -> models.Model:
        raise NotImplementedError

    # For the template and the view

    def sheet_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.batch_fields]

    def batch(self) -> list[forms.BoundField]:
        return [self[name] for name in self.batch_fields]

    def first_field_to_fill(self) -> str:
        """Focus: the first field with an error, else the sheet's first answer."""
        for name in self.fields:
            if self.errors.get(name):
                return name
        return self.sheet_fields()[0].name

    def kept(self) -> dict[str, str]:
        """What the next sheet starts with."""
        return {
            "date": self.cleaned_data["answered_on"].isoformat(),
            "wording": self.cleaned_data["wording"],
        }

    def summary(self) -> str:
        """The numbers keyed, for the list of the session's sheets (no code, no place)."""
        parts = []
        for field in self.sheet_fields():
            if field.name in ("code", "municipality"):
                continue
            value = self.cleaned_data.get(field.name)
            if isinstance(value, list):
                parts.append(" ".join(str(v) for v in value) or "-")
            else:
                parts.append("-" if value is None else str(value))
        return " / ".join(parts)

    @classmethod
    def initial_from(cls, query: Any) -> dict[str, Any]:
        """The kept day and wording from the query string, when they are valid."""
        initial: dict[str, Any] = {"answered_on": timezone.localdate(), "wording": Wording.JA}
        try:
            day = dt.date.fromisoformat(str(query.get("date", "")))
        except ValueError:
            day = None
        if day and day <= timezone.localdate():
            initial["answered_on"] = day
        if query.get("wording") in Wording.values:
            initial["wording"] = query["wording"]
        return initial


class SelfCheckEntryForm(PaperEntryForm):
    """A paper self-check: stored through services.record_selfcheck (the tally too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(pdf.selfcheck_questionnaire(Wording.JA), *args, **kwargs)

    def save(self) -> SelfCheckResponse:
        data = self.cleaned_data
        result = scoring.score([data[code] for code in UCLA_CODES], data["direct"])
        age = data.get("age_band")
        return services.record_selfcheck(
            result,
            channel=Channel.PAPER,
            wording=data["wording"],
            age_band=AgeBand.values[age - 1] if age else "",
            municipality=data.get("municipality"),
            helps=[Help.values[n - 1] for n in data.get("helps") or []],
            answered_on=data["answered_on"],
        )


class CampaignEntryForm(PaperEntryForm):
    """A paper sheet of a campaign: stored through services.record_response."""

    # A campaign question left blank on paper is stored as no answer (the report leaves
    # that pair out of that measure); a self-check cannot be scored without all four.
    skipped_questions_allowed = True

    def __init__(self, campaign: Campaign, *args: Any, **kwargs: Any) -> None:
        self.campaign = campaign
        super().__init__(pdf.campaign_questionnaire(campaign, Wording.JA), *args, **kwargs)

    def save(self) -> CampaignResponse:
        """Raises services.CodeAlreadyUsed (the view shows it next to the code)."""
        data = self.cleaned_data
        phase = ""
        if self.campaign.before_after:
            phase = (CampaignResponse.Phase.BEFORE, CampaignResponse.Phase.AFTER)[data["phase"] - 1]
        items = {
            f"item_{entry.item_id}": entry.item for entry in campaigns.entries_of(self.campaign)
        }
        answers = {}
        for key in self.questions:
            value = data.get(key)
            if value is None:  # an optional item left blank: its 無回答, if it has one
                value = campaigns.no_answer_value(items[key])
            if value is not None:
                answers[items[key].pk] = value
        return services.record_response(
            self.campaign,
            answers=answers,
            channel=Channel.PAPER,
            wording=data["wording"],
            phase=phase,
            code=data.get("code") or "",
            answered_on=data["answered_on"],
        )
