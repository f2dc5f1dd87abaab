"""Partner networks: the public list and page, the secretariat's forms, the API, the
members' affiliations and the demo's sample network."""

from __future__ import annotations

from typing import Any

from tsunagari.audit.models import AuditEvent
from tsunagari.core.forms import version_of
from tsunagari.directory.models import Resource
from tsunagari.members.models import Theme
from tsunagari.rollout.models import NetworkResource, PartnerNetwork
from tsunagari.rollout.network_sample import SAMPLE_NAME, load_sample_networks
from tsunagari.rollout.tests.network_support import make_network
from tsunagari.test import BaseTestCase


def network_data(**extra: Any) -> dict[str, Any]:
    data = {
        "name": "【テスト】人生100歳時代のネットワーク",
        "liaison_body": "【テスト】県の担当課",
        "description": "県内の団体がつながるネットワークです。",
        "source_name": "【テスト】県のホームページ",
        "source_url": "https://example.org/network/",
        "source_seen_on": "令和8年12月1日",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-organization": "",
        "members-0-name": "【テスト】地域の団体",
        "members-0-municipality": "142051",
        "members-0-topic": "相談支援",
        "members-1-name": "",
    }
    data.update(extra)
    return data


class PublicPagesTestCase(BaseTestCase):
    def test_the_list_shows_each_network_with_its_counts_and_source(self) -> None:
        network = make_network(source_seen_on="2026-12-01")
        network.topics.set(Theme.objects.filter(name="相談支援"))
        network.members.create(name="【テスト】団体A")
        network.members.create(organization=self.organization, name=self.organization.name)
        r = self.client.get("/networks/")
        self.assertContains(r, network.name)
        self.assertContains(r, "【テスト】事務局")
        self.assertContains(r, "相談支援")
        self.assertContains(r, "2団体")
        self.assertContains(r, "0件")
        self.assertContains(r, "令和8年12月1日に確認")
        self.assertNotContains(r, "ネットワークを登録する")

    def test_the_list_takes_the_same_queries_for_one_network_or_many(self) -> None:
        make_network("【テスト】A").members.create(name="x")
        self.client.get("/networks/")
        with self.assertNumQueries(3) as one:
            self.client.get("/networks/")
        for i in range(4):
            n = make_network(f"【テスト】B{i}")
            n.members.create(name="y")
            n.topics.set(Theme.objects.all()[:2])
        with self.assertNumQueries(len(one.captured_queries)):
            self.client.get("/networks/")

    def test_the_page_shows_members_ours_linked_and_others_by_name_place_topic(self) -> None:
        network = make_network(
            description="県全体のネットワークです。", source_url="https://example.org/s/"
        )
        network.members.create(organization=self.organization, name=self.organization.name)
        network.members.create(name="【テスト】よその団体", municipality_id="142051", topic="就労")
        r = self.client.get(f"/networks/{network.pk}/")
        self.assertContains(r, f'href="/members/{self.organization.pk}/"')
        self.assertContains(r, "【テスト】よその団体")
        self.assertContains(r, "藤沢市")
        self.assertContains(r, "就労")
        self.assertContains(r, 'href="https://example.org/s/"')
        self.assertContains(r, "取り込んだ社会資源はまだありません。")
        self.assertEqual(self.client.get("/networks/999999/").status_code, 404)

    def test_a_member_page_lists_its_networks(self) -> None:
        network = make_network()
        network.members.create(organization=self.organization, name=self.organization.name)
        r = self.client.get(f"/members/{self.organization.pk}/")
        self.assertContains(r, "参加している連携ネットワーク")
        self.assertContains(r, f'href="/networks/{network.pk}/"')
        other = self.client.get(f"/members/{self.other_organization.pk}/")
        self.assertNotContains(other, "参加している連携ネットワーク")


