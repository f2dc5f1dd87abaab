"""The minutes of a meeting as a PDF (A4, Japanese font embedded): title, 和暦 date,
attending organisations and count, agenda, minutes, decisions and action items."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tsunagari.core.templatetags.wareki import wareki, wareki_datetime
from tsunagari.lib.pdf import FAMILY, add_japanese_fonts

MARGIN = 18


def texts(context: dict[str, Any]) -> list[tuple[str, float, bool]]:
    """Every block the PDF prints, in order: (text, size, bold)."""
    meeting = context["meeting"]
    blocks: list[tuple[str, float, bool]] = [
        (_("かながわつながりネットワーク　議事録"), 10, False),
        (meeting.title, 17, True),
        (
            wareki_datetime(meeting.starts_at)
            + "〜"
            + timezone.localtime(meeting.ends_at).strftime("%H:%M"),
            11,
            False,
        ),
    ]
    if meeting.confidential:
        blocks.append((_("取扱注意：出席した団体と事務局だけが読めます。"), 10, True))
    blocks.append((_("出席者数：%(count)d人") % {"count": meeting.attendee_count or 0}, 11, False))
    blocks.append((_("出席した団体"), 13, True))
    blocks.append(("、".join(o.name for o in context["attending"]) or _("記録なし"), 11, False))
    if context["agenda"]:
        blocks.append((_("議題"), 13, True))
        for n, item in enumerate(context["agenda"], start=1):
            who = item.presenter or (item.organization.name if item.organization else "")
            blocks.append((f"{n}. {item.title}" + (f"（{who}）" if who else ""), 11, False))
    blocks.append((_("議事録"), 13, True))
    blocks.append((meeting.minutes, 11, False))
    if meeting.decisions:
        blocks.append((_("決定事項"), 13, True))
        blocks.append((meeting.decisions, 11, False))
    if context["actions"]:
        blocks.append((_("アクションアイテム"), 13, True))
        for item in context["actions"]:
            owner = item.owner_organization.name if item.owner_organization else _("事務局")
            if item.owner_name:
                owner += f" {item.owner_name}"
            blocks.append(
                (
                    _("・%(text)s（担当：%(owner)s、期限：%(due)s）")
                    % {"text": item.text, "owner": owner, "due": wareki(item.due_on)},
                    11,
                    False,
                )
            )
    return blocks


class MinutesPDF(FPDF):
    def __init__(self, blocks: list[tuple[str, float, bool]], title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.drawn: list[str] = []
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        add_japanese_fonts(self, [b[0] for b in blocks])
        self.set_title(title)
        self.set_lang("en" if (get_language() or "").startswith("en") else "ja")
        self.set_creator("Tsunagari")


def build(context: dict[str, Any]) -> MinutesPDF:
    blocks = texts(context)
    doc = MinutesPDF(blocks, context["meeting"].title)
    doc.add_page()
    width = doc.w - 2 * MARGIN
    for text, size, bold in blocks:
        if bold and size >= 13:
            doc.ln(2)
        doc.set_font(FAMILY, "B" if bold else "", size)
        doc.multi_cell(width, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.ln(1)
        doc.drawn.append(text)
    return doc


def render(context: dict[str, Any]) -> bytes:
    return bytes(build(context).output())
