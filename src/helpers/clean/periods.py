"""Dates and periods of the public record: parse the file's strings, label periods compactly.

Dates keep the precision the page gives (YYYY, YYYY-MM, YYYY-MM-DD); a period string
("2017-12 to 2020-10", "as of 2018-08-18", "2019", "2024 (year to date)") becomes a start, an
end and a type (schema.PERIOD_TYPES). Anything else is refused, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

# Launched 2017-12 (hebei-2018-08-23 event), results presented 2020-10-28 (cpt-2020-11-10):
# the period a bare "the poverty campaign" refers to.
CAMPAIGN = ("2017-12", "2020-10")

_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"


def _span(token: str) -> tuple[date, date, str]:
    """First and last day of YYYY / YYYY-MM / YYYY-MM-DD, and its precision."""
    parts = [int(p) for p in token.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31), "year"
    y, m = parts[0], parts[1]
    if not 1 <= m <= 12:
        raise ValueError(f"{token!r} has no month {m}")
    if len(parts) == 2:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month"
    try:
        d = date(y, m, parts[2])
    except ValueError:
        raise ValueError(f"{token!r} is not a calendar date") from None
    return d, d, "day"


@dataclass(frozen=True)
class DateText:
    iso: str  # at the precision given: YYYY, YYYY-MM or YYYY-MM-DD
    start: date
    end: date
    precision: str  # day | month | year
    note: str  # what followed the date in parentheses, e.g. "spring; …"
    text: str


def parse_date(value) -> DateText:
    """A YAML date or a string like "2014-02" or "2020 (spring; …)"; raises ValueError."""
    if isinstance(value, date):
        return DateText(value.isoformat(), value, value, "day", "", value.isoformat())
    text = str(value or "").strip()
    m = re.fullmatch(rf"({_DATE})(?:\s*\((.*)\))?", text)
    if not m:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    start, end, precision = _span(m.group(1))
    return DateText(m.group(1), start, end, precision, (m.group(2) or "").strip(), text)


@dataclass(frozen=True)
class Period:
    start: str | None
    end: str | None
    type: str  # schema.PERIOD_TYPES
    ambiguous: bool
    text: str


def parse_period(text: str, published: date | None = None) -> Period:
    """Period strings of the corroborating file → dates; raises ValueError on anything else.

    `published` (the citing page's date) closes a "year to date" period.
    """
    raw = str(text or "").strip()
    if "poverty campaign" in raw.lower():
        # "three consecutive years of the poverty campaign": the page names no dates.
        s, _, _ = _span(CAMPAIGN[0])
        _, e, _ = _span(CAMPAIGN[1])
        note = f"{raw} (read as the campaign {CAMPAIGN[0]} to {CAMPAIGN[1]})"
        return Period(s.isoformat(), e.isoformat(), "total", True, note)
    m = re.fullmatch(r"(.*?)\s*(?:\((.*)\))?", raw)
    core, note = m.group(1), (m.group(2) or "").lower()
    try:
        if m2 := re.fullmatch(rf"(?:as of|by)\s+({_DATE})", core):
            _, e, _ = _span(m2.group(1))
            return Period(None, e.isoformat(), "as_of", False, raw)
        if m2 := re.fullmatch(rf"(?:[A-Za-z][A-Za-z ]*\s)?({_DATE})\s+to\s+({_DATE})", core):
            s, _, _ = _span(m2.group(1))
            _, e, _ = _span(m2.group(2))
            return _ordered(s, e, "total", raw)
        if m2 := re.fullmatch(r"(?:[A-Za-z][A-Za-z ]*\s)?(\d{4})-(\d{4})", core):
            s, _, _ = _span(m2.group(1))
            _, e, _ = _span(m2.group(2))
            return _ordered(s, e, "total", raw)
        if m2 := re.fullmatch(rf"(?:[A-Za-z][A-Za-z ]*\s)?({_DATE})", core):
            s, e, precision = _span(m2.group(1))
            if "year to date" in note:
                if published is None or published.year != s.year:
                    return Period(s.isoformat(), None, "as_of", True, raw)
                return Period(
                    s.isoformat(),
                    published.isoformat(),
                    "as_of",
                    True,  # the end is the page's date, not stated
                    f"{raw}; end taken as the page date {published.isoformat()}",
                )
            # "2019 (to 2019-08)": the page counts the year only up to that month.
            if m3 := re.fullmatch(rf"to\s+({_DATE})", note):
                _, upto, _ = _span(m3.group(1))
                if not s <= upto <= e:
                    raise ValueError(f"'to {m3.group(1)}' lies outside {m2.group(1)}")
                return Period(s.isoformat(), upto.isoformat(), "total", False, raw)
            kind = {"year": "annual", "day": "point", "month": "total"}[precision]
            return Period(s.isoformat(), e.isoformat(), kind, False, raw)
    except ValueError as e:
        raise ValueError(f"period {raw!r}: {e}") from None
    raise ValueError(f"period {raw!r} not understood")


def _ordered(s: date, e: date, kind: str, raw: str) -> Period:
    if e < s:
        raise ValueError(f"period {raw!r} ends before it starts")
    return Period(s.isoformat(), e.isoformat(), kind, False, raw)


def blank(v) -> bool:
    """None, NaN, or text that is empty or only spaces: a field the page does not give.
    The project's one test of "no value" (codebook entries, tables, formatting)."""
    return (
        v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and not v.strip())
    )


def _fmt_date(d: date, precision: str, lang: str) -> str:
    if lang == "zh":
        return {"year": f"{d.year}年", "month": f"{d.year}年{d.month}月"}.get(
            precision, f"{d.year}年{d.month}月{d.day}日"
        )
    return {"year": f"{d.year}", "month": f"{d.year}-{d.month:02d}"}.get(precision, d.isoformat())


def period_label(start, end, lang: str = "en") -> str:
    """Compact period text: 2017-12 to 2020-10, 2019, as of 2018-08-18 (zh: 截至…)."""
    s = None if blank(start) else date.fromisoformat(str(start)[:10])
    e = None if blank(end) else date.fromisoformat(str(end)[:10])
    if s is None and e is None:
        return "时间不详" if lang == "zh" else "undated"
    if s is None or e is None:
        d = e or s
        month_end = d.day == calendar.monthrange(d.year, d.month)[1]
        txt = _fmt_date(d, "month" if (e and month_end) else "day", lang)
        if lang == "zh":
            return f"截至{txt}" if e else f"{txt}起"
        return f"as of {txt}" if e else f"from {txt}"
    precision = "day"
    if s.day == 1 and e.day == calendar.monthrange(e.year, e.month)[1]:
        precision = "year" if (s.month, e.month) == (1, 12) else "month"
    a, b = _fmt_date(s, precision, lang), _fmt_date(e, precision, lang)
    if a == b:
        return a
    return f"{a}至{b}" if lang == "zh" else f"{a} to {b}"


# The campaign's first and last day, ISO (charts shade it; figures of the whole campaign start
# on CAMPAIGN_START).
CAMPAIGN_START = _span(CAMPAIGN[0])[0].isoformat()
CAMPAIGN_END = _span(CAMPAIGN[1])[1].isoformat()
