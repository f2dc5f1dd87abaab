"""Printable questionnaires (紙の調査票) for people who prefer paper, often older people.

Large type (questions 15 pt, options 14 pt), square tick boxes with the option's number
printed beside each (staff key the paper answers by typing those numbers, see
paper_forms.py), A4 portrait, the title on every page and page numbers.

A `Questionnaire` is plain, hashable data built from the self-check's standard items or
a campaign's items; the same object lays out the PDF and the keyed-entry form, so their
numbering cannot drift apart. Rendering is memoised by that value: fpdf2 cannot share a
loaded font between documents (each document subsets its own copy of the font in
place), so what is kept between requests is the finished PDF of each distinct
questionnaire, not the font.

The Japanese font is found by tsunagari.lib.pdf (shared with the other PDFs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tsunagari.lib.pdf import (  # noqa: F401  (re-exported: checks, views and tests use them here)
    FAMILY,
    FONT_PACKAGE,
    STANDARD_FONT_PLACES,
    FontFace,
    FontMissing,
    JapaneseFont,
    find_font,
    japanese_face,
)
from tsunagari.surveys import campaigns
from tsunagari.surveys.items import STANDARD_ITEMS, UCLA_CODES, Wording
from tsunagari.surveys.models import AgeBand, Campaign, Help

QUESTION_PT = 15
OPTION_PT = 14
BODY_PT = 13
SMALL_PT = 11
BOX_MM = 7.0  # a tick box big enough for an unsteady hand
LINE_FACTOR = 1.55  # line height / font size
PT_MM = 25.4 / 72


# What is printed


@dataclass(frozen=True)
class Question:
    key: str  # the form field that keys it: "ucla_1", "item_12", "age_band", …
    number: int  # 問1, 問2, … as printed
    text: str
    options: tuple[tuple[int, str], ...] = ()  # (the number printed, its label)
    optional: bool = False
    multiple: bool = False  # いくつでも
    write_in: bool = False  # a box to write in (the municipality), no options


@dataclass(frozen=True)
class Questionnaire:
    title: str
    description: str
    questions: tuple[Question, ...]
    wording: str = Wording.JA
    before_after: bool = False  # print the phase (事前/事後) and the code boxes first
    language: str = "ja"  # part of the memo key: the printed instructions are translated
    hand_in: str = ""  # where to hand the filled-in sheet in
    get_help: str = ""  # where to turn when help is needed now


# The secretariat, who runs the self-check and its own campaigns.
def _secretariat() -> str:
    return _("かながわつながりネットワーク事務局")


def help_url() -> str:
    """The page of emergency numbers and national consultation lines."""
    return f"{settings.SITE_URL}/help/"


def _get_help(wording: str) -> str:
    """110 / 119 and where the consultation lines are, the address on a line of its own;
    no other number is printed, so nothing on paper can go out of date."""
    if wording == Wording.EASY:
        text = (
            "いますぐ たすけが ひつような ときは、110ばん（けいさつ）か 119ばん"
            "（きゅうきゅうしゃ）に でんわ して ください。そうだん できる ところは、"
            "したの ホームページに のっています。"
        )
    else:
        text = _(
            "いますぐ助けが必要なときは、110番（警察）・119番（救急）に電話してください。"
            "相談できる窓口は、下のウェブサイトに載っています。"
        )
    return f"{text}\n{help_url()}"


def _option_label(option: Any, wording: str) -> str:
    return option.easy if wording == Wording.EASY else str(option.label)


def standard_question(code: str, number: int, wording: str, key: str = "") -> Question:
    item = STANDARD_ITEMS[code]
    text = item.easy if wording == Wording.EASY else str(item.text)
    options = tuple((o.value, _option_label(o, wording)) for o in item.options)
    return Question(key or code, number, text, options)


def selfcheck_questionnaire(wording: str = Wording.JA) -> Questionnaire:
    """The self-check on paper: the three indirect items and the direct question, then
    the optional age band, municipality (written in) and what would help."""
    questions = [
        standard_question(code, n, wording) for n, code in enumerate((*UCLA_CODES, "direct"), 1)
    ]
    easy = wording == Wording.EASY
    questions += [
        Question(
            "age_band",
            5,
            "あなたの ねんだいを えらんでください。"
            if easy
            else _("あなたの年代を教えてください。"),
            tuple((n, str(label)) for n, label in enumerate(AgeBand.labels, 1)),
            optional=True,
        ),
        Question(
            "municipality",
            6,
            "すんでいる 市・町・村を かいてください。"
            if easy
            else _("お住まいの市区町村を書いてください。"),
            optional=True,
            write_in=True,
        ),
        Question(
            "helps",
            7,
            "あると よいものに ✓を つけてください。いくつ えらんでも よいです。"
            if easy
            else _("あるとよいと思うものに、いくつでも✓をつけてください。"),
            tuple((n, str(label)) for n, label in enumerate(Help.labels, 1)),
            optional=True,
            multiple=True,
        ),
    ]
    return Questionnaire(
        title="さびしさの チェック" if easy else _("孤独感のセルフチェック"),
        description=(
            "いまの あなたの きもちに ちかいものを えらんで ください。"
            "ただしい こたえや まちがった こたえは ありません。"
            if easy
            else _(
                "最近のご自分の気持ちに近いものを選んでください。"
                "正しい答えや間違った答えはありません。"
            )
        ),
        questions=tuple(questions),
        wording=wording,
        language=translation.get_language() or "ja",
        hand_in=(
            "かいた かみは、この かみを もらった ところか、かながわ つながり ネットワークの"
            " じむきょくに わたして ください。"
            if easy
            else _(
                "記入した用紙は、この用紙を受け取った場所（窓口や催しの受付など）か、"
                "%(secretariat)sにお渡しください。"
            )
            % {"secretariat": _secretariat()}
        ),
        get_help=_get_help(wording),
    )


def campaign_questionnaire(campaign: Campaign, wording: str = Wording.JA) -> Questionnaire:
    """A campaign's items in their order, worded as the web form words them (one query,
    and one for the organiser unless the campaign was read with it)."""
    organiser = campaign.organization.name if campaign.organization else _secretariat()
    shown = [campaigns.question(entry.item, wording) for entry in campaigns.entries_of(campaign)]
    questions = tuple(
        Question(q.field_name, n, q.text, tuple(q.options), optional=q.optional)
        for n, q in enumerate(shown, 1)
    )
    return Questionnaire(
        title=campaign.title,
        description=campaign.description,
        questions=questions,
        wording=wording,
        before_after=campaign.before_after,
        language=translation.get_language() or "ja",
        hand_in=(
            f"かいた かみは、{organiser} に わたして ください。"
            if wording == Wording.EASY
            else _("記入した用紙は、この調査を行う%(organiser)sにお渡しください。")
            % {"organiser": organiser}
        ),
        get_help=_get_help(wording),
    )


# Line breaking


# 行頭禁則: characters that must not begin a line (they hang at the end of the previous).
_NO_LINE_START = frozenset(
    "、。，．,.)）」』】〕〉》ー・：；！？!?ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜"
)
# 行末禁則: opening brackets stay with what follows.
_NO_LINE_END = frozenset("（(「『【〔〈《")


def wrap(text: str, width: float, width_of: Callable[[str], float]) -> list[str]:
    """Break text into lines no wider than `width`: at a space when the line has one
    (やさしい日本語 and English separate words), else between characters, keeping
    closing punctuation off the start of a line and opening brackets off its end."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if not line or width_of(line + ch) <= width or ch in _NO_LINE_START:
                line += ch
                continue
            cut = line.rfind(" ")
            if ch == " ":
                lines.append(line)
                line = ""
            elif cut > 0:
                lines.append(line[:cut])
                line = line[cut + 1 :] + ch
            elif line[-1] in _NO_LINE_END and len(line) > 1:
                lines.append(line[:-1])
                line = line[-1] + ch
            else:
                lines.append(line)
                line = ch
        lines.append(line)
        _avoid_short_last_line(lines)
    return [line.strip() for line in lines]


