"""The resident's loneliness self-check (孤独感のセルフチェック) as a form.

Four required questions, exactly the national survey's (items.STANDARD_ITEMS), and three
optional ones that shape the suggestions: age band, municipality and what would help.
The same form serves three wordings: the survey's Japanese, its English translation
(gettext, when the active language is English) and やさしい日本語 (`items.*.easy`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tsunagari.core.wording import is_easy
from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.lib.text import normalize_text
from tsunagari.members.forms import MunicipalityChoiceField, municipality_choices
from tsunagari.surveys.items import STANDARD_ITEMS, UCLA_CODES, StandardItem
from tsunagari.surveys.models import AgeBand, Help

QUESTIONS = (*UCLA_CODES, "direct")
EASY = "easy"

# Readings of the kanji left in the やさしい日本語 texts, shown as furigana (<ruby>).
READINGS = {"人": "ひと", "答": "こた"}
_KANJI_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, READINGS), key=len, reverse=True)) + ")"
)

# What would help, in やさしい日本語 (kana only, so no furigana is needed).
EASY_HELP = {
    Help.TALK: "はなしあいて",
    Help.HOBBY: "しゅみの なかま",
    Help.PLACE: "きがるに いける ばしょ",
    Help.WORK: "しごと",
    Help.HOUSING: "すむところ（いえ）",
    Help.CHILDCARE: "こそだて",
    Help.MONEY: "おかね・くらし",
    Help.MIND: "こころ",
    Help.CARE: "かいご",
    Help.LEARNING: "まなび",
}
# Age bands in やさしい日本語: kana only, as <option> cannot hold furigana.
EASY_AGE = {
    AgeBand.TEENS: "16〜19さい",
    AgeBand.TWENTIES: "20〜29さい",
    AgeBand.THIRTIES: "30〜39さい",
    AgeBand.FORTIES: "40〜49さい",
    AgeBand.FIFTIES: "50〜59さい",
    AgeBand.SIXTIES: "60〜69さい",
    AgeBand.SEVENTIES: "70〜79さい",
    AgeBand.EIGHTIES: "80さい いじょう",
}


def _ruby(word: str) -> SafeString:
    return format_html("<ruby>{}<rt>{}</rt></ruby>", word, READINGS[word])


def furigana(text: str) -> SafeString:
    """Escape `text` and put the reading over each kanji word we know (<ruby>)."""
    pieces = _KANJI_RE.split(text)  # plain, kanji, plain, …: the pattern is one group
    return format_html_join(
        "", "{}", ((_ruby(p) if i % 2 else p,) for i, p in enumerate(pieces) if p)
    )


def wording_of(value: Any) -> str:
    """The wording a page is shown in: "easy" when asked for or when the site is in easy
    mode (the header's switch), else the standard one."""
    if is_easy():
        return EASY
    return EASY if isinstance(value, str) and normalize_text(value).lower() == EASY else ""


class AnswerField(forms.TypedChoiceField):
    """One answer of a scale, as radio buttons; a value typed in full width counts."""

    widget = forms.RadioSelect

    def to_python(self, value: Any) -> str:
        return normalize_text(value) if isinstance(value, str) else super().to_python(value)


class NormalizedMultipleChoiceField(forms.MultipleChoiceField):
    def to_python(self, value: Any) -> list[str]:
        return [normalize_text(v) if isinstance(v, str) else v for v in super().to_python(value)]


class NormalizedChoiceField(forms.ChoiceField):
    def to_python(self, value: Any) -> str:
        return normalize_text(super().to_python(value))


class NormalizedMunicipalityField(MunicipalityChoiceField):
    """The grouped list, read at most once per form (rendering a select reads its choices
    twice); a submitted code is checked by looking it up, not by reading the list."""

    def __init__(self, *, blank_label: Any, **kwargs: Any) -> None:
        super().__init__(blank_label=blank_label, **kwargs)
        self.choices = functools.cache(lambda: [("", blank_label), *municipality_choices()])

    def to_python(self, value: Any) -> str:
        return normalize_text(super().to_python(value))

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def clean(self, value: Any) -> Municipality | None:
        code = forms.Field.clean(self, value)
        if not code:
            return None
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
            )
        return found


def _question_field(item: StandardItem, easy: bool) -> AnswerField:
    label: Any = furigana(item.easy) if easy else item.text
    choices = [(o.value, furigana(o.easy) if easy else o.label) for o in item.options]
    message = (
        furigana("いちばん ちかい ものを 1つ えらんでください。")
        if easy
        else _("いちばん近いものを1つ選んでください。")
    )
    return AnswerField(
        label=label,
        choices=choices,
        coerce=int,
        error_messages={"required": message, "invalid_choice": message},
    )


class SelfCheckForm(HumanCheckForm, forms.Form):
    """The self-check: what is typed is kept on every error; nothing identifies the person."""

    wording = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, wording: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        easy = wording == EASY
        self.easy = easy
        self.initial.setdefault("wording", wording)
        for code in QUESTIONS:
            self.fields[code] = _question_field(STANDARD_ITEMS[code], easy)
        optional = (
            furigana("（答えなくても いいです）") if easy else _("（任意・答えなくてかまいません）")
        )
        self.fields["age_band"] = NormalizedChoiceField(
            label="なんさいですか" if easy else _("年代"),
            required=False,
            choices=[
                ("", "こたえない" if easy else _("答えない")),
                *((b.value, EASY_AGE[b] if easy else b.label) for b in AgeBand),
            ],
            help_text=optional,
        )
        self.fields["municipality"] = NormalizedMunicipalityField(
            label="すんでいる ところ" if easy else _("お住まいの市区町村"),
            required=False,
            blank_label="こたえない" if easy else _("答えない"),
            help_text=(
                furigana("ちかくの ばしょを しょうかいします。（答えなくても いいです）")
                if easy
                else _("近くの場所や窓口を紹介するために使います（任意）。")
            ),
        )
        self.fields["helps"] = NormalizedMultipleChoiceField(
            label="あると いいもの" if easy else _("あるとよいもの"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(h.value, EASY_HELP[h] if easy else h.label) for h in Help],
            help_text=(
                furigana("いくつ えらんでも いいです。（答えなくても いいです）")
                if easy
                else _("いくつでも選べます（任意）。")
            ),
        )
        for name in ("age_band", "municipality", "helps"):
            self.fields[name].error_messages["invalid_choice"] = (
                furigana("リストから えらんでください。")
                if easy
                else _("「%(value)s」は選べない値です。一覧から選んでください。")
            )

    @property
    def answers(self) -> tuple[list[int], int]:
        """(indirect, direct) of a valid form, for scoring.score."""
        data = self.cleaned_data
        return [data[code] for code in UCLA_CODES], data["direct"]
