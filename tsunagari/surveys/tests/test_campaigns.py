"""Campaign pages for organisers: list, create, edit, detail with results, QR code, CSV.

Also the plain factories the other campaign tests and the access matrix use.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.test import override_settings

from tsunagari.audit.models import AuditEvent
from tsunagari.members.models import Organization
from tsunagari.surveys import qr
from tsunagari.surveys.campaign_views import public_url
from tsunagari.surveys.models import Campaign, CampaignItem, CampaignResponse, Channel, Item
from tsunagari.surveys.services import record_response
from tsunagari.test import BaseTestCase

UCLA_DIRECT = ("ucla_1", "ucla_2", "ucla_3", "direct")


def standard(code: str) -> Item:
    return Item.objects.get(code=code)


def make_item(organization: Organization | None = None, **fields: Any) -> Item:
    fields.setdefault("kind", Item.Kind.LIKERT)
    fields.setdefault("text", "今日の活動は楽しかったですか。")
    fields.setdefault(
        "options",
        [
            {"value": i, "label": label, "label_en": ""}
            for i, label in enumerate(["全く", "あまり", "どちらとも", "まあ", "とても"], 1)
        ],
    )
    return Item.objects.create(organization=organization, **fields)


def make_campaign(
    organization: Organization | None = None,
    *,
    codes: Sequence[str] = UCLA_DIRECT,
    items: Sequence[Item] = (),
    **fields: Any,
) -> Campaign:
    fields.setdefault("title", "サロン参加者アンケート")
    campaign = Campaign.objects.create(organization=organization, **fields)
    chosen = [standard(code) for code in codes] + list(items)
    CampaignItem.objects.bulk_create(
        CampaignItem(campaign=campaign, item=item, position=i) for i, item in enumerate(chosen, 1)
    )
    return campaign


def answer_all(campaign: Campaign, values: Sequence[int], **options: Any) -> CampaignResponse:
    """One response giving `values` to the campaign's items in their order."""
    entries = list(campaign.entries.order_by("position"))
    return record_response(
        campaign, {e.item_id: v for e, v in zip(entries, values, strict=True)}, **options
    )


def fill(campaign: Campaign, n: int, values: Sequence[int] = (1, 2, 3, 2), **options: Any) -> None:
    for _ in range(n):
        answer_all(campaign, values, **options)


