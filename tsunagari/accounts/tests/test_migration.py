"""The move from one role per account to capacity rows keeps every account's access."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("accounts", "0002_initial")]
AFTER = [("accounts", "0005_drop_single_role")]


class RoleToCapacitiesMigrationTestCase(TransactionTestCase):
    # The migrations' own data (municipalities, the roster) comes back for later tests.
    serialized_rollback = True

    def migrate(self, targets: list[tuple[str, str]]) -> MigrationExecutor:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor

    def tearDown(self) -> None:
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        super().tearDown()

    def test_each_role_becomes_one_capacity_row(self) -> None:
        executor = self.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        User = old.get_model("accounts", "User")
        fujisawa = old.get_model("geo", "Municipality").objects.get(code="142051")
        himawari = old.get_model("members", "Organization").objects.get(roster_no=13)
        User.objects.create(email="jimu@example.jp", full_name="事務局", role="secretariat")
        User.objects.create(
            email="city@example.jp", full_name="担当", role="municipality", municipality=fujisawa
        )
        User.objects.create(
            email="staff@example.jp", full_name="職員", role="member", organization=himawari
        )

        executor = self.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        User = new.get_model("accounts", "User")
        Affiliation = new.get_model("accounts", "Affiliation")
        Assignment = new.get_model("accounts", "Assignment")
        self.assertEqual(User.objects.count(), 3)
        self.assertEqual(
            list(User.objects.filter(secretariat=True).values_list("email", flat=True)),
            ["jimu@example.jp"],
        )
        self.assertEqual(
            list(Assignment.objects.values_list("user__email", "municipality__code")),
            [("city@example.jp", "142051")],
        )
        self.assertEqual(
            list(Affiliation.objects.values_list("user__email", "organization__roster_no")),
            [("staff@example.jp", 13)],
        )

    def test_going_back_keeps_one_role_per_account(self) -> None:
        executor = self.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        User = new.get_model("accounts", "User")
        fujisawa = new.get_model("geo", "Municipality").objects.get(code="142051")
        member = new.get_model("members", "Organization").objects.get(roster_no=31)
        both = User.objects.create(email="both@example.jp", full_name="両方")
        new.get_model("accounts", "Assignment").objects.create(user=both, municipality=fujisawa)
        new.get_model("accounts", "Affiliation").objects.create(user=both, organization=member)
        User.objects.create(email="none@example.jp", full_name="なし")

        executor = self.migrate(BEFORE)
        User = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
        both = User.objects.get(email="both@example.jp")
        self.assertEqual((both.role, both.municipality_id), ("municipality", fujisawa.pk))
        nobody = User.objects.get(email="none@example.jp")
        self.assertEqual((nobody.role, nobody.is_active), ("secretariat", False))
