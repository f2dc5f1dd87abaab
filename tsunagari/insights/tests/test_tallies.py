"""The dashboard's counts read from tallies say exactly what counting the data says, after
any sequence of edits — so the public dashboard stays fast without ever showing a figure
that the data does not support."""

from __future__ import annotations

import random
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import TestCase

from tsunagari import factory
from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.collaborations.tests.test_services import make_collaboration, make_need
from tsunagari.directory import search
from tsunagari.directory.models import Kind, Location, Resource, TargetGroup
from tsunagari.geo.models import Municipality
from tsunagari.insights import tallies
from tsunagari.insights.models import Counted, Tally
from tsunagari.matching.models import Need
from tsunagari.members.models import Organization

KINDS = ["ibasho", "event", "volunteer", "food"]
GROUPS = ["kodomo", "kosodate", "koreisha", "gaikoku"]


def snapshot() -> dict[str, Any]:
    """Everything the dashboard can ask, as the tallies answer it."""
    years = sorted({tallies.fiscal_year_of(c.created_at) for c in Collaboration.objects.all()})
    cities = sorted(set(tallies.city_of().values()))
    return {
        "resources": tallies.resources_by_municipality(),
        "opportunities": tallies.resources_by_municipality(opportunities=True),
        "needs_and_seeds": tallies.needs_and_seeds(),
        "funnel": {
            (year, city): tallies.collaboration_funnel(fiscal_year=year, municipality=city)
            for year in [None, *years, 1999]
            for city in [None, *cities[:6], "142051", "141003"]
        },
    }


def naive_snapshot() -> dict[str, Any]:
    years = sorted({tallies.fiscal_year_of(c.created_at) for c in Collaboration.objects.all()})
    cities = sorted(set(tallies.city_of().values()))
    return {
        "resources": tallies.naive_resources_by_municipality(),
        "opportunities": tallies.naive_resources_by_municipality(opportunities=True),
        "needs_and_seeds": tallies.naive_needs_and_seeds(),
        "funnel": {
            (year, city): tallies.naive_collaboration_funnel(fiscal_year=year, municipality=city)
            for year in [None, *years, 1999]
            for city in [None, *cities[:6], "142051", "141003"]
        },
    }


