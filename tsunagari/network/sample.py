"""Sample introductions for `make demo`, every one marked 【サンプル】."""

from __future__ import annotations


def load_sample_introductions() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    return []
