"""Two secretariat edits of the same municipality at the same moment (PostgreSQL, real
threads): the row is locked and each edit names the version it was made from, so the
first to get the lock is saved with its history entry and the other is refused as stale
(its editor is told and keeps what they typed). Nothing is lost silently. The same
population figure keyed in twice at once is saved once; of two edits of a partner network
made from the same version, one is saved."""

from __future__ import annotations

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.core.forms import version_of
from tsunagari.race import Post, RaceTestCase, at_once, make_people
from tsunagari.rollout.models import MunicipalityRollout, PopulationFigure, RolloutChange
from tsunagari.rollout.tests.network_support import make_network
from tsunagari.rollout.tests.test_networks import network_data
from tsunagari.rollout.tests.test_rollout import edit_data, population_data


class RolloutEditRaceTestCase(RaceTestCase):
    def test_two_edits_at_once_one_saved_one_refused_as_stale(self) -> None:
        people = make_people(2, "jimu", User.Role.SECRETARIAT)
        row = MunicipalityRollout.objects.get(pk="142051")
        posts = [
            Post(people[0], "/rollout/142051/edit/", edit_data(row, stage="second", reason="A")),
            Post(people[1], "/rollout/142051/edit/", edit_data(row, stage="third", reason="B")),
        ]
        outcomes = at_once(posts)
        self.assertEqual(sorted(o.status for o in outcomes), [200, 302])
        [saved] = RolloutChange.objects.filter(rollout_id="142051")
        winner = next(n for n, o in enumerate(outcomes) if o.status == 302)
        loser = outcomes[1 - winner]
        self.assertEqual(saved.note, "AB"[winner])
        row.refresh_from_db()
        self.assertEqual(row.stage, ["second", "third"][winner])
        self.assertIn("ほかの人が変更を保存しました", loser.response.content.decode())

    def test_edits_one_after_the_other_are_all_recorded_in_order(self) -> None:
        [person] = make_people(1, "jimu-seq", User.Role.SECRETARIAT)
        for n, stage in enumerate(["second", "third", "first"]):
            row = MunicipalityRollout.objects.get(pk="142051")
            [outcome] = at_once(
                [Post(person, "/rollout/142051/edit/", edit_data(row, stage=stage, reason=str(n)))]
            )
            self.assertEqual(outcome.status, 302)
        notes = list(
            RolloutChange.objects.filter(rollout_id="142051")
            .order_by("at", "id")
            .values_list("note", flat=True)
        )
        self.assertEqual(notes, ["0", "1", "2"])


class PopulationRaceTestCase(RaceTestCase):
    def test_the_same_figure_entered_twice_at_once_is_saved_once(self) -> None:
        # Two secretariat staff key in the same census figure at the same moment: one is
        # saved, the other is told it exists (a form error, not a 500), nothing doubled.
        people = make_people(2, "jimu-pop", User.Role.SECRETARIAT)
        data = population_data(as_of="2026-01-01")
        outcomes = at_once([Post(person, "/secretariat/population/", data) for person in people])
        self.assertEqual(sorted(o.status for o in outcomes), [302, 400])
        loser = next(o for o in outcomes if o.status == 400)
        self.assertIn("すでに登録されています", loser.response.content.decode())
        self.assertEqual(
            PopulationFigure.objects.filter(municipality_id="142051", as_of="2026-01-01").count(),
            1,
        )


class NetworkEditRaceTestCase(RaceTestCase):
    def test_two_edits_from_one_version_save_one(self) -> None:
        # Two secretariat staff update the same partner network from the page they opened:
        # the first is saved and audited, the second is told (409) and keeps its text.
        people = make_people(2, "jimu-net", User.Role.SECRETARIAT)
        network = make_network()
        bodies = ["【テスト】Aの事務局", "【テスト】Bの事務局"]
        posts = [
            Post(
                person,
                f"/networks/{network.pk}/edit/",
                network_data(name=network.name, liaison_body=body, seen=version_of(network)),
            )
            for person, body in zip(people, bodies, strict=True)
        ]
        outcomes = at_once(posts)
        self.assertEqual(sorted(o.status for o in outcomes), [302, 409])
        winner = next(n for n, o in enumerate(outcomes) if o.status == 302)
        network.refresh_from_db()
        self.assertEqual(network.liaison_body, bodies[winner])
        self.assertEqual(network.members.count(), 1)  # the loser's new member was not added
        [event] = AuditEvent.objects.for_object(network).filter(action="update")
        self.assertEqual(event.changes["liaison_body"][1], bodies[winner])
        self.assertIn(bodies[1 - winner], outcomes[1 - winner].response.content.decode())
