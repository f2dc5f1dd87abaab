"""What residents say would help is counted like the scores: in step with every answer."""

from __future__ import annotations

import datetime as dt

from tsunagari.geo.models import Municipality
from tsunagari.surveys import scoring, services
from tsunagari.surveys.models import SelfCheckHelpTally
from tsunagari.test import BaseTestCase

DAY = dt.date(2026, 5, 12)


def tallies() -> dict[tuple[str, str, str], int]:
    return {
        (t.municipality_code, t.age_band, t.help): t.n
        for t in SelfCheckHelpTally.objects.filter(month=DAY.replace(day=1))
    }


class HelpTallyTest(BaseTestCase):
    def record(self, helps: list[str], **kwargs: object) -> object:
        result = scoring.score([2, 2, 2], 2)
        return services.record_selfcheck(result, helps=helps, answered_on=DAY, **kwargs)  # type: ignore[arg-type]

    def test_each_help_and_the_answered_count_go_up_by_one(self) -> None:
        ward = Municipality.objects.get(code="141038")  # 横浜市西区
        self.record(["talk", "hobby"], municipality=ward, age_band="70s")
        self.record(["talk"], municipality=ward, age_band="70s")
        self.record([])  # the question skipped: not in the denominator
        yokohama = str(ward.parent_id)
        self.assertEqual(
            tallies(),
            {
                (yokohama, "70s", "talk"): 2,
                (yokohama, "70s", "hobby"): 1,
                (yokohama, "70s", SelfCheckHelpTally.ANSWERED): 2,
            },
        )

    def test_a_sheet_taken_back_takes_its_helps_back(self) -> None:
        kept = self.record(["talk"])
        mistake = self.record(["talk", "money"])
        services.unrecord_selfcheck(mistake)  # type: ignore[arg-type]
        self.assertEqual(tallies(), {("", "", "talk"): 1, ("", "", "*"): 1})
        services.unrecord_selfcheck(kept)  # type: ignore[arg-type]
        self.assertEqual(tallies(), {})

    def test_a_recount_gives_what_was_counted_as_answers_came_in(self) -> None:
        self.record(["talk", "mind"], age_band="20s")
        self.record(["mind"], age_band="20s")
        self.record(["work"], municipality=Municipality.objects.get(code="142051"))
        counted = tallies()
        services.rebuild_tallies()
        self.assertEqual(tallies(), counted)
        self.assertEqual(counted[("", "20s", "mind")], 2)
