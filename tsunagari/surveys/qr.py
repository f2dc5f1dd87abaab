"""QR codes for a campaign's public link: the shared drawing in tsunagari/lib/qr.py."""

from __future__ import annotations

from tsunagari.lib.qr import qr_svg

__all__ = ["qr_svg"]
