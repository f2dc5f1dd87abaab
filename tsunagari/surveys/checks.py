"""System checks of surveys: the printable questionnaires need a Japanese font."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from tsunagari.surveys import pdf


@register()
def check_pdf_font(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W001: without a Japanese font the paper questionnaires (PDF) cannot be made; the
    rest of the site works, so this is a warning, not an error."""
    pdf.find_font.cache_clear()  # a check run is when a newly installed font should count
    if pdf.find_font() is not None:
        return []
    configured = getattr(settings, "SURVEY_PDF_FONT", "")
    if configured:
        hint = (
            f"SURVEY_PDF_FONT={configured!r} is not a readable font with Japanese glyphs: "
            "point it at a Japanese .ttf/.otf/.ttc file (for example "
            f"{pdf.STANDARD_FONT_PLACES[0]}), or unset it to use the installed one."
        )
    else:
        hint = (
            f"Install the package {pdf.FONT_PACKAGE} (apt-get install {pdf.FONT_PACKAGE}), "
            "or set SURVEY_PDF_FONT to the path of a Japanese .ttf/.otf/.ttc font."
        )
    return [
        Warning(
            "No Japanese font for the printable questionnaires (PDF).",
            hint=hint,
            id="tsunagari.surveys.W001",
        )
    ]
