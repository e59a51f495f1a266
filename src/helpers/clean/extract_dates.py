"""Dates and periods for the extractor: absolute dates, year ranges, relative periods.

Relative words (近三年, 目前, 今年, 去年, 上半年, 年底…) are resolved against a reference date —
the date of writing: the publication date if printed, else the date of the event reported. With
none given they are listed with no dates and flagged ``ambiguous``.
"""

from __future__ import annotations

import datetime as dt
import re

from helpers.clean.candidates import at, iso, month_end
from helpers.clean.quantities import CN_NUMERAL_CHARS, RANGE_SEP_RE, parse_number
from helpers.errors import JJJError

CN_SMALL = "[一二两三四五六七八九十]"
CN = f"[{CN_NUMERAL_CHARS}]+"

# --- dates ------------------------------------------------------------------------------------

_CN_D = "〇零一二三四五六七八九"
_YEAR = rf"(?:(?<![0-9])[0-9]{{4}}|[{_CN_D}]{{4}})年"
_MON_AR = r"(?:1[0-2]|0?[1-9])月"
_MON_CN = r"(?:十[一二]?|[一二三四五六七八九])月"
_DAY_AR = r"(?:3[01]|[12][0-9]|0?[1-9])[日号]"
_DAY_CN = (
    r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
)
_YSUF = r"年底|年末|年初|年中|底|末|初|上半年|下半年|前三季度|第?[一二三四1-4]季度|全年|年度|度"
_MSUF = r"底|末|初|上旬|中旬|下旬"
_POINT = (
    rf"(?:{_YEAR}(?:(?:{_MON_AR}|{_MON_CN})(?:{_DAY_AR}|{_DAY_CN}|{_MSUF})?|{_YSUF})?"
    rf"|{_MON_AR}(?:{_DAY_AR}|{_MSUF})?|{_MON_CN}{_DAY_CN}"
    rf"|(?<![0-9月]){_DAY_AR})"
)
_POINT_PARTS = re.compile(
    rf"(?:(?P<y>[0-9]{{4}}|[{_CN_D}]{{4}})年)?(?:(?P<m>[0-9]{{1,2}}|十[一二]?|[一二三四五六七八九])月)?"
    rf"(?:(?P<d>[0-9]{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?"
    rf"(?P<s>{_YSUF}|{_MSUF})?"
)
_SEP = RANGE_SEP_RE
DATE_RE = re.compile(
    rf"(?:(?P<pre>截至|截止到|截止|自|从)[ \u3000]?)?(?P<a>{_POINT})"
    rf"(?:(?P<sep>{_SEP})(?P<b>{_POINT}))?"
    rf"(?P<suf>至今|以来|开始|起)?"
)
YEAR_RANGE_RE = re.compile(
    rf"(?P<pre>自|从)?(?<![0-9])(?P<y1>[0-9]{{4}})年?(?:{_SEP})(?P<y2>[0-9]{{4}})年(?P<suf>以来|间)?"
)
# 1-6月, 2024年1至6月: the months of one year (a statistical bulletin's year to date).
MONTH_RANGE_RE = re.compile(
    rf"(?:(?P<y>[0-9]{{4}})年)?(?<![0-9.])(?P<m1>1[0-2]|0?[1-9])(?:{_SEP})"
    rf"(?P<m2>1[0-2]|0?[1-9])月份?"
)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _point(
    s: str, year: int | None, ref: dt.date | None
) -> tuple[dt.date, dt.date, int, bool] | None:
    """(first day, last day, year, approximate) of one date expression, None if unreadable."""
    p = _POINT_PARTS.fullmatch(s)
    if not p:
        return None
    approx = False
    y = int(parse_number(p["y"])) if p["y"] else year
    if y is None:
        if ref is None:
            return None
        y = ref.year
    try:
        if p["m"] is None and p["d"] is not None:
            if ref is None:
                return None
            d = dt.date(y, ref.month, int(parse_number(p["d"])))
            return d, d, y, False
        suf = p["s"] or ""
        if p["m"] is None:
            lo, hi = dt.date(y, 1, 1), dt.date(y, 12, 31)
            if suf in ("年底", "年末", "底", "末"):
                lo = hi
            elif suf in ("年初", "初"):
                hi, approx = lo, True
            elif suf == "年中":
                lo = hi = dt.date(y, 6, 30)
                approx = True
            elif suf == "上半年":
                hi = dt.date(y, 6, 30)
            elif suf == "下半年":
                lo = dt.date(y, 7, 1)
            elif suf == "前三季度":
                hi = dt.date(y, 9, 30)
            elif "季度" in suf:
                q = _QUARTERS[suf.replace("第", "")[0]]
                lo, hi = dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q)
            return lo, hi, y, approx
        mo = int(parse_number(p["m"]))
        lo, hi = dt.date(y, mo, 1), month_end(y, mo)
        if p["d"] is not None:
            lo = hi = dt.date(y, mo, int(parse_number(p["d"])))
        elif suf in ("底", "末"):
            lo = hi
        elif suf == "初":
            hi, approx = lo, True
        elif suf == "上旬":
            hi = dt.date(y, mo, 10)
        elif suf == "中旬":
            lo, hi = dt.date(y, mo, 11), dt.date(y, mo, 20)
        elif suf == "下旬":
            lo = dt.date(y, mo, 21)
        return lo, hi, y, approx
    except (ValueError, JJJError):
        return None  # 2月30日 and the like: not a date