class CampaignAccessTest(BaseTestCase):
    def test_staff_see_only_their_organisations_campaigns(self) -> None:
        make_campaign(self.organization, title="自団体の調査")
        make_campaign(self.other_organization, title="他団体の調査")
        make_campaign(None, title="事務局の調査")
        self.login(self.staff)
        r = self.client.get("/surveys/")
        self.assertContains(r, "自団体の調査")
        self.assertNotContains(r, "他団体の調査")
        self.assertNotContains(r, "事務局の調査")

    def test_the_secretariat_sees_every_campaign_with_counts_in_a_fixed_number_of_queries(
        self,
    ) -> None:
        for org in (self.organization, self.other_organization, None):
            fill(make_campaign(org), 2)
        fill(make_campaign(self.organization, title="回答の多い調査"), 7)
        self.login(self.secretariat)
        # session, user, campaigns with their organisations and response counts
        with self.assertNumQueries(3):
            r = self.client.get("/surveys/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "回答の多い調査")
        self.assertContains(r, '<td class="number">7</td>', html=True)
        self.assertContains(r, "事務局")

    def test_other_staff_and_officers_cannot_open_someone_elses_campaign(self) -> None:
        campaign = make_campaign(self.organization)
        for user in (self.other_staff, self.officer):
            self.login(user)
            for suffix in ("", "edit/", "qr.svg", "report/", "results.csv"):
                with self.subTest(user=user.email, suffix=suffix):
                    r = self.client.get(f"/surveys/{campaign.pk}/{suffix}")
                    self.assertEqual(r.status_code, 403)

    def test_a_secretariat_campaign_is_the_secretariats_only(self) -> None:
        campaign = make_campaign(None)
        self.login(self.staff)
        self.assertEqual(self.client.get(f"/surveys/{campaign.pk}/").status_code, 403)
        self.login(self.secretariat)
        self.assertEqual(self.client.get(f"/surveys/{campaign.pk}/").status_code, 200)

    def test_officers_cannot_run_campaigns(self) -> None:
        self.login(self.officer)
        for url in ("/surveys/", "/surveys/new/", "/surveys/items/", "/surveys/items/new/"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_missing_campaign_is_404(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get("/surveys/999999/").status_code, 404)


def campaign_data(items: Sequence[Item], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "ふれあいサロン 事前・事後アンケート",
        "description": "サロンの前後で気持ちの変化を教えてください。",
        "before_after": "on",
        "is_open": "on",
        "items": [str(item.pk) for item in items],
    }
    data.update(overrides)
    return data


class CampaignFormTest(BaseTestCase):
    def test_staff_create_a_campaign_for_their_organisation_with_items_in_order(self) -> None:
        own = make_item(self.organization, text="今日は楽しかったですか。")
        items = [standard("direct"), standard("ucla_1"), own]
        self.login(self.staff)
        data = campaign_data(items, **{f"order_{standard('direct').pk}": "1"})
        r = self.client.post("/surveys/new/", data)
        campaign = Campaign.objects.get()
        self.assertRedirects(r, f"/surveys/{campaign.pk}/")
        self.assertEqual(campaign.organization, self.organization)
        self.assertEqual(campaign.created_by, self.staff)
        self.assertTrue(campaign.before_after)
        # The ordered one first, then standard items, then the member's own.
        codes = [e.item.code or e.item.text for e in campaign.entries.select_related("item")]
        self.assertEqual(codes, ["direct", "ucla_1", "今日は楽しかったですか。"])

    def test_the_new_form_offers_standard_items_first_and_the_organisations_own(self) -> None:
        make_item(self.organization, text="自団体の項目")
        make_item(self.other_organization, text="他団体の項目")
        self.login(self.staff)
        r = self.client.get("/surveys/new/")
        text = r.content.decode()
        self.assertIn("自団体の項目", text)
        self.assertNotIn("他団体の項目", text)
        self.assertLess(text.index("人とのつきあいが無い"), text.index("県民ニーズ調査"))
        self.assertLess(text.index("県民ニーズ調査"), text.index("自団体の項目"))

    def test_a_new_campaign_starts_with_no_item_ticked(self) -> None:
        self.login(self.staff)
        r = self.client.get("/surveys/new/")
        self.assertFalse(r.context["form"]["items"].value())
        self.assertNotRegex(r.content.decode(), r'name="items"[^>]*checked')
        self.assertContains(r, "国の調査と同じ設問（4問）")

    def test_the_national_preset_ticks_the_four_questions_and_keeps_what_was_typed(
        self,
    ) -> None:
        own = make_item(self.organization, text="今日は楽しかったですか。")
        self.login(self.staff)
        data = campaign_data(
            [standard("kanagawa_satisfaction"), own],
            title="題だけ先に",
            preset="national",
            **{f"order_{own.pk}": "1"},
        )
        r = self.client.post("/surveys/new/", data)
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Campaign.objects.exists())  # not saved yet
        self.assertNotContains(r, "入力内容を確認してください")
        self.assertContains(r, "国の調査と同じ4問を選びました。")
        form = r.context["form"]
        ticked = {int(pk) for pk in form["items"].value()}
        self.assertEqual(ticked, {standard(c).pk for c in UCLA_DIRECT})
        self.assertEqual(form["title"].value(), "題だけ先に")
        self.assertTrue(form["before_after"].value())
        self.assertEqual(str(form[f"order_{own.pk}"].value()), "1")
        html = r.content.decode()
        for code in UCLA_DIRECT:
            self.assertRegex(html, rf'name="items" value="{standard(code).pk}"[^>]*checked')
        # Saving then creates the campaign with the four.
        save = campaign_data([standard(c) for c in UCLA_DIRECT], title="題だけ先に")
        r = self.client.post("/surveys/new/", save)
        campaign = Campaign.objects.get()
        codes = [e.item.code for e in campaign.entries.select_related("item")]
        self.assertEqual(codes, list(UCLA_DIRECT))

    def test_the_preset_does_not_change_a_campaign_with_answers(self) -> None:
        campaign = make_campaign(self.organization, codes=("direct",))
        answer_all(campaign, [2])
        self.login(self.staff)
        r = self.client.post(
            f"/surveys/{campaign.pk}/edit/",
            campaign_data([standard("direct")], title="新しい題", preset="national"),
        )
        self.assertRedirects(r, f"/surveys/{campaign.pk}/")
        self.assertEqual(campaign.entries.count(), 1)

    def test_another_organisations_item_cannot_be_posted(self) -> None:
        theirs = make_item(self.other_organization, text="他団体の項目")
        self.login(self.staff)
        r = self.client.post("/surveys/new/", campaign_data([standard("direct"), theirs]))
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Campaign.objects.exists())

    def test_a_campaign_without_items_is_refused_and_keeps_the_title(self) -> None:
        self.login(self.staff)
        r = self.client.post("/surveys/new/", campaign_data([], title="題だけの調査"))
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "質問項目を1つ以上選んでください。", status_code=400)
        self.assertContains(r, 'value="題だけの調査"', status_code=400)

    def test_the_secretariat_creates_its_own_campaign(self) -> None:
        self.login(self.secretariat)
        self.client.post("/surveys/new/", campaign_data([standard("direct")]))
        self.assertIsNone(Campaign.objects.get().organization)

    def test_editing_changes_items_until_the_first_answer_then_locks_them(self) -> None:
        campaign = make_campaign(self.organization, codes=("direct",))
        self.login(self.staff)
        r = self.client.post(
            f"/surveys/{campaign.pk}/edit/",
            campaign_data([standard("direct"), standard("kanagawa_satisfaction")]),
        )
        self.assertRedirects(r, f"/surveys/{campaign.pk}/")
        self.assertEqual(campaign.entries.count(), 2)
        answer_all(campaign, [2, 3], phase="before", code="abcd")
        r = self.client.post(
            f"/surveys/{campaign.pk}/edit/",
            campaign_data([standard("ucla_1")], title="新しい題", before_after="", is_open=""),
        )
        self.assertRedirects(r, f"/surveys/{campaign.pk}/", fetch_redirect_response=False)
        self.assertContains(self.client.get(r["Location"]), "質問項目は変更していません")
        campaign.refresh_from_db()
        self.assertEqual(campaign.title, "新しい題")
        self.assertFalse(campaign.is_open)
        self.assertTrue(campaign.before_after)
        self.assertEqual(
            [e.item.code for e in campaign.entries.select_related("item")],
            ["direct", "kanagawa_satisfaction"],
        )
        self.assertContains(self.client.get(f"/surveys/{campaign.pk}/edit/"), "変更できません")


