"""Candidate figures in any joined Chinese news text: every numeric mention, classified once.

Each numeral (Arabic or Chinese) ends up in exactly one `Candidate`, of kind ``statistic``
(a count or amount: number + measure word/unit, with qualifier words), ``date``, ``period``
or ``not_statistic`` (names, ordinals, idioms, slogans, articles, enumerations — with the
reason). Matching runs in tiers, most specific first; a later tier only sees the text no
earlier tier claimed:

titles 《…》 → ordinals 第N → alphanumeric codes → fractions/百分之 → short quoted names →
absolute dates → lexicon of fixed phrases → relative periods → quantities → leftovers.

The lexicon is generic for Chinese news, not tuned to one article. The extractor proposes;
the hand-kept codebook decides.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from helpers.clean.quantities import CN_NUMERAL_CHARS, parse_number, parse_quantity
from helpers.clean.sources import decode_text
from helpers.errors import JJJError


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

# --- building blocks -------------------------------------------------------------------

AR = r"(?<![0-9０-９.．])[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
CN = f"[{CN_NUMERAL_CHARS}]+"
CN_SMALL = "[一二两三四五六七八九十]"
NUM = f"(?:{AR}|{CN})"
SCALE = "万亿|萬億|千万|千萬|百万|百萬|亿|億|万|萬"
PRE = "约有|约为|大约|约|超过|超出|超|逾|将近|接近|近|不足|不到|不超过|不少于|不低于|至少"
POST = "以上|左右|上下"

# Measure words and units after a number; longest first so 人次 wins over 人.
UNITS = sorted(
    """个百分点 百分点 人次 户次 家次 架次 平方公里 平方米 立方米 千瓦时 千瓦 公里 千米 公斤 千克
    公顷 张床位 课时 学时 小时 分钟 美元 港元 欧元 个 家 元 人 名 位 所 场 项 次 件 座 户 亩 吨 台
    辆 张 本 册 套 批 条 类 种 篇 份 期 届 轮 部 首 幅 笔 间 栋 处 门 节 天 周 岁 倍 支 队 组 块
    只 头 株 棵 片 床 村 镇 乡 县 区 市 省 国 校 站 园 馆 米 克 升
    % ％ GW MW kWh kW km kg""".split(),
    key=len,
    reverse=True,
)
UNIT = "|".join(re.escape(u) for u in UNITS)
ASCII_UNITS = {u for u in UNITS if u.isascii() and u.isalpha()}

# 一 + measure word counts as a number only after words that stress the count.
COUNT_CUES = ("仅有", "只有", "仅", "只", "唯一", "共", "其中", "合计", "总计")

# Fixed phrases holding a numeral that is not a count: (pattern, reason). Generic Chinese.
LEXICON: list[tuple[str, str]] = [
    (r"一盘棋", "slogan 一盘棋 ('one chessboard': act as a whole)"),
    (r"一体化|融为一体|一体", "fixed word 一体(化) ('integration'), not a count"),
    (f"{CN_SMALL}位一体", "slogan N位一体 ('N-in-one'), not a count"),
    (
        r"一(?![个家年次位名项批种])[\u4e00-\u9fff]多[能用责岗元样功效]",
        "slogan 一X多Y ('one X, many Y')",
    ),
    (
        r"一带一路|两学一做|三严三实|双一流|三农|两会|两岸|两新|两高|三重一大",
        "political set phrase",
    ),
    (
        rf"{CN_SMALL}个(?:关键|重点|抓手|着力点|原则|方面|全面|意识|自信|维护|确立|务必|"
        r"大局|结合|一百年|必须|坚持|突破口|优先|统筹)",
        "rhetorical formula (N个 + abstract noun), not a count",
    ),
    (f"{CN_SMALL}+五(?=”|规划|时期|期间|计划)", "name of a Five-Year Plan (十四五…)"),
    (
        f"(?:其|之)?{CN_SMALL}+是(?=[\u4e00-\u9fff])",
        "enumeration marker (一是/二是: 'firstly/secondly')",
    ),
    (r"其[一二三四五六七八九十]|另一方面|一方面", "enumeration marker"),
    (
        f"(?<![河湖山广江辽华台海陕闽赣皖])[东西南北]{CN_SMALL}+(?:县|区|环|省|市|镇|村)",
        "place name (e.g. 北三县, 东三省), not a count",
    ),
    (
        f"(?<![第0-9]){CN_SMALL}+(?:省区市|省市|地|岸|方|国)(?![\u4e00-\u9fff]?[家个名])",
        "refers back to the N regions/parties named in the text (三地, 三省市, 两国)",
    ),
    (f"{CN_SMALL}+级(?![0-9一二三四五六七八九])", "rank, grade or level (N级), not a count"),
    (f"(?:[0-9]+|{CN_SMALL}+)年级", "school grade (N年级)"),
    (f"(?:[0-9]+|{CN_SMALL}+)周年", "anniversary (N周年), not a count"),
    (r"(?:[0-9]+|[一二三四五六七八九十]+)号(?:线|楼|院)?", "a number used as a name (N号)"),
    (r"(?<![0-9])[0-9]{2}年代|[一二三四五六七八九]十年代", "decade (N年代), a time reference"),
    (
        r"新一轮|新一代|新一届|上一轮|上一届|下一轮|下一届",
        "fixed phrase: 'new/next round' (not a count)",
    ),
    (r"进一步|下一步|第一步|一步步|同一|统一|唯一|逐一|一一|专一|万一|独一无二", "fixed word"),
    (r"之一", "之一 ('one of'), not a count"),
    (
        r"一系列|一大批|一批|一揽子|一站式|一条龙|一把手|一线|一环|一流|一贯|一如既往|一年一度|"
        r"一心一意|一道|一起|一直|一定|一般|一致|一切|一旦|一同|一向|一再|一度|一律|一番|一些|"
        r"一样|一举|一手|一提|一并|一部分|一边|一时|一味|一头|一致性|一次性",
        "fixed word with 一 (article or adverb), not a count",
    ),
    (
        r"十分|十足|十全十美|百姓|老百姓|百货|百科|千万(?=[不要别])|万物|千方百计|千家万户|"
        r"万众一心|百花齐放|百舸争流|百尺竿头|五湖四海|四面八方|三番五次|接二连三|一举两得|"
        r"七上八下|四通八达|九牛一毛|千军万马|万无一失|一帆风顺|三心二意|千千万万|成千上万|"
        r"不二|三三两两|两手抓|两手|百年大计|一石二鸟",
        "idiom or fixed word, not a count",
    ),
    (f"[几数]{CN}|{CN}几|上[百千万](?![0-9])", "vague quantity (几十/数百/上百): no figure stated"),
]

# --- helpers ------------------------------------------------------------------------------


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    return " ".join((left + text[start:end] + right).split())


def _cand(text: str, start: int, end: int, kind: str, **kw) -> Candidate:
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
        context=_context(text, start, end),
        **base,
    )


def _at(text: str, m: re.Match, kind: str, **kw) -> Candidate:
    """The candidate spanning the whole match `m`."""
    return _cand(text, m.start(), m.end(), kind, **kw)


def _not(text: str, start: int, end: int, reason: str, ambiguous: bool = False) -> Candidate:
    return _cand(text, start, end, "not_statistic", reason=reason, ambiguous=ambiguous)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


# A tier handler turns a match into a candidate, or None to leave the text to later tiers.
Handler = Callable[[str, re.Match, "dt.date | None"], "Candidate | None"]


def _gaps(n: int, taken: list[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    pos = 0
    for a, b in sorted(taken):
        if a > pos:
            yield pos, a
        pos = max(pos, b)
    if pos < n:
        yield pos, n


def _run_tier(
    text: str,
    rules: list[tuple[re.Pattern, Handler]],
    taken: list[tuple[int, int]],
    ref: dt.date | None,
) -> list[Candidate]:
    found: list[Candidate] = []
    for a, b in list(_gaps(len(text), taken)):
        for rx, handler in rules:
            for m in rx.finditer(text, a, b):
                c = handler(text, m, ref)
                if c is not None and c.end > c.start:
                    found.append(c)
    # Longest match wins at each position; earlier rules win ties (stable sort).
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    for c in found:
        if all(c.end <= s or c.start >= e for s, e in taken):
            taken.append((c.start, c.end))
            out.append(c)
    return out


def _has_numeral(s: str) -> bool:
    return any(ch.isdigit() or ch in CN_NUMERAL_CHARS for ch in s)


# --- tier handlers --------------------------------------------------------------------------


def _h_title(text, m, ref):
    if not _has_numeral(m["inner"]):
        return None
    return _not(text, m.start("inner"), m.end("inner"), "inside a title 《…》: part of a name")


def _h_ordinal(text, m, ref):
    return _not(text, m.start(), m.end(), "ordinal (第N), not a count")


def _h_code(text, m, ref):
    tail = re.fullmatch(r"[0-9.]+([A-Za-z]+)", m.group())
    if tail and tail.group(1) in ASCII_UNITS:
        return None  # 5km, 3GW: a number with an ASCII unit, left to the quantity tier
    return _not(text, m.start(), m.end(), "alphanumeric code or name (e.g. 5G, G20)")


def _h_fraction(text, m, ref):
    try:
        den, num = parse_number(m["den"]), parse_number(m["num"])
    except JJJError:
        return None
    if den == 0:
        return None
    v = num / den
    return _at(
        text,
        m,
        "statistic",
        value=v,
        value_low=v,
        value_high=v,
        qualifier="exact",
    )


def _h_quoted(text, m, ref):
    inner = m["inner"]
    if not any(ch in CN_NUMERAL_CHARS for ch in inner) or re.search(r"[0-9０-９]", inner):
        return None
    for p, _ in LEXICON:
        lm = re.compile(p).match(text, m.start("inner"))
        if lm and lm.end() == m.end("inner"):
            return None  # “一盘棋”, “十四五”: the lexicon's reason says more
    return _not(
        text,
        m.start("inner"),
        m.end("inner"),
        "inside a short quoted name “…” (event, project or slogan), not a count",
    )


def _h_lexicon(reason: str) -> Handler:
    def h(text, m, ref):
        if not _has_numeral(m.group()):
            return None
        return _not(text, m.start(), m.end(), reason)

    return h


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
_SEP = r"至|到|—|–|~|～|-"
DATE_RE = re.compile(
    rf"(?:(?P<pre>截至|截止到|截止|自|从)[ \u3000]?)?(?P<a>{_POINT})"
    rf"(?:(?P<sep>{_SEP})(?P<b>{_POINT}))?"
    rf"(?P<suf>至今|以来|开始|起)?"
)
YEAR_RANGE_RE = re.compile(
    rf"(?P<pre>自|从)?(?<![0-9])(?P<y1>[0-9]{{4}})年?(?:{_SEP})(?P<y2>[0-9]{{4}})年(?P<suf>以来|间)?"
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
                lo, hi = dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
            return lo, hi, y, approx
        mo = int(parse_number(p["m"]))
        lo, hi = dt.date(y, mo, 1), _month_end(y, mo)
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


def _h_date(text, m, ref):
    a_text = m["a"]
    has_year = bool(re.match(rf"{_YEAR}", a_text))
    a = _point(a_text, None, ref)
    if a is None:
        if not has_year and ref is None and not m["b"]:
            # 4月19日 without a reference date: a date, but the year is unknown.
            return _at(
                text,
                m,
                "date",
                reason="year not stated and no reference date given",
                ambiguous=True,
            )
        return None
    lo, hi, year, approx = a
    ambiguous = approx
    implied = "" if has_year else f"; year {year} taken from the reference date"
    if m["b"]:
        b = _point(m["b"], year, ref)
        if b is None:
            return None
        return _at(
            text,
            m,
            "period",
            period_start=_iso(lo),
            period_end=_iso(b[1]),
            ambiguous=ambiguous or b[3],
            reason=f"from {lo} to {b[1]}{implied}",
        )
    pre, suf = m["pre"] or "", m["suf"] or ""
    if pre in ("自", "从") or suf:
        end = ref
        why = (
            f"from {lo} to the date of writing ({ref})"
            if ref
            else (f"from {lo} to the date of writing (no reference date given)")
        )
        return _at(
            text,
            m,
            "period",
            period_start=_iso(lo),
            period_end=_iso(end),
            ambiguous=ambiguous or ref is None,
            reason=why + implied,
        )
    if pre:
        return _at(
            text,
            m,
            "date",
            period_start=_iso(hi),
            period_end=_iso(hi),
            ambiguous=ambiguous,
            reason=f"as-of date {hi}{implied}",
        )
    return _at(
        text,
        m,
        "date",
        period_start=_iso(lo),
        period_end=_iso(hi),
        ambiguous=ambiguous,
        reason=(f"{lo}" if lo == hi else f"{lo} to {hi}") + implied,
    )


def _h_year_range(text, m, ref):
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < y1:
        return None
    return _at(
        text,
        m,
        "period",
        period_start=f"{y1}-01-01",
        period_end=f"{y2}-12-31",
        reason=f"the years {y1} to {y2}",
    )


REL_RE = re.compile(
    rf"(?P<pre>近|最近|过去|这)?(?<![0-9])(?P<n>[0-9]{{1,3}}|{CN_SMALL}{{1,3}})(?P<more>多|余)?"
    r"(?P<unit>个多?月|年)(?P<suf>以来|来|间|里|中|前)?(?![级代度])"
)
VAGUE_RE = re.compile(r"(?P<w>近年来|近年|近些年来?|近几年来?|多年来|这些年来?)")
NOW_RE = re.compile(r"(?P<w>截至目前|截止目前|目前)")


def _h_relative(text, m, ref):
    try:
        n = parse_number(m["n"])
    except JJJError:
        return None
    if n != int(n) or n <= 0:
        return None
    n = int(n)
    pre, suf, months = m["pre"] or "", m["suf"] or "", "月" in m["unit"]
    quote_n = m.group()
    if suf == "前":
        if ref is None or months:
            return _at(
                text,
                m,
                "date",
                ambiguous=True,
                reason=f"{quote_n}: a point in the past relative to the date of writing",
            )
        y = ref.year - n
        return _at(
            text,
            m,
            "date",
            period_start=f"{y}-01-01",
            period_end=f"{y}-12-31",
            ambiguous=True,
            reason=f"{n} years before {ref}: about {y}",
        )
    if months:
        if pre or suf in ("以来", "来"):
            if ref is None:
                return _at(
                    text,
                    m,
                    "period",
                    ambiguous=True,
                    reason=f"the last {n} months (no reference date given)",
                )
            k = ref.year * 12 + ref.month - 1 - n
            start = dt.date(k // 12, k % 12 + 1, 1)
            return _at(
                text,
                m,
                "period",
                period_start=_iso(start),
                period_end=_iso(ref),
                reason=f"the {n} months to {ref}",
            )
        return _at(
            text,
            m,
            "period",
            ambiguous=True,
            reason=f"a duration of {n} months, not anchored to dates",
        )
    if pre in ("近", "最近", "过去"):
        if ref is None:
            return _at(
                text,
                m,
                "period",
                ambiguous=True,
                reason=f"the last {n} years; no reference date given",
            )
        y = ref.year
        return _at(
            text,
            m,
            "period",
            period_start=f"{y - n}-01-01",
            period_end=f"{y - 1}-12-31",
            ambiguous=True,
            reason=(
                f"{quote_n} relative to {ref}: read as the {n} full years {y - n}–{y - 1}; "
                f"could also be {y - n + 1}–{y} counting the current year"
            ),
        )
    if pre == "这" or suf in ("以来", "来"):
        if ref is None:
            return _at(
                text,
                m,
                "period",
                ambiguous=True,
                reason=f"{n} years up to the date of writing; no reference date given",
            )
        y = ref.year
        return _at(
            text,
            m,
            "period",
            period_start=f"{y - n}-01-01",
            period_end=_iso(ref),
            reason=f"{n} years up to the date of writing: {y - n}–{y}",
        )
    return _at(
        text,
        m,
        "period",
        ambiguous=True,
        reason=f"a duration of {n} years, not anchored to dates",
    )


def _h_vague(text, m, ref):
    return _at(
        text,
        m,
        "period",
        period_end=_iso(ref),
        ambiguous=True,
        reason=f"vague '{m.group()}' (recent years): no start stated",
    )


def _h_now(text, m, ref):
    return _at(
        text,
        m,
        "date",
        period_start=_iso(ref),
        period_end=_iso(ref),
        ambiguous=ref is None,
        reason="as of the date of writing" + ("" if ref else " (no reference date given)"),
    )


# --- quantities ---------------------------------------------------------------------------

QUANTITY_RE = re.compile(
    rf"(?:(?P<pre>{PRE})[ \u3000]?)?(?P<num>{NUM})(?:(?P<mid>多|余)(?=(?:{SCALE})))?"
    rf"(?P<scale>{SCALE})?(?P<more>多余|多|余)?(?:[ \u3000]?(?P<unit>{UNIT}))?(?P<post>{POST})?"
    r"(?![A-Za-z])"
)


def _h_quantity(text, m, ref):
    num, unit = m["num"], m["unit"] or ""
    is_cn = num[0] in CN_NUMERAL_CHARS
    qualified = bool(m["pre"] or m["more"] or m["mid"] or m["post"])
    if not (unit or m["scale"] or qualified):
        return None  # a bare number: left to the leftovers tier
    if is_cn and not (unit or m["scale"]):
        return None
    start, end = m.start(), m.end()
    if m["pre"] and not unit and not m["scale"] and not m["more"]:
        return None
    ambiguous = not unit
    if is_cn and not qualified and not m["scale"]:
        before = text[max(0, start - 4) : start]
        if num == "一":
            if not before.endswith(COUNT_CUES):
                return _not(
                    text,
                    start,
                    end,
                    "一 + measure word as an indefinite article ('a/an'), not a count",
                )
            ambiguous = True
        elif num in ("百", "千", "万"):
            return _not(
                text,
                start,
                end,
                f"figurative round number {num} without a leading digit",
                ambiguous=True,
            )
    try:
        q = parse_quantity(text[start:end])
    except JJJError:
        return None
    low, high = q.low, q.high
    return _cand(
        text,
        start,
        end,
        "statistic",
        value=q.value,
        value_low=low,
        value_high=high,
        unit_zh=q.unit_zh,
        qualifier=q.qualifier,
        ambiguous=ambiguous,
    )


PERCENT_RE = re.compile(rf"(?P<pre>{PRE})?百分之(?:[0-9.]+|{CN}(?:点[{_CN_D}]+)?)(?P<post>{POST})?")
FRACTION_RE = re.compile(rf"(?P<den>{NUM})分之(?P<num>{NUM})")


def _h_percent(text, m, ref):
    try:
        q = parse_quantity(m.group())
    except JJJError:
        return None
    return _at(
        text,
        m,
        "statistic",
        value=q.value,
        value_low=q.low,
        value_high=q.high,
        unit_zh="%",
        qualifier=q.qualifier,
    )


def _h_leftover(text, m, ref):
    tok = m.group()
    if tok[0] in CN_NUMERAL_CHARS:
        return _not(
            text,
            m.start(),
            m.end(),
            f"Chinese numeral {tok} inside a word, not followed by a measure word",
        )
    return _not(text, m.start(), m.end(), "number without a measure word or unit", ambiguous=True)


def _tiers() -> list[list[tuple[re.Pattern, Handler]]]:
    c = re.compile
    return [
        [(c(r"《(?P<inner>[^《》\n]{1,80})》"), _h_title)],
        [(c(rf"第(?:{AR}|{CN})(?:{UNIT})?"), _h_ordinal)],
        [
            (
                c(
                    r"(?<![A-Za-z0-9])(?:[A-Za-z]+[-_]?[0-9]+(?:\.[0-9]+)?[A-Za-z0-9]*"
                    r"|[0-9]+(?:\.[0-9]+)?[A-Za-z]+[A-Za-z0-9]*)"
                ),
                _h_code,
            )
        ],
        [(PERCENT_RE, _h_percent), (FRACTION_RE, _h_fraction)],
        [(c(r"[“‘「『](?P<inner>[^“”‘’「」『』\n，。；！？、]{1,15})[”’」』]"), _h_quoted)],
        [(YEAR_RANGE_RE, _h_year_range), (DATE_RE, _h_date)],
        [(c(p), _h_lexicon(r)) for p, r in LEXICON],
        [(REL_RE, _h_relative), (VAGUE_RE, _h_vague), (NOW_RE, _h_now)],
        [(QUANTITY_RE, _h_quantity)],
        [(c(rf"[0-9０-９]+(?:[.,．][0-9０-９]+)*|{CN}"), _h_leftover)],
    ]


_TIERS = _tiers()


def extract(text: str, *, reference_date: dt.date | None = None) -> list[Candidate]:
    """Every numeric mention in joined text, classified, sorted by position."""
    taken: list[tuple[int, int]] = []
    out: list[Candidate] = []
    for rules in _TIERS:
        out.extend(_run_tier(text, rules, taken, reference_date))
    return sorted(out, key=lambda c: c.start)


def extract_file(path, *, reference_date: dt.date | None = None) -> list[Candidate]:
    """Decode a raw file, rebuild its paragraphs, extract candidates."""
    from helpers.clean import reflow  # written alongside this module; imported late on purpose

    p = Path(path)
    if not p.is_file():
        raise JJJError(f"{p}: file not found")
    return extract(reflow.plain_text(decode_text(p)), reference_date=reference_date)


def to_frame(cands: Iterable[Candidate]):
    """A DataFrame with one row per candidate, columns in the dataclass order."""
    import pandas as pd

    cols = [f.name for f in fields(Candidate)]
    return pd.DataFrame([asdict(c) for c in cands], columns=cols)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise JJJError(message)


def main(argv: list[str] | None = None) -> int:
    """`jjj-report extract PATH [--format csv|json] [--reference-date YYYY-MM-DD]`."""
    parser = _Parser(prog="jjj-report extract", description="list numeric mentions in a text")
    parser.add_argument("path")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--reference-date", default=None)
    try:
        args = parser.parse_args(argv)
        ref = None
        if args.reference_date:
            try:
                ref = dt.date.fromisoformat(args.reference_date)
            except ValueError:
                raise JJJError(
                    f"--reference-date {args.reference_date!r} is not YYYY-MM-DD"
                ) from None
        cands = extract_file(args.path, reference_date=ref)
    except JJJError as e:
        print(f"jjj-report extract: {e}", file=sys.stderr)
        return 2
    try:
        if args.format == "json":
            json.dump([asdict(c) for c in cands], sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            to_frame(cands).to_csv(sys.stdout, index=False)
        sys.stdout.flush()
    except BrokenPipeError:
        # `… | head` closed the pipe: not an error; silence the flush at interpreter exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


__all__ = ["Candidate", "KINDS", "extract", "extract_file", "main", "to_frame"]
