"""Sample figures for the dashboard, marked 【サンプル】 (filled by the issue-16 work)."""

from __future__ import annotations


def load_sample_insights() -> list[str]:
    return []
