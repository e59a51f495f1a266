"""Candidate figures in any joined Chinese news text: every numeric mention, classified once.

Each numeral (Arabic or Chinese) ends up in exactly one `Candidate`, of kind ``statistic``
(a count or amount: number + measure word/unit, with qualifier words), ``date``, ``period``
or ``not_statistic`` (names, ordinals, idioms, slogans, articles, enumerations — with the
reason). Matching runs in tiers, most specific first; a later tier only sees the text no
earlier tier claimed:

titles 《…》 → ordinals 第N → alphanumeric codes → fractions/百分之 → short quoted names →
dates (absolute, 1-6月, 今年/去年/上半年…) → lexicon of fixed phrases → ranges (300至500家) →
relative periods (近三年, 目前) → quantities → leftovers.

Patterns run on the folded text (full-width forms and the vocabulary's traditional characters,
`quantities.fold`), which keeps every offset; quotes and contexts are the text as printed. A
number, its qualifier words, scale word and unit are always one candidate. Dates and periods:
helpers.clean.extract_dates. The lexicon is generic for Chinese news, not tuned to one article.
The extractor proposes; the hand-kept codebook decides. The command line (a raw file's
candidates as CSV, JSON or a codebook draft): helpers.clean.extract_cli.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, fields, replace

from helpers.clean.candidates import KINDS, Candidate, Handler, at, cand, context, not_statistic
from helpers.clean.extract_dates import (
    DATE_RE,
    MONTH_RANGE_RE,
    NOW_RE,
    REL_RE,
    REL_YEAR_RE,
    VAGUE_RE,
    YEAR_RANGE_RE,
    h_date,
    h_month_range,
    h_now,
    h_relative,
    h_relative_year,
    h_vague,
    h_year_range,
)
from helpers.clean.quantities import (
    CN_NUMERAL_CHARS,
    RANGE_SEP_RE,
    fold,
    parse_quantity,
)
from helpers.errors import JJJError

# --- building blocks -------------------------------------------------------------------

AR = r"(?<![0-9０-９.．])[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
CN = f"[{CN_NUMERAL_CHARS}]+"
CN_SMALL = "[一二两三四五六七八九十]"
_CN_D = "〇零一二三四五六七八九"
NUM = f"(?:{AR}|{CN})"
SCALE = "万亿|千万|百万|亿|万"  # matched on folded text: 萬/億 are 万/亿 there
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
    return not_statistic(
        text, m.start("inner"), m.end("inner"), "inside a title 《…》: part of a name"
    )


def _h_ordinal(text, m, ref):
    return not_statistic(text, m.start(), m.end(), "ordinal (第N), not a count")


def _h_code(text, m, ref):
    tail = re.fullmatch(r"[0-9.]+([A-Za-z]+)", m.group())
    if tail and tail.group(1) in ASCII_UNITS:
        return None  # 5km, 3GW: a number with an ASCII unit, left to the quantity tier
    return not_statistic(text, m.start(), m.end(), "alphanumeric code or name (e.g. 5G, G20)")


def _h_quoted(text, m, ref):
    inner = m["inner"]
    if not any(ch in CN_NUMERAL_CHARS for ch in inner) or re.search(r"[0-9０-９]", inner):
        return None
    for p, _ in LEXICON:
        lm = re.compile(p).match(text, m.start("inner"))
        if lm and lm.end() == m.end("inner"):
            return None  # “一盘棋”, “十四五”: the lexicon's reason says more
    return not_statistic(
        text,
        m.start("inner"),
        m.end("inner"),
        "inside a short quoted name “…” (event, project or slogan), not a count",
    )


def _h_lexicon(reason: str) -> Handler:
    def h(text, m, ref):
        if not _has_numeral(m.group()):
            return None
        return not_statistic(text, m.start(), m.end(), reason)

    return h


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
                return not_statistic(
                    text,
                    start,
                    end,
                    "一 + measure word as an indefinite article ('a/an'), not a count",
                )
            ambiguous = True
        elif re.fullmatch("[百千万亿]+", num):
            # 万元 / 亿元 alone label a table's unit; 百家 / 千人 are figurative.
            why = (
                f"scale word {num} without a number (a unit label such as 单位：万元)"
                if re.search("[万亿]", num)
                else f"figurative round number {num} without a leading digit"
            )
            return not_statistic(text, start, end, why + ", not a count", ambiguous=True)
    try:
        q = parse_quantity(text[start:end])
    except JJJError:
        return None
    low, high = q.low, q.high
    return cand(
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


RANGE_RE = re.compile(
    rf"(?:(?P<pre>约为|约有|大约|约)[ \u3000]?)?(?P<a>{NUM})(?:多|余)?(?:{SCALE})?(?:{UNIT})?"
    rf"(?:{RANGE_SEP_RE})(?P<b>{NUM})(?:(?:多|余)(?=(?:{SCALE})))?(?P<scale>{SCALE})?(?:多余|多|余)?"
    rf"(?P<unit>{UNIT}|年|个多?月)?(?:{POST})?(?![A-Za-z])"
)
_DURATION_UNITS = ("年", "个月", "个多月")


def _h_range(text, m, ref):
    if not (m["unit"] or m["scale"]):
        return None  # 1-2, 3至5: no measure word, perhaps not a quantity at all
    try:
        q = parse_quantity(m.group())
    except JJJError:
        return None
    if q.qualifier != "range":
        return None
    values = dict(value=q.value, value_low=q.low, value_high=q.high, qualifier="range")
    if q.unit_zh in _DURATION_UNITS:
        what = "years" if q.unit_zh == "年" else "months"
        why = f"a duration of {q.low:g} to {q.high:g} {what}, not anchored to dates"
        return at(text, m, "period", unit_zh=q.unit_zh, reason=why, ambiguous=True, **values)
    return at(text, m, "statistic", unit_zh=q.unit_zh, ambiguous=not q.unit_zh, **values)


PERCENT_RE = re.compile(rf"(?P<pre>{PRE})?百分之(?:[0-9.]+|{CN}(?:点[{_CN_D}]+)?)(?P<post>{POST})?")
FRACTION_RE = re.compile(rf"(?P<pre>{PRE})?(?P<den>{NUM})分之(?P<num>{NUM})(?P<post>{POST})?")


def _h_share(text, m, ref):
    """百分之N and N分之M, with their qualifier words: the parser's reading."""
    try:
        q = parse_quantity(m.group())
    except JJJError:
        return None
    values = dict(value=q.value, value_low=q.low, value_high=q.high, qualifier=q.qualifier)
    return at(text, m, "statistic", unit_zh=q.unit_zh, **values)