class CampaignDetailTest(BaseTestCase):
    def test_it_shows_the_absolute_public_link_the_qr_and_paper_links(self) -> None:
        campaign = make_campaign(self.organization)
        self.login(self.staff)
        r = self.client.get(f"/surveys/{campaign.pk}/")
        link = f"{settings.SITE_URL}/s/{campaign.token}/"
        self.assertContains(r, f'href="{link}"')
        self.assertContains(r, f'src="/surveys/{campaign.pk}/qr.svg"')
        self.assertContains(r, f"/surveys/{campaign.pk}/paper.pdf")
        self.assertContains(r, f"/surveys/{campaign.pk}/entry/")
        self.assertContains(r, 'class="poster"')

    def test_results_wait_for_ten_responses(self) -> None:
        campaign = make_campaign(self.organization)
        fill(campaign, 9)
        self.login(self.staff)
        r = self.client.get(f"/surveys/{campaign.pk}/")
        self.assertContains(r, "あと1件")
        self.assertNotContains(r, "result-card")
        self.assertNotContains(r, "results.csv")
        fill(campaign, 1)
        r = self.client.get(f"/surveys/{campaign.pk}/")
        self.assertContains(r, "result-card")

    def test_results_count_options_give_the_ucla_bands_and_national_figures(self) -> None:
        satisfaction = standard("kanagawa_satisfaction")
        campaign = make_campaign(self.organization, items=[satisfaction])
        # UCLA scores 3 (x4), 8 (x4), 11 (x2); direct 1 (x4), 4 (x6);
        # satisfaction 1 (x1), 2 (x2), 6 分からない (x3), 3 (x4).
        fill(campaign, 1, (1, 1, 1, 1, 1))
        fill(campaign, 3, (1, 1, 1, 1, 6))
        fill(campaign, 2, (3, 3, 2, 4, 2))
        fill(campaign, 2, (3, 3, 2, 4, 3))
        fill(campaign, 2, (4, 4, 3, 4, 3))
        self.login(self.staff)
        with self.assertNumQueries(7):
            r = self.client.get(f"/surveys/{campaign.pk}/")
        results = r.context["results"]
        self.assertEqual(results.total, 10)
        self.assertEqual([b.n for b in results.ucla.bands], [4, 0, 4, 2])
        self.assertAlmostEqual(results.ucla.lonely_share, 60.0)
        direct = results.items[3]
        self.assertEqual([o.n for o in direct.options], [4, 0, 0, 6, 0])
        self.assertAlmostEqual(direct.mean, 2.8)
        self.assertAlmostEqual(direct.lonely_share, 60.0)
        sat = results.items[4]
        self.assertAlmostEqual(sat.satisfied_share, 30.0)
        # 分からない is left out of the mean: (1 + 2*2 + 3*4) / 7
        self.assertAlmostEqual(sat.mean, 17 / 7)
        self.assertContains(r, "45.7%")  # 令和6年, indirect 7–12
        self.assertContains(r, "39.3%")  # direct "lonely"
        self.assertContains(r, "11.4%")  # 県民ニーズ調査 baseline
        # Standard items are shown in their items.py wording.
        self.assertContains(r, "しばしばある・常にある")

    def test_counts_by_channel_and_phase(self) -> None:
        campaign = make_campaign(self.organization, before_after=True)
        answer_all(campaign, (1, 1, 1, 1), phase="before", code="aaaa")
        answer_all(campaign, (1, 1, 1, 1), phase="after", code="aaaa")
        answer_all(campaign, (1, 1, 1, 1), phase="before", code="bbbb", channel=Channel.PAPER)
        self.login(self.staff)
        counts = self.client.get(f"/surveys/{campaign.pk}/").context["results"].counts
        self.assertEqual(
            {(c.channel, c.phase, c.n) for c in counts},
            {("campaign", "before", 1), ("campaign", "after", 1), ("paper", "before", 1)},
        )


