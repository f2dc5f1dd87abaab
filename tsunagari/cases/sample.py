"""Sample model cases for the demo, all marked 【サンプル】 (filled by the issue-15 work)."""

from __future__ import annotations


def load_sample_cases() -> list[str]:
    """Make the sample cases; return one line per thing made, for load_demo to print."""
    return []