def h_date(text, m, ref):
    has_year = bool(re.match(rf"{_YEAR}", m["a"]))
    a = _point(m["a"], None, ref)
    if a is None:
        if not has_year and ref is None and not m["b"]:
            # 4月19日 without a reference date: a date, but the year is unknown.
            why = "year not stated and no reference date given"
            return at(text, m, "date", reason=why, ambiguous=True)
        return None
    lo, hi, year, approx = a
    implied = "" if has_year else f"; year {year} taken from the reference date"
    pre, suf = m["pre"] or "", m["suf"] or ""
    if m["b"]:
        b = _point(m["b"], year, ref)
        if b is None:
            return None
        kind, end, ambiguous, why = "period", b[1], approx or b[3], f"from {lo} to {b[1]}"
    elif pre in ("自", "从") or suf:
        writing = ref or "no reference date given"
        kind, end, ambiguous = "period", ref, approx or ref is None
        why = f"from {lo} to the date of writing ({writing})"
    elif pre:
        kind, lo, end, ambiguous, why = "date", hi, hi, approx, f"as-of date {hi}"
    else:
        kind, end, ambiguous, why = "date", hi, approx, _span(lo, hi)
    return _dated(text, m, kind, lo, end, ambiguous, why + implied)


def _span(lo: dt.date, hi: dt.date) -> str:
    return f"{lo}" if lo == hi else f"{lo} to {hi}"


def _dated(text, m, kind: str, lo, hi, ambiguous: bool, why: str):
    """The candidate of match `m` dated from `lo` to `hi` (dates or None)."""
    return at(
        text,
        m,
        kind,
        period_start=iso(lo),
        period_end=iso(hi),
        ambiguous=ambiguous,
        reason=why,
    )


def h_year_range(text, m, ref):
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < y1:
        return None
    return at(
        text,
        m,
        "period",
        period_start=f"{y1}-01-01",
        period_end=f"{y2}-12-31",
        reason=f"the years {y1} to {y2}",
    )


def h_month_range(text, m, ref):
    m1, m2 = int(m["m1"]), int(m["m2"])
    year = int(m["y"]) if m["y"] else (ref.year if ref else None)
    if m2 <= m1:
        return None
    if year is None:
        why = "months of a year not stated, and no reference date given"
        return at(text, m, "period", ambiguous=True, reason=why)
    lo, hi = dt.date(year, m1, 1), month_end(year, m2)
    implied = "" if m["y"] else f"; year {year} taken from the reference date"
    return _dated(text, m, "period", lo, hi, False, f"from {lo} to {hi}{implied}")


REL_RE = re.compile(
    rf"(?P<pre>近|最近|过去|这)?(?<![0-9])(?P<n>[0-9]{{1,3}}|{CN_SMALL}{{1,3}})(?P<more>多|余)?"
    r"(?P<unit>个多?月|年)(?P<suf>以来|来|间|里|中|前)?(?![级代度])"
)
VAGUE_RE = re.compile(r"(?P<w>近年来|近年|近些年来?|近几年来?|多年来|这些年来?)")
NOW_RE = re.compile(r"(?P<w>截至目前|截止目前|目前)")


def h_relative(text, m, ref):
    try:
        n = parse_number(m["n"])
    except JJJError:
        return None
    if n != int(n) or n <= 0:
        return None
    kind, start, end, ambiguous, why = _relative(int(n), m, ref)
    return at(text, m, kind, period_start=start, period_end=end, ambiguous=ambiguous, reason=why)


