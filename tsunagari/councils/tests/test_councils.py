"""Local councils: an officer registers theirs, the public notice, the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tsunagari.audit.models import AuditEvent
from tsunagari.core.forms import version_of
from tsunagari.councils.models import LocalCouncil
from tsunagari.meetings.models import Meeting
from tsunagari.test import BaseTestCase


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "municipality": "142051",
        "name": "藤沢市孤独・孤立対策地域協議会",
        "coordinating_body": "福祉部 地域共生社会推進課",
        "established_on": "令和7年4月1日",
        "notice": "構成機関は秘密を守ります。",
        "source_url": "https://example.org/fujisawa/council/",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-name": "社会福祉協議会",
        "members-1-name": "",
    }
    data.update(overrides)
    return data


def make_council(code: str = "142051", **fields: Any) -> LocalCouncil:
    council = LocalCouncil.objects.create(
        municipality_id=code,
        name=fields.pop("name", "【テスト】地域協議会"),
        coordinating_body="福祉課",
        established_on=dt.date(2025, 4, 1),
        **fields,
    )
    council.member_bodies.create(name="【テスト】社会福祉協議会", sort_order=0)
    return council


class RegisterTest(BaseTestCase):
    def test_an_officer_registers_their_council_with_member_bodies(self) -> None:
        self.login(self.officer)
        r = self.client.post(
            "/councils/new/",
            form_data(
                **{"members-1-name": "ＮＰＯ", "members-1-organization": str(self.organization.pk)}
            ),
        )
        council = LocalCouncil.objects.get()
        self.assertRedirects(r, f"/councils/{council.pk}/")
        self.assertEqual(council.established_on, dt.date(2025, 4, 1))
        self.assertEqual(
            [(m.name, m.organization) for m in council.member_bodies.all()],
            [("社会福祉協議会", None), ("NPO", self.organization)],
        )
        self.assertTrue(AuditEvent.objects.filter(object_type="councils.localcouncil").exists())

    def test_an_officer_cannot_register_for_another_municipality(self) -> None:
        self.login(self.officer)
        r = self.client.post("/councils/new/", form_data(municipality="141003"))
        self.assertEqual(r.status_code, 400)
        self.assertFalse(LocalCouncil.objects.exists())

    def test_at_least_one_member_body_is_needed_and_input_is_kept(self) -> None:
        self.login(self.officer)
        r = self.client.post("/councils/new/", form_data(**{"members-0-name": ""}))
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "福祉部 地域共生社会推進課", status_code=400)

    def test_a_bad_date_is_explained(self) -> None:
        self.login(self.officer)
        r = self.client.post("/councils/new/", form_data(established_on="令和7年2月30日"))
        self.assertEqual(r.status_code, 400)

    def test_editing_removes_a_member_body_and_records_the_change(self) -> None:
        council = make_council()
        body = council.member_bodies.get()
        self.login(self.officer)
        data = form_data(
            name="藤沢市つながり会議【サンプル】",
            seen=version_of(council),
            **{
                "members-TOTAL_FORMS": "2",
                "members-INITIAL_FORMS": "1",
                "members-0-id": str(body.pk),
                "members-0-name": body.name,
                "members-0-DELETE": "on",
                "members-1-name": "新しい構成機関",
            },
        )
        r = self.client.post(f"/councils/{council.pk}/edit/", data)
        self.assertRedirects(r, f"/councils/{council.pk}/")
        self.assertEqual([m.name for m in council.member_bodies.all()], ["新しい構成機関"])
        event = AuditEvent.objects.get(
            object_type="councils.localcouncil", action=AuditEvent.Action.UPDATE
        )
        # The log says what the officer changed: the name as well as the member bodies.
        self.assertEqual(event.changes["name"], [council.name, "藤沢市つながり会議【サンプル】"])
        self.assertEqual(event.changes["member_bodies"], [[body.name], ["新しい構成機関"]])

    def test_an_edit_over_a_change_made_meanwhile_is_refused_and_keeps_what_was_typed(
        self,
    ) -> None:
        council = make_council()
        body = council.member_bodies.get()
        self.login(self.officer)
        page = self.client.get(f"/councils/{council.pk}/edit/").content.decode()
        opened = version_of(council)
        self.assertIn(f'name="seen" value="{opened}"', page)
        members = {
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "1",
            "members-0-id": str(body.pk),
            "members-0-name": body.name,
        }
        # Meanwhile a colleague saves a new name from the same version.
        first = form_data(name="【テスト】同僚が付けた名前", seen=opened, **members)
        self.assertEqual(self.client.post(f"/councils/{council.pk}/edit/", first).status_code, 302)
        mine = form_data(name="【テスト】わたしが付けた名前", seen=opened, **members)
        r = self.client.post(f"/councils/{council.pk}/edit/", mine)
        self.assertContains(r, "ほかの人が変更を保存しました", status_code=409)
        self.assertContains(r, "【テスト】わたしが付けた名前", status_code=409)
        council.refresh_from_db()
        self.assertEqual(council.name, "【テスト】同僚が付けた名前")
        # Having looked, saving again is a choice: the page now carries the current version.
        self.assertContains(r, f'name="seen" value="{version_of(council)}"', status_code=409)
        again = form_data(name="【テスト】わたしが付けた名前", seen=version_of(council), **members)
        self.assertEqual(self.client.post(f"/councils/{council.pk}/edit/", again).status_code, 302)
        council.refresh_from_db()
        self.assertEqual(council.name, "【テスト】わたしが付けた名前")
        changes = [
            e.changes["name"][1]
            for e in AuditEvent.objects.for_object(council).filter(action="update").order_by("pk")
        ]
        self.assertEqual(changes, ["【テスト】同僚が付けた名前", "【テスト】わたしが付けた名前"])


class NoticeTest(BaseTestCase):
    def test_the_public_notice_shows_what_the_law_asks_in_wareki(self) -> None:
        council = make_council(source_url="https://example.org/fujisawa/")
        r = self.client.get(f"/councils/{council.pk}/")
        self.assertContains(r, council.name)
        self.assertContains(r, "福祉課")
        self.assertContains(r, "【テスト】社会福祉協議会")
        self.assertContains(r, "令和7年4月1日")
        self.assertContains(r, "第15条")
        self.assertContains(r, 'href="https://example.org/fujisawa/"')

    def test_the_councils_meetings_are_for_its_officers_and_the_secretariat(self) -> None:
        council = make_council()
        starts = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)
        Meeting.objects.create(
            kind=Meeting.Kind.COUNCIL,
            council=council,
            title="第1回個別ケース会議",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        )
        self.assertNotContains(self.client.get(f"/councils/{council.pk}/"), "第1回個別ケース会議")
        self.login(self.staff)
        self.assertNotContains(self.client.get(f"/councils/{council.pk}/"), "第1回個別ケース会議")
        self.login(self.officer)
        self.assertContains(self.client.get(f"/councils/{council.pk}/"), "第1回個別ケース会議")

    def test_the_list_reads_a_fixed_number_of_queries(self) -> None:
        for n in range(4):
            make_council(name=f"【テスト】協議会{n}")
        self.client.get("/councils/")
        with self.assertNumQueries(1):
            r = self.client.get("/councils/")
        self.assertContains(r, "令和7年4月1日", count=4)


class ApiTest(BaseTestCase):
    def test_the_api_gives_the_public_notice(self) -> None:
        council = make_council()
        r = self.client.get("/api/v1/councils")
        self.assertEqual(r.status_code, 200)
        [item] = r.json()
        self.assertEqual(item["id"], council.pk)
        self.assertEqual(item["municipality_code"], "142051")
        self.assertEqual(item["established_on"], "2025-04-01")
        self.assertEqual(item["members"], [{"name": "【テスト】社会福祉協議会", "member_id": None}])

    def test_the_api_is_in_the_openapi_document(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/councils", schema["paths"])
