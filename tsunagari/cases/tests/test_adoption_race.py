"""Two officers of one municipality pressing at the same moment (PostgreSQL only)."""

from __future__ import annotations

from tsunagari.accounts.models import User
from tsunagari.cases.models import AdoptionStep, CaseAdoption
from tsunagari.cases.tests.adoption_factory import make_case
from tsunagari.geo.models import Municipality
from tsunagari.race import Post, RaceTestCase, at_once, make_people


class AdoptionRaceTest(RaceTestCase):
    def test_two_officers_marking_the_same_case_make_one_adoption(self) -> None:
        case = make_case()
        fujisawa = Municipality.objects.get(pk="142051")
        officers = make_people(4, "fujisawa-race", User.Role.MUNICIPALITY, municipality=fujisawa)
        data = {"municipality": "142051", "stage": "interest", "on": "令和7年7月1日"}
        outcomes = at_once([Post(o, f"/cases/{case.pk}/adopt/", data) for o in officers])
        self.assertEqual([o.status for o in outcomes], [302] * 4)
        adoption = CaseAdoption.objects.get(case=case)
        self.assertEqual(adoption.stage, "interest")
        self.assertEqual(AdoptionStep.objects.filter(adoption=adoption).count(), 1)

    def test_different_stages_at_once_leave_a_history_that_ends_where_the_adoption_is(
        self,
    ) -> None:
        case = make_case()
        fujisawa = Municipality.objects.get(pk="142051")
        officers = make_people(4, "fujisawa-move", User.Role.MUNICIPALITY, municipality=fujisawa)
        stages = ["interest", "considering", "implementing", "established"]
        posts = [
            Post(
                o,
                f"/cases/{case.pk}/adopt/",
                {"municipality": "142051", "stage": s, "on": "R7.7.1"},
            )
            for o, s in zip(officers, stages, strict=True)
        ]
        self.assertEqual([o.status for o in at_once(posts)], [302] * 4)
        adoption = CaseAdoption.objects.get(case=case)
        history = list(adoption.history.order_by("at", "id").values_list("stage", flat=True))
        self.assertEqual(sorted(history), sorted(stages), "each officer's stage, once")
        self.assertEqual(history[-1], adoption.stage, "the last step is where it stands")
