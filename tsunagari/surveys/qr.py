"""QR codes for a campaign's public link, drawn as SVG by segno (pure Python).

SVG scales to any poster size without blurring, and without width and height (a viewBox
instead) the page's CSS decides how large it prints.
"""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, *, title: str = "") -> bytes:
    """An SVG QR code for `url`: error correction M at least (segno raises it when the
    size allows), the quiet zone of 4 modules the standard asks for, on white."""
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        title=title or None,
        xmldecl=True,
        omitsize=True,
        nl=False,
    )
    return buffer.getvalue()
