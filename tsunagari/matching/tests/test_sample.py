"""The demo has something to act on: sample needs with suggestions that can be proposed to,
a published voice; and the roster stays as in the source (the sample collaborations are
tested in collaborations/tests/test_sample.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management import call_command

from tsunagari.accounts.models import User
from tsunagari.collaborations.services import current_partners
from tsunagari.directory.sample import SAMPLE_MARK, TEMPLATES, load_sample_resources
from tsunagari.factory import make_user
from tsunagari.matching import engine
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.matching.sample import load_sample_needs
from tsunagari.members import services as member_services
from tsunagari.members.models import Organization
from tsunagari.test import BaseTestCase


class SampleDemoTestCase(BaseTestCase):
    roster_before: tuple[date, list[list[Any]]]
    needs: int

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        day = member_services.roster_date()
        cls.roster_before = (day, member_services.roster_rows(day))
        load_sample_resources(2 * len(TEMPLATES))
        cls.needs = load_sample_needs()
        engine.clear_cache()
        call_command("refresh_suggestions", stdout=open("/dev/null", "w"))  # noqa: SIM115

    def test_a_sample_need_has_suggestions_run_by_another_sample_organisation(self) -> None:
        self.assertEqual(self.needs, 4)
        need = Need.objects.get(title__contains="週末に親子で過ごせる居場所")
        assert need.organization is not None
        self.assertTrue(need.organization.is_sample)
        others = need.suggestions.filter(resource__organization__is_sample=True).exclude(
            resource__organization=need.organization
        )
        self.assertTrue(others.exists())
        # The owner's staff see them and may propose to those organisations.
        staff = make_user("pokapoka@example.jp", User.Role.MEMBER, organization=need.organization)
        partner = others.first().resource.organization  # type: ignore[union-attr]
        self.assertIn(partner, current_partners(need.organization))
        self.login(staff)
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertContains(r, others.first().resource.name)  # type: ignore[union-attr]

    def test_a_published_voice(self) -> None:
        voice = ResidentRequest.objects.get(status=ResidentRequest.Status.PUBLISHED)
        assert voice.need is not None
        self.assertTrue(voice.contact_consent)
        self.assertEqual(voice.need.origin, Need.Origin.RESIDENT)
        self.assertIsNone(voice.need.organization)
        # Any member's staff may answer the voice.
        self.login(self.staff)
        r = self.client.get(f"/needs/{voice.need.pk}/")
        self.assertContains(r, "この声に応えられます")

    def test_the_roster_its_exports_and_api_are_unchanged(self) -> None:
        day, rows = self.roster_before
        self.assertEqual(member_services.roster_date(), day)
        self.assertEqual(member_services.roster_rows(day), rows)
        self.assertTrue(Organization.objects.filter(is_sample=True).exists())
        r = self.client.get("/roster/")
        self.assertNotContains(r, SAMPLE_MARK)
        api = self.client.get("/api/v1/organizations").json()
        self.assertEqual(api["count"], len(rows))
        self.assertNotIn(SAMPLE_MARK, str(api))
        self.login(self.secretariat)
        csv = self.client.get("/secretariat/roster.csv").content.decode("utf-8-sig")
        self.assertNotIn(SAMPLE_MARK, csv)

    def test_loading_again_adds_nothing(self) -> None:
        self.assertEqual(load_sample_needs(), 0)
        self.assertEqual(Need.objects.count(), 4)