def _avoid_short_last_line(lines: list[str]) -> None:
    """ "か。" alone on a line reads badly: move a few characters of a Japanese line
    (one without spaces) down to join it."""
    if len(lines) < 2 or len(lines[-1]) > 2 or " " in lines[-2] or len(lines[-2]) < 8:
        return
    moved = 4 - len(lines[-1])
    while moved < len(lines[-2]) - 4 and (
        lines[-2][-moved] in _NO_LINE_START or lines[-2][-moved - 1] in _NO_LINE_END
    ):
        moved += 1
    lines[-2], lines[-1] = lines[-2][:-moved], lines[-2][-moved:] + lines[-1]


# Layout


def _instructions(wording: str) -> dict[str, str]:
    if wording == Wording.EASY:
        return {
            "anonymous": "なまえは かかないで ください。",
            "how": "あてはまる ばんごうの □に ✓を 1つ つけてください。",
            "optional": "（こたえなくても よいです）",
            "thanks": "ありがとう ございました。",
            "hand_in": "かみの だしかた",
            "get_help": "こまった とき",
            "phase": "いつの こたえですか。",
            "code": "あなたが きめた あいことば",
            "code_help": "つぎの ときも おなじ あいことばを かきます。たんじょうびや なまえは"
            " つかわないで ください。",
        }
    return {
        "anonymous": _("お名前は書かないでください。"),
        "how": _("あてはまる番号の□に✓を1つつけてください。"),
        "optional": _("（任意）"),
        "thanks": _("ご協力ありがとうございました。"),
        "hand_in": _("用紙の出し方"),
        "get_help": _("困ったとき・相談したいとき"),
        "phase": _("いつの回答ですか。"),
        "code": _("あなたが決めた合言葉"),
        "code_help": _(
            "2回目にも同じ合言葉を書いていただきます。覚えやすい言葉や数字にしてください。"
            "誕生日やお名前は使わないでください。"
        ),
    }


