"""The national figures (孤独・孤立の実態把握に関する全国調査, 内閣府), as in DATA.md.

Only figures stated by the survey or the source document are here; the 令和6年 indirect
bands other than 10–12 are known only from secondary sources and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SOURCE = _("内閣府「孤独・孤立の実態把握に関する全国調査」")


@dataclass(frozen=True)
class NationalSurvey:
    year: int  # the calendar year the survey's figures are named by (令和3年 = 2021)
    era_label: str | Promise
    n: int | None
    n_approximate: bool
    # Direct question, % of respondents by level 5..1 and no answer; None where not published.
    direct: dict[int, float | None] = field(default_factory=dict)
    direct_no_answer: float | None = None
    direct_lonely: float | None = None  # levels 3–5
    indirect_lonely: float | None = None  # score 7–12
    indirect_always: float | None = None  # score 10–12


SURVEYS: tuple[NationalSurvey, ...] = (
    NationalSurvey(
        2021,
        _("令和3年"),
        11867,
        False,
        direct={5: 4.5, 4: 14.5, 3: 17.4, 2: 38.9, 1: 23.7},
        direct_no_answer=0.9,
        direct_lonely=36.4,
    ),
    NationalSurvey(
        2022,
        _("令和4年"),
        11218,
        False,
        direct={5: 4.9, 4: 15.8, 3: 19.6, 2: 40.6, 1: 18.4},
        direct_no_answer=0.6,
        direct_lonely=40.3,
    ),
    NationalSurvey(
        2023,
        _("令和5年"),
        11141,
        False,
        direct={5: 4.8, 4: 14.8, 3: 19.7, 2: 41.4, 1: 17.9},
        direct_no_answer=1.5,
        direct_lonely=39.3,
    ),
    NationalSurvey(
        2024,
        _("令和6年"),
        10876,
        True,
        direct={5: 4.3, 4: 15.4, 3: 19.6, 2: None, 1: None},
        direct_lonely=39.3,
        indirect_lonely=45.7,
        indirect_always=6.5,
    ),
)
LATEST = SURVEYS[-1]
