"""The monthly roll-up (SelfCheckMonthTally) always says what the tallies say: after
answers, a sheet taken back, a rebuild, the migration that builds it, and answers at once."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db.models import Q, Sum
from django.test import Client

from tsunagari.accounts.models import User
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people
from tsunagari.surveys import aggregates, scoring, services
from tsunagari.surveys.models import SelfCheckMonthTally, SelfCheckResponse, SelfCheckTally
from tsunagari.surveys.tests.test_paper_entry import SELFCHECK, sheet
from tsunagari.test import BaseTestCase, sign_in

Rolled = dict[tuple[dt.date, str, str], tuple[int, int, int]]


def rolled_up() -> Rolled:
    """What SelfCheckMonthTally holds: (month, city, age) → (n, indirect, direct)."""
    return {
        (t.month, t.municipality_code, t.age_band): (t.n, t.indirect, t.direct)
        for t in SelfCheckMonthTally.objects.all()
    }


def from_tallies() -> Rolled:
    """The same, summed from SelfCheckTally as the aggregates used to."""
    rows = (
        SelfCheckTally.objects.order_by()
        .values_list("month", "municipality_code", "age_band")
        .annotate(
            total=Sum("n"),
            indirect=Sum("n", filter=Q(indirect_band__in=aggregates.LONELY_BANDS)),
            direct=Sum("n", filter=Q(direct__in=aggregates.LONELY_DIRECT)),
        )
    )
    return {(m, c, a): (n, i or 0, d or 0) for m, c, a, n, i, d in rows}


class MonthTallyTestCase(BaseTestCase):
    def record(self, indirect: list[int], direct: int, **kwargs: Any) -> SelfCheckResponse:
        return services.record_selfcheck(scoring.score(indirect, direct), **kwargs)

    def answers(self) -> list[SelfCheckResponse]:
        ward = Municipality.objects.get(code="141038")  # 横浜市西区: counted under 横浜市
        fujisawa = Municipality.objects.get(code="142051")
        may, june = dt.date(2026, 5, 12), dt.date(2026, 6, 3)
        return [
            self.record([3, 3, 3], 4, municipality=ward, age_band="70s", answered_on=may),
            self.record([1, 1, 1], 1, municipality=ward, age_band="70s", answered_on=may),
            self.record([2, 3, 2], 2, municipality=fujisawa, answered_on=may),
            self.record([1, 2, 1], 3, answered_on=june),
            self.record([3, 2, 3], 5, answered_on=june),
        ]

    def test_each_answer_counts_in_the_roll_up(self) -> None:
        self.answers()
        rolled = rolled_up()
        self.assertEqual(rolled, from_tallies())
        self.assertEqual(rolled[(dt.date(2026, 5, 1), "141003", "70s")], (2, 1, 1))
        self.assertEqual(rolled[(dt.date(2026, 6, 1), "", "")], (2, 1, 2))

    def test_a_sheet_taken_back_leaves_the_roll_up(self) -> None:
        made = self.answers()
        services.unrecord_selfcheck(made[0])
        self.assertEqual(rolled_up(), from_tallies())
        self.assertEqual(rolled_up()[(dt.date(2026, 5, 1), "141003", "70s")], (1, 0, 0))
        services.unrecord_selfcheck(made[1])
        self.assertNotIn((dt.date(2026, 5, 1), "141003", "70s"), rolled_up())
        self.assertEqual(rolled_up(), from_tallies())

    def test_a_rebuild_recounts_the_roll_up(self) -> None:
        self.answers()
        counted = rolled_up()
        SelfCheckMonthTally.objects.update(n=99, indirect=7)
        call_command("rebuild_selfcheck_tallies", stdout=None)
        self.assertEqual(rolled_up(), counted)
        self.assertEqual(services.rebuild_month_tallies(), len(counted))
        self.assertEqual(rolled_up(), counted)

    def test_the_migration_builds_the_roll_up_from_the_tallies(self) -> None:
        self.answers()
        counted = rolled_up()
        SelfCheckMonthTally.objects.all().delete()
        migration = importlib.import_module("tsunagari.surveys.migrations.0006_month_tally")
        migration.roll_up(apps, None)
        self.assertEqual(rolled_up(), counted)

    def test_the_public_figures_come_from_the_roll_up(self) -> None:
        for _ in range(12):
            self.record([3, 3, 3], 4, answered_on=dt.date(2026, 5, 12))
        for _ in range(15):
            self.record([1, 1, 1], 1, answered_on=dt.date(2026, 5, 20))
        result = aggregates.compute(aggregates.make_filters(period="2026-05"))
        self.assertEqual(result.n, 27)
        self.assertEqual(result.indirect_lonely.count, 12)
        self.assertEqual(result.direct_lonely.count, 12)


class MonthTallyRaceTestCase(RaceTestCase):
    """Paper sheets keyed in at once by several staff: every one counts once in both."""

    def test_sheets_sent_at_once_are_each_rolled_up(self) -> None:
        organization = Organization.objects.get(roster_no=13)
        people = make_people(3, "staff", User.Role.MEMBER, organization=organization)
        posts = []
        for n in range(9):
            client = Client()
            sign_in(client, people[n % 3])
            answers = sheet(sheet=f"a-sheet-key-of-the-page-{n:04d}", direct=str(n % 5 + 1))
            posts.append(Post(None, SELFCHECK, answers, cookies=client.cookies))
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 9)
        self.assertEqual(SelfCheckResponse.objects.count(), 9)
        self.assertEqual(rolled_up(), from_tallies())
        # One key (the sheets' month, no place, no age): indirect 2+3+1 = 6 is not lonely,
        # direct 3, 4 or 5 is for five of the nine sheets.
        self.assertEqual(list(rolled_up().values()), [(9, 0, 5)])
