"""A figure's bounds, one type for every rule that reasons with them: the public record's
consistency rules, the reconciliation with the article, and the ratios' interval division.
Bounds follow helpers.clean.quantities' qualifier convention."""

from __future__ import annotations

import math
from dataclasses import dataclass

from helpers.clean.periods import blank
from helpers.errors import JJJError


def num(v) -> float | None:
    """A table cell as a number; None where the page gives none."""
    return None if blank(v) else float(v)


@dataclass(frozen=True)
class Interval:
    """low ≤ value ≤ high; None on a side the text does not bound."""

    low: float | None
    value: float
    high: float | None

    @classmethod
    def of(cls, row) -> Interval:
        """A figure row's bounds. An exact or 约 ("about") figure printed without bounds
        stands for its value both ways, roughly: that is what one can reason with."""
        low, value, high = num(row["value_low"]), float(row["value"]), num(row["value_high"])
        if low is None and high is None and row["qualifier"] in ("exact", "about"):
            return cls(value, value, value)
        return cls(low, value, high)

    @property
    def floor(self) -> float:
        """The lower bound, -inf when open."""
        return float("-inf") if self.low is None else self.low

    @property
    def ceiling(self) -> float:
        """The upper bound, +inf when open."""
        return float("inf") if self.high is None else self.high

    def __truediv__(self, other: Interval) -> Interval:
        """Division of positive quantities: [al, ah] / [bl, bh] = [al / bh, ah / bl]."""
        if other.value == 0:
            raise JJJError("ratio: denominator is zero")
        low = self.low / other.high if _positive(self.low, other.high) else None
        high = self.high / other.low if _positive(self.high, other.low) else None
        return Interval(low, self.value / other.value, high)

    @property
    def kind(self) -> str:
        """exact | range | at_least | at_most | about — how firmly the text fixes a number."""
        if self.low is not None and self.high is not None:
            return "exact" if math.isclose(self.low, self.high, rel_tol=1e-12) else "range"
        if self.low is not None:
            return "at_least"
        if self.high is not None:
            return "at_most"
        return "about"


def _positive(top: float | None, bottom: float | None) -> bool:
    return top is not None and bottom is not None and bottom > 0