def phase_question(wording: str) -> Question:
    easy = wording == Wording.EASY
    return Question(
        "phase",
        0,
        _instructions(wording)["phase"],
        (
            (1, "はじめ（1かいめ）" if easy else _("事前（1回目）")),
            (2, "あと（2かいめ）" if easy else _("事後（2回目）")),
        ),
    )


def characters_of(questionnaire: Questionnaire, words: dict[str, str]) -> list[int]:
    """Every character the sheet can print: its texts, the instructions, the phase
    options, the labels of the page (問, 整理番号, …) and printable ASCII."""
    texts = [
        questionnaire.title,
        questionnaire.description,
        questionnaire.hand_in,
        questionnaire.get_help,
        *words.values(),
        *(label for _n, label in phase_question(questionnaire.wording).options),
        _("問%(number)s"),
        _("事務局記入欄　整理番号"),
        "…",
    ]
    for question in questionnaire.questions:
        texts.append(question.text)
        texts.extend(label for _n, label in question.options)
    return sorted({ord(ch) for text in texts for ch in text} | set(range(0x20, 0x7F)))


class QuestionnairePDF(FPDF):
    """One questionnaire on A4. `drawn` keeps every line of text as printed, in order
    (the tests read it; a PDF's text is hard to read back)."""

    def __init__(self, questionnaire: Questionnaire, font: JapaneseFont) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.questionnaire = questionnaire
        self.words = _instructions(questionnaire.wording)
        self.drawn: list[str] = []
        self.sizes: list[float] = []  # the type size of each line in `drawn`
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=20)
        # Only the characters this sheet prints: fpdf2 then reads the metrics of a few
        # hundred glyphs instead of the font's 65,000 (about 0.3 s less per PDF).
        used = characters_of(questionnaire, self.words)
        for style, face in (("", font.regular), ("B", font.bold)):
            self.add_font(
                FAMILY,
                style,
                face.path,
                collection_font_number=face.index,
                unicode_range=used,
            )
        self.set_title(questionnaire.title)
        self.set_lang("en" if questionnaire.language.startswith("en") else "ja")
        self.set_creator("Tsunagari")

    # Page furniture

    def header(self) -> None:
        self.set_font(FAMILY, "", SMALL_PT)
        self.set_text_color(40)
        self.cell(0, 6, self.questionnaire.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(120)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.set_text_color(0)
        self.set_draw_color(0)
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FAMILY, "", SMALL_PT)
        self.cell(0, 8, f"{self.page_no()} / {{nb}}", align="C")

    # Text

    def note(self, text: str) -> None:
        self.drawn.append(text)
        self.sizes.append(self.font_size_pt)

    @property
    def body_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def line_height(self, size: float) -> float:
        return size * PT_MM * LINE_FACTOR

    def lines(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        self.set_font(FAMILY, "B" if bold else "", size)
        return wrap(text, width, self.get_string_width)

    def paragraph(self, text: str, size: float, *, bold: bool = False, indent: float = 0) -> None:
        width = self.body_width - indent
        for line in self.lines(text, size, width, bold):
            self.set_x(self.l_margin + indent)
            self.cell(width, self.line_height(size), line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.note(line)

    # Questions

    def option_columns(self, question: Question, width: float) -> int:
        """As many columns as let every option stand on one line (at most 4), balanced
        so that the last row is not a lone option (4 options: 2 × 2, not 3 + 1)."""
        self.set_font(FAMILY, "", OPTION_PT)
        widest = max(
            BOX_MM + 3 + self.get_string_width(f"{n}  {label}") + 8 for n, label in question.options
        )
        fits = max(1, min(4, len(question.options), int(width // widest)))
        rows = -(-len(question.options) // fits)
        return -(-len(question.options) // rows)

    def question_height(self, question: Question, indent: float) -> float:
        width = self.body_width - indent
        height = len(self.lines(question.text, QUESTION_PT, width)) * self.line_height(QUESTION_PT)
        if question.write_in:
            return height + 20
        columns = self.option_columns(question, width)
        rows = -(-len(question.options) // columns)
        return height + 4 + rows * self.option_row_height() + 6

    def option_row_height(self) -> float:
        return max(BOX_MM, self.line_height(OPTION_PT)) + 3

    def ensure_room(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def question(self, question: Question) -> None:
        indent = 14.0
        self.ensure_room(self.question_height(question, indent) + 4)
        top = self.get_y()
        self.set_font(FAMILY, "B", QUESTION_PT)
        label = _("問%(number)s") % {"number": question.number}
        self.cell(indent, self.line_height(QUESTION_PT), label)
        self.note(label)
        self.set_xy(self.l_margin, top)
        text = question.text
        if question.optional:
            text += self.words["optional"]
        self.paragraph(text, QUESTION_PT, indent=indent)
        self.ln(2)
        if question.write_in:
            self.write_in_box(indent, 110, 13)
        else:
            self.options(question, indent)
        self.ln(5)

    def options(self, question: Question, indent: float) -> None:
        width = self.body_width - indent
        columns = self.option_columns(question, width)
        column_width = width / columns
        row_height = self.option_row_height()
        for i, (number, label) in enumerate(question.options):
            if i % columns == 0:
                if i:
                    self.set_y(self.get_y() + row_height)
                self.ensure_room(row_height)
            x = self.l_margin + indent + (i % columns) * column_width
            self.tick_option(x, self.get_y(), number, label, column_width)
        self.set_y(self.get_y() + row_height)

    def tick_option(self, x: float, y: float, number: int, label: str, width: float) -> None:
        self.set_line_width(0.5)
        self.rect(x, y, BOX_MM, BOX_MM)
        self.set_line_width(0.2)
        text_height = self.line_height(OPTION_PT)
        text_y = y + (BOX_MM - text_height) / 2
        self.set_xy(x + BOX_MM + 2.5, text_y)
        self.set_font(FAMILY, "B", OPTION_PT)
        self.cell(self.get_string_width(f"{number}") + 2.5, text_height, f"{number}")
        self.set_font(FAMILY, "", OPTION_PT)
        room = width - (self.get_x() - x) - 2
        shown = label
        if self.get_string_width(label) > room:  # one column only: shrink rather than clip
            while shown and self.get_string_width(shown + "…") > room:
                shown = shown[:-1]
            shown += "…"
        self.cell(room, text_height, shown)
        self.note(f"{number} {label}")

    def write_in_box(self, indent: float, width: float, height: float) -> None:
        self.set_line_width(0.5)
        self.rect(self.l_margin + indent, self.get_y(), width, height)
        self.set_line_width(0.2)
        self.set_y(self.get_y() + height)

    def before_after_block(self) -> None:
        """The phase (1 事前 / 2 事後) and the participant's own code, framed, first."""
        wording = self.questionnaire.wording
        phase = phase_question(wording)
        top = self.get_y()
        self.set_x(self.l_margin + 4)
        self.paragraph(phase.text, QUESTION_PT, bold=True, indent=4)
        self.ln(1)
        self.options(phase, 8)
        self.ln(2)
        self.paragraph(self.words["code"], QUESTION_PT, bold=True, indent=4)
        self.paragraph(self.words["code_help"], BODY_PT, indent=8)
        self.ln(2)
        self.write_in_box(8, 120, 14)
        self.ln(4)
        self.set_line_width(0.6)
        self.rect(self.l_margin, top - 3, self.body_width, self.get_y() - top + 3)
        self.set_line_width(0.2)
        self.ln(6)

    def build(self) -> QuestionnairePDF:
        q = self.questionnaire
        self.add_page()
        self.set_font(FAMILY, "B", 20)
        for line in self.lines(q.title, 20, self.body_width, bold=True):
            self.cell(0, self.line_height(20), line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.note(line)
        self.ln(2)
        self.paragraph(self.words["anonymous"], BODY_PT + 1, bold=True)
        if q.description:
            self.paragraph(q.description, BODY_PT)
        self.paragraph(self.words["how"], BODY_PT)
        self.ln(6)
        if q.before_after:
            self.before_after_block()
        for question in q.questions:
            self.question(question)
        self.ensure_room(24)
        self.paragraph(self.words["thanks"], BODY_PT)
        self.ln(4)
        for heading, text in (("hand_in", q.hand_in), ("get_help", q.get_help)):
            if text:
                self.ensure_room(self.line_height(BODY_PT) * 3)
                self.paragraph(self.words[heading], BODY_PT, bold=True)
                self.paragraph(text, BODY_PT)
                self.ln(2)
        self.ln(2)
        self.staff_box()
        return self

    def staff_box(self) -> None:
        """整理番号: staff may write the number the entry page gave the sheet."""
        self.set_font(FAMILY, "", SMALL_PT)
        label = _("事務局記入欄　整理番号")
        width = self.get_string_width(label) + 4
        x = self.w - self.r_margin - width - 30
        self.set_x(x)
        self.cell(width, 10, label)
        self.rect(self.get_x(), self.get_y(), 30, 10)
        self.note(label)


def build(questionnaire: Questionnaire) -> QuestionnairePDF:
    """The laid-out document, before output (the tests read `drawn` and `pages`)."""
    font = find_font()
    if font is None:
        raise FontMissing(FONT_PACKAGE)
    return QuestionnairePDF(questionnaire, font).build()


@lru_cache(maxsize=64)
def render(questionnaire: Questionnaire) -> bytes:
    """The PDF bytes, memoised by the questionnaire's content (each distinct one is
    laid out and its font subset once per process; about 50 kB each)."""
    return bytes(build(questionnaire).output())