class CampaignQrTest(BaseTestCase):
    def test_the_qr_code_is_an_svg_of_the_public_link(self) -> None:
        campaign = make_campaign(self.organization)
        self.login(self.staff)
        r = self.client.get(f"/surveys/{campaign.pk}/qr.svg")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "image/svg+xml")
        self.assertIn("max-age=86400", r["Cache-Control"])
        self.assertIn("private", r["Cache-Control"])
        self.assertIn(b"<svg", r.content)
        self.assertIn(b'xmlns="http://www.w3.org/2000/svg"', r.content)
        expected = qr.qr_svg(f"{settings.SITE_URL}/s/{campaign.token}/", title=campaign.title)
        self.assertEqual(r.content, expected)

    @override_settings(SITE_URL="https://tsunagari.example.jp")
    def test_the_link_follows_the_site_url(self) -> None:
        campaign = make_campaign(self.organization)
        self.assertEqual(public_url(campaign), f"https://tsunagari.example.jp/s/{campaign.token}/")
        self.assertNotEqual(qr.qr_svg(public_url(campaign)), qr.qr_svg("http://x/s/y/"))


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


class CampaignCsvTest(BaseTestCase):
    def test_it_waits_for_ten_responses(self) -> None:
        campaign = make_campaign(self.organization)
        fill(campaign, 9)
        self.login(self.staff)
        r = self.client.get(f"/surveys/{campaign.pk}/results.csv")
        self.assertRedirects(r, f"/surveys/{campaign.pk}/")

    def test_one_row_per_response_by_month_with_pair_numbers_and_paper_marked(self) -> None:
        campaign = make_campaign(self.organization, before_after=True)
        day = dt.date(2025, 6, 17)
        answer_all(campaign, (1, 2, 3, 4), phase="before", code="aoi-umi", answered_on=day)
        answer_all(campaign, (2, 2, 2, 2), phase="before", code="solo", answered_on=day)
        answer_all(
            campaign,
            (1, 1, 2, 2),
            phase="after",
            code="ＡＯＩ－ＵＭＩ",
            answered_on=dt.date(2025, 7, 3),
            channel=Channel.PAPER,
        )
        fill(campaign, 7, (1, 1, 1, 1), answered_on=day)
        self.login(self.staff)
        r = self.client.get(f"/surveys/{campaign.pk}/results.csv")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.content.startswith(b"\xef\xbb\xbf"))
        rows = read_csv(r.content)
        header, versions, *data = rows
        # Rows by month and phase, never by arrival: June's before (the paired code and
        # the single one, in keyed-code order), June's single answers, July's after.
        first = next(row for row in data if row[2] == "before" and row[3] == "1")
        second = next(row for row in data if row[2] == "before" and row[3] == "")
        third = data[-1]
        self.assertEqual({first[0], second[0]}, {"1", "2"})
        self.assertEqual(
            header[:7],
            ["response_no", "answered_month", "phase", "pair_no", "channel", "paper", "wording"],
        )
        self.assertEqual(header[7:], ["q1_ucla_1", "q2_ucla_2", "q3_ucla_3", "q4_direct"])
        self.assertEqual(versions[0], "scale_version")
        self.assertEqual(versions[7:], [standard(c).scale_version for c in UCLA_DIRECT])
        self.assertEqual(first[1:7], ["2025-06", "before", "1", "campaign", "0", "ja"])
        self.assertEqual(first[7:], ["1", "2", "3", "4"])
        self.assertEqual(second[3], "")  # no pair
        self.assertEqual(third[:7], ["10", "2025-07", "after", "1", "paper", "1", "ja"])
        self.assertEqual(len(rows), 2 + 10)
        text = r.content.decode("utf-8-sig")
        self.assertNotIn("17", text.replace("2025", ""))  # no day of month
        for response in CampaignResponse.objects.exclude(pair_key=""):
            self.assertNotIn(response.pair_key, text)
        self.assertNotIn("aoi", text.lower())

    def test_the_export_is_audited(self) -> None:
        campaign = make_campaign(self.organization)
        fill(campaign, 10)
        self.login(self.secretariat)
        self.client.get(f"/surveys/{campaign.pk}/results.csv")
        event = AuditEvent.objects.for_object(campaign).get()
        self.assertEqual(event.action, AuditEvent.Action.EXPORT)
        self.assertEqual(event.actor, self.secretariat)
