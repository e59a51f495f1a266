"""A candidate figure: one numeric mention of a text, its kind, value, bounds and period.

Shared by the extractor's tiers (helpers.clean.extract, helpers.clean.extract_dates).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    quote: str
    start: int
    end: int
    value: float | None
    value_low: float | None
    value_high: float | None
    unit_zh: str
    qualifier: str | None
    kind: str  # statistic | date | period | not_statistic
    reason: str
    period_start: str | None
    period_end: str | None
    ambiguous: bool
    context: str


KINDS = ("statistic", "date", "period", "not_statistic")
CONTEXT_CHARS = 15


def context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    return " ".join((left + text[start:end] + right).split())


def cand(text: str, start: int, end: int, kind: str, **kw) -> Candidate:
    base = dict(
        value=None,
        value_low=None,
        value_high=None,
        unit_zh="",
        qualifier=None,
        reason="",
        period_start=None,
        period_end=None,
        ambiguous=False,
    )
    base.update(kw)
    return Candidate(
        quote=text[start:end],
        start=start,
        end=end,
        kind=kind,
        context=context(text, start, end),
        **base,
    )


def at(text: str, m: re.Match, kind: str, **kw) -> Candidate:
    """The candidate spanning the whole match `m`."""
    return cand(text, m.start(), m.end(), kind, **kw)


def not_statistic(
    text: str, start: int, end: int, reason: str, ambiguous: bool = False
) -> Candidate:
    return cand(text, start, end, "not_statistic", reason=reason, ambiguous=ambiguous)


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


# A tier handler turns a match into a candidate, or None to leave the text to later tiers.
Handler = Callable[[str, re.Match, "dt.date | None"], "Candidate | None"]
