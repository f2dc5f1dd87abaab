"""Keyed entry of paper sheets: staff type the numbers ticked on each sheet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagari.members.models import Organization
from tsunagari.surveys import services
from tsunagari.surveys.models import (
    Campaign,
    CampaignAnswer,
    CampaignItem,
    CampaignResponse,
    Channel,
    Item,
    SelfCheckResponse,
    SelfCheckTally,
)
from tsunagari.test import BaseTestCase

SELFCHECK = "/selfcheck/entry/"


def paper_campaign(
    organization: Organization | None,
    *,
    before_after: bool = False,
    codes: tuple[str, ...] = ("ucla_1", "ucla_2", "ucla_3", "direct"),
    extra: tuple[Item, ...] = (),
) -> Campaign:
    """A campaign of standard items (and any extra items), in that order."""
    campaign = Campaign.objects.create(
        title="紙で答えるサロンの調査", organization=organization, before_after=before_after
    )
    items = [*(Item.objects.get(code=code) for code in codes), *extra]
    for position, item in enumerate(items, 1):
        CampaignItem.objects.create(campaign=campaign, item=item, position=position)
    return campaign


def sheet(**answers: str) -> dict[str, str]:
    data = {
        "answered_on": "2025-05-10",
        "wording": "ja",
        "ucla_1": "2",
        "ucla_2": "3",
        "ucla_3": "1",
        "direct": "4",
    }
    data.update(answers)
    return data


class SelfCheckEntryTest(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.staff)

    def test_the_empty_form_focuses_the_first_answer_and_defaults_to_today(self) -> None:
        r = self.client.get(SELFCHECK)
        form = r.context["form"]
        self.assertEqual(form["answered_on"].initial, timezone.localdate())
        self.assertContains(r, 'name="ucla_1"')
        self.assertContains(r, "autofocus")
        self.assertIs(form.fields["ucla_1"].widget.attrs.get("autofocus"), True)
        self.assertContains(r, 'inputmode="numeric"')
        self.assertContains(r, 'autocomplete="off"')
        self.assertContains(r, 'maxlength="1"')

    def test_a_sheet_is_stored_as_paper_with_its_day_and_counted(self) -> None:
        r = self.client.post(SELFCHECK, sheet())
        self.assertEqual(r.status_code, 302)
        response = SelfCheckResponse.objects.get()
        self.assertEqual(response.channel, Channel.PAPER)
        self.assertEqual(response.answered_on, dt.date(2025, 5, 10))
        self.assertEqual(
            (response.indirect_1, response.indirect_2, response.indirect_3, response.direct),
            (2, 3, 1, 4),
        )
        self.assertEqual(response.indirect_score, 6)
        self.assertEqual((response.age_band, response.municipality, response.helps), ("", None, ""))
        self.assertEqual(SelfCheckTally.objects.get().n, 1)

    def test_full_width_digits_are_read_as_digits(self) -> None:
        self.client.post(
            SELFCHECK, sheet(ucla_1="４", ucla_2="３", ucla_3="４", direct="５", age_band="８")
        )
        response = SelfCheckResponse.objects.get()
        self.assertEqual((response.indirect_score, response.direct), (11, 5))
        self.assertEqual(response.age_band, "80+")

    def test_optional_answers_are_keyed_by_their_numbers(self) -> None:
        self.client.post(SELFCHECK, sheet(age_band="7", municipality="142051", helps="1　３、10"))
        response = SelfCheckResponse.objects.get()
        self.assertEqual(response.age_band, "70s")
        self.assertEqual(response.municipality_id, "142051")
        self.assertEqual(response.help_codes, ["talk", "place", "learning"])

    def test_the_municipality_may_be_keyed_by_name_or_by_five_digits(self) -> None:
        self.client.post(SELFCHECK, sheet(municipality="藤沢"))
        self.client.post(SELFCHECK, sheet(municipality="14205"))
        self.assertEqual(
            list(SelfCheckResponse.objects.values_list("municipality_id", flat=True)),
            ["142051", "142051"],
        )

    def test_an_out_of_range_number_is_kept_with_the_error_next_to_it(self) -> None:
        r = self.client.post(SELFCHECK, sheet(ucla_2="5", municipality="藤沢市"))
        self.assertEqual(r.status_code, 200)
        self.assertFalse(SelfCheckResponse.objects.exists())
        form = r.context["form"]
        self.assertEqual(form.errors["ucla_2"], ["1〜4の番号を1つ入力してください。"])
        self.assertContains(r, 'id="id_ucla_2_error"')
        self.assertContains(r, 'value="5"')
        self.assertContains(r, 'value="藤沢市"')
        self.assertIs(form.fields["ucla_2"].widget.attrs.get("autofocus"), True)
        self.assertNotIn("autofocus", form.fields["ucla_1"].widget.attrs)

    def test_a_required_answer_cannot_be_blank_but_optional_ones_can(self) -> None:
        r = self.client.post(SELFCHECK, sheet(direct="", age_band="", helps=""))
        self.assertEqual(list(r.context["form"].errors), ["direct"])

    def test_helps_need_separators_and_known_numbers(self) -> None:
        r = self.client.post(SELFCHECK, sheet(helps="135"))
        self.assertIn("スペースで区切って", r.context["form"].errors["helps"][0])
        r = self.client.post(SELFCHECK, sheet(municipality="大阪市"))
        self.assertIn("団体コード", r.context["form"].errors["municipality"][0])

    def test_a_future_day_is_refused(self) -> None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        r = self.client.post(SELFCHECK, sheet(answered_on=tomorrow.isoformat()))
        self.assertIn("answered_on", r.context["form"].errors)

    def test_after_saving_the_next_sheet_keeps_the_day_and_counts_on(self) -> None:
        r = self.client.post(SELFCHECK, sheet(wording="easy"), follow=True)
        self.assertEqual(r.redirect_chain[-1][0], f"{SELFCHECK}?date=2025-05-10&wording=easy")
        self.assertContains(r, "1件目を保存しました。")
        form = r.context["form"]
        self.assertEqual(form["answered_on"].value(), dt.date(2025, 5, 10))
        self.assertEqual(form["wording"].value(), "easy")
        self.assertIsNone(form["ucla_1"].value())
        r = self.client.post(SELFCHECK, sheet(wording="easy", ucla_1="4"), follow=True)
        self.assertContains(r, "2件目を保存しました。")
        self.assertEqual(
            r.context["recent"], [[2, "4 / 3 / 1 / 4 / - / -"], [1, "2 / 3 / 1 / 4 / - / -"]]
        )
        self.assertEqual(
            list(SelfCheckResponse.objects.values_list("wording", flat=True)), ["easy", "easy"]
        )

    def test_municipality_officers_and_the_secretariat_key_sheets_too(self) -> None:
        for user in (self.officer, self.secretariat):
            self.login(user)
            self.assertEqual(self.client.post(SELFCHECK, sheet()).status_code, 302)
        self.assertEqual(SelfCheckResponse.objects.filter(channel=Channel.PAPER).count(), 2)


class UndoLastSheetTest(BaseTestCase):
    """A sheet keyed by mistake is taken back at once, with its count in the aggregates."""

    def setUp(self) -> None:
        self.login(self.staff)

    def test_the_last_keyed_self_check_is_taken_back_with_its_tally(self) -> None:
        self.client.post(SELFCHECK, sheet())
        self.client.post(SELFCHECK, sheet(direct="5"))
        page = self.client.get(SELFCHECK)
        self.assertContains(page, "2件目の入力を取り消す")
        r = self.client.post(SELFCHECK, {"undo": "1", "answered_on": "2025-05-10"}, follow=True)
        self.assertContains(r, "2件目の入力を取り消しました")
        self.assertEqual(list(SelfCheckResponse.objects.values_list("direct", flat=True)), [4])
        tallies = list(SelfCheckTally.objects.values_list("direct", "n"))
        self.assertEqual(tallies, [(4, 1)])
        self.assertEqual(r.context["next_number"], 2)  # the retyped sheet is number 2 again
        # Only the last sheet, and only once.
        self.assertNotContains(r, "件目の入力を取り消す</button>")
        again = self.client.post(SELFCHECK, {"undo": "1"}, follow=True)
        self.assertContains(again, "取り消せる用紙はありません")
        self.assertEqual(SelfCheckResponse.objects.count(), 1)

    def test_taking_back_one_of_two_identical_sheets_leaves_a_count_of_one(self) -> None:
        self.client.post(SELFCHECK, sheet())
        self.client.post(SELFCHECK, sheet())
        self.client.post(SELFCHECK, {"undo": "1"})
        self.assertEqual(list(SelfCheckTally.objects.values_list("n", flat=True)), [1])

    def test_another_persons_session_cannot_take_back_a_sheet(self) -> None:
        self.client.post(SELFCHECK, sheet())
        self.login(self.secretariat)
        self.client.post(SELFCHECK, {"undo": "1"})
        self.assertEqual(SelfCheckResponse.objects.count(), 1)

    def test_the_last_keyed_campaign_sheet_is_taken_back(self) -> None:
        campaign = paper_campaign(self.organization, codes=("direct",))
        url = f"/surveys/{campaign.pk}/entry/"
        direct = campaign.entries.get().item_id
        self.client.post(url, {"answered_on": "2025-05-10", "wording": "ja", f"item_{direct}": "2"})
        self.client.post(url, {"undo": "1"})
        self.assertFalse(CampaignResponse.objects.exists())


class CampaignEntryTest(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.staff)

    def url(self, campaign: Campaign) -> str:
        return f"/surveys/{campaign.pk}/entry/"

    def answers(self, campaign: Campaign, value: str = "2") -> dict[str, Any]:
        data: dict[str, Any] = {"answered_on": "2025-05-10", "wording": "ja"}
        data.update({f"item_{e.item_id}": value for e in campaign.entries.all()})
        return data

    def test_a_sheet_is_stored_item_by_item_as_paper(self) -> None:
        campaign = paper_campaign(self.organization, codes=("direct", "kanagawa_satisfaction"))
        _direct, satisfaction = (e.item for e in campaign.entries.select_related("item"))
        data = self.answers(campaign)
        data[f"item_{satisfaction.pk}"] = "７"
        self.assertEqual(self.client.post(self.url(campaign), data).status_code, 302)
        response = CampaignResponse.objects.get()
        self.assertEqual(response.channel, Channel.PAPER)
        self.assertEqual((response.phase, response.pair_key), ("", ""))
        self.assertEqual(
            dict(CampaignAnswer.objects.values_list("item__code", "value")),
            {"direct": 2, "kanagawa_satisfaction": 7},
        )

    def test_a_blank_satisfaction_answer_is_stored_as_no_answer(self) -> None:
        campaign = paper_campaign(self.organization, codes=("direct", "kanagawa_satisfaction"))
        data = self.answers(campaign)
        satisfaction = Item.objects.get(code="kanagawa_satisfaction")
        data[f"item_{satisfaction.pk}"] = ""
        self.assertEqual(self.client.post(self.url(campaign), data).status_code, 302)
        self.assertEqual(CampaignAnswer.objects.get(item=satisfaction).value, 7)  # 無回答

    def test_a_question_skipped_on_paper_is_keyed_blank_and_stored_as_no_answer(self) -> None:
        campaign = paper_campaign(self.organization, codes=("ucla_1", "direct"))
        ucla_1 = Item.objects.get(code="ucla_1")
        data = self.answers(campaign, "3") | {f"item_{ucla_1.pk}": ""}
        self.assertEqual(self.client.post(self.url(campaign), data).status_code, 302)
        self.assertEqual(
            dict(CampaignAnswer.objects.values_list("item__code", "value")), {"direct": 3}
        )

    def test_an_option_a_question_does_not_have_is_refused(self) -> None:
        campaign = paper_campaign(self.organization, codes=("ucla_1",))
        r = self.client.post(self.url(campaign), self.answers(campaign, "5"))
        self.assertEqual(r.status_code, 200)
        self.assertFalse(CampaignResponse.objects.exists())

    def test_before_after_sheets_store_the_phase_and_the_code_as_a_pair_key(self) -> None:
        campaign = paper_campaign(self.organization, before_after=True)
        data = self.answers(campaign) | {"phase": "1", "code": "さくら７"}
        self.assertEqual(self.client.post(self.url(campaign), data).status_code, 302)
        data = self.answers(campaign, "1") | {"phase": "２", "code": "さくら7"}
        self.assertEqual(self.client.post(self.url(campaign), data).status_code, 302)
        before, after = CampaignResponse.objects.order_by("-phase")  # keys are random
        self.assertEqual((before.phase, after.phase), ("before", "after"))
        self.assertEqual(before.pair_key, services.pair_key(campaign.pk, "さくら7"))
        self.assertEqual(before.pair_key, after.pair_key)

    def test_the_same_code_twice_in_one_phase_is_shown_next_to_the_code(self) -> None:
        campaign = paper_campaign(self.organization, before_after=True)
        data = self.answers(campaign) | {"phase": "1", "code": "ひまわり"}
        self.client.post(self.url(campaign), data)
        r = self.client.post(self.url(campaign), data)
        self.assertEqual(r.status_code, 200)
        self.assertIn("もう入力されています", r.context["form"].errors["code"][0])
        self.assertContains(r, 'value="ひまわり"')
        self.assertEqual(CampaignResponse.objects.count(), 1)

    def test_the_phase_is_required_on_a_before_after_sheet(self) -> None:
        campaign = paper_campaign(self.organization, before_after=True)
        r = self.client.post(self.url(campaign), self.answers(campaign) | {"phase": ""})
        self.assertIn("phase", r.context["form"].errors)

    def test_staff_of_another_member_cannot_key_sheets(self) -> None:
        campaign = paper_campaign(self.organization)
        self.login(self.other_staff)
        r = self.client.post(self.url(campaign), self.answers(campaign))
        self.assertEqual(r.status_code, 403)
        self.login(self.officer)
        self.assertEqual(self.client.get(self.url(campaign)).status_code, 403)
        self.assertFalse(CampaignResponse.objects.exists())

    def test_the_secretariat_keys_sheets_of_any_campaign(self) -> None:
        campaign = paper_campaign(None)
        self.login(self.secretariat)
        self.assertEqual(
            self.client.post(self.url(campaign), self.answers(campaign)).status_code, 302
        )
        self.login(self.staff)
        self.assertEqual(self.client.get(self.url(campaign)).status_code, 403)
