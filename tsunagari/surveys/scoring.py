"""Scoring of the national survey's loneliness questions, exactly as the survey does it.

孤独・孤立の実態把握に関する全国調査 (内閣府, 令和3年〜):
- indirect (間接質問): the Japanese 3-item short form of the UCLA Loneliness Scale, each
  item answered 1 決してない / 2 ほとんどない / 3 時々ある / 4 常にある; the score is the
  sum, 3–12, reported in bands 3 / 4–6 / 7–9 / 10–12 (厚生労働白書 令和5年版 図表1-3-10);
  "feels lonely" = 7–12.
- direct (直接質問): one item, 1 決してない / 2 ほとんどない / 3 たまにある / 4 時々ある /
  5 しばしばある・常にある; "feels lonely" = 3–5.

The 4-point answer format makes scores incomparable with 3-point versions of the scale
(Hughes et al. 2004), so every stored answer keeps SCALE_VERSION.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db import models
from django.utils.translation import gettext_lazy as _

# The items and answer formats of the national survey since 令和3年 (2021).
SCALE_VERSION = "naikakufu-2021"

INDIRECT_ITEMS = 3
INDIRECT_MIN, INDIRECT_MAX = 1, 4
DIRECT_MIN, DIRECT_MAX = 1, 5
SCORE_MIN, SCORE_MAX = INDIRECT_ITEMS * INDIRECT_MIN, INDIRECT_ITEMS * INDIRECT_MAX
LONELY_SCORE = 7  # indirect 7–12 "feels lonely"
STRONG_SCORE = 10  # indirect 10–12: the band 常にある
DIRECT_LONELY = 3  # direct 3–5 "feels lonely"
DIRECT_STRONG = 5  # direct しばしばある・常にある


class Band(models.TextChoices):
    """The national survey's reporting bands of the indirect score."""

    NEVER = "never", _("決してない（3点）")
    HARDLY = "hardly", _("ほとんどない（4〜6点）")
    SOMETIMES = "sometimes", _("時々ある（7〜9点）")
    ALWAYS = "always", _("常にある（10〜12点）")


BAND_ORDER = [Band.NEVER, Band.HARDLY, Band.SOMETIMES, Band.ALWAYS]


class DirectLevel(models.IntegerChoices):
    NEVER = 1, _("決してない")
    HARDLY = 2, _("ほとんどない")
    RARELY = 3, _("たまにある")
    SOMETIMES = 4, _("時々ある")
    OFTEN = 5, _("しばしばある・常にある")


class IndirectAnswer(models.IntegerChoices):
    NEVER = 1, _("決してない")
    HARDLY = 2, _("ほとんどない")
    SOMETIMES = 3, _("時々ある")
    ALWAYS = 4, _("常にある")


class ScoreError(ValueError):
    """Answers outside the scale; `problems` names each one (field → message)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def band_of(score: int) -> Band:
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ScoreError({"indirect": f"score {score} is outside {SCORE_MIN}–{SCORE_MAX}"})
    if score == SCORE_MIN:
        return Band.NEVER
    if score <= 6:
        return Band.HARDLY
    if score <= 9:
        return Band.SOMETIMES
    return Band.ALWAYS


def _is_answer(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True)
class Result:
    indirect: tuple[int, int, int]
    direct: int

    @property
    def indirect_score(self) -> int:
        return sum(self.indirect)

    @property
    def indirect_band(self) -> Band:
        return band_of(self.indirect_score)

    @property
    def indirect_lonely(self) -> bool:
        return self.indirect_score >= LONELY_SCORE

    @property
    def direct_lonely(self) -> bool:
        return self.direct >= DIRECT_LONELY

    @property
    def strong(self) -> bool:
        """Answers that suggest strong loneliness: consultation windows come first."""
        return self.direct >= DIRECT_STRONG or self.indirect_score >= STRONG_SCORE

    def as_json(self) -> dict[str, object]:
        return {
            "indirect_score": self.indirect_score,
            "indirect_band": self.indirect_band.value,
            "direct_level": self.direct,
            "direct_lonely": self.direct_lonely,
        }


def score(indirect: Sequence[object] | None, direct: object) -> Result:
    """Score one set of answers; raises ScoreError naming every bad answer."""
    problems: dict[str, str] = {}
    if not isinstance(indirect, list | tuple) or len(indirect) != INDIRECT_ITEMS:
        problems["indirect"] = (
            f"three answers are needed, each an integer {INDIRECT_MIN}–{INDIRECT_MAX}"
        )
    else:
        for i, value in enumerate(indirect):
            if not _is_answer(value, INDIRECT_MIN, INDIRECT_MAX):
                problems[f"indirect[{i}]"] = (
                    f"must be an integer {INDIRECT_MIN}–{INDIRECT_MAX}, got {value!r}"
                )
    if not _is_answer(direct, DIRECT_MIN, DIRECT_MAX):
        problems["direct"] = f"must be an integer {DIRECT_MIN}–{DIRECT_MAX}, got {direct!r}"
    if problems:
        raise ScoreError(problems)
    a, b, c = (cast(int, value) for value in indirect or ())  # validated above
    return Result(indirect=(a, b, c), direct=cast(int, direct))
