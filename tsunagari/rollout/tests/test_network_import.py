"""Importing a partner network's directory: preview → confirm, provenance, re-import."""

from __future__ import annotations

import copy
import json
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tsunagari.audit.models import AuditEvent
from tsunagari.directory.models import Resource
from tsunagari.directory.tests.hsds_support import example
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of
from tsunagari.rollout import networks
from tsunagari.rollout.models import NetworkImport, NetworkResource
from tsunagari.rollout.tests.network_support import make_network, upload
from tsunagari.test import BaseTestCase


class ImportPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.network = make_network()
        self.url = f"/networks/{self.network.pk}/import/"
        self.login(self.secretariat)

    def preview(self, document: Any, name: str = "directory.json") -> Any:
        return self.client.post(self.url, {"file": upload(document, name)})

    def confirm(self, response: Any) -> Any:
        return self.client.post(self.url, {"preview": response.context["token"]})

    def test_the_preview_says_what_would_happen_and_writes_nothing(self) -> None:
        r = self.preview(example("service_full.json"))
        self.assertContains(r, "新しく登録 1件、更新 0件。まだ取り込んでいません。")
        self.assertContains(r, "Community Counselling")
        self.assertContains(r, "神奈川県として取り込みます")  # MyCity: a warning, shown
        self.assertFalse(Resource.objects.exists())
        self.assertFalse(NetworkImport.objects.exists())

    def test_confirming_imports_with_the_network_as_provenance(self) -> None:
        r = self.confirm(self.preview(example("service_full.json")))
        self.assertRedirects(r, f"/networks/{self.network.pk}/", fetch_redirect_response=False)
        resource = Resource.objects.get(name="Community Counselling")
        link = NetworkResource.objects.get(network=self.network, resource=resource)
        self.assertEqual(link.hsds_id, example("service_full.json")["id"])
        done = NetworkImport.objects.get()
        self.assertEqual((done.created_count, done.updated_count), (1, 0))
        self.assertEqual((link.first_import, link.last_import), (done, done))
        self.assertEqual(done.by, self.secretariat)
        self.assertTrue(AuditEvent.objects.for_object(done).exists())
        page = self.client.get(f"/networks/{self.network.pk}/")
        self.assertContains(page, "1件の社会資源を、このネットワークの情報から取り込みました。")
        self.assertContains(page, f'href="/resources/{resource.pk}/"')

    def test_importing_the_same_file_again_updates_and_duplicates_nothing(self) -> None:
        for fixture in ("service_full.json", "service_list.json", "organization_full.json"):
            with self.subTest(fixture=fixture):
                self.confirm(self.preview(example(fixture)))
        first = NetworkImport.objects.order_by("pk").first()
        r = self.preview(example("service_full.json"))
        self.assertContains(r, "新しく登録 0件、更新 1件。")
        self.confirm(r)
        last = NetworkImport.objects.order_by("pk").last()
        assert last is not None
        self.assertEqual((last.created_count, last.updated_count), (0, 1))
        self.assertEqual(Resource.objects.filter(name="Community Counselling").count(), 1)
        link = NetworkResource.objects.get()
        self.assertEqual((link.first_import, link.last_import), (first, last))
        self.assertEqual(NetworkImport.objects.count(), 4)

    def test_a_changed_file_updates_the_resource_it_imported_before(self) -> None:
        self.confirm(self.preview(example("service_full.json")))
        changed = copy.deepcopy(example("service_full.json"))
        changed["name"] = "Community Counselling (renamed)"
        self.confirm(self.preview(changed))
        self.assertEqual(Resource.objects.get().name, "Community Counselling (renamed)")
        self.assertEqual(NetworkResource.objects.count(), 1)

    def test_a_file_with_errors_is_refused_with_each_place(self) -> None:
        broken = copy.deepcopy(example("service_full.json"))
        broken["name"] = ""
        second = copy.deepcopy(example("service_full.json"))
        second["id"] = ""
        r = self.preview([broken, second], "broken.json")
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "何も取り込んでいません", status_code=400)
        self.assertContains(r, "broken.json[0]: 名称（name）がありません。", status_code=400)
        self.assertContains(
            r, "broken.json[1] Community Counselling: id がありません。", status_code=400
        )
        self.assertFalse(Resource.objects.exists())
        self.assertFalse(NetworkImport.objects.exists())

    def test_a_file_that_is_not_json_says_where_it_breaks(self) -> None:
        bad = SimpleUploadedFile("bad.json", b'[\n{"name": }', content_type="application/json")
        r = self.client.post(self.url, {"file": bad})
        self.assertContains(r, "bad.json 2行目 10文字目: JSONとして読めません", status_code=400)

    def test_a_preview_is_confirmed_once(self) -> None:
        r = self.preview(example("service_full.json"))
        self.confirm(r)
        again = self.confirm(r)
        self.assertRedirects(again, self.url, fetch_redirect_response=False)
        self.assertIn(
            "すでに取り込んだ", " ".join(str(m) for m in get_messages(again.wsgi_request))
        )
        self.assertEqual(NetworkImport.objects.count(), 1)

    def test_another_network_cannot_confirm_the_preview(self) -> None:
        r = self.preview(example("service_full.json"))
        other = make_network("【テスト】別のネットワーク")
        self.client.post(f"/networks/{other.pk}/import/", {"preview": r.context["token"]})
        self.assertFalse(Resource.objects.exists())

    def test_the_resource_page_names_the_network(self) -> None:
        self.confirm(self.preview(example("service_full.json")))
        resource = Resource.objects.get()
        self.client.logout()
        page = self.client.get(f"/resources/{resource.pk}/")
        self.assertContains(
            page,
            f'<a href="/networks/{self.network.pk}/" lang="ja">{self.network.name}</a>'
            "（連携ネットワークから取り込み）",
        )

    def test_staff_cannot_import(self) -> None:
        self.login(self.staff)
        r = self.client.post(self.url, {"file": upload(example("service_full.json"))})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Resource.objects.exists())


