"""Confidence intervals of the report figures: exact binomial (Clopper-Pearson) for shares, and
Student's t for means, both at 95 %."""

from __future__ import annotations

import math

from scipy.special import betaincinv
from scipy.stats import t

CONFIDENCE = 0.95


def share_interval(numerator: int, denominator: int) -> tuple[float, float]:
    """The exact (Clopper-Pearson) 95 % interval of ``numerator / denominator``, in per cent."""
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"no share of {numerator} in {denominator}")
    tail = (1 - CONFIDENCE) / 2
    # the quantiles of the beta distributions, by the inverse regularised incomplete beta
    # function: the same numbers as scipy.stats.beta.ppf, at a hundredth of its cost per call
    low = 0.0 if numerator == 0 else float(betaincinv(numerator, denominator - numerator + 1, tail))
    high = (
        1.0
        if numerator == denominator
        else float(betaincinv(numerator + 1, denominator - numerator, 1 - tail))
    )
    return 100 * low, 100 * high


def mean_interval(mean: float, sd: float, n: int) -> tuple[float, float]:
    """The 95 % t interval of a mean of ``n`` values with sample standard deviation ``sd``."""
    if n < 2:
        raise ValueError("a mean interval needs at least two values")
    half = float(t.ppf(1 - (1 - CONFIDENCE) / 2, n - 1)) * sd / math.sqrt(n)
    return mean - half, mean + half
