"""The form the secretariat fills in when the prefecture publishes a new year of the
県民ニーズ調査: every share of the answer 「助け合えるつながりを持っていること」, and where
the figures come from (no figure without its source)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import JapaneseCharField
from tsunagari.insights.models import SurveyFigure
from tsunagari.lib.text import normalize_text

SHARES = ("fully", "fairly", "neutral", "hardly", "not_at_all", "unknown", "no_answer")
TOLERANCE = Decimal("0.2")  # published shares are rounded to 0.1: their sum drifts a little


class _Normalized:
    """Full-width digits and points (１１．４) read as half-width ones."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = normalize_text(value).replace("％", "").replace("%", "").strip()
        return super().to_python(value)  # type: ignore[misc]


class ShareField(_Normalized, forms.DecimalField):
    pass


class YearField(_Normalized, forms.IntegerField):
    pass


class SurveyFigureForm(forms.ModelForm):
    fiscal_year = YearField(
        label=_("年度（西暦）"),
        min_value=2000,
        max_value=2100,
        help_text=_("令和6年度なら2024と入力します。"),
    )
    source_name = JapaneseCharField(label=_("出典"), max_length=400)

    class Meta:
        model = SurveyFigure
        fields = ["fiscal_year", *SHARES, "respondents", "source_name", "source_url"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SHARES:
            model_field = SurveyFigure._meta.get_field(name)
            self.fields[name] = ShareField(
                label=getattr(model_field, "verbose_name", name),
                min_value=0,
                max_value=100,
                max_digits=4,
                decimal_places=1,
                help_text=_("％"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shares = [data.get(name) for name in SHARES]
        if all(isinstance(share, Decimal) for share in shares):
            total = sum((share for share in shares if isinstance(share, Decimal)), Decimal(0))
            if abs(total - 100) > TOLERANCE:
                raise forms.ValidationError(
                    _(
                        "割合の合計が%(total)s％です。100％（±0.2）になるよう、"
                        "出典の数値を確かめてください。"
                    ),
                    code="total",
                    params={"total": total},
                )
        return data
