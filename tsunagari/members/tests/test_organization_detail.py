from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tsunagari.members.models import ROSTER_BASELINE_DATE, Membership, Theme
from tsunagari.members.tests.helpers import make_member, roster_names
from tsunagari.test import BaseTestCase


class OrganizationDetailTestCase(BaseTestCase):
    def url(self, pk: int) -> str:
        return f"/members/{pk}/"

    def test_anyone_sees_a_current_member(self) -> None:
        self.organization.themes.set(Theme.objects.filter(name="居場所づくり"))
        self.organization.municipalities.set([self.municipality])
        self.organization.description = "地域の見守り活動"
        self.organization.save()
        r = self.client.get(self.url(self.organization.pk))
        self.assertContains(r, self.organization.name)
        self.assertContains(r, "民間事業者")
        self.assertContains(r, "藤沢市")
        self.assertContains(r, "居場所づくり")
        self.assertContains(r, "地域の見守り活動")

    def test_a_former_member_has_no_public_page(self) -> None:
        Membership.objects.filter(organization=self.organization).update(
            ended_on=ROSTER_BASELINE_DATE + timedelta(days=30)
        )
        self.assertEqual(self.client.get(self.url(self.organization.pk)).status_code, 404)

    def test_a_member_whose_announced_withdrawal_is_still_ahead_is_shown(self) -> None:
        leaves_on = timezone.localdate() + timedelta(days=10)
        Membership.objects.filter(organization=self.organization).update(ended_on=leaves_on)
        r = self.client.get(self.url(self.organization.pk))
        self.assertContains(r, self.organization.name)
        roster = self.client.get("/roster/")
        self.assertIn(self.organization.name, roster_names(roster.content.decode()))
        self.assertContains(roster, f'href="{self.url(self.organization.pk)}"')

    def test_an_organisation_that_joins_later_is_not_shown_yet(self) -> None:
        later = make_member("来月加入の会", started_on=timezone.localdate() + timedelta(days=30))
        self.assertEqual(self.client.get(self.url(later.pk)).status_code, 404)

    def test_an_unknown_organisation_is_404(self) -> None:
        self.assertEqual(self.client.get(self.url(999999)).status_code, 404)

    def test_the_secretariat_sees_former_members_too(self) -> None:
        Membership.objects.filter(organization=self.organization).update(
            ended_on=ROSTER_BASELINE_DATE + timedelta(days=30)
        )
        self.login(self.secretariat)
        self.assertContains(self.client.get(self.url(self.organization.pk)), self.organization.name)
