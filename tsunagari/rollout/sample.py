"""Sample roll-out data and a sample partner network, all marked 【サンプル】."""

from __future__ import annotations


def load_sample_rollout() -> list[str]:
    """Return one line per thing made, for load_demo to print."""
    return []
