from __future__ import annotations

from tsunagari.awareness.models import AwarenessItem
from tsunagari.awareness.tests.factory import make_item
from tsunagari.test import BaseTestCase

LIST = "/secretariat/awareness-month/"


def item_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": "【テスト】県の啓発イベント",
        "kind": "prefecture_event",
        "starts_on": "2027-05-16",
        "ends_on": "2027-05-16",
        "description": "パネル展示",
        "url": "https://example.org/test/event/",
        "source": "県の発表資料（テスト）",
    }
    data.update(overrides)
    return data


class ItemListTest(BaseTestCase):
    def test_the_secretariat_sees_every_item_with_its_source(self) -> None:
        make_item()
        self.login(self.secretariat)
        r = self.client.get(LIST)
        self.assertContains(r, "【テスト】月間の特別電話相談")
        self.assertContains(r, "テスト用の出典")

    def test_staff_and_officers_may_not(self) -> None:
        for user in (self.staff, self.officer):
            self.login(user)
            self.assertEqual(self.client.get(LIST).status_code, 403)


class ItemNewTest(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)

    def test_it_adds_an_item_with_normalised_text(self) -> None:
        r = self.client.post(LIST + "new/", item_data(title="【テスト】ＡＢＣイベント"))
        self.assertRedirects(r, LIST)
        item = AwarenessItem.objects.get()
        self.assertEqual(item.title, "【テスト】ABCイベント")
        self.assertEqual(item.source, "県の発表資料(テスト)")  # normalised

    def test_an_item_without_a_source_is_refused_and_keeps_what_was_typed(self) -> None:
        r = self.client.post(LIST + "new/", item_data(source=""))
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "【テスト】県の啓発イベント", status_code=400)
        self.assertFalse(AwarenessItem.objects.exists())

    def test_an_end_before_the_start_is_refused(self) -> None:
        r = self.client.post(LIST + "new/", item_data(ends_on="2027-05-01"))
        self.assertContains(r, "終了日は開始日より後にしてください。", status_code=400)


class ItemEditDeleteTest(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)
        self.item = make_item()

    def test_it_changes_an_item(self) -> None:
        r = self.client.post(f"{LIST}{self.item.pk}/edit/", item_data(title="【テスト】変更後"))
        self.assertRedirects(r, LIST)
        self.item.refresh_from_db()
        self.assertEqual(self.item.title, "【テスト】変更後")

    def test_it_removes_an_item_and_a_second_removal_is_told_kindly(self) -> None:
        url = f"{LIST}{self.item.pk}/delete/"
        self.client.post(url)
        self.assertFalse(AwarenessItem.objects.exists())
        r = self.client.post(url, follow=True)
        self.assertContains(r, "この取組はすでに削除されていました。")

    def test_a_change_to_an_item_shows_on_the_cached_may_page_at_once(self) -> None:
        self.client.logout()
        first = self.client.get("/awareness-month/2027/")
        self.assertContains(first, "【テスト】月間の特別電話相談")
        self.item.title = "【テスト】名前を変えた窓口"
        self.item.save()
        r = self.client.get("/awareness-month/2027/")
        self.assertContains(r, "【テスト】名前を変えた窓口")