class TalliesTestCase(TestCase):
    maxDiff = None
    codes: list[str]
    organizations: list[Organization]

    @classmethod
    def setUpTestData(cls) -> None:
        places = Municipality.objects.exclude(kind=Municipality.Kind.PREFECTURE)
        # Wards and cities both: a ward's resources count for its city.
        cls.codes = list(places.order_by("code").values_list("code", flat=True))
        cls.organizations = list(Organization.objects.order_by("roster_no")[:6])

    def assertInStep(self) -> None:
        self.assertTrue(tallies.tallies_built())
        tallied, naive = snapshot(), naive_snapshot()
        for name, value in naive.items():
            if isinstance(value, dict):
                wrong = {
                    k: (tallied[name].get(k), v)
                    for k, v in value.items()
                    if tallied[name].get(k) != v
                }
                wrong |= {k: (v, None) for k, v in tallied[name].items() if k not in value}
                self.assertEqual(wrong, {}, name)

    def committed(self, change: Any) -> Any:
        """Run a change as a request would: the tallies follow on commit."""
        with self.captureOnCommitCallbacks(execute=True):
            return change()

    def random_step(self, rng: random.Random) -> None:
        resources = list(Resource.objects.order_by("pk"))
        needs = list(Need.objects.order_by("pk"))
        collaborations = list(Collaboration.objects.order_by("pk"))
        step = rng.randrange(14)
        if step == 0 or not resources:
            factory.make_resource(
                kinds=tuple(rng.sample(KINDS, 2)),
                targets=tuple(rng.sample(GROUPS, rng.randrange(3))),
                municipality=rng.choice(self.codes),
                status=rng.choice([Resource.Status.PUBLISHED] * 3 + [Resource.Status.DRAFT]),
            )
        elif step == 1:
            r = rng.choice(resources)
            Location.objects.create(
                resource=r, name="別会場", municipality_id=rng.choice(self.codes)
            )
        elif step == 2:
            location = rng.choice([None, *Location.objects.order_by("pk")])
            if location:
                location.municipality_id = rng.choice(self.codes)
                location.save()
        elif step == 3:
            location = rng.choice([None, *Location.objects.order_by("pk")])
            if location:
                location.delete()
        elif step == 4:
            r = rng.choice(resources)
            r.status = rng.choice(list(Resource.Status.values))
            r.save()
        elif step == 5:
            rng.choice(resources).kinds.set(Kind.objects.filter(slug__in=rng.sample(KINDS, 2)))
        elif step == 6:
            groups = TargetGroup.objects.filter(slug__in=rng.sample(GROUPS, rng.randrange(3)))
            rng.choice(resources).target_groups.set(groups)
        elif step == 7:
            # From the group's side (the reverse of the m2m).
            TargetGroup.objects.get(slug=rng.choice(GROUPS)).resources.add(rng.choice(resources))
        elif step == 8:
            rng.choice(resources).delete()
        elif step == 9 or not needs:
            make_need(
                municipality_id=rng.choice(self.codes),
                targets=tuple(rng.sample(GROUPS, rng.randrange(1, 3))),
                status=rng.choice([Need.Status.OPEN, Need.Status.OPEN, Need.Status.CLOSED]),
            )
        elif step == 10:
            need = rng.choice(needs)
            if rng.random() < 0.5:
                need.status = rng.choice(list(Need.Status.values))
            else:
                need.municipality_id = rng.choice(self.codes)
            need.save()
            need.target_groups.set(TargetGroup.objects.filter(slug__in=rng.sample(GROUPS, 1)))
        elif step == 11:
            rng.choice(needs).delete()
        elif step == 12 or not collaborations:
            proposer, partner = rng.sample(self.organizations, 2)
            make_collaboration(
                proposer,
                partner,
                status=rng.choice(list(Collaboration.Status.values)),
                need=rng.choice([None, *needs]),
            )
        else:
            c = rng.choice(collaborations)
            what = rng.randrange(4)
            if what == 0:
                c.status = rng.choice(list(Collaboration.Status.values))
                c.cross_sector = not c.cross_sector
                c.save()
            elif what == 1:
                others = [o for o in self.organizations if not c.parties.filter(organization=o)]
                if others:
                    CollaborationParty.objects.create(collaboration=c, organization=others[0])
            elif what == 2:
                place = Municipality.objects.filter(code=rng.choice(self.codes))
                rng.choice(self.organizations).municipalities.set(place)
            else:
                c.delete()

    def test_tallies_follow_every_kind_of_edit(self) -> None:
        rng = random.Random(16)
        for organization in self.organizations:
            organization.municipalities.set(
                Municipality.objects.filter(code__in=rng.sample(self.codes, 2))
            )
        call_command("rebuild_tallies", stdout=StringIO())
        for step in range(60):
            self.committed(lambda: self.random_step(rng))
            if step % 15 == 14:
                self.assertInStep()
        self.committed(lambda: factory.make_resource(municipality="141003"))
        self.assertInStep()
        self.assertIn("141003", tallies.resources_by_municipality())
        before = tallies.collaboration_funnel()["proposed"]
        self.committed(lambda: make_collaboration(self.organizations[0], self.organizations[1]))
        self.assertEqual(tallies.collaboration_funnel()["proposed"], before + 1)

    def test_a_resource_moved_to_a_ward_counts_for_its_city(self) -> None:
        call_command("rebuild_tallies", stdout=StringIO())
        resource = self.committed(
            lambda: factory.make_resource(kinds=("event",), targets=("kodomo",))
        )
        self.assertEqual(tallies.resources_by_municipality(opportunities=True), {"142051": 1})
        location = resource.locations.get()
        location.municipality_id = "141011"  # 横浜市鶴見区
        self.committed(location.save)
        self.assertEqual(tallies.resources_by_municipality(), {"141003": 1})
        self.assertEqual(tallies.needs_and_seeds(), {("141003", "kodomo"): (0, 1)})
        self.committed(lambda: resource.unpublish(by=None, reason="closed"))
        self.assertEqual(tallies.resources_by_municipality(), {})
        self.assertInStep()

    def test_bulk_changes_announced_by_reindex_are_counted(self) -> None:
        call_command("rebuild_tallies", stdout=StringIO())
        made = [self.committed(lambda: factory.make_resource()) for _ in range(3)]
        self.assertEqual(tallies.resources_by_municipality(), {"142051": 3})
        # An import or a bulk edit sends no post_save, but reindexes what it changed.
        Resource.objects.filter(pk__in=[r.pk for r in made[:2]]).update(
            status=Resource.Status.UNPUBLISHED
        )
        self.committed(lambda: search.reindex([r.pk for r in made[:2]]))
        self.assertEqual(tallies.resources_by_municipality(), {"142051": 1})

    def test_without_tallies_the_counts_come_from_the_data(self) -> None:
        # A fresh install, or an upgrade before rebuild_tallies: never a wrong figure.
        self.committed(lambda: factory.make_resource(municipality="141003"))
        Tally.objects.all().delete()
        self.assertFalse(tallies.tallies_built())
        self.assertEqual(tallies.resources_by_municipality(), {"141003": 1})
        self.assertEqual(snapshot(), naive_snapshot())

    def test_rebuild_is_idempotent(self) -> None:
        rng = random.Random(3)
        for _ in range(40):
            self.committed(lambda: self.random_step(rng))

        def rows() -> tuple[list[Any], list[Any]]:
            return (
                sorted(
                    Tally.objects.values_list(
                        "metric", "municipality", "key", "fiscal_year", "value"
                    )
                ),
                sorted(Counted.objects.values_list("source", "object_id", "cells")),
            )

        out = StringIO()
        call_command("rebuild_tallies", stdout=out)
        self.assertIn("tallies rebuilt", out.getvalue())
        first = rows()
        call_command("rebuild_tallies", stdout=StringIO())
        self.assertEqual(rows(), first)
        self.assertInStep()
