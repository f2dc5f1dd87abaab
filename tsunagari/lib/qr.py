"""QR codes drawn as SVG by segno (pure Python): a campaign's poster, an authenticator
app's secret.

SVG scales to any poster size without blurring, and without width and height (a viewBox
instead) the page's CSS decides how large it prints.
"""

from __future__ import annotations

import io

import segno


def qr_svg(data: str, *, title: str = "", inline: bool = False) -> bytes:
    """An SVG QR code for `data`: error correction M at least (segno raises it when the
    size allows), the quiet zone of 4 modules the standard asks for, on white.

    `inline` leaves out the XML declaration, for an <svg> inside an HTML page (no
    separate request, nothing the Content Security Policy must allow)."""
    code = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        title=title or None,
        xmldecl=not inline,
        omitsize=True,
        nl=False,
    )
    return buffer.getvalue()
