"""Surveys under concurrency (PostgreSQL, real threads): a paper sheet sent twice is stored
once, an undo pressed twice counts down once, and a campaign's answers take turns with
the organiser closing it or changing its items."""

from __future__ import annotations

from django.test import Client

from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of
from tsunagari.surveys.models import (
    CampaignAnswer,
    CampaignResponse,
    Item,
    SelfCheckResponse,
    SelfCheckTally,
)
from tsunagari.surveys.tests.test_campaign_answer import answer_data
from tsunagari.surveys.tests.test_campaigns import answer_all, campaign_data, make_campaign
from tsunagari.surveys.tests.test_paper_entry import SELFCHECK, sheet
from tsunagari.test import sign_in

SHEET_KEY = "a-sheet-key-of-the-page-0001"


class PaperSheetRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.organization = Organization.objects.get(roster_no=13)
        [self.staff] = make_people(1, "staff", User.Role.MEMBER, organization=self.organization)

    def tab(self) -> Client:
        client = Client()
        sign_in(client, self.staff)
        return client

    def test_a_sheet_sent_six_times_at_once_is_stored_once(self) -> None:
        client = self.tab()
        posts = [
            Post(None, SELFCHECK, sheet(sheet=SHEET_KEY), cookies=client.cookies) for _ in range(6)
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 6)
        self.assertEqual(SelfCheckResponse.objects.count(), 1)
        self.assertEqual(SelfCheckTally.objects.get().n, 1)
        said = messages_of(outcomes)
        self.assertEqual(said.count("この用紙はすでに保存されています。次の用紙へ進みます。"), 5)

    def test_different_sheets_at_once_are_each_stored(self) -> None:
        client = self.tab()
        posts = [
            Post(None, SELFCHECK, sheet(sheet=f"{SHEET_KEY}-{n}"), cookies=client.cookies)
            for n in range(6)
        ]
        at_once(posts)
        self.assertEqual(SelfCheckResponse.objects.count(), 6)
        self.assertEqual(SelfCheckTally.objects.get().n, 6)

    def test_an_undo_pressed_twice_at_once_takes_one_sheet_back(self) -> None:
        client = self.tab()
        client.post(SELFCHECK, sheet(sheet=f"{SHEET_KEY}-1"))
        client.post(SELFCHECK, sheet(sheet=f"{SHEET_KEY}-2"))
        self.assertEqual(SelfCheckTally.objects.get().n, 2)
        posts = [Post(None, SELFCHECK, {"undo": "1"}, cookies=client.cookies) for _ in range(4)]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 4)
        self.assertEqual(SelfCheckResponse.objects.count(), 1)
        self.assertEqual(SelfCheckTally.objects.get().n, 1)


class CampaignRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.organization = Organization.objects.get(roster_no=13)
        [self.staff] = make_people(1, "staff", User.Role.MEMBER, organization=self.organization)
        self.campaign = make_campaign(self.organization)

    def test_closing_while_answers_arrive_stores_only_those_thanked(self) -> None:
        answer_all(self.campaign, [2, 2, 2, 2])  # answered before: the items are fixed
        data = campaign_data(
            [e.item for e in self.campaign.entries.all()], before_after="", is_open=""
        )
        answer = answer_data(self.campaign)
        posts = [Post(self.staff, f"/surveys/{self.campaign.pk}/edit/", data)] + [
            Post(None, f"/s/{self.campaign.token}/", answer) for _ in range(9)
        ]
        outcomes = at_once(posts)
        self.assertEqual(outcomes[0].status, 302)
        thanked = [o for o in outcomes[1:] if o.location.endswith("/thanks/")]
        closed = [o for o in outcomes[1:] if o.status == 200]
        self.assertEqual(len(thanked) + len(closed), 9)
        self.assertEqual(CampaignResponse.objects.count(), 1 + len(thanked))
        self.campaign.refresh_from_db()
        self.assertFalse(self.campaign.is_open)

    def test_changing_the_items_while_answers_arrive_keeps_every_answer_whole(self) -> None:
        before = [e.item for e in self.campaign.entries.all()]
        other = list(Item.objects.filter(organization=None).exclude(pk__in=[i.pk for i in before]))[
            :2
        ]
        data = campaign_data(other, before_after="")
        answer = answer_data(self.campaign)
        posts = [Post(self.staff, f"/surveys/{self.campaign.pk}/edit/", data)] + [
            Post(None, f"/s/{self.campaign.token}/", answer) for _ in range(9)
        ]
        outcomes = at_once(posts)
        self.assertTrue(all(o.status in (200, 302) for o in outcomes), outcomes)
        items = set(self.campaign.entries.values_list("item_id", flat=True))
        responses = CampaignResponse.objects.filter(campaign=self.campaign)
        if responses.exists():
            # Answers came first: the items stayed, and the organiser was told why, whether
            # the answer arrived while the edit was being saved or before it was read.
            self.assertEqual(items, {i.pk for i in before})
            told = " ".join(outcomes[0].messages)
            self.assertTrue(
                "最初の回答が届きました" in told or "質問項目は変更していません" in told, told
            )
        for response in responses:
            answered = set(
                CampaignAnswer.objects.filter(response=response).values_list("item_id", flat=True)
            )
            self.assertEqual(answered, items)
