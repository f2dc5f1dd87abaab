"""The tallies under concurrency (PostgreSQL, real threads and connections): changes made
at the same moment — to different resources in one city, or to the same resource — never
lose a count, and a rebuild running meanwhile loses none either."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction

from tsunagari import factory
from tsunagari.directory.models import Location, Resource, TargetGroup
from tsunagari.insights import tallies
from tsunagari.race import RaceTestCase


def together(changes: list[Callable[[], object]]) -> None:
    """Run each change in its own thread and transaction, all released at once."""
    barrier = threading.Barrier(len(changes))
    errors: list[BaseException] = []

    def run(change: Callable[[], object]) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                change()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


class TalliesRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        call_command("rebuild_tallies", stdout=StringIO())

    def assertInStep(self) -> None:
        self.assertEqual(
            tallies.resources_by_municipality(), tallies.naive_resources_by_municipality()
        )
        self.assertEqual(tallies.needs_and_seeds(), tallies.naive_needs_and_seeds())

    def test_twelve_new_resources_in_one_city_at_once_all_count(self) -> None:
        wards = ["141011", "141020", "141038", "141046"]  # 横浜市の区
        together(
            [
                partial(
                    factory.make_resource,
                    f"サンプル 居場所{n}",
                    municipality=wards[n % 4],
                    targets=("kodomo",),
                )
                for n in range(12)
            ]
        )
        self.assertEqual(tallies.resources_by_municipality(), {"141003": 12})
        self.assertEqual(tallies.needs_and_seeds(), {("141003", "kodomo"): (0, 12)})
        self.assertInStep()

    def test_one_resource_changed_by_many_at_once(self) -> None:
        resource = factory.make_resource(targets=("kodomo",))
        call_command("rebuild_tallies", stdout=StringIO())
        cities = ["141003", "141305", "142018", "142034", "142042", "142069"]

        def add_place(code: str) -> Callable[[], object]:
            return lambda: Location.objects.create(
                resource=resource, name="会場", municipality_id=code
            )

        def add_group() -> None:
            resource.target_groups.add(TargetGroup.objects.get(slug="koreisha"))

        def move_first() -> None:
            Location.objects.filter(resource=resource, municipality_id="142051").update(
                municipality_id="143821"
            )
            # A bulk edit: announced as the imports do.
            transaction.on_commit(lambda: tallies.apply({tallies.RESOURCE: {resource.pk}}))

        together([*(add_place(code) for code in cities), add_group, move_first])
        expected = dict.fromkeys([*cities, "143821"], 1)
        self.assertEqual(tallies.resources_by_municipality(), expected)
        self.assertEqual(
            {k: v for k, v in tallies.needs_and_seeds().items() if k[1] == "koreisha"},
            {(code, "koreisha"): (0, 1) for code in expected},
        )
        self.assertInStep()

    def test_changes_during_a_rebuild_are_not_lost(self) -> None:
        for n in range(20):
            factory.make_resource(f"サンプル 既存{n}", municipality="141003")
        Resource.objects.filter(name="サンプル 既存0").update(status=Resource.Status.DRAFT)
        changes: list[Callable[[], object]] = [
            partial(factory.make_resource, f"サンプル 新規{n}", municipality="142051")
            for n in range(8)
        ]
        changes.append(lambda: call_command("rebuild_tallies", stdout=StringIO()))
        together(changes)
        self.assertEqual(tallies.resources_by_municipality(), {"141003": 19, "142051": 8})
        self.assertInStep()
