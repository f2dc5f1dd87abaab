"""The public answer page of a campaign (/s/<token>/): anonymous, one page, phone first."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core.cache import cache
from django.utils import timezone

from tsunagari.lib.antibot import HumanCheckForm, issue_token
from tsunagari.surveys import campaign_views
from tsunagari.surveys.models import Campaign, CampaignAnswer, CampaignResponse, Channel
from tsunagari.surveys.scoring import SCALE_VERSION
from tsunagari.surveys.services import pair_key
from tsunagari.surveys.tests.test_campaigns import make_campaign, make_item, standard
from tsunagari.test import BaseTestCase


def answer_data(
    campaign: Campaign, values: list[int] | None = None, **extra: Any
) -> dict[str, Any]:
    entries = list(campaign.entries.order_by("position"))
    values = values or [2] * len(entries)
    data: dict[str, Any] = {
        f"item_{e.item_id}": str(v) for e, v in zip(entries, values, strict=True)
    }
    data["shown_at"] = issue_token(now=timezone.now().timestamp() - 30)
    data.update(extra)
    return data


class AnswerTest(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def test_anyone_can_open_the_page_without_signing_in(self) -> None:
        campaign = make_campaign(self.organization)
        r = self.client.get(f"/s/{campaign.token}/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "人とのつきあいが無いと感じる")
        self.assertContains(r, 'type="radio"', count=3 * 4 + 5)
        self.assertNotContains(r, "合言葉")

    def test_an_unknown_token_is_404(self) -> None:
        self.assertEqual(self.client.get("/s/not-a-token/").status_code, 404)

    def test_an_answer_is_stored_with_channel_scale_version_and_the_day_only(self) -> None:
        campaign = make_campaign(self.organization)
        r = self.client.post(
            f"/s/{campaign.token}/",
            answer_data(campaign, [1, 2, 3, 4]),
            REMOTE_ADDR="203.0.113.9",
            HTTP_USER_AGENT="Mozilla/5.0 (iPhone)",
        )
        self.assertRedirects(r, f"/s/{campaign.token}/thanks/")
        response = CampaignResponse.objects.get()
        self.assertEqual(response.channel, Channel.CAMPAIGN)
        self.assertEqual(response.answered_on, timezone.localdate())
        self.assertEqual(response.phase, "")
        self.assertEqual(response.pair_key, "")
        self.assertEqual(response.wording, "ja")
        answers = {a.item.code: (a.value, a.scale_version) for a in response.answers.all()}
        self.assertEqual(answers["ucla_1"], (1, SCALE_VERSION))
        self.assertEqual(answers["direct"], (4, SCALE_VERSION))
        # Nothing about the person: no field holds the address or the browser.
        stored = " ".join(
            str(v) for v in CampaignResponse.objects.values().get().values()
        ) + " ".join(str(v) for row in CampaignAnswer.objects.values() for v in row.values())
        self.assertNotIn("203.0.113.9", stored)
        self.assertNotIn("iPhone", stored)

    def test_every_item_must_be_answered_and_the_answers_are_kept(self) -> None:
        campaign = make_campaign(self.organization)
        data = answer_data(campaign, [1, 2, 3, 4])
        del data[f"item_{standard('ucla_2').pk}"]
        r = self.client.post(f"/s/{campaign.token}/", data)
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "どれか1つを選んでください。", status_code=400)
        self.assertEqual(r.context["form"][f"item_{standard('direct').pk}"].value(), "4")
        self.assertFalse(CampaignResponse.objects.exists())

    def test_an_answer_out_of_range_is_refused(self) -> None:
        campaign = make_campaign(self.organization)
        data = answer_data(campaign, [1, 2, 3, 9])
        self.assertEqual(self.client.post(f"/s/{campaign.token}/", data).status_code, 400)
        self.assertFalse(CampaignResponse.objects.exists())

    def test_the_satisfaction_item_left_blank_is_stored_as_no_answer(self) -> None:
        campaign = make_campaign(self.organization, codes=("kanagawa_satisfaction", "direct"))
        data = answer_data(campaign, [1, 3])
        del data[f"item_{standard('kanagawa_satisfaction').pk}"]
        self.assertEqual(self.client.post(f"/s/{campaign.token}/", data).status_code, 302)
        answer = CampaignAnswer.objects.get(item__code="kanagawa_satisfaction")
        self.assertEqual(answer.value, 7)  # 無回答
        self.assertEqual(answer.scale_version, "kanagawa-kenmin-needs-r5")

    def test_a_members_likert_item_records_its_own_scale_version(self) -> None:
        own = make_item(self.organization)
        campaign = make_campaign(self.organization, codes=(), items=[own])
        self.client.post(f"/s/{campaign.token}/", answer_data(campaign, [5]))
        self.assertEqual(CampaignAnswer.objects.get().scale_version, f"item-{own.pk}")

    def test_easy_wording_is_shown_and_recorded(self) -> None:
        campaign = make_campaign(self.organization)
        r = self.client.get(f"/s/{campaign.token}/?wording=easy")
        self.assertContains(r, "ひとりぼっち")
        self.assertContains(r, "いつも ある")
        self.client.post(f"/s/{campaign.token}/?wording=easy", answer_data(campaign))
        self.assertEqual(CampaignResponse.objects.get().wording, "easy")

    def test_a_closed_campaign_says_so_kindly_and_stores_nothing(self) -> None:
        campaign = make_campaign(self.organization, is_open=False)
        r = self.client.get(f"/s/{campaign.token}/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "受け付けは終了しました")
        self.assertNotContains(r, '<form method="post" novalidate')
        self.client.post(f"/s/{campaign.token}/", answer_data(campaign))
        self.assertFalse(CampaignResponse.objects.exists())

    def test_a_campaign_without_items_is_not_ready_and_stores_nothing(self) -> None:
        campaign = make_campaign(self.organization, codes=())
        self.assertContains(self.client.get(f"/s/{campaign.token}/"), "まだ準備中です")
        self.client.post(f"/s/{campaign.token}/", answer_data(campaign, []))
        self.assertFalse(CampaignResponse.objects.exists())

    def test_a_robot_filling_the_trap_sees_thanks_and_nothing_is_stored(self) -> None:
        campaign = make_campaign(self.organization)
        r = self.client.post(f"/s/{campaign.token}/", answer_data(campaign, homepage="http://x"))
        self.assertRedirects(r, f"/s/{campaign.token}/thanks/")
        self.assertFalse(CampaignResponse.objects.exists())

    def test_a_crowded_network_is_slowed_down_with_the_answers_kept(self) -> None:
        campaign = make_campaign(self.organization)
        limit = campaign_views.LIMIT
        self.assertGreaterEqual(limit.per_network, 60)  # a hall on one Wi-Fi
        with mock.patch.object(campaign_views, "LIMIT", type(limit)("campaign-test", 2, 100)):
            for _ in range(2):
                self.client.post(f"/s/{campaign.token}/", answer_data(campaign))
            r = self.client.post(f"/s/{campaign.token}/", answer_data(campaign, [4, 4, 4, 5]))
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "しばらくしてから", status_code=429)
        self.assertEqual(r.context["form"][f"item_{standard('direct').pk}"].value(), "5")
        self.assertEqual(CampaignResponse.objects.count(), 2)


class BeforeAfterAnswerTest(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        self.campaign = make_campaign(self.organization, before_after=True)
        self.url = f"/s/{self.campaign.token}/"

    def test_the_page_asks_for_the_phase_and_a_code_with_guidance(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "最初（事前）")
        self.assertContains(r, "後日（事後）")
        self.assertContains(r, "誕生日や名前・電話番号は使わないでください")

    def test_before_then_after_pair_under_the_code_which_is_never_stored(self) -> None:
        r = self.client.post(self.url, answer_data(self.campaign, phase="before", code="Aoi Umi7"))
        self.assertRedirects(r, f"{self.url}thanks/?phase=before")
        thanks = self.client.get(r["Location"])
        self.assertContains(thanks, "合言葉を覚えておいてください")
        # Later, typed on another phone in full width and upper case.
        r = self.client.post(
            self.url, answer_data(self.campaign, phase="after", code="ＡＯＩＵＭＩ７")
        )
        self.assertRedirects(r, f"{self.url}thanks/")
        self.assertNotContains(self.client.get(r["Location"]), "合言葉を覚えておいてください")
        before, after = CampaignResponse.objects.order_by("-phase")  # keys are random
        self.assertEqual((before.phase, after.phase), ("before", "after"))
        self.assertEqual(before.pair_key, after.pair_key)
        self.assertEqual(before.pair_key, pair_key(self.campaign.pk, "aoiumi7"))
        self.assertNotIn("aoi", before.pair_key.lower())
        self.assertEqual(len(before.pair_key), 64)

    def test_a_code_already_used_for_that_phase_asks_for_another_keeping_everything(self) -> None:
        self.client.post(self.url, answer_data(self.campaign, phase="before", code="hoshizora"))
        r = self.client.post(
            self.url, answer_data(self.campaign, [1, 2, 3, 5], phase="before", code="hoshizora")
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "この合言葉は使えません", status_code=400)
        form = r.context["form"]
        self.assertEqual(form["code"].value(), "hoshizora")
        self.assertEqual(form["phase"].value(), "before")
        self.assertEqual(form[f"item_{standard('direct').pk}"].value(), "5")
        self.assertEqual(CampaignResponse.objects.count(), 1)
        # The same code may still answer the other phase.
        r = self.client.post(self.url, answer_data(self.campaign, phase="after", code="hoshizora"))
        self.assertEqual(r.status_code, 302)

    def test_the_phase_and_a_code_of_four_characters_are_required(self) -> None:
        r = self.client.post(self.url, answer_data(self.campaign, code="ab c"))
        self.assertEqual(r.status_code, 400)
        self.assertContains(
            r, "「最初（事前）」か「後日（事後）」を選んでください。", status_code=400
        )
        self.assertContains(r, "合言葉は4〜30文字にしてください。", status_code=400)
        self.assertFalse(CampaignResponse.objects.exists())

    def test_the_fill_time_check_applies(self) -> None:
        with mock.patch.object(HumanCheckForm, "min_seconds", 3600):
            r = self.client.post(self.url, answer_data(self.campaign, phase="before", code="abcd"))
        self.assertEqual(r.status_code, 400)
        self.assertFalse(CampaignResponse.objects.exists())


class ThanksTest(BaseTestCase):
    """Only a before/after participant is reminded to keep their 合言葉, after the first
    (事前) answer, with the warning that it cannot be looked up."""

    def thanks(self, campaign: Campaign, query: str = "") -> str:
        r = self.client.get(f"/s/{campaign.token}/thanks/{query}")
        self.assertEqual(r.status_code, 200)
        return str(r.content.decode())

    def test_a_before_answer_is_told_to_keep_the_code_which_cannot_be_recovered(self) -> None:
        campaign = make_campaign(self.organization, before_after=True)
        html = self.thanks(campaign, "?phase=before")
        self.assertIn("合言葉を覚えておいてください", html)
        self.assertIn("後日（事後）にもう一度答えていただくときに", html)
        self.assertIn("忘れてしまうと、主催者にも事務局にも調べることができません。", html)

    def test_no_code_reminder_after_the_after_answer_or_in_a_plain_campaign(self) -> None:
        before_after = make_campaign(self.organization, before_after=True)
        plain = make_campaign(self.organization)
        for html in (
            self.thanks(before_after),
            self.thanks(plain),
            self.thanks(plain, "?phase=before"),
        ):
            self.assertNotIn("合言葉", html)
