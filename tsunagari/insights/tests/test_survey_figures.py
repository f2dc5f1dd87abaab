"""The secretariat enters each new year of the 県民ニーズ調査, with its source."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tsunagari.audit.models import AuditEvent
from tsunagari.insights.models import SurveyFigure
from tsunagari.test import BaseTestCase

URL = "/secretariat/visible/survey/"


def figure_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "fiscal_year": "2024",
        "fully": "2.1",
        "fairly": "10.0",
        "neutral": "31.5",
        "hardly": "33.0",
        "not_at_all": "19.4",
        "unknown": "3.0",
        "no_answer": "1.0",
        "respondents": "1500",
        "source_name": "【テスト】県民ニーズ調査 令和6年度",
        "source_url": "https://example.jp/needs/r6",
    }
    data.update(overrides)
    return data


class SurveyFigureTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)

    def test_the_list_shows_r5_with_its_source(self) -> None:
        response = self.client.get(URL)
        self.assertContains(response, "令和5年度")
        r5 = SurveyFigure.objects.get(fiscal_year=2023)
        self.assertContains(response, f"<strong>{r5.satisfied}</strong>", html=True)
        self.assertContains(response, r5.source_name)

    def test_adding_a_later_year(self) -> None:
        response = self.client.post(
            URL, figure_data(fully="２．１", fairly="10.0%", source_name="【テスト】　出典")
        )
        self.assertRedirects(response, URL)
        figure = SurveyFigure.objects.get(fiscal_year=2024)
        self.assertEqual((figure.fully, figure.satisfied), (Decimal("2.1"), Decimal("12.1")))
        self.assertEqual(figure.entered_by, self.secretariat)
        self.assertEqual(figure.source_name, "【テスト】 出典")
        event = AuditEvent.objects.for_object(figure).get()
        self.assertEqual(event.action, AuditEvent.Action.CREATE)
        self.assertEqual(event.actor, self.secretariat)
        page = self.client.get(URL)
        self.assertContains(page, "令和6年度")
        self.assertContains(page, 'href="https://example.jp/needs/r6"')

    def test_shares_must_add_up_to_100(self) -> None:
        response = self.client.post(URL, figure_data(neutral="35.5"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "割合の合計が104.0％です", status_code=400)
        self.assertContains(response, 'value="35.5"', status_code=400)  # what was typed stays
        self.assertFalse(SurveyFigure.objects.filter(fiscal_year=2024).exists())
        # Rounding in the source document: 100 ± 0.2 is accepted.
        ok = self.client.post(URL, figure_data(no_answer="1.2"))
        self.assertEqual(ok.status_code, 302)

    def test_the_source_is_required_and_a_year_is_entered_once(self) -> None:
        response = self.client.post(URL, figure_data(source_name=""))
        self.assertContains(response, "出典", status_code=400)
        self.assertEqual(response.context["form"].errors.keys(), {"source_name"})
        response = self.client.post(URL, figure_data(fiscal_year="2023"))
        self.assertEqual(response.context["form"].errors.keys(), {"fiscal_year"})
        self.assertEqual(SurveyFigure.objects.count(), 1)

    def test_only_the_secretariat(self) -> None:
        self.login(self.officer)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.client.post(URL, figure_data()).status_code, 403)
        self.assertFalse(SurveyFigure.objects.filter(fiscal_year=2024).exists())
