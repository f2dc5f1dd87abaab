"""Sample May awareness month items for `make demo`, every one marked 【サンプル】."""

from __future__ import annotations


def load_sample_awareness_month() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    return []
