"""The item bank (項目バンク): standard items and members' own Likert and choice items."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from tsunagari.surveys.models import Item
from tsunagari.surveys.tests.test_campaigns import make_item
from tsunagari.test import BaseTestCase


def item_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "likert",
        "text": "今日の活動で、人とのつながりを感じましたか。",
        "text_en": "",
        "labels": "まったく感じない\nあまり感じない\nどちらともいえない\n少し感じた\nとても感じた",
        "labels_en": "",
        "higher_is_better": "on",
    }
    data.update(overrides)
    return data


class ItemListTest(BaseTestCase):
    def test_standard_items_come_first_then_the_organisations_own(self) -> None:
        make_item(self.organization, text="自団体の項目")
        make_item(self.other_organization, text="他団体の項目")
        self.login(self.staff)
        with self.assertNumQueries(3):
            r = self.client.get("/surveys/items/")
        text = r.content.decode()
        self.assertIn("自団体の項目", text)
        self.assertNotIn("他団体の項目", text)
        positions = [
            text.index(s)
            for s in (
                "人とのつきあいが無い",
                "取り残されている",
                "孤立している",
                "どの程度、孤独",
                "満たされている",
                "自団体の項目",
            )
        ]
        self.assertEqual(positions, sorted(positions))
        # The satisfaction item with its seven options, 分からない and 無回答 included.
        for label in ("十分満たされている", "ほとんど満たされていない", "分からない", "無回答"):
            self.assertIn(label, text)

    def test_the_secretariat_sees_every_organisations_items(self) -> None:
        make_item(self.organization, text="自団体の項目")
        make_item(self.other_organization, text="他団体の項目")
        self.login(self.secretariat)
        r = self.client.get("/surveys/items/")
        self.assertContains(r, "自団体の項目")
        self.assertContains(r, "他団体の項目")

    def test_standard_items_are_shown_from_items_py_not_the_database_row(self) -> None:
        Item.objects.filter(code="direct").update(text="書き換えられた行")
        self.login(self.staff)
        r = self.client.get("/surveys/items/")
        self.assertNotContains(r, "書き換えられた行")
        self.assertContains(r, "あなたはどの程度、孤独であると感じることがありますか。")


class ItemNewTest(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.staff)

    def test_staff_add_a_likert_item_for_their_organisation(self) -> None:
        r = self.client.post("/surveys/items/new/", item_data(text_en="Did you feel connected?"))
        self.assertRedirects(r, "/surveys/items/")
        item = Item.objects.get(code__isnull=True)
        self.assertEqual(item.organization, self.organization)
        self.assertEqual(item.kind, Item.Kind.LIKERT)
        self.assertTrue(item.higher_is_better)
        self.assertEqual(item.text_en, "Did you feel connected?")
        self.assertEqual([o["value"] for o in item.options], [1, 2, 3, 4, 5])
        self.assertEqual(item.options[4]["label"], "とても感じた")
        self.assertEqual(item.scale_version, f"item-{item.pk}")

    def test_lower_is_better_is_kept(self) -> None:
        self.client.post("/surveys/items/new/", item_data(higher_is_better=""))
        self.assertFalse(Item.objects.get(code__isnull=True).higher_is_better)

    def test_widths_and_blank_lines_are_normalised(self) -> None:
        self.client.post(
            "/surveys/items/new/",
            item_data(
                kind="choice",
                text="ＳＮＳで知りましたか？",
                labels="\r\n　はい　\r\n\r\nいいえ\r\n",
            ),
        )
        item = Item.objects.get(code__isnull=True)
        self.assertEqual(item.text, "SNSで知りましたか?")
        self.assertEqual([o["label"] for o in item.options], ["はい", "いいえ"])

    def test_likert_needs_three_to_seven_points_and_keeps_the_input(self) -> None:
        for labels, ok in [
            ("a\nb", False),
            ("a\nb\nc", True),
            ("\n".join("abcdefg"), True),
            ("\n".join("abcdefgh"), False),
        ]:
            with self.subTest(labels=labels):
                r = self.client.post(
                    "/surveys/items/new/", item_data(labels=labels, text=f"質問{labels[:3]}")
                )
                self.assertEqual(r.status_code, 302 if ok else 400)
                if not ok:
                    self.assertContains(r, "3〜7行で入力してください", status_code=400)
                    self.assertContains(r, f"質問{labels[:3]}", status_code=400)

    def test_choice_needs_two_to_ten_options(self) -> None:
        for count, ok in [(1, False), (2, True), (10, True), (11, False)]:
            with self.subTest(count=count):
                labels = "\n".join(f"選択肢{i}" for i in range(count))
                r = self.client.post("/surveys/items/new/", item_data(kind="choice", labels=labels))
                self.assertEqual(r.status_code, 302 if ok else 400)

    def test_duplicate_options_and_mismatched_english_are_refused(self) -> None:
        r = self.client.post("/surveys/items/new/", item_data(labels="はい\nいいえ\nはい"))
        self.assertContains(r, "同じ選択肢が2回あります。", status_code=400)
        r = self.client.post("/surveys/items/new/", item_data(labels_en="Yes\nNo"))
        self.assertContains(r, "英語の選択肢は、日本語と同じ数にしてください。", status_code=400)
        self.assertFalse(Item.objects.filter(code__isnull=True).exists())

    def test_the_question_text_is_required(self) -> None:
        r = self.client.post("/surveys/items/new/", item_data(text="  "))
        self.assertContains(r, "質問文を入力してください。", status_code=400)

    def test_english_text_is_shown_to_english_respondents(self) -> None:
        from tsunagari.surveys import campaigns

        item = make_item(self.organization, text_en="Did you enjoy it?")
        item.options[0]["label_en"] = "Not at all"
        with translation.override("en"):
            shown = campaigns.question(item, "en")
        self.assertEqual(shown.text, "Did you enjoy it?")
        self.assertEqual(shown.options[0], (1, "Not at all"))
        self.assertEqual(shown.options[1], (2, "あまり"))  # no English given: Japanese

    def test_the_secretariats_items_belong_to_no_organisation(self) -> None:
        self.login(self.secretariat)
        self.client.post("/surveys/items/new/", item_data())
        self.assertIsNone(Item.objects.get(code__isnull=True).organization)
