"""The standard items of the item bank (項目バンク): the national survey's loneliness
questions and the 県民ニーズ調査 satisfaction item. Their wording is fixed here, in code,
so that no one edits a validated question by accident; members add their own items as
`Item` rows with `kind` likert or choice.

Each standard item has three wordings: Japanese (the survey's own, the source language
of the gettext catalogue, so English comes from the catalogue), and やさしい日本語 (easy
Japanese, written for this platform following the national guideline; stored answers
record which wording was shown, see `Wording`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tsunagari.core.wording import is_easy
from tsunagari.lib.text import normalize_text
from tsunagari.surveys.scoring import SCALE_VERSION


class Wording(models.TextChoices):
    """Which wording a respondent saw. Only "ja" is the national survey's own wording."""

    JA = "ja", _("日本語（全国調査の文言）")
    EASY = "easy", _("やさしい日本語")
    EN = "en", _("英語")


def wording_for(requested: object) -> str:
    """The wording a page shows and an answer records: やさしい日本語 when asked for
    (?wording=easy, in any width or case) or when the site is in easy mode (the header's
    switch, tsunagari.core.wording), English when the page is in English, else the
    survey's own Japanese."""
    if isinstance(requested, str) and normalize_text(requested).strip().lower() == Wording.EASY:
        return Wording.EASY
    if is_easy():
        return Wording.EASY
    return Wording.EN if (get_language() or "").startswith("en") else Wording.JA


@dataclass(frozen=True)
class Option:
    value: int
    label: str | Promise
    easy: str  # やさしい日本語, with furigana as <ruby> written out in templates/surveys


@dataclass(frozen=True)
class StandardItem:
    code: str
    kind: str  # "ucla", "direct" or "satisfaction"
    text: str | Promise
    easy: str
    options: tuple[Option, ...]
    higher_is_better: bool
    # Answers that carry no position on the scale (分からない, 無回答): left out of means.
    non_substantive: tuple[int, ...] = ()
    scale_version: str = SCALE_VERSION
    source: str | Promise = ""


UCLA_OPTIONS = (
    Option(1, pgettext_lazy("ucla", "決してない"), "ぜんぜん ない"),
    Option(2, pgettext_lazy("ucla", "ほとんどない"), "ほとんど ない"),
    Option(3, pgettext_lazy("ucla", "時々ある"), "ときどき ある"),
    Option(4, pgettext_lazy("ucla", "常にある"), "いつも ある"),
)
DIRECT_OPTIONS = (
    Option(1, pgettext_lazy("direct", "決してない"), "ぜんぜん ない"),
    Option(2, pgettext_lazy("direct", "ほとんどない"), "ほとんど ない"),
    Option(3, pgettext_lazy("direct", "たまにある"), "たまに ある"),
    Option(4, pgettext_lazy("direct", "時々ある"), "ときどき ある"),
    Option(5, pgettext_lazy("direct", "しばしばある・常にある"), "よく ある・いつも ある"),
)
SATISFACTION_OPTIONS = (
    Option(1, _("十分満たされている"), "とても みたされている"),
    Option(2, _("かなり満たされている"), "だいたい みたされている"),
    Option(3, _("どちらともいえない"), "どちらとも いえない"),
    Option(4, _("あまり満たされていない"), "あまり みたされていない"),
    Option(5, _("ほとんど満たされていない"), "ほとんど みたされていない"),
    Option(6, _("分からない"), "わからない"),
    Option(7, _("無回答"), "こたえない"),
)
NATIONAL_SOURCE = _("孤独・孤立の実態把握に関する全国調査（内閣府）")

STANDARD_ITEMS: dict[str, StandardItem] = {
    item.code: item
    for item in (
        StandardItem(
            "ucla_1",
            "ucla",
            _("あなたは、自分には人とのつきあいが無いと感じることがありますか。"),
            "あなたは「わたしには、人との つきあいが ない」と かんじることが ありますか。",
            UCLA_OPTIONS,
            higher_is_better=False,
            source=NATIONAL_SOURCE,
        ),
        StandardItem(
            "ucla_2",
            "ucla",
            _("あなたは、自分は取り残されていると感じることがありますか。"),
            "あなたは「わたしは、とりのこされている」と かんじることが ありますか。",
            UCLA_OPTIONS,
            higher_is_better=False,
            source=NATIONAL_SOURCE,
        ),
        StandardItem(
            "ucla_3",
            "ucla",
            _("あなたは、自分は他の人たちから孤立していると感じることがありますか。"),
            "あなたは「わたしは、ほかの 人たちから はなれて、ひとりぼっちだ」と"
            " かんじることが ありますか。",
            UCLA_OPTIONS,
            higher_is_better=False,
            source=NATIONAL_SOURCE,
        ),
        StandardItem(
            "direct",
            "direct",
            _("あなたはどの程度、孤独であると感じることがありますか。"),
            "あなたは「さびしい。ひとりぼっちだ」と かんじることが どのくらい ありますか。",
            DIRECT_OPTIONS,
            higher_is_better=False,
            source=NATIONAL_SOURCE,
        ),
        StandardItem(
            "kanagawa_satisfaction",
            "satisfaction",
            _(
                "「誰もが地域で孤立することなく、困ったときに助け合えるつながりを持っていること」"
                "について、あなたはどの程度満たされていると思いますか。"
            ),
            "「だれでも ちいきで ひとりに ならず、こまったときに たすけあえる つながりが"
            " あること」。あなたは どのくらい みたされていると おもいますか。",
            SATISFACTION_OPTIONS,
            higher_is_better=False,  # 1 十分 … 5 ほとんど: lower is better
            non_substantive=(6, 7),
            scale_version="kanagawa-kenmin-needs-r5",
            source=_("神奈川県 県民ニーズ調査（基本調査）令和5年度"),
        ),
    )
}
UCLA_CODES = ("ucla_1", "ucla_2", "ucla_3")
# 県民ニーズ調査 令和5年度 (1,241 responses): 十分 + かなり 満たされている = 11.4%.
KANAGAWA_SATISFIED_BASELINE = 11.4
