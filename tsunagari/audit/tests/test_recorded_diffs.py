"""Every audited create and update path stores a diff: field → [before, after].

A snapshot passed where a diff belongs read as `title: 高 → 齢` (the first two characters
of the value taken as before → after). Each test reads the stored record back.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from tsunagari import factory
from tsunagari.audit.models import AuditEvent, record, snapshot
from tsunagari.collaborations import services as collaborations
from tsunagari.collaborations.models import Collaboration
from tsunagari.collaborations.tests.test_services import make_need
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.matching.tests.test_needs import need_data
from tsunagari.matching.tests.test_requests_screening import make_request, publish_data
from tsunagari.members import services as member_services
from tsunagari.members.models import Organization
from tsunagari.test import BaseTestCase


def stored(obj: models.Model, action: str) -> dict[str, Any]:
    event = AuditEvent.objects.for_object(obj).filter(action=action).latest("id")
    return event.changes


class RecordedDiffTestCase(BaseTestCase):
    def test_a_need_posted_by_a_member(self) -> None:
        self.login(self.staff)
        self.client.post("/needs/new/", need_data(title="週末の子ども食堂の担い手を探しています"))
        need = Need.objects.get()
        changes = stored(need, AuditEvent.Action.CREATE)
        self.assertEqual(changes["title"], [None, "週末の子ども食堂の担い手を探しています"])
        self.assertEqual(changes["urgency"], [None, "normal"])

    def test_a_need_edited(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.staff)
        data = need_data(title="平日の夕方に親子で過ごせる場がほしい")
        self.client.post(f"/needs/{need.pk}/edit/", data)
        changes = stored(need, AuditEvent.Action.UPDATE)
        self.assertEqual(
            changes["title"],
            ["週末に親子で参加できる場がほしい", "平日の夕方に親子で過ごせる場がほしい"],
        )

    def test_a_need_published_from_a_resident_voice(self) -> None:
        voice = make_request()
        self.login(self.secretariat)
        self.client.post(f"/secretariat/voices/{voice.pk}/publish/", publish_data())
        voice.refresh_from_db()
        assert voice.need is not None
        changes = stored(voice.need, AuditEvent.Action.CREATE)
        self.assertEqual(changes["title"], [None, "週末に親子で参加できる場がほしい"])
        self.assertEqual(changes["municipality"], [None, "藤沢市"])
        self.assertEqual(
            stored(voice, AuditEvent.Action.STATUS)["status"],
            [ResidentRequest.Status.NEW, ResidentRequest.Status.PUBLISHED],
        )

    def test_a_need_status_change(self) -> None:
        need = make_need(organization=self.organization)
        need.set_status(Need.Status.MET, by=self.staff)
        self.assertEqual(stored(need, AuditEvent.Action.STATUS), {"status": ["open", "met"]})

    def test_an_organisation_created_on_approval(self) -> None:
        application = factory.make_application()
        organization = member_services.approve_application(application, by=self.secretariat)
        changes = stored(organization, AuditEvent.Action.CREATE)
        self.assertEqual(changes["name"], [None, "一般社団法人サンプル"])
        self.assertEqual(changes["municipalities"], [None, ["藤沢市"]])
        self.assertNotIn("website", changes)  # empty at creation: nothing to show

    def test_an_organisation_profile_edited_by_its_staff(self) -> None:
        from tsunagari.members.tests.helpers import form_data

        self.login(self.staff)
        data = form_data(self.client.get("/my/organization/").content.decode())
        data["description"] = ["週末に親子の居場所を開いています。"]
        self.client.post("/my/organization/", data)
        changes = stored(self.organization, AuditEvent.Action.UPDATE)
        self.assertEqual(changes, {"description": ["", "週末に親子の居場所を開いています。"]})

    def test_a_collaboration_proposed(self) -> None:
        c = collaborations.propose(
            by=self.staff, partner=self.other_organization, title="一緒に", message="どうですか"
        )
        changes = stored(c, AuditEvent.Action.CREATE)
        self.assertEqual(changes["partner"], [None, self.other_organization.name])

    def test_a_response_to_a_need_and_its_steps(self) -> None:
        need = make_need(organization=self.organization)
        c, _created = collaborations.respond(by=self.other_staff, need=need, message="できます")
        changes = stored(c, AuditEvent.Action.CREATE)
        self.assertEqual(changes["kind"], [None, Collaboration.Kind.RESPONSE])
        self.assertEqual(changes["need"], [None, need.title])
        self.assertEqual(changes["partner"], [None, self.organization.name])
        collaborations.take_step(c, "accept", by=self.staff)
        self.assertEqual(stored(c, AuditEvent.Action.STATUS)["status"], ["proposed", "accepted"])


class AuditApiTestCase(BaseTestCase):
    def test_a_snapshot_is_refused_where_a_diff_belongs(self) -> None:
        with self.assertRaises(TypeError):
            record(
                self.staff,
                AuditEvent.Action.CREATE,
                self.organization,
                changes=snapshot(self.organization, ["name"]),
            )

    def test_the_view_names_fields_by_their_label_and_choices_by_theirs(self) -> None:
        need = make_need(organization=self.organization)
        need.set_status(Need.Status.MET, by=self.staff)
        self.login(self.secretariat)
        r = self.client.get("/secretariat/audit/")
        self.assertContains(r, "状態</span>: 募集中 → つながった", html=False)
        self.assertNotContains(r, "status</span>")

    def test_the_view_reads_labels_in_english(self) -> None:
        org = Organization.objects.get(roster_no=13)
        record(self.staff, AuditEvent.Action.UPDATE, org, changes={"phone": ["", "0466"]})
        self.login(self.secretariat)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        r = self.client.get("/secretariat/audit/")
        self.assertContains(r, "Phone number</span>", html=False)

    def test_creations_recorded_as_snapshots_are_repaired(self) -> None:
        import importlib

        from django.apps import apps

        migration = importlib.import_module("tsunagari.audit.migrations.0002_repair_snapshot_diffs")
        need = make_need(organization=None)
        garbled = AuditEvent.objects.create(
            action=AuditEvent.Action.CREATE,
            object_type="matching.need",
            object_id=str(need.pk),
            object_repr=need.title,
            changes={
                "title": "高齢者の集い",
                "target_groups": ["子育て世帯", "こども"],
                "urgency": "",
            },
        )
        fine = record(self.staff, AuditEvent.Action.CREATE, need, changes={"title": [None, "x"]})
        migration.repair(apps, None)
        garbled.refresh_from_db()
        fine.refresh_from_db()
        self.assertEqual(
            garbled.changes,
            {"title": [None, "高齢者の集い"], "target_groups": [None, ["子育て世帯", "こども"]]},
        )
        self.assertEqual(fine.changes, {"title": [None, "x"]})