class ManageTestCase(BaseTestCase):
    def test_the_secretariat_registers_a_network_with_its_members(self) -> None:
        self.login(self.secretariat)
        data = network_data(
            **{
                "members-1-organization": str(self.organization.pk),
                "topics": [str(Theme.objects.get(name="相談支援").pk)],
            }
        )
        r = self.client.post("/networks/new/", data)
        network = PartnerNetwork.objects.get(name="【テスト】人生100歳時代のネットワーク")
        self.assertRedirects(r, f"/networks/{network.pk}/", fetch_redirect_response=False)
        self.assertEqual(str(network.source_seen_on), "2026-12-01")
        self.assertEqual(
            [(m.name, m.organization_id) for m in network.members.all()],
            [("【テスト】地域の団体", None), (self.organization.name, self.organization.pk)],
        )
        event = AuditEvent.objects.for_object(network).get()
        self.assertEqual(event.action, AuditEvent.Action.CREATE)
        self.assertEqual(event.actor, self.secretariat)

    def test_the_source_is_required_and_what_was_typed_stays(self) -> None:
        self.login(self.secretariat)
        r = self.client.post("/networks/new/", network_data(source_name=""))
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "【テスト】人生100歳時代のネットワーク", status_code=400)
        self.assertContains(r, "【テスト】地域の団体", status_code=400)
        self.assertFalse(PartnerNetwork.objects.exists())

    def test_one_member_twice_is_refused(self) -> None:
        self.login(self.secretariat)
        pk = str(self.organization.pk)
        data = network_data(
            **{"members-0-organization": pk, "members-0-name": "", "members-1-organization": pk}
        )
        r = self.client.post("/networks/new/", data)
        self.assertContains(r, "同じ構成員が2回選ばれています。", status_code=400)

    def test_an_edit_is_audited_with_what_changed(self) -> None:
        network = make_network()
        self.login(self.secretariat)
        page = self.client.get(f"/networks/{network.pk}/edit/")
        self.assertEqual(page.status_code, 200)
        data = network_data(
            name=network.name, liaison_body="【テスト】新しい事務局", seen=version_of(network)
        )
        r = self.client.post(f"/networks/{network.pk}/edit/", data)
        self.assertEqual(r.status_code, 302)
        event = AuditEvent.objects.for_object(network).get()
        self.assertEqual(
            event.changes["liaison_body"], ["【テスト】事務局", "【テスト】新しい事務局"]
        )
        self.assertEqual(event.changes["members"], [[], ["【テスト】地域の団体"]])

    def test_only_the_secretariat_manages(self) -> None:
        network = make_network()
        for user in (self.staff, self.officer):
            self.login(user)
            self.assertEqual(self.client.get("/networks/new/").status_code, 403)
            r = self.client.post(f"/networks/{network.pk}/edit/", network_data())
            self.assertEqual(r.status_code, 403)
        self.assertEqual(PartnerNetwork.objects.get().name, network.name)


class ApiTestCase(BaseTestCase):
    def test_the_list_and_one_network(self) -> None:
        network = make_network(source_url="https://example.org/s/")
        network.members.create(name="【テスト】団体", municipality_id="142051", topic="相談")
        data = self.client.get("/api/v1/networks").json()
        self.assertEqual(
            [(n["name"], n["member_count"], n["resource_count"]) for n in data],
            [(network.name, 1, 0)],
        )
        one = self.client.get(f"/api/v1/networks/{network.pk}").json()
        self.assertEqual(
            one["members"],
            [
                {
                    "name": "【テスト】団体",
                    "member_id": None,
                    "municipality_code": "142051",
                    "topic": "相談",
                }
            ],
        )
        self.assertTrue(one["url"].endswith(f"/networks/{network.pk}/"))
        missing = self.client.get("/api/v1/networks/999999")
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(missing.json(), {"detail": "Not Found"})
        self.assertEqual(self.client.get("/api/v1/networks/abc").status_code, 422)

    def test_the_endpoints_are_documented(self) -> None:
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        self.assertIn("/api/v1/networks", paths)
        self.assertIn("/api/v1/networks/{network_id}", paths)


class SampleTestCase(BaseTestCase):
    def test_the_sample_network_is_marked_and_its_directory_imported_once(self) -> None:
        from tsunagari.directory.sample import load_sample_organizations

        load_sample_organizations()
        lines = load_sample_networks()
        self.assertEqual(len(lines), 3)
        network = PartnerNetwork.objects.get(name=SAMPLE_NAME)
        self.assertTrue(network.is_sample)
        self.assertTrue(network.name.startswith("【サンプル】"))
        self.assertIn("サンプル", network.source_name)
        for member in network.members.all():
            if member.organization is not None:
                self.assertTrue(member.organization.is_sample)
            self.assertIn("【サンプル】", member.name)
        resources = Resource.objects.filter(partner_network_links__network=network)
        self.assertEqual(resources.count(), 4)
        for resource in resources:
            self.assertTrue(resource.is_sample)
            self.assertTrue(resource.name.startswith("【サンプル】"))
        self.assertEqual(
            sorted(resources.values_list("locations__municipality__name", flat=True)),
            ["小田原市", "平塚市", "相模原市中央区", "藤沢市"],
        )
        self.assertEqual(load_sample_networks(), [])
        self.assertEqual(NetworkResource.objects.count(), 4)

    def test_the_real_networks_have_their_public_source_and_no_invented_members(self) -> None:
        load_sample_networks()
        for name in ("かながわ生活困窮者自立支援ネットワーク", "かながわ人生100歳時代ネットワーク"):
            network = PartnerNetwork.objects.get(name=name)
            self.assertFalse(network.is_sample)
            self.assertTrue(network.source_url.startswith("http"))
            self.assertIsNotNone(network.source_seen_on)
            self.assertFalse(network.members.exists())
            self.assertFalse(network.resource_links.exists())
        liaison = PartnerNetwork.objects.get(name="かながわ生活困窮者自立支援ネットワーク")
        self.assertEqual(liaison.liaison_organization.roster_no, 3)  # type: ignore[union-attr]
