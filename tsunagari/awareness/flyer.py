"""The month's one-page flyer as a PDF (A4, Japanese font embedded, QR code to the page).

The same facts as the printable HTML flyer (views.flyer_context): the month's own items,
how many member events each municipality holds, the first few events, the address and
its QR code. Whatever does not fit on the one page is left out, never carried over.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tsunagari.awareness.month import MonthEvent
from tsunagari.directory.recurrence import format_day
from tsunagari.lib.pdf import FAMILY, add_japanese_fonts
from tsunagari.lib.qr import qr_svg

MARGIN = 16
QR_MM = 38
BOTTOM = 297 - MARGIN - QR_MM - 8  # where the QR code block starts


def title_of(year: int) -> str:
    return _("%(year)d年5月は孤独・孤立対策強化月間です") % {"year": year}


def _event_line(event: MonthEvent) -> str:
    where = event.area.label if event.area else _("オンライン")
    return f"{format_day(event.days[0])}　{event.resource.name}（{where}）"


def texts(context: dict[str, Any]) -> dict[str, Any]:
    """Every string the flyer prints, in the reader's language."""
    items = [
        (
            item.title,
            f"{item.get_kind_display()}　{format_day(max(item.starts_on, context['first']))}"
            + (
                "〜" + format_day(item.ends_on)
                if item.ends_on != item.starts_on and item.ends_on.month == 5
                else ""
            ),
        )
        for item in context["items"]
    ]
    counts = [
        _("%(area)s %(count)d件") % {"area": area, "count": count}
        for area, count in context["counts"]
    ]
    if context["other_areas"]:
        counts.append(
            _("ほか%(areas)d地域 %(count)d件")
            % {"areas": context["other_areas"], "count": context["other_count"]}
        )
    return {
        "title": title_of(context["year"]),
        "month": context["month_label"],
        "lead": _(
            "ひとりで抱え込まずに。5月は、県内の構成員団体が居場所やイベントをひらいています。"
            "近くの催しや相談先を、下のQRコードからさがせます。"
        ),
        "items_heading": _("月間の取組"),
        "items": items,
        "events_heading": _("構成員の催し %(count)d件") % {"count": context["total"]},
        "counts": "　".join(counts),
        "highlights": [_event_line(e) for e in context["highlights"]],
        "none": _("催しの情報はまだありません。"),
        "url_label": _("くわしくはこちら"),
        "url": context["url"],
        "sample": _("【サンプル】の付いた情報は表示例です。実在しません。")
        if context.get("has_samples")
        else "",
        "network": _("かながわつながりネットワーク"),
    }


class FlyerPDF(FPDF):
    """A4 portrait, one page. `drawn` keeps every text as printed (the tests read it)."""

    def __init__(self, words: dict[str, Any]) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.drawn: list[str] = []
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        add_japanese_fonts(self, _strings(words))
        self.set_title(words["title"])
        self.set_lang("en" if (get_language() or "").startswith("en") else "ja")
        self.set_creator("Tsunagari")

    @property
    def body_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def text_block(self, text: str, size: float, *, bold: bool = False, gap: float = 1.5) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(self.body_width, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)
        self.drawn.append(text)

    def room_for(self, size: float, lines: int = 1) -> bool:
        return self.get_y() + size * 0.5 * lines < BOTTOM


def _strings(words: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for value in words.values():
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for entry in value:
                found.extend(entry if isinstance(entry, tuple) else [entry])
    return found


def build(context: dict[str, Any]) -> FlyerPDF:
    """The laid-out flyer, before output."""
    words = texts(context)
    doc = FlyerPDF(words)
    doc.add_page()
    doc.text_block(words["network"], 11)
    doc.text_block(words["month"], 14, bold=True, gap=0)
    doc.text_block(words["title"], 22, bold=True, gap=4)
    doc.text_block(words["lead"], 12, gap=5)
    if words["items"]:
        doc.text_block(words["items_heading"], 15, bold=True)
        for title, when in words["items"]:
            if not doc.room_for(12, 3):
                break
            doc.text_block(title, 12, bold=True, gap=0)
            doc.text_block(when, 10.5)
        doc.ln(3)
    doc.text_block(words["events_heading"], 15, bold=True)
    if words["highlights"]:
        if words["counts"]:
            doc.text_block(words["counts"], 10.5, gap=3)
        for line in words["highlights"]:
            if not doc.room_for(11, 2):
                break
            doc.text_block("・" + line, 11, gap=0.5)
    else:
        doc.text_block(words["none"], 11)
    # The address and its QR code, at the foot of the page.
    top = 297 - MARGIN - QR_MM
    doc.image(io.BytesIO(qr_svg(words["url"])), x=MARGIN, y=top, w=QR_MM, h=QR_MM)
    doc.set_xy(MARGIN + QR_MM + 6, top + 4)
    doc.set_font(FAMILY, "B", 13)
    doc.cell(0, 7, words["url_label"], new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.drawn.append(words["url_label"])
    doc.set_font(FAMILY, "", 11)
    doc.cell(0, 7, words["url"], link=words["url"], new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.drawn.append(words["url"])
    if words["sample"]:
        doc.set_font(FAMILY, "", 9)
        doc.multi_cell(doc.w - doc.get_x() - MARGIN, 4.5, words["sample"])
        doc.drawn.append(words["sample"])
    return doc


def render(context: dict[str, Any]) -> bytes:
    return bytes(build(context).output())
