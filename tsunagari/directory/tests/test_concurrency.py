"""The directory's state changes under concurrency (PostgreSQL, real threads): confirming,
unpublishing, republishing and deleting a resource, closing an error report and
confirming an import each happen once, however many press the button at once."""

from __future__ import annotations

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.directory import csv_import
from tsunagari.directory.models import ErrorReport, Resource
from tsunagari.directory.tests.test_import import URL as IMPORT_URL
from tsunagari.directory.tests.test_import import csv_bytes, good_row
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of


class ResourceRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.organization = Organization.objects.get(roster_no=13)
        self.staff = make_people(8, "staff", User.Role.MEMBER, organization=self.organization)
        self.officers = make_people(8, "jimukyoku", User.Role.SECRETARIAT)
        self.resource = factory.make_resource(organization=self.organization)
        self.url = f"/manage/resources/{self.resource.pk}"

    def events(self, action: str) -> int:
        return AuditEvent.objects.filter(action=action, object_id=str(self.resource.pk)).count()

    def test_confirming_a_resource_at_once_records_it_once(self) -> None:
        outcomes = at_once([Post(u, f"{self.url}/verify/") for u in self.staff])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.assertEqual(self.events(AuditEvent.Action.UPDATE), 1)
        self.assertEqual(sum("はすでに今日確認済みです" in m for m in messages_of(outcomes)), 7)

    def test_unpublishing_at_once_unpublishes_once(self) -> None:
        outcomes = at_once(
            [Post(u, f"{self.url}/unpublish/", {"reason": "活動休止"}) for u in self.officers]
        )
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.status, Resource.Status.UNPUBLISHED)
        self.assertEqual(self.events(AuditEvent.Action.STATUS), 1)
        self.assertEqual(sum("はすでに非公開になっています" in m for m in messages_of(outcomes)), 7)

    def test_republishing_at_once_republishes_once(self) -> None:
        self.resource.unpublish(by=None, reason="活動休止")
        outcomes = at_once([Post(u, f"{self.url}/republish/") for u in self.officers])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.status, Resource.Status.PUBLISHED)
        self.assertEqual(self.events(AuditEvent.Action.STATUS), 1)
        self.assertEqual(sum("はすでに公開されています" in m for m in messages_of(outcomes)), 7)

    def test_deleting_at_once_deletes_and_records_once(self) -> None:
        outcomes = at_once([Post(u, f"{self.url}/delete/") for u in self.staff])
        # Those who arrive after the deletion find nothing (404); the others are told.
        self.assertTrue(all(o.status in (302, 404) for o in outcomes), outcomes)
        self.assertFalse(Resource.objects.filter(pk=self.resource.pk).exists())
        self.assertEqual(self.events(AuditEvent.Action.STATUS), 1)
        said = messages_of(outcomes)
        self.assertEqual(sum("を削除しました" in m for m in said), 1)

    def test_resolving_and_dismissing_a_report_at_once_close_it_once(self) -> None:
        report = ErrorReport.objects.create(resource=self.resource, message="電話番号が違います")
        posts = [
            Post(u, f"/manage/reports/{report.pk}/{action}/")
            for u, action in zip(self.staff, ["resolve", "dismiss"] * 4, strict=True)
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        report.refresh_from_db()
        self.assertNotEqual(report.status, ErrorReport.Status.OPEN)
        self.assertEqual(
            AuditEvent.objects.filter(action="status", object_id=str(report.pk)).count(), 1
        )
        already = f"この報告はすでに「{report.get_status_display()}」になっています。"
        self.assertEqual(messages_of(outcomes).count(already), 7)

    def test_confirming_an_import_at_once_imports_once(self) -> None:
        data = csv_bytes([good_row(名称="サンプル 同時の会")])
        plan = csv_import.plan_import(data, self.organization)
        token = csv_import.stage(
            data,
            user_id=self.staff[0].pk,
            organization_id=self.organization.pk,
            filename="a.csv",
            plan=plan,
        )
        outcomes = at_once([Post(self.staff[0], IMPORT_URL, {"preview": token})] * 6)
        self.assertEqual([o.status for o in outcomes], [302] * 6)
        self.assertEqual(Resource.objects.filter(name="サンプル 同時の会").count(), 1)
        self.assertEqual(sum("すでに登録したか" in m for m in messages_of(outcomes)), 5)
