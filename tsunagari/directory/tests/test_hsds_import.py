"""import_hsds: upstream examples and our own exports come back without losing what we model."""

from __future__ import annotations

import copy
import datetime as dt
import json
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command

from tsunagari.directory import hsds
from tsunagari.directory.models import Language, Resource
from tsunagari.directory.search_models import SearchDocument
from tsunagari.directory.tests.hsds_support import errors, example, make_directory
from tsunagari.test import BaseTestCase


class ImportTestCase(BaseTestCase):
    def import_json(self, *documents: Any, **options: Any) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for i, document in enumerate(documents):
                path = Path(folder) / f"file{i}.json"
                path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                paths.append(str(path))
            call_command("import_hsds", *paths, stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    def exported(self, resource: Resource) -> dict[str, Any]:
        return hsds.service_as_hsds(hsds.prefetched(Resource.objects.filter(pk=resource.pk)).get())


class UpstreamExamplesTestCase(ImportTestCase):
    def test_service_full_comes_back_with_the_fields_we_model(self) -> None:
        source = example("service_full.json")
        out, warnings = self.import_json(source)
        self.assertIn("1件を新規に取り込み", out)
        resource = Resource.objects.get(name="Community Counselling")
        again = self.exported(resource)
        self.assertEqual(errors("compiled/service.json", again), [])
        for field in ("name", "alternate_name", "description", "url", "email", "assured_date"):
            self.assertEqual(again[field], source[field], field)
        self.assertEqual(again["status"], "active")
        self.assertEqual(again["application_process"], source["application_process"])
        self.assertEqual(again["fees_description"], source["fees_description"])
        self.assertEqual(again["phones"][0]["number"], "+44 1234 234567")
        self.assertEqual(again["contacts"][0]["name"], "Ann Persona")
        self.assertEqual([(x["code"], x["name"]) for x in again["languages"]], [("ur", "Urdu")])
        self.assertEqual(again["organization"]["name"], "Example Organization Inc.")
        location = again["service_at_locations"][0]["location"]
        self.assertEqual(location["name"], "MyCity Civic Center")
        self.assertEqual(
            location["transportation"],
            source["service_at_locations"][0]["location"]["transportation"],
        )
        address = location["addresses"][0]
        self.assertEqual(address["address_1"], "1-30 Main Street MyVillage")
        self.assertEqual(address["postal_code"], "ABC 1234")
        self.assertEqual(address["city"], "神奈川県")  # MyCity is not in Kanagawa
        self.assertIn("神奈川県として取り込みます", warnings)
        self.assertEqual(
            [a["description"] for a in location["accessibility"]], []
        )  # no feature of ours; kept as the note
        self.assertEqual(
            resource.accessibility_note,
            source["service_at_locations"][0]["location"]["accessibility"][0]["description"],
        )
        # The schedule uses byweekno/count: not a pattern of ours, so 不定期 with its words.
        [schedule] = again["schedules"]
        self.assertNotIn("freq", schedule)
        self.assertEqual(
            (schedule["opens_at"], schedule["closes_at"]), ("10:00+09:00", "18:00+09:00")
        )
        self.assertIn(source["schedules"][0]["description"], schedule["notes"])
        self.assertIn("不定期", warnings)
        # Latitude 100 is impossible: dropped with a warning rather than put on the map.
        self.assertNotIn("latitude", location)
        self.assertIn("緯度経度（100, 101）が範囲外", warnings)
        self.assertTrue(Language.objects.filter(code="ur").exists())
        self.assertEqual(resource.kinds.get().slug, "consultation")
        self.assertTrue(SearchDocument.objects.filter(resource=resource).exists())

    def test_valid_coordinates_and_a_kanagawa_address_round_trip(self) -> None:
        source = example("service_full.json")
        location = source["service_at_locations"][0]["location"]
        location.update(latitude=35.4437, longitude=139.638)
        location["addresses"][0].update(
            city="横浜市",
            region="中区",
            address_1="サンプル町1-1",
            address_2="",
            postal_code="231-0000",
        )
        self.import_json(source)
        again = self.exported(Resource.objects.get(name="Community Counselling"))
        exported = again["service_at_locations"][0]["location"]
        self.assertEqual((exported["latitude"], exported["longitude"]), (35.4437, 139.638))
        self.assertEqual(exported["addresses"][0]["city"], "横浜市中区")
        self.assertEqual(exported["addresses"][0]["postal_code"], "231-0000")

    def test_every_upstream_example_with_services_imports(self) -> None:
        for name, count in [
            ("service_list.json", 1),
            ("organization_full.json", 1),
            ("service_at_location_full.json", 1),
            ("service_at_location_list.json", 1),
        ]:
            with self.subTest(example=name):
                out, _warnings = self.import_json(example(name))
                self.assertIn(f"{count}件", out)
        # They are all the same service: imported again, it is replaced, not duplicated.
        self.assertEqual(Resource.objects.filter(name="Community Counselling").count(), 1)

    def test_organization_full_gives_its_services_their_organization(self) -> None:
        self.import_json(example("organization_full.json"))
        resource = Resource.objects.get()
        self.assertEqual(resource.provider_name, "Example Organization Inc.")
        self.assertIsNone(resource.organization)

    def test_a_member_is_matched_by_its_exact_name(self) -> None:
        source = example("service_full.json")
        source["organization"]["name"] = self.organization.name
        del source["assured_date"]
        self.import_json(source)
        self.assertEqual(Resource.objects.get().organization, self.organization)


class RoundTripTestCase(ImportTestCase):
    def test_our_own_export_comes_back_the_same(self) -> None:
        resources = make_directory(self.organization)
        before = hsds.export(hsds.prefetched(hsds.published()))
        Resource.objects.all().delete()
        self.import_json(before)
        after = hsds.export(hsds.prefetched(hsds.published()))
        self.assertEqual(len(after), 3)

        def comparable(service: dict[str, Any]) -> Any:
            """Everything but ids (new rows get new ids) and the modification time."""
            text = json.dumps(service, ensure_ascii=False, sort_keys=True)
            for old, new in id_map.items():
                text = text.replace(old, new)
            data = json.loads(text)
            data.pop("last_modified")
            return data

        by_name = {s["name"]: s for s in after}
        for service in before:
            with self.subTest(service=service["name"]):
                id_map = _ids(service, by_name[service["name"]])
                self.assertEqual(comparable(service), comparable(by_name[service["name"]]))
        shelter = Resource.objects.get(name=resources["shelter"].name)
        self.assertTrue(shelter.locations.get().hide_address)
        self.assertTrue(Resource.objects.get(name=resources["online"].name).online_only)

    def test_sample_and_status_options(self) -> None:
        source = example("service_full.json")
        del source["assured_date"]
        self.import_json(source, sample=True, status="draft")
        resource = Resource.objects.get()
        self.assertTrue(resource.is_sample)
        self.assertEqual(resource.status, "draft")

    def test_a_service_that_is_not_active_is_imported_as_a_draft(self) -> None:
        source = example("service_full.json")
        source["status"] = "defunct"
        self.import_json(source)
        self.assertEqual(Resource.objects.get().status, "draft")

    def test_japanese_schedules_come_back_as_our_rules(self) -> None:
        source = example("service_full.json")
        base: dict[str, Any] = {"id": "00000000-0000-4000-8000-00000000000{}", "opens_at": "10:00"}
        patterns: list[dict[str, Any]] = [
            {"freq": "WEEKLY", "byday": "WE"},
            {"freq": "MONTHLY", "byday": "2SA,4SA"},
            {"freq": "MONTHLY", "bymonthday": "15"},
            {"freq": "MONTHLY", "byday": "-1FR"},
            {"dtstart": "2025-06-01", "until": "2025-06-01"},
            {"freq": "WEEKLY", "byday": "MO", "interval": 2, "description": "隔週月曜"},
        ]
        source["schedules"] = [
            {**base, "id": base["id"].format(i), **p} for i, p in enumerate(patterns)
        ]
        source["service_at_locations"] = []
        self.import_json(source)
        described = [s.describe() for s in Resource.objects.get().schedules.all()]
        self.assertEqual(
            described,
            [
                "毎週水曜 10:00〜",
                "第2・第4土曜 10:00〜",
                "毎月15日 10:00〜",
                "最終金曜 10:00〜",
                "令和7年6月1日（日） 10:00〜",
                "不定期 10:00〜（隔週月曜）",
            ],
        )


class ImportErrorsTestCase(ImportTestCase):
    def test_nothing_is_saved_when_one_service_is_wrong(self) -> None:
        good = example("service_full.json")
        bad = copy.deepcopy(good)
        bad["id"] = "11111111-1111-4111-8111-111111111111"
        del bad["name"]
        bad["schedules"][0]["dtstart"] = "someday"
        with self.assertRaises(CommandError) as raised:
            self.import_json(good, [bad])
        message = str(raised.exception)
        self.assertIn("何も保存していません", message)
        self.assertIn("file1.json[0]: 名称（name）がありません。", message)
        self.assertIn("開始日「someday」は日付", message)
        self.assertFalse(Resource.objects.exists())

    def test_a_real_provider_needs_a_verification_date(self) -> None:
        source = example("service_full.json")
        del source["assured_date"]
        with self.assertRaises(CommandError) as raised:
            self.import_json(source)
        self.assertIn("確認日（assured_date）が必要です", str(raised.exception))
        self.import_json(source, verified_on=dt.date(2025, 5, 1))
        self.assertEqual(Resource.objects.get().last_verified_on, dt.date(2025, 5, 1))

    def test_a_file_that_is_not_json_or_not_hsds_is_refused(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "broken.json"
            path.write_text("{not json", encoding="utf-8")
            with self.assertRaisesMessage(CommandError, "1行目 2列目"):
                call_command("import_hsds", str(path), stdout=StringIO())
        with self.assertRaisesMessage(CommandError, "サービス（service）"):
            self.import_json({"hello": "world"})


def _ids(before: Any, after: Any) -> dict[str, str]:
    """Pairs of ids at the same place in two exports of the same service."""
    pairs: dict[str, str] = {}
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if key in after:
                if key == "id" or key.endswith("_id"):
                    pairs[str(value)] = str(after[key])
                else:
                    pairs.update(_ids(value, after[key]))
    elif isinstance(before, list) and isinstance(after, list):
        for b, a in zip(before, after, strict=False):
            pairs.update(_ids(b, a))
    return pairs