def _relative(n: int, m: re.Match, ref: dt.date | None) -> tuple:
    """(kind, period_start, period_end, ambiguous, reason) of N年前, 近N年, N个月以来, N年来…"""
    pre, suf, months = m["pre"] or "", m["suf"] or "", "月" in m["unit"]
    if suf == "前":
        if ref is None or months:
            why = f"{m.group()}: a point in the past relative to the date of writing"
            return "date", None, None, True, why
        y = ref.year - n
        return "date", f"{y}-01-01", f"{y}-12-31", True, f"{n} years before {ref}: about {y}"
    if months:
        if not (pre or suf in ("以来", "来")):
            return "period", None, None, True, f"a duration of {n} months, not anchored to dates"
        if ref is None:
            return "period", None, None, True, f"the last {n} months (no reference date given)"
        k = ref.year * 12 + ref.month - 1 - n
        start = dt.date(k // 12, k % 12 + 1, 1)
        return "period", iso(start), iso(ref), False, f"the {n} months to {ref}"
    if pre in ("近", "最近", "过去"):
        if ref is None:
            return "period", None, None, True, f"the last {n} years; no reference date given"
        y = ref.year
        why = (
            f"{m.group()} relative to {ref}: read as the {n} full years {y - n}–{y - 1}; "
            f"could also be {y - n + 1}–{y} counting the current year"
        )
        return "period", f"{y - n}-01-01", f"{y - 1}-12-31", True, why
    if pre == "这" or suf in ("以来", "来"):
        if ref is None:
            why = f"{n} years up to the date of writing; no reference date given"
            return "period", None, None, True, why
        y = ref.year
        why = f"{n} years up to the date of writing: {y - n}–{y}"
        return "period", f"{y - n}-01-01", iso(ref), False, why
    return "period", None, None, True, f"a duration of {n} years, not anchored to dates"


def h_vague(text, m, ref):
    return at(
        text,
        m,
        "period",
        period_end=iso(ref),
        ambiguous=True,
        reason=f"vague '{m.group()}' (recent years): no start stated",
    )


def h_now(text, m, ref):
    return at(
        text,
        m,
        "date",
        period_start=iso(ref),
        period_end=iso(ref),
        ambiguous=ref is None,
        reason="as of the date of writing" + ("" if ref else " (no reference date given)"),
    )


# --- relative years: 今年, 去年, 前年, 上半年, 年底 ----------------------------------------------

_REL_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# Lookbehinds keep words that merely contain the letters apart: 目前年均, 以上年龄, 成本年度.
_REL_Y = r"(?<![提之以目当此])前年|(?<!以)上年|(?<![基成资日])本年|今年|去年|明年"
_REL_MD = rf"(?:{_MON_AR}|{_MON_CN})(?:{_DAY_AR}|{_DAY_CN}|{_MSUF})?"
_REL_PART = (
    r"上半年|下半年|前三季度|第?[一二三四1-4]季度|年?底|年?末|年?初|年中|全年|年内|以来|同期"
)
_BARE_PART = r"上半年|下半年|前三季度|第?[一二三四1-4]季度|年底|年末|年初"
REL_YEAR_RE = re.compile(
    rf"(?P<pre>截至|截止到|截止)?(?:(?P<y>{_REL_Y})(?P<md>{_REL_MD})?(?P<part>{_REL_PART})?"
    rf"|(?<![0-9{_CN_D}十年今去前明本上第])(?P<bare>{_BARE_PART}))"
)


def h_relative_year(text, m, ref):
    word, md = m["y"] or "", m["md"] or ""
    part = m["part"] or m["bare"] or ""
    kind = "period" if part == "以来" else "date"
    if ref is None:
        why = f"{m.group()}: relative to the date of writing; no reference date given"
        return at(text, m, kind, ambiguous=True, reason=why)
    year = ref.year + _REL_YEARS[word] if word else ref.year
    spec = md + ("" if part in ("以来", "同期", "全年", "年内") else part)
    pt = _point(spec, year, ref)
    if pt is None:
        return None
    lo, hi, _, approx = pt
    said = f"{word} = {year}" if word else f"year not stated, {year} taken from the reference date"
    if kind == "period":
        why = f"from {lo} to the date of writing ({ref}); {said}"
        return at(text, m, kind, period_start=iso(lo), period_end=iso(ref), reason=why)
    if m["pre"]:
        lo = hi  # 截至去年年底: a stock at that date
    why = _span(lo, hi) + f"; {said} ({ref})"
    if part == "同期":
        why += "; 同期: the same months as the period compared with, not stated here"
    return _dated(text, m, kind, lo, hi, approx or not word or part == "同期", why)
