"""Moving collaborations out of matching and giving them parties loses nothing: every
two-party collaboration of every status keeps its row, thread and history, and gets its
proposer as the accepted lead and its partner as a partner whose answer follows the status."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("matching", "0003_corpus_version")]
AFTER = [("collaborations", "0002_parties")]
# The other apps the test reads, as they stand before.
ALSO = [("audit", "0002_repair_snapshot_diffs"), ("contenttypes", "0002_remove_content_type_name")]

# status of the collaboration → the partner's answer after the migration
EXPECTED = {
    "proposed": "invited",
    "accepted": "accepted",
    "in_progress": "accepted",
    "completed": "accepted",
    "declined": "declined",
    "withdrawn": "invited",
}


class PartiesMigrationTestCase(TransactionTestCase):
    serialized_rollback = True

    def migrate(self, targets: list[tuple[str, str]]) -> MigrationExecutor:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor

    def tearDown(self) -> None:
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        super().tearDown()

    def make_old_collaborations(self) -> dict[str, int]:
        executor = self.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE + ALSO).apps
        Organization = old.get_model("members", "Organization")
        Collaboration = old.get_model("matching", "Collaboration")
        Message = old.get_model("matching", "CollaborationMessage")
        ContentType = old.get_model("contenttypes", "ContentType")
        AuditEvent = old.get_model("audit", "AuditEvent")
        # As in production: the content types still name matching.
        ContentType.objects.filter(app_label="collaborations").delete()
        ContentType.objects.get_or_create(app_label="matching", model="collaboration")
        himawari = Organization.objects.get(roster_no=13)  # a member (community)
        city = Organization.objects.get(roster_no=32)  # 小田原市 (public)
        ids: dict[str, int] = {}
        for status in EXPECTED:
            c = Collaboration.objects.create(
                proposer=himawari,
                partner=city,
                title=f"連携 {status}",
                status=status,
                cross_sector=True,
                outcome="成果" if status == "completed" else "",
            )
            Message.objects.create(collaboration=c, organization=himawari, status="proposed")
            if status in ("accepted", "in_progress", "completed", "declined"):
                answer = "declined" if status == "declined" else "accepted"
                Message.objects.create(
                    collaboration=c, organization=city, status=answer, body="返事"
                )
            Message.objects.create(collaboration=c, organization=city, body="よろしく")
            AuditEvent.objects.create(
                action="create", object_type="matching.collaboration", object_id=str(c.pk)
            )
            ids[status] = c.pk
        response = Collaboration.objects.create(
            proposer=himawari, partner=None, kind="response", title="声への申し出"
        )
        ids["response"] = response.pk
        return ids

    def test_every_collaboration_gets_its_parties_and_keeps_its_thread(self) -> None:
        ids = self.make_old_collaborations()
        executor = self.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        Collaboration = new.get_model("collaborations", "Collaboration")
        Party = new.get_model("collaborations", "CollaborationParty")
        Message = new.get_model("collaborations", "CollaborationMessage")
        self.assertEqual(Collaboration.objects.count(), len(ids))
        for status, expected in EXPECTED.items():
            with self.subTest(status=status):
                c = Collaboration.objects.get(pk=ids[status])
                self.assertEqual((c.status, c.title), (status, f"連携 {status}"))
                self.assertEqual(c.partner.roster_no, 32)
                self.assertEqual(
                    sorted(
                        Party.objects.filter(collaboration=c).values_list(
                            "organization__roster_no", "role", "status"
                        )
                    ),
                    [(13, "lead", "accepted"), (32, "partner", expected)],
                )
                partner = Party.objects.get(collaboration=c, role="partner")
                self.assertEqual(partner.responded_at is None, expected == "invited")
                self.assertEqual(
                    (c.sector_count, c.cross_sector),
                    (1, False) if expected == "declined" else (2, True),
                )
                self.assertEqual(
                    Message.objects.filter(collaboration=c).count(),
                    3 if status in ("accepted", "in_progress", "completed", "declined") else 2,
                )
        self.assertEqual(Collaboration.objects.get(pk=ids["completed"]).outcome, "成果")
        response = Collaboration.objects.get(pk=ids["response"])
        self.assertEqual(
            list(Party.objects.filter(collaboration=response).values_list("role", "status")),
            [("lead", "accepted")],
        )
        # The history and the content type follow the model to its new app.
        AuditEvent = new.get_model("audit", "AuditEvent")
        self.assertEqual(
            AuditEvent.objects.filter(object_type="collaborations.collaboration").count(),
            len(EXPECTED),
        )
        self.assertFalse(AuditEvent.objects.filter(object_type="matching.collaboration").exists())
        ContentType = new.get_model("contenttypes", "ContentType")
        self.assertTrue(
            ContentType.objects.filter(app_label="collaborations", model="collaboration").exists()
        )
        self.assertFalse(
            ContentType.objects.filter(app_label="matching", model="collaboration").exists()
        )

    def test_going_back_keeps_the_collaborations_in_matching(self) -> None:
        ids = self.make_old_collaborations()
        self.migrate(AFTER)
        executor = self.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE + ALSO).apps
        Collaboration = old.get_model("matching", "Collaboration")
        self.assertEqual(Collaboration.objects.count(), len(ids))
        self.assertEqual(Collaboration.objects.get(pk=ids["accepted"]).partner.roster_no, 32)
        self.assertEqual(
            old.get_model("audit", "AuditEvent")
            .objects.filter(object_type="matching.collaboration")
            .count(),
            len(EXPECTED),
        )
        self.assertNotIn(
            "collaborations_collaborationparty", connection.introspection.table_names()
        )