def _h_leftover(text, m, ref):
    tok = m.group()
    if tok[0] in CN_NUMERAL_CHARS:
        return not_statistic(
            text,
            m.start(),
            m.end(),
            f"Chinese numeral {tok} inside a word, not followed by a measure word",
        )
    return not_statistic(
        text, m.start(), m.end(), "number without a measure word or unit", ambiguous=True
    )


def _tiers() -> list[list[tuple[re.Pattern, Handler]]]:
    c = re.compile
    return [
        [(c(r"《(?P<inner>[^《》\n]{1,80})》"), _h_title)],
        [
            (
                c(rf"第(?:{AR}|{CN})(?:(?:{RANGE_SEP_RE})(?:{AR}|{CN}))?(?:{UNIT})?(?!季度)"),
                _h_ordinal,
            )
        ],
        [
            (
                c(
                    r"(?<![A-Za-z0-9])(?:[A-Za-z]+[-_]?[0-9]+(?:\.[0-9]+)?[A-Za-z0-9]*"
                    r"|[0-9]+(?:\.[0-9]+)?[A-Za-z]+[A-Za-z0-9]*)"
                ),
                _h_code,
            )
        ],
        [(PERCENT_RE, _h_share), (FRACTION_RE, _h_share)],
        [(c(r"[“‘「『](?P<inner>[^“”‘’「」『』\n，。；！？、]{1,15})[”’」』]"), _h_quoted)],
        [
            (YEAR_RANGE_RE, h_year_range),
            (MONTH_RANGE_RE, h_month_range),
            (DATE_RE, h_date),
            (REL_YEAR_RE, h_relative_year),
        ],
        [(c(p), _h_lexicon(r)) for p, r in LEXICON],
        [(RANGE_RE, _h_range)],
        [(REL_RE, h_relative), (VAGUE_RE, h_vague), (NOW_RE, h_now)],
        [(QUANTITY_RE, _h_quantity)],
        [(c(rf"[0-9０-９]+(?:[.,．][0-9０-９]+)*|{CN}"), _h_leftover)],
    ]


_TIERS = _tiers()


def extract(text: str, *, reference_date: dt.date | None = None) -> list[Candidate]:
    """Every numeric mention in joined text, classified, sorted by position."""
    # Patterns match the folded text (same length: ６→6, 萬→万, 個→个); quotes and contexts are
    # then taken from the text as printed.
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    out: list[Candidate] = []
    for rules in _TIERS:
        out.extend(_run_tier(folded, rules, taken, reference_date))
    if folded != text:
        out = [
            replace(c, quote=text[c.start : c.end], context=context(text, c.start, c.end))
            for c in out
        ]
    return sorted(out, key=lambda c: c.start)


def to_frame(cands: Iterable[Candidate]):
    """A DataFrame with one row per candidate, columns in the dataclass order."""
    import pandas as pd

    cols = [f.name for f in fields(Candidate)]
    return pd.DataFrame([asdict(c) for c in cands], columns=cols)


__all__ = ["KINDS", "Candidate", "extract", "to_frame"]
