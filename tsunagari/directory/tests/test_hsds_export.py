"""Our directory as HSDS 3.0: the mapping, the schema, hidden addresses, export_hsds."""

from __future__ import annotations

import json
import tempfile
import uuid
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from tsunagari.directory import hsds
from tsunagari.directory.models import Resource
from tsunagari.directory.tests.hsds_support import (
    HIDDEN_ACCESS,
    HIDDEN_ADDRESS,
    HIDDEN_PLACE,
    errors,
    make_directory,
)
from tsunagari.test import BaseTestCase


def export() -> list[dict[str, Any]]:
    return hsds.export(hsds.prefetched(hsds.published()))


def by_name(services: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(s for s in services if s["name"] == name)


class HSDSExportTestCase(BaseTestCase):
    resources: dict[str, Resource]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resources = make_directory(cls.organization)

    def test_every_exported_service_validates_against_the_compiled_schema(self) -> None:
        services = export()
        self.assertEqual(len(services), 3)
        for service in services:
            with self.subTest(service=service["name"]):
                self.assertEqual(errors("compiled/service.json", service), [])

    def test_the_schema_check_really_rejects_a_broken_service(self) -> None:
        problems = errors("compiled/service.json", {"id": "not-a-uuid", "status": "open"})
        self.assertEqual(len(problems), 3, problems)  # name missing, bad uuid, bad status

    def test_organizations_and_taxonomies_validate(self) -> None:
        for organization in hsds.organizations(hsds.published()):
            self.assertEqual(errors("compiled/organization.json", organization), [])
        for taxonomy in hsds.TAXONOMIES:
            self.assertEqual(errors("taxonomy.json", taxonomy.as_hsds()), [])
        for term in hsds.taxonomy_terms():
            self.assertEqual(errors("taxonomy_term.json", term), [])

    def test_it_exports_only_published_resources(self) -> None:
        names = {s["name"] for s in export()}
        self.assertNotIn("サンプル 下書きの資源", names)

    def test_ids_are_uuids_that_stay_the_same_between_exports(self) -> None:
        first, second = export(), export()
        self.assertEqual(first, second)
        salon = by_name(first, "サンプル 多世代サロン")
        self.assertEqual(salon["id"], hsds.hsds_id("service", self.resources["salon"].pk))
        self.assertEqual(uuid.UUID(salon["id"]).version, 5)

    def test_it_maps_the_service_fields(self) -> None:
        salon = by_name(export(), "サンプル 多世代サロン")
        self.assertEqual(salon["alternate_name"], "サンプル タセダイサロン")
        self.assertEqual(salon["status"], "active")
        self.assertEqual(salon["url"], "https://example.org/salon")
        self.assertEqual(salon["email"], "salon@example.org")
        self.assertEqual(salon["fees_description"], "1回300円（材料費）")
        self.assertEqual(salon["cost_options"][0]["amount"], 300)
        self.assertEqual(salon["cost_options"][0]["currency"], "JPY")
        self.assertEqual(salon["assured_date"], "2025-04-01")
        self.assertEqual(salon["application_process"], "当日直接お越しください")
        self.assertEqual(salon["phones"][0]["number"], "045-000-0000")
        self.assertEqual(salon["contacts"][0]["name"], "サンプル事務局")
        self.assertEqual(
            [(x["code"], x["name"]) for x in salon["languages"]],
            [("ja", "日本語"), ("ja-x-easy", "やさしい日本語"), ("en", "英語")],
        )
        self.assertEqual([a["name"] for a in salon["service_areas"]], ["横浜市港北区", "藤沢市"])
        self.assertEqual(salon["organization"]["name"], self.organization.name)
        self.assertEqual(salon["organization_id"], salon["organization"]["id"])

    def test_taxonomies_and_extensions_are_attributes(self) -> None:
        salon = by_name(export(), "サンプル 多世代サロン")
        terms = {
            (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"])
            for a in salon["attributes"]
        }
        self.assertLessEqual(
            {
                ("tsunagari-kind", "ibasho"),
                ("tsunagari-kind", "event"),
                ("tsunagari-target", "kodomo"),
                ("tsunagari-accessibility", "wheelchair"),
                ("tsunagari-flag", "sample"),
                ("tsunagari-flag", "capacity"),
            },
            terms,
        )
        values = {a["taxonomy_term"]["code"]: a.get("value") for a in salon["attributes"]}
        self.assertEqual(values["capacity"], "20人")
        self.assertEqual(values["hours-note"], "祝日は休み")

    def test_schedules_use_rfc_5545_fields(self) -> None:
        salon = by_name(export(), "サンプル 多世代サロン")
        rules = [
            (s.get("freq"), s.get("byday"), s.get("bymonthday"), s.get("opens_at"))
            for s in salon["schedules"]
        ]
        self.assertEqual(
            rules,
            [
                ("WEEKLY", "MO,WE", None, "10:00+09:00"),
                ("MONTHLY", "2SA,4SA", None, "13:30+09:00"),
                ("MONTHLY", None, "15", None),
                ("MONTHLY", None, "-1", None),
                ("WEEKLY", "MO,TU,WE,TH,FR,SA,SU", None, "09:00+09:00"),
                ("MONTHLY", "-1FR", None, None),
                ("WEEKLY", "FR", None, "18:00+09:00"),
            ],
        )
        self.assertEqual(salon["schedules"][0]["description"], "毎週月・水曜 10:00〜12:00")
        self.assertEqual(salon["schedules"][2]["dtstart"], "2025-04-01")
        # A schedule at the second place is also under that place.
        second = salon["service_at_locations"][1]
        self.assertEqual([s["byday"] for s in second["schedules"]], ["FR"])

    def test_a_one_off_event_has_dates_and_no_frequency(self) -> None:
        shelter = by_name(export(), "サンプル 女性のための相談")
        event, irregular = shelter["schedules"]
        self.assertNotIn("freq", event)
        self.assertEqual((event["dtstart"], event["until"]), ("2025-06-01", "2025-06-03"))
        self.assertEqual((event["valid_from"], event["valid_to"]), ("2025-06-01", "2025-06-03"))
        self.assertIn("要予約", event["description"])
        self.assertEqual(event["attributes"][0]["taxonomy_term"]["code"], "event")
        self.assertNotIn("freq", irregular)
        self.assertEqual(
            irregular["description"], "不定期（月に数回、ホームページでお知らせします）"
        )

    def test_locations_have_addresses_coordinates_and_accessibility(self) -> None:
        salon = by_name(export(), "サンプル 多世代サロン")
        second = salon["service_at_locations"][1]["location"]
        self.assertEqual(second["name"], "サンプル第二会場")
        self.assertEqual((second["latitude"], second["longitude"]), (35.52, 139.63))
        self.assertEqual(second["transportation"], "サンプル駅から徒歩3分")
        address = second["addresses"][0]
        self.assertEqual(address["address_1"], "横浜市港北区サンプル町1-2-3")
        self.assertEqual(address["city"], "横浜市港北区")
        self.assertEqual(address["postal_code"], "222-0000")
        self.assertEqual((address["state_province"], address["country"]), ("神奈川県", "JP"))
        self.assertEqual(
            [a["description"] for a in second["accessibility"]],
            ["車いすで利用できる", "筆談で対応できる"],
        )

    def test_a_hidden_address_is_exported_as_its_area_only(self) -> None:
        shelter = by_name(export(), "サンプル 女性のための相談")
        location = shelter["service_at_locations"][0]["location"]
        self.assertEqual(location["addresses"][0]["city"], "藤沢市")
        self.assertEqual(location["addresses"][0]["address_1"], "")
        self.assertNotIn("latitude", location)
        self.assertEqual(location["attributes"][0]["taxonomy_term"]["code"], "hidden-address")
        text = json.dumps(export(), ensure_ascii=False)
        for secret in (
            HIDDEN_ADDRESS,
            HIDDEN_PLACE,
            HIDDEN_ACCESS,
            "251-0099",
            "35.338",
            "139.487",
        ):
            self.assertNotIn(secret, text)

    def test_an_online_only_service_has_a_virtual_location_and_no_place(self) -> None:
        online = by_name(export(), "サンプル オンライン交流会")
        [sal] = online["service_at_locations"]
        self.assertEqual(sal["location"]["location_type"], "virtual")
        self.assertEqual(sal["location"]["url"], "https://example.org/online")
        self.assertEqual(online["cost_options"][0]["amount"], 0)
        self.assertEqual(online["fees_description"], "無料")

    def test_a_provider_that_is_not_a_member_becomes_a_derived_organization(self) -> None:
        shelter = by_name(export(), "サンプル 女性のための相談")
        self.assertEqual(shelter["organization"]["name"], "サンプル提供者")
        self.assertEqual(shelter["organization_id"], hsds.hsds_id("provider", "サンプル提供者"))

    def test_the_export_reads_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(9):
            export()
        make_directory(self.organization)
        with self.assertNumQueries(9):
            self.assertEqual(len(export()), 6)


class ExportCommandTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_directory(cls.organization)

    def test_it_writes_services_organizations_and_taxonomies_as_utf8(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            out = StringIO()
            call_command("export_hsds", output=folder, stdout=out)
            self.assertIn("3件のサービス", out.getvalue())
            files = {p.name: p.read_text(encoding="utf-8") for p in Path(folder).iterdir()}
        self.assertEqual(
            set(files),
            {"services.json", "organizations.json", "taxonomies.json", "taxonomy_terms.json"},
        )
        self.assertIn("多世代サロン", files["services.json"])  # not \\u escapes
        services = json.loads(files["services.json"])
        self.assertEqual(len(services), 3)
        self.assertEqual(len(json.loads(files["taxonomies.json"])), 5)

    def test_it_writes_one_file_or_stdout(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "hsds.json"
            call_command("export_hsds", output=str(target), stdout=StringIO())
            self.assertEqual(len(json.loads(target.read_text(encoding="utf-8"))), 3)
        out = StringIO()
        call_command("export_hsds", stdout=out)
        self.assertEqual(len(json.loads(out.getvalue())), 3)
        self.assertNotIn(HIDDEN_ADDRESS, out.getvalue())
