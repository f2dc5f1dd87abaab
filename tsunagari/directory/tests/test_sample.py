"""The demo's sample resources are plainly fictional and loading them twice adds nothing."""

from __future__ import annotations

from django.test import TestCase

from tsunagari.directory.models import Resource
from tsunagari.directory.sample import (
    PROVIDER_OF_TEMPLATE,
    SAMPLE_MARK,
    TEMPLATES,
    load_sample_resources,
)


class SampleResourcesTestCase(TestCase):
    def test_every_sample_is_marked_and_has_no_real_phone_number(self) -> None:
        self.assertEqual(load_sample_resources(40), 40)
        for resource in Resource.objects.prefetch_related("kinds", "schedules"):
            self.assertTrue(resource.is_sample)
            self.assertTrue(resource.name.startswith(SAMPLE_MARK))
            self.assertTrue(resource.provider.startswith(SAMPLE_MARK))
            self.assertIn("サンプルデータ", resource.description)
            # Run by a sample organisation, never by a real member.
            assert resource.organization is not None
            self.assertTrue(resource.organization.is_sample)
            # Numbers with a 000 exchange are not in service.
            self.assertRegex(resource.phone, r"^0\d{1,3}-000-\d{4}$")
            self.assertTrue(resource.kinds.all())
            self.assertTrue(resource.schedules.all())
            resource.full_clean()

    def test_a_food_bank_does_not_run_the_helpline(self) -> None:
        load_sample_resources(len(TEMPLATES))
        pantry = Resource.objects.get(description__contains="寄付された食品")
        self.assertIn("フードシェア", pantry.provider)
        self.assertEqual(len(PROVIDER_OF_TEMPLATE), len(TEMPLATES))

    def test_loading_again_adds_nothing(self) -> None:
        load_sample_resources(10)
        self.assertEqual(load_sample_resources(10), 0)
        self.assertEqual(Resource.objects.count(), 10)

    def test_a_demo_loaded_before_sample_organisations_gets_them(self) -> None:
        from tsunagari.directory.sample import attach_sample_organizations

        load_sample_resources(10)
        Resource.objects.update(organization=None, provider_name=SAMPLE_MARK + "フードシェア湘南")
        self.assertEqual(attach_sample_organizations(), 10)
        self.assertEqual(
            set(Resource.objects.values_list("organization__name", flat=True)),
            {SAMPLE_MARK + "フードシェア湘南"},
        )
        self.assertEqual(attach_sample_organizations(), 0)

    def test_hidden_places_are_the_sensitive_ones(self) -> None:
        load_sample_resources(60)
        dv = Resource.objects.filter(concerns__slug="dv")
        self.assertTrue(dv.exists())
        for resource in dv:
            self.assertTrue(all(loc.hide_address for loc in resource.locations.all()))
