"""The demo's collaborations: a response in progress and three 【サンプル】 organisations
that each accepted; a second run changes nothing."""

from __future__ import annotations

from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.collaborations.sample import THREE_PARTY_TITLE, load_sample_collaborations
from tsunagari.directory.sample import SAMPLE_MARK, TEMPLATES, load_sample_resources
from tsunagari.matching.sample import load_sample_needs
from tsunagari.test import BaseTestCase

Party = CollaborationParty


class SampleCollaborationsTestCase(BaseTestCase):
    lines: list[str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_sample_resources(len(TEMPLATES))
        load_sample_needs()
        cls.lines = load_sample_collaborations()

    def test_a_response_in_progress_between_sample_organisations(self) -> None:
        c = Collaboration.objects.get(kind=Collaboration.Kind.RESPONSE)
        self.assertEqual(c.status, Collaboration.Status.IN_PROGRESS)
        self.assertTrue(c.proposer.is_sample and c.partner and c.partner.is_sample)
        self.assertTrue(c.title.startswith(SAMPLE_MARK))
        self.assertEqual(c.parties.filter(status=Party.Status.ACCEPTED).count(), 2)

    def test_three_sample_organisations_each_accepted(self) -> None:
        c = Collaboration.objects.get(title=THREE_PARTY_TITLE)
        self.assertEqual(c.status, Collaboration.Status.ACCEPTED)
        parties = list(c.parties.select_related("organization"))
        self.assertEqual(
            sorted(p.role for p in parties), [Party.Role.LEAD, Party.Role.PARTNER, Party.Role.VENUE]
        )
        self.assertTrue(all(p.status == Party.Status.ACCEPTED for p in parties))
        self.assertTrue(all(p.organization.is_sample for p in parties))
        self.assertTrue(c.cross_sector)
        self.assertEqual(c.sector_count, 2)

    def test_a_second_run_changes_nothing(self) -> None:
        self.assertEqual(len(self.lines), 2)
        count = Collaboration.objects.count()
        self.assertEqual(load_sample_collaborations(), [])
        self.assertEqual(Collaboration.objects.count(), count)