class CommandTestCase(BaseTestCase):
    def run_command(self, network: str, *documents: Any, **options: Any) -> str:
        out = StringIO()
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for i, document in enumerate(documents):
                path = Path(folder) / f"file{i}.json"
                path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                paths.append(str(path))
            call_command(
                "import_network_directory",
                *paths,
                network=network,
                stdout=out,
                stderr=StringIO(),
                **options,
            )
        return out.getvalue()

    def test_the_command_imports_then_updates(self) -> None:
        network = make_network()
        out = self.run_command(str(network.pk), example("service_full.json"))
        self.assertIn("1件を新規に取り込み、0件を更新しました", out)
        out = self.run_command(network.name, example("service_full.json"))
        self.assertIn("0件を新規に取り込み、1件を更新しました", out)
        self.assertEqual(Resource.objects.count(), 1)
        self.assertEqual(NetworkResource.objects.filter(network=network).count(), 1)

    def test_dry_run_writes_nothing(self) -> None:
        network = make_network()
        out = self.run_command(str(network.pk), example("service_full.json"), dry_run=True)
        self.assertIn("新規 1件、更新 0件", out)
        self.assertFalse(Resource.objects.exists())

    def test_an_unknown_network_or_a_bad_file_is_an_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "見つかりません"):
            self.run_command("999999", example("service_full.json"))
        network = make_network()
        broken = copy.deepcopy(example("service_full.json"))
        broken["name"] = ""
        with self.assertRaisesMessage(CommandError, "何も保存していません"):
            self.run_command(str(network.pk), broken)
        self.assertFalse(Resource.objects.exists())


class ImportRaceTestCase(RaceTestCase):
    def test_two_confirmations_at_once_import_once(self) -> None:
        [secretariat] = make_people(1, "network-race", "secretariat")
        network = make_network()
        document = example("service_full.json")
        data = json.dumps(document).encode()
        preview = networks.plan([("a.json", document)])
        token = networks.stage(
            data,
            user_id=secretariat.pk,
            network_id=network.pk,
            filename="a.json",
            verified_on=None,
            preview=preview,
        )
        url = f"/networks/{network.pk}/import/"
        outcomes = at_once([Post(secretariat, url, {"preview": token})] * 4)
        self.assertEqual([o.status for o in outcomes], [302] * 4)
        self.assertEqual(Resource.objects.filter(name="Community Counselling").count(), 1)
        self.assertEqual(NetworkImport.objects.filter(network=network).count(), 1)
        self.assertEqual(NetworkResource.objects.filter(network=network).count(), 1)
        self.assertEqual(sum("すでに取り込んだ" in m for m in messages_of(outcomes)), 3)

    def test_two_imports_of_one_file_at_once_make_one_resource(self) -> None:
        """Two previews of the same file, confirmed together: the second updates."""
        [secretariat] = make_people(1, "network-race2", "secretariat")
        network = make_network()
        document = example("service_full.json")
        tokens = [
            networks.stage(
                json.dumps(document).encode(),
                user_id=secretariat.pk,
                network_id=network.pk,
                filename="a.json",
                verified_on=None,
                preview=networks.plan([("a.json", document)]),
            )
            for _ in range(2)
        ]
        url = f"/networks/{network.pk}/import/"
        at_once([Post(secretariat, url, {"preview": token}) for token in tokens])
        self.assertEqual(Resource.objects.filter(name="Community Counselling").count(), 1)
        self.assertEqual(NetworkResource.objects.filter(network=network).count(), 1)
