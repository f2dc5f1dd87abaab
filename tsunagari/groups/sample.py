"""Sample working groups with posts, and a local council, for `make demo` (【サンプル】)."""

from __future__ import annotations


def load_sample_groups() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    return []
