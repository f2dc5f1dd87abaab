"""Paired statistics for before/after comparisons (事前・事後の比較), without scipy.

The paired t-test is the usual outcome measure of social prescribing services: each
participant answers before and after, and the test asks whether the mean of their
changes differs from zero. The Student t distribution is computed here from the
regularized incomplete beta function, evaluated by its continued fraction (Numerical
Recipes, 2nd ed., §6.4 `betai`/`betacf`; the modified Lentz method), so the runtime needs
no scientific library. tests/test_stats.py checks every figure against
scipy.stats.ttest_rel to 1e-9.

Edge cases, decided once here:
- fewer than 2 pairs: no sd, no t, no p, no interval (all None);
- every difference equal (sd 0): if they are all 0, t is undefined (None) and p is 1.0
  (there is no change at all); otherwise t is ±infinity and p is 0.0 (every pair moved by
  exactly the same amount), as scipy reports. The interval is the single point, and the
  effect size dz is undefined (None).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_EPS = 3.0e-16
_TINY = 1.0e-300
_MAX_ITERATIONS = 500


def mean(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("mean of no values")
    return math.fsum(values) / len(values)


def sample_sd(values: Sequence[float]) -> float | None:
    """Standard deviation with n - 1 in the denominator; None for fewer than 2 values."""
    if len(values) < 2:
        return None
    m = mean(values)
    return math.sqrt(math.fsum((v - m) ** 2 for v in values) / (len(values) - 1))


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (NR `betacf`)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1.0 / d
    h = d
    for m in range(1, _MAX_ITERATIONS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge (a={a}, b={b}, x={x})")


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1 (NR `betai`)."""
    if not 0.0 <= x <= 1.0:
        raise ValueError("x must lie in [0, 1]")
    if x in (0.0, 1.0):
        return x
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with df degrees of freedom."""
    if math.isinf(t):
        return 0.0
    return regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with df degrees of freedom."""
    tail = t_two_sided_p(t, df) / 2.0
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t with P(T ≤ t) = p, by bisection on t_cdf (monotone; 200 halvings reach the
    precision of a float)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie in (0, 1)")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low <= 1e-15 * max(1.0, high):
            break
    return (low + high) / 2.0


@dataclass(frozen=True)
class PairedResult:
    """A paired comparison. change = after - before for every pair."""

    n: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    sd_change: float | None
    t: float | None
    df: int | None
    p: float | None
    ci_low: float | None  # 95% confidence interval of the mean change
    ci_high: float | None
    dz: float | None  # Cohen's dz: mean change / sd of changes
    improved: int
    unchanged: int
    worse: int

    def share(self, count: int) -> float | None:
        return 100.0 * count / self.n if self.n else None

    @property
    def improved_share(self) -> float | None:
        return self.share(self.improved)

    @property
    def unchanged_share(self) -> float | None:
        return self.share(self.unchanged)

    @property
    def worse_share(self) -> float | None:
        return self.share(self.worse)


def paired(
    before: Sequence[float], after: Sequence[float], *, higher_is_better: bool, level: float = 0.95
) -> PairedResult:
    """Compare paired answers. `higher_is_better` says which direction is an improvement
    (for loneliness, lower is better)."""
    if len(before) != len(after):
        raise ValueError("before and after must have the same length")
    n = len(before)
    changes = [a - b for b, a in zip(before, after, strict=True)]
    sign = 1 if higher_is_better else -1
    improved = sum(1 for c in changes if c * sign > 0)
    worse = sum(1 for c in changes if c * sign < 0)
    unchanged = n - improved - worse
    if n == 0:
        return PairedResult(0, None, None, None, None, None, None, None, None, None, None, 0, 0, 0)
    mean_change = mean(changes)
    sd = sample_sd(changes)
    t: float | None = None
    p: float | None = None
    ci: tuple[float, float] | None = None
    dz: float | None = None
    df = n - 1 if sd is not None else None
    if sd == 0.0:
        # Every pair changed by the same amount: no spread, no sampling doubt.
        t = None if mean_change == 0 else math.copysign(math.inf, mean_change)
        p = 1.0 if t is None else 0.0
        ci = (mean_change, mean_change)
    elif sd is not None and df is not None:
        se = sd / math.sqrt(n)
        t = mean_change / se
        p = t_two_sided_p(t, df)
        margin = t_quantile(1.0 - (1.0 - level) / 2.0, df) * se
        ci = (mean_change - margin, mean_change + margin)
        dz = mean_change / sd
    return PairedResult(
        n=n,
        mean_before=mean(before),
        mean_after=mean(after),
        mean_change=mean_change,
        sd_change=sd,
        t=t,
        df=df,
        p=p,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        dz=dz,
        improved=improved,
        unchanged=unchanged,
        worse=worse,
    )
