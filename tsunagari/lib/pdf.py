"""The Japanese font for every PDF the platform prints (questionnaires, certificates,
flyers, minutes, reports).

Japanese needs a CJK font: Noto Sans CJK JP from the Debian package fonts-noto-cjk,
or the file named by the setting SURVEY_PDF_FONT (surveys/checks.py warns when none is
found). fpdf2 cannot share a loaded font between documents, so each document adds the
faces itself with `add_japanese_fonts`, ideally restricted to the characters it prints.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF

# Where distributions install Noto Sans CJK (Debian/Ubuntu fonts-noto-cjk first).
STANDARD_FONT_PLACES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
)
FONT_PACKAGE = "fonts-noto-cjk"
# A font that draws these draws the questionnaires (kana, the kanji of the items).
JAPANESE_SAMPLE = "あア孤独感満"
FAMILY = "jp"

# Fonts


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int = 0  # the face in a TrueType/OpenType collection (.ttc)


@dataclass(frozen=True)
class JapaneseFont:
    regular: FontFace
    bold: FontFace


def _covers_japanese(font: TTFont) -> bool:
    cmap = font.getBestCmap() or {}
    return all(ord(ch) in cmap for ch in JAPANESE_SAMPLE)


def japanese_face(path: str) -> FontFace | None:
    """The Japanese face of a font file: in a collection, the face named "JP" (not the
    monospaced one), else the first that draws Japanese; None when nothing does."""
    try:
        if Path(path).suffix.lower() in (".ttc", ".otc"):
            faces = TTCollection(path, lazy=True).fonts
        else:
            faces = [TTFont(path, lazy=True)]
    except Exception:  # a missing or broken file: the check reports it
        return None
    names = [str(f["name"].getDebugName(4) or "") for f in faces]
    order = sorted(range(len(faces)), key=lambda i: ("JP" not in names[i], "Mono" in names[i], i))
    for i in order:
        if _covers_japanese(faces[i]):
            return FontFace(path, i)
    return None


def _bold_of(regular: FontFace) -> FontFace:
    """NotoSansCJK-Bold.ttc next to NotoSansCJK-Regular.ttc; else the regular face."""
    name = Path(regular.path).name
    if "Regular" in name:
        sibling = Path(regular.path).with_name(name.replace("Regular", "Bold"))
        if sibling.exists() and (face := japanese_face(str(sibling))):
            return face
    return regular


def _fc_match() -> str:
    """What fontconfig would use for Japanese (it always answers something: the caller
    checks that the file really draws Japanese)."""
    program = shutil.which("fc-match")
    if program is None:
        return ""
    try:
        found = subprocess.run(  # noqa: S603  (a fixed program and arguments)
            [program, "-f", "%{file}", "Noto Sans CJK JP:lang=ja"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip()


def font_candidates() -> Iterator[str]:
    """The setting alone when it is set (a wrong setting must not be papered over);
    else the standard places, then what fontconfig offers."""
    configured = getattr(settings, "SURVEY_PDF_FONT", "")
    if configured:
        yield configured
        return
    yield from STANDARD_FONT_PLACES
    if matched := _fc_match():
        yield matched


@lru_cache(maxsize=1)
def find_font() -> JapaneseFont | None:
    """The Japanese font for the PDFs, looked up once per process."""
    for path in font_candidates():
        if Path(path).is_file() and (face := japanese_face(path)):
            return JapaneseFont(regular=face, bold=_bold_of(face))
    return None


class FontMissing(RuntimeError):
    """No Japanese font: install fonts-noto-cjk or set SURVEY_PDF_FONT."""


def require_font() -> JapaneseFont:
    """The font, or FontMissing (a view answers 503 with the package to install)."""
    font = find_font()
    if font is None:
        raise FontMissing(FONT_PACKAGE)
    return font


def add_japanese_fonts(document: FPDF, text: Iterable[str] = ()) -> None:
    """Add the regular and bold faces as FAMILY to `document`; with `text`, only the
    characters it holds (fpdf2 then reads a few hundred glyphs, not 65,000)."""
    font = require_font()
    used = sorted({ord(ch) for chunk in text for ch in chunk} | set(range(0x20, 0x7F)))
    for style, face in (("", font.regular), ("B", font.bold)):
        document.add_font(
            FAMILY,
            style,
            face.path,
            collection_font_number=face.index,
            unicode_range=used if text else None,
        )
