"""The printable questionnaires: a real PDF with the Japanese font embedded, the
questions and numbered options in large type, やさしい日本語 on request."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.checks import Warning
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from tsunagari.lib import pdf as fonts
from tsunagari.surveys import checks, pdf
from tsunagari.surveys.items import STANDARD_ITEMS, Wording
from tsunagari.surveys.models import AgeBand, Help, Item
from tsunagari.surveys.tests.test_paper_entry import paper_campaign
from tsunagari.test import BaseTestCase

NOTO = pdf.STANDARD_FONT_PLACES[0]


def page_count(body: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", body))


class FontTest(SimpleTestCase):
    def setUp(self) -> None:
        pdf.find_font.cache_clear()
        self.addCleanup(pdf.find_font.cache_clear)

    def test_it_picks_the_japanese_face_of_the_noto_collection(self) -> None:
        font = pdf.find_font()
        assert font is not None
        self.assertEqual(font.regular, pdf.FontFace(NOTO, 0))
        self.assertEqual(font.bold, pdf.FontFace(NOTO.replace("Regular", "Bold"), 0))

    def test_it_uses_the_configured_font_alone(self) -> None:
        bold = NOTO.replace("Regular", "Bold")
        with override_settings(SURVEY_PDF_FONT=bold):
            font = pdf.find_font()
        assert font is not None
        self.assertEqual(font.regular.path, bold)

    def test_the_check_warns_when_the_configured_font_is_missing(self) -> None:
        with override_settings(SURVEY_PDF_FONT="/nowhere/font.ttc"):
            messages = checks.check_pdf_font()
        self.assertEqual([m.id for m in messages], ["tsunagari.surveys.W001"])
        self.assertIsInstance(messages[0], Warning)
        self.assertIn("SURVEY_PDF_FONT", messages[0].hint or "")

    def test_the_check_names_the_package_when_no_font_is_installed(self) -> None:
        with mock.patch.object(fonts, "font_candidates", return_value=iter(["/nowhere.ttc"])):
            messages = checks.check_pdf_font()
        self.assertEqual([m.id for m in messages], ["tsunagari.surveys.W001"])
        self.assertIn("fonts-noto-cjk", messages[0].hint or "")

    def test_the_check_is_quiet_with_the_font_installed(self) -> None:
        self.assertEqual(checks.check_pdf_font(), [])

    def test_a_font_without_japanese_is_not_taken(self) -> None:
        dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        if not dejavu.exists():
            self.skipTest("DejaVu is not installed")
        self.assertIsNone(pdf.japanese_face(str(dejavu)))


class WrapTest(SimpleTestCase):
    """Line breaking, with one character = 1 unit of width."""

    def wrap(self, text: str, width: int) -> list[str]:
        return pdf.wrap(text, width, len)

    def test_closing_punctuation_never_starts_a_line(self) -> None:
        lines = self.wrap("あいうえおかきくけ。こさしすせそたちつてと", 9)
        self.assertEqual(lines[0], "あいうえおかきくけ。")
        self.assertFalse(any(line[:1] in "。、」" for line in lines))

    def test_an_opening_bracket_stays_with_what_follows(self) -> None:
        lines = self.wrap("あいうえおかきく「けこ」さしすせそたちつてとなにぬね", 9)
        self.assertFalse(any(line.endswith("「") for line in lines), lines)

    def test_it_breaks_at_spaces_when_the_text_has_them(self) -> None:
        lines = self.wrap("わたしは ともだちと はなしを します", 12)
        self.assertEqual(lines, ["わたしは ともだちと", "はなしを します"])

    def test_two_characters_are_not_left_alone_on_the_last_line(self) -> None:
        lines = self.wrap("あなたは、自分には人とのつきあいが無いと感じることがありますか。", 30)
        self.assertGreaterEqual(len(lines[-1]), 4, lines)
        self.assertEqual(
            "".join(lines), "あなたは、自分には人とのつきあいが無いと感じることがありますか。"
        )


class SelfCheckPdfTest(SimpleTestCase):
    def setUp(self) -> None:
        # The sheet is printed in the language of the request; these tests read Japanese.
        translation.activate("ja")
        self.addCleanup(translation.deactivate)

    def test_it_prints_the_four_questions_and_the_optional_ones_with_numbers(self) -> None:
        with translation.override("ja"):
            doc = pdf.build(pdf.selfcheck_questionnaire())
        drawn = "\n".join(doc.drawn)
        for code in ("ucla_1", "ucla_2", "ucla_3", "direct"):
            self.assertIn(str(STANDARD_ITEMS[code].text)[:12], drawn)
        self.assertEqual(
            [line for line in doc.drawn if re.fullmatch(r"問\d+", line)],
            [f"問{n}" for n in range(1, 8)],
        )
        self.assertIn("1 決してない", doc.drawn)
        self.assertIn("5 しばしばある・常にある", doc.drawn)
        self.assertIn(f"8 {AgeBand.EIGHTIES.label}", doc.drawn)
        self.assertIn(f"{len(Help.choices)} {Help.LEARNING.label}", doc.drawn)
        self.assertIn("お名前は書かないでください。", doc.drawn)
        self.assertEqual(doc.pages_count, 2)

    def test_the_easy_sheet_prints_the_easy_wording(self) -> None:
        doc = pdf.build(pdf.selfcheck_questionnaire(Wording.EASY))
        drawn = "".join(doc.drawn)
        self.assertIn("とりのこされている", drawn)
        self.assertIn("1 ぜんぜん ない", doc.drawn)
        self.assertNotIn("取り残されている", drawn)

    def test_the_type_is_large_for_older_readers(self) -> None:
        doc = pdf.build(pdf.selfcheck_questionnaire())
        size = dict(zip(doc.drawn, doc.sizes, strict=True))
        self.assertGreaterEqual(size["問1"], 14)
        self.assertGreaterEqual(size["2 ほとんどない"], 13)
        self.assertGreaterEqual(size[f"1 {AgeBand.TEENS.label}"], 13)
        question = next(line for line in doc.drawn if line.startswith("あなたは、自分は取り残"))
        self.assertGreaterEqual(size[question], 14)

    def test_it_is_a_pdf_with_the_noto_japanese_font_embedded(self) -> None:
        body = bytes(pdf.build(pdf.selfcheck_questionnaire()).output())
        self.assertTrue(body.startswith(b"%PDF-"))
        self.assertIn(b"/BaseFont /", body)
        self.assertRegex(body, rb"/FontName /[A-Z]{6}\+NotoSansCJKJP\b")
        self.assertRegex(body, rb"/FontFile3")  # embedded (a CFF subset)
        self.assertIn(b"/MediaBox [0 0 595.28 841.89]", body)  # A4 portrait
        self.assertEqual(page_count(body), 2)

    def test_the_same_sheet_is_laid_out_once(self) -> None:
        questionnaire = pdf.selfcheck_questionnaire()
        first = pdf.render(questionnaire)
        with mock.patch.object(pdf, "build", side_effect=AssertionError("laid out again")):
            self.assertIs(pdf.render(pdf.selfcheck_questionnaire()), first)


class CampaignPdfTest(BaseTestCase):
    def test_it_prints_the_campaign_items_in_order_with_their_numbers(self) -> None:
        own = Item.objects.create(
            kind=Item.Kind.CHOICE,
            text="今日のサロンは楽しかったですか。",
            options=[{"value": 1, "label": "楽しかった"}, {"value": 2, "label": "ふつう"}],
            organization=self.organization,
        )
        campaign = paper_campaign(
            self.organization, codes=("direct", "kanagawa_satisfaction"), extra=(own,)
        )
        doc = pdf.build(pdf.campaign_questionnaire(campaign))
        questions = [line for line in doc.drawn if re.fullmatch(r"問\d+", line)]
        self.assertEqual(questions, ["問1", "問2", "問3"])
        self.assertIn("7 無回答", doc.drawn)
        self.assertIn("1 楽しかった", doc.drawn)
        self.assertIn(campaign.title, doc.drawn)
        joined = "".join(doc.drawn)
        self.assertLess(joined.index("孤独であると"), joined.index("今日のサロン"))
        self.assertNotIn("合言葉", joined)

    def test_a_before_after_sheet_asks_the_phase_and_the_code_first(self) -> None:
        campaign = paper_campaign(self.organization, before_after=True)
        doc = pdf.build(pdf.campaign_questionnaire(campaign))
        joined = "".join(doc.drawn)
        self.assertIn("1 事前（1回目）", doc.drawn)
        self.assertIn("2 事後（2回目）", doc.drawn)
        self.assertIn("誕生日やお名前は使わないでください", joined)
        self.assertLess(joined.index("合言葉"), joined.index("問1"))


class PdfViewTest(BaseTestCase):
    def test_anyone_can_open_the_self_check_sheet_inline(self) -> None:
        r = self.client.get("/selfcheck/paper.pdf")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF-"))
        self.assertEqual(
            r["Content-Disposition"],
            "inline; filename*=utf-8''"
            "%E5%AD%A4%E7%8B%AC%E6%84%9F%E3%82%BB%E3%83%AB%E3%83%95%E3%83%81%E3%82%A7%E3%83%83"
            "%E3%82%AF_%E5%9B%9E%E7%AD%94%E7%94%A8%E7%B4%99.pdf",
        )

    def test_the_easy_wording_is_asked_for_in_the_query(self) -> None:
        with mock.patch.object(pdf, "render", return_value=b"%PDF-") as render:
            self.client.get("/selfcheck/paper.pdf?wording=easy")
        self.assertEqual(render.call_args.args[0].wording, Wording.EASY)

    def test_english_visitors_get_the_english_sheet(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        r = self.client.get("/selfcheck/paper.pdf")
        self.assertIn(b"/Lang (en)", r.content)

    def test_the_campaign_sheet_is_named_after_the_campaign(self) -> None:
        campaign = paper_campaign(self.organization)
        self.login(self.staff)
        r = self.client.get(f"/surveys/{campaign.pk}/paper.pdf")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.content.startswith(b"%PDF-"))
        self.assertIn("filename*=utf-8''%E7%B4%99", r["Content-Disposition"])  # 紙で答える…

    def test_a_secretariat_campaign_is_not_for_member_staff(self) -> None:
        campaign = paper_campaign(None)
        self.login(self.staff)
        self.assertEqual(self.client.get(f"/surveys/{campaign.pk}/paper.pdf").status_code, 403)
        self.login(self.secretariat)
        self.assertEqual(self.client.get(f"/surveys/{campaign.pk}/paper.pdf").status_code, 200)

    def test_without_a_font_it_says_so_instead_of_failing(self) -> None:
        pdf.render.cache_clear()  # a sheet made earlier would still be served
        with mock.patch.object(pdf, "find_font", return_value=None):
            r = self.client.get("/selfcheck/paper.pdf")
        self.assertContains(r, "fonts-noto-cjk", status_code=503)


@override_settings(SITE_URL="https://tsunagari.example.jp")
class HandInAndHelpTest(BaseTestCase):
    """Every sheet says where to hand it in and where to turn for help (110 / 119 and the
    page of consultation lines; no other number that could go out of date)."""

    def lines_after_thanks(self, doc: pdf.QuestionnairePDF, thanks: str) -> str:
        return "\n".join(doc.drawn[doc.drawn.index(thanks) :])

    def test_the_self_check_sheet_goes_back_where_it_came_from_or_to_the_secretariat(
        self,
    ) -> None:
        with translation.override("ja"):
            doc = pdf.build(pdf.selfcheck_questionnaire())
        end = self.lines_after_thanks(doc, "ご協力ありがとうございました。")
        self.assertIn("用紙の出し方", end)
        self.assertIn("この用紙を受け取った場所", end.replace("\n", ""))
        self.assertIn("かながわつながりネットワーク事務局にお渡しください。", end.replace("\n", ""))
        self.assertIn("困ったとき・相談したいとき", end)
        self.assertIn("110番（警察）・119番（救急）", end.replace("\n", ""))
        self.assertIn("https://tsunagari.example.jp/help/", doc.drawn)

    def test_the_easy_sheet_says_it_in_easy_japanese(self) -> None:
        doc = pdf.build(pdf.selfcheck_questionnaire(Wording.EASY))
        joined = "".join(doc.drawn)
        self.assertIn("かみの だしかた", joined)
        self.assertIn("110ばん（けいさつ）", joined)
        self.assertIn("https://tsunagari.example.jp/help/", doc.drawn)

    def test_a_campaign_sheet_goes_to_the_organiser(self) -> None:
        campaign = paper_campaign(self.organization)
        with translation.override("ja"):
            doc = pdf.build(pdf.campaign_questionnaire(campaign))
        joined = "".join(doc.drawn)
        self.assertIn(f"この調査を行う{self.organization.name}にお渡しください。", joined)
        self.assertIn("https://tsunagari.example.jp/help/", doc.drawn)
        ours = pdf.build(pdf.campaign_questionnaire(paper_campaign(None)))
        self.assertIn("かながわつながりネットワーク事務局にお渡しください。", "".join(ours.drawn))

    def test_the_english_sheet_says_it_in_english(self) -> None:
        campaign = paper_campaign(self.organization)
        with translation.override("en"):
            doc = pdf.build(pdf.campaign_questionnaire(campaign))
        joined = " ".join(doc.drawn)
        self.assertIn("110", joined)
        self.assertIn(self.organization.name, joined)
        self.assertNotIn("お渡しください", joined)
