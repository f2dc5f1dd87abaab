"""The printable list (/resources/print/): one A4 sheet with the search's filters."""

from __future__ import annotations

import re

from tsunagari.directory import search as search_backend
from tsunagari.directory.models import Location
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

URL = "/resources/print/"


def rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><span lang="ja">([^<]+)', html)


class PrintPageTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(18):
            make_resource(
                f"サンプル 居場所{i:02d}",
                schedules=({"frequency": "weekly", "weekdays": "3"},),
                phone="0466-00-0000",
            )
        make_resource("サンプル フードパントリー", kinds=("food",), municipality="141097")
        hidden = make_resource(
            "サンプル 安心スペース", kinds=("food",), address="藤沢市ひみつ町1-1"
        )
        Location.objects.filter(resource=hidden).update(hide_address=True)
        search_backend.reindex_all()

    def test_it_lists_at_most_fifteen_and_says_how_many_there_are(self) -> None:
        r = self.client.get(URL, {"kind": "ibasho"})
        self.assertEqual(len(rows(r.content.decode())), 15)
        self.assertContains(r, "18件のうち15件")

    def test_it_uses_the_search_filters(self) -> None:
        r = self.client.get(URL, {"kind": "food"})
        self.assertEqual(
            sorted(rows(r.content.decode())), ["サンプル フードパントリー", "サンプル 安心スペース"]
        )

    def test_it_shows_the_date_area_schedule_and_phone(self) -> None:
        r = self.client.get(URL, {"q": "居場所01"})
        html = r.content.decode()
        self.assertRegex(html, r"令和\d+年\d+月\d+日 印刷")
        self.assertIn("毎週水曜", html)
        self.assertIn('href="tel:0466000000"', html)
        self.assertIn("藤沢市", html)

    def test_it_never_prints_a_hidden_address(self) -> None:
        r = self.client.get(URL, {"kind": "food"})
        self.assertNotContains(r, "ひみつ町")
        self.assertContains(r, "藤沢市")

    def test_it_has_a_print_button_and_print_styles(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, 'id="print-button"')
        self.assertContains(r, "/static/js/directory-print.js")
