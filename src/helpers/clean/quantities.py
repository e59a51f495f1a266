"""Parse one Chinese quantity expression: numeral, scale word, unit and qualifier words.

Conventions (the project's methodology for approximate figures):

- ``exact``: no qualifier word; low = high = value.
- ``more_than`` (多, 余, 多余 after the number, e.g. 6300多家, 800余万元): value is the stated
  round number; low = value; high = value + one step of the last significant digit place of
  the stated number, scale applied: 6300多 -> [6300, 6400], 5000多 -> [5000, 6000],
  800余万 -> [8e6, 9e6], 280多万 -> [2.8e6, 2.9e6], 50余 -> [50, 60].
- ``over`` (超, 超过, 超出, 逾, 突破 before the number): low = value, high unbounded (None).
- ``at_least`` (以上 after; 不少于, 至少, 不低于 before): low = value, high None.
- ``nearly`` (近, 将近, 接近 before; also 不足, 不到, 不超过): low None, high = value.
- ``about`` (约, 约有, 约为, 大约 before; 左右, 上下 after): no bound, low = high = None.
- ``range`` (two numbers joined by 至, 到, -, –, —, ~: 300至500家, 300-500家, 三至五年): low =
  the first number, high = the second (plus one step when 多/余 follows it: 300至500多家 ->
  [300, 600]); value = low, the first number printed. A scale word printed only after the
  second number also scales the first when the first is not larger (1至2万元 -> [1e4, 2e4];
  500至2万元 -> [500, 2e4]); a unit printed twice must be the same (300家至500家). 约 before or
  左右 after a range leaves it a ``range`` with the same bounds. Two neighbouring digits are an
  approximate range too: 二三十家 -> [20, 30], 三四百人 -> [300, 400], 七八个 -> [7, 8].

When several qualifier words stand together the word before the number wins, then the word
after the unit, then 多/余 (约300多家 is ``about``; 超过300多家 is ``over``).

Scale words 万/萬 (1e4), 亿/億 (1e8), 千万, 百万, 万亿 multiply the numeral; Chinese
numerals (六, 二十三, 两千, 八百, 三万五, 二〇二四) are read with 千/百/十 inside them.
Percentages (50%, 30.5％, 百分之三十) have ``unit_zh == '%'`` and ``is_percent``; a fraction
(三分之一, value 1/3) has ``unit_zh == '分之'``.
Values are computed with Decimal, so 21.88亿 is exactly 2188000000.0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from helpers.errors import JJJError

CN_DIGITS = "〇零一二两三四五六七八九"
CN_UNITS = "十百千万亿萬億"
CN_NUMERAL_CHARS = CN_DIGITS + CN_UNITS

# Qualifier words before the number, longest first so 约有 wins over 约.
PRE_QUALIFIERS = {
    "约有": "about",
    "约为": "about",
    "大约": "about",
    "约": "about",
    "超过": "over",
    "超出": "over",
    "超": "over",
    "逾": "over",
    "突破": "over",
    "将近": "nearly",
    "接近": "nearly",
    "近": "nearly",
    "不足": "nearly",
    "不到": "nearly",
    "不超过": "nearly",
    "不少于": "at_least",
    "不低于": "at_least",
    "至少": "at_least",
}
# Qualifier words after the unit.
POST_QUALIFIERS = {"以上": "at_least", "左右": "about", "上下": "about"}
MORE_THAN_WORDS = ("多余", "多", "余")

SCALES = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
}

ARABIC_RE = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
CN_RUN_RE = f"[{CN_NUMERAL_CHARS}]+"
SCALE_RE = "万亿|千万|百万|亿|万"
PRE_RE = "|".join(sorted(PRE_QUALIFIERS, key=len, reverse=True))
POST_RE = "|".join(POST_QUALIFIERS)

_QUANTITY_RE = re.compile(
    rf"(?P<pre>{PRE_RE})?"
    rf"(?:百分之(?P<pct>{ARABIC_RE}|{CN_RUN_RE}(?:点[{CN_DIGITS}]+)?)"
    rf"|(?P<num>{ARABIC_RE}|{CN_RUN_RE}(?:点[{CN_DIGITS}]+)?)"
    rf"(?:(?P<mid>多|余)(?=(?:{SCALE_RE})))?(?P<scale>{SCALE_RE})?(?P<more>多余|多|余)?"
    rf"(?P<unit>%|[\u4e00-\u9fffA-Za-z]{{0,6}}?))"
    rf"(?P<post>{POST_RE})?"
)
RANGE_SEP_RE = "至|到|-|–|—|~|〜"
_NEIGHBOURS_RE = re.compile(
    r"(?P<a>[一二三四五六七八])(?P<b>[二三四五六七八九])(?P<place>十万|百万|千万|十|百|千|万|亿|)"
    r"(?P<more>多|余)?(?P<unit>%|[\u4e00-\u9fffA-Za-z]{0,6}?)"
)
_FRACTION_RE = re.compile(
    rf"(?P<pre>{PRE_RE})?(?!百分之)(?P<den>{ARABIC_RE}|{CN_RUN_RE})分之(?P<num>{ARABIC_RE}|{CN_RUN_RE}"
    rf"(?:点[{CN_DIGITS}]+)?)(?P<post>{POST_RE})?"
)
_NUMERAL_RE = rf"(?:{ARABIC_RE}|{CN_RUN_RE}(?:点[{CN_DIGITS}]+)?)"
_RANGE_RE = re.compile(
    r"(?:约为|约有|大约|约)?"
    rf"(?P<a>{_NUMERAL_RE})(?P<amore>多|余)?(?P<ascale>{SCALE_RE})?"
    rf"(?P<aunit>%|[\u4e00-\u9fffA-Za-z]{{0,6}}?)(?:{RANGE_SEP_RE})"
    rf"(?P<b>{_NUMERAL_RE})(?P<bmid>多|余)?(?P<bscale>{SCALE_RE})?(?P<bmore>多余|多|余)?"
    rf"(?P<unit>%|[\u4e00-\u9fffA-Za-z]{{0,6}}?)(?:左右|上下)?"
)
_ARABIC_NUMBER_RE = re.compile(rf"(?P<num>{ARABIC_RE})(?P<scale>(?:{SCALE_RE})?)")


@dataclass(frozen=True)
class Quantity:
    value: float
    low: float | None
    high: float | None
    qualifier: str
    unit_zh: str
    number_text: str
    is_percent: bool


# Traditional → simplified, for the characters of the quantity vocabulary only (numerals,
# scale words, measure words, qualifier, date and set-phrase words of helpers.clean.extract):
# republished pages are often in traditional script. Pairs of one character each, so folding
# keeps every offset; the text and its quotes keep their own characters.
_TRAD_SIMP_PAIRS = (
    "個个萬万億亿餘余約约與与兩两點点幾几數数僅仅於于過过將将達达為为來来這这當当從从開开"
    "場场項项張张條条類类種种屆届輪轮筆笔間间棟栋處处門门節节週周歲岁隊队組组塊块隻只頭头"
    "縣县區区鎮镇鄉乡國国館馆園园時时鐘钟頃顷噸吨臺台輛辆冊册戶户畝亩歐欧裡里裏里號号級级"
    "線线樓楼課课學学體体盤盘帶带嚴严實实雙双會会關关鍵键識识維维護护確确務务結结統统籌筹"
    "規规劃划計计進进獨独無无專专係系攬揽龍龙環环貫贯樣样舉举併并並并邊边眾众齊齐爭争連连"
    "軍军馬马風风順顺鳥鸟東东廣广華华陝陕閩闽贛赣遼辽則则"
)
TRAD_TO_SIMP = {
    _TRAD_SIMP_PAIRS[i]: _TRAD_SIMP_PAIRS[i + 1] for i in range(0, len(_TRAD_SIMP_PAIRS), 2)
}
# Full-width clause punctuation stays: ， is never a thousands separator in Chinese text, and
# the extractor's patterns stop at ，；：！？ and the full-width brackets.
_KEEP = set("，；：！？（）［］｛｝＂＇")


def _fold_char(ch: str) -> str:
    if ch in TRAD_TO_SIMP:
        return TRAD_TO_SIMP[ch]
    if ch in _KEEP or ch.isascii():
        return ch
    # NFKC for the width forms only (６→6, ．→., ％→%, the ideographic space): circled and
    # parenthesised numbers (①, ⑴) are list markers, not digits.
    decomposition = unicodedata.decomposition(ch)
    if decomposition.startswith(("<wide>", "<narrow>")):
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) == 1:
            return folded
    return ch


def fold(text: str) -> str:
    """`text` with width forms and the vocabulary's traditional characters folded, same length."""
    if text.isascii():
        return text
    return "".join(_fold_char(ch) for ch in text)


def _normalize(text: str) -> str:
    # Text extracted from PDFs puts spaces around numbers ('建设 3086个', '1.5亿 元').
    return re.sub(r"\s+", "", fold(text))


def _cn_integer(text: str) -> Decimal:
    """Chinese numeral without decimal point: 六, 二十三, 两千, 三万五, 二〇二四."""
    t = text.replace("两", "二").replace("〇", "零")
    if not any(c in t for c in "十百千万亿"):
        # Digit by digit (二〇二四): only a single digit or a run of them.
        return Decimal("".join(str("零一二三四五六七八九".index(c)) for c in t))
    if t[0] in "百千万亿":
        t = "一" + t  # 百家 / 千人: an implied 一
    # Colloquial abbreviation 三万五 = 三万五千, 一百二 = 一百二十.
    lower = {"亿": "千万", "万": "千", "千": "百", "百": "十"}
    if len(t) >= 2 and t[-1] in "一二三四五六七八九" and t[-2] in lower:
        t += lower[t[-2]]
    # Imported here: ~0.09 s at import, paid by every kernel template and step that imports
    # this module only for its types, while numerals are read by the clean step alone.
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(t, "strict")))
    except (ValueError, KeyError, IndexError) as e:
        raise ValueError(str(e)) from None


def _cn_number(text: str) -> Decimal:
    if "点" in text:
        whole, _, frac = text.partition("点")
        digits = "".join(str("零一二三四五六七八九".index(c)) for c in frac.replace("〇", "零"))
        return _cn_integer(whole) + Decimal("0." + digits)
    return _cn_integer(text)


def _number(text: str) -> Decimal:
    """Exact value of an isolated numeral; ValueError if it is not one."""
    t = _normalize(text)
    if not t:
        raise ValueError("empty")
    m = _ARABIC_NUMBER_RE.fullmatch(t)
    if m:
        value = Decimal(m["num"].replace(",", ""))
        return value * SCALES[m["scale"]] if m["scale"] else value
    if re.fullmatch(rf"{CN_RUN_RE}(?:点[{CN_DIGITS}]+)?", t):
        return _cn_number(t)
    raise ValueError("not a numeral")


def parse_number(text: str) -> float:
    """Value of an isolated numeral, Arabic or Chinese, with 万/亿: '两千' -> 2000.0."""
    try:
        return float(_number(text))
    except (ValueError, InvalidOperation):
        raise JJJError(f"not a number: {text!r}") from None


def _step(value: Decimal) -> Decimal:
    """One unit of the last significant digit place: 6300 -> 100, 2.8e6 -> 1e5, 0 -> 1."""
    if value == 0:
        return Decimal(1)
    return Decimal(1).scaleb(value.normalize().as_tuple().exponent)


def same_value(a: float, b: float) -> bool:
    """Two figures' values are one number (up to float noise; the record's YAML and a parsed
    quote, or two sources' figures)."""
    return abs(float(a) - float(b)) <= 1e-9 * max(abs(float(a)), abs(float(b)), 1.0)


def bounds(value: Decimal, qualifier: str) -> tuple[Decimal | None, Decimal | None]:
    """(low, high) for a value under the conventions of the module docstring."""
    if qualifier == "exact":
        return value, value
    if qualifier == "more_than":
        return value, value + _step(value)
    if qualifier in ("over", "at_least"):
        return value, None
    if qualifier == "nearly":
        return None, value
    return None, None


def _f(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def _parse_range(t: str, text: str) -> Quantity | None:
    """A range such as 300至500家 (normalized `t`); None when `t` is not one."""
    m = _RANGE_RE.fullmatch(t)
    if not m:
        return None
    unit = m["unit"]
    if (m["aunit"] and m["aunit"] != unit) or (unit and unit[0] in CN_NUMERAL_CHARS + "点"):
        return None
    if m["bmid"] and m["bmore"]:
        return None
    try:
        a, b = _number(m["a"]), _number(m["b"])
    except (ValueError, InvalidOperation):
        return None
    if m["bscale"]:
        if m["ascale"]:
            a *= SCALES[m["ascale"]]
        elif a <= b:
            a *= SCALES[m["bscale"]]  # 1至2万元: the scale word is printed once, for both
        b *= SCALES[m["bscale"]]
    elif m["ascale"]:
        a *= SCALES[m["ascale"]]
    high = b + _step(b) if (m["bmid"] or m["bmore"]) else b
    if not a < high:
        raise JJJError(f"not a quantity: {text!r} (range runs backwards)")
    number_text = t[m.start("a") : m.end("bscale") if m["bscale"] else m.end("b")]
    return Quantity(
        value=float(a),
        low=float(a),
        high=float(high),
        qualifier="range",
        unit_zh=unit,
        number_text=number_text,
        is_percent=unit == "%",
    )


def _parse_fraction(t: str, text: str) -> Quantity | None:
    """A fraction such as 三分之一 or 超过三分之二 (normalized `t`); None when `t` is not one."""
    m = _FRACTION_RE.fullmatch(t)
    if not m:
        return None
    try:
        den, num = _number(m["den"]), _number(m["num"])
        value = num / den
    except (ValueError, InvalidOperation, ZeroDivisionError):
        raise JJJError(f"not a quantity: {text!r} (bad fraction)") from None
    qualifier = (
        PRE_QUALIFIERS[m["pre"]] if m["pre"] else POST_QUALIFIERS.get(m["post"] or "", "exact")
    )
    low, high = bounds(value, qualifier)
    return Quantity(
        float(value),
        _f(low),
        _f(high),
        qualifier,
        "分之",
        m.group("den", "num")[0] + "分之" + m["num"],
        False,
    )


def _parse_neighbours(t: str) -> Quantity | None:
    """Two neighbouring digits before a place word, an approximate range: 二三十家 -> [20, 30],
    三四百人 -> [300, 400], 七八个 -> [7, 8]; None when `t` is not one."""
    m = _NEIGHBOURS_RE.fullmatch(t)
    if not m or "一二三四五六七八九".index(m["b"]) != "一二三四五六七八九".index(m["a"]) + 1:
        return None
    place = _number("一" + m["place"]) if m["place"] else Decimal(1)
    a, b = _number(m["a"]) * place, _number(m["b"]) * place
    high = b + _step(b) if m["more"] else b
    unit = m["unit"]
    if unit and unit[0] in CN_NUMERAL_CHARS + "点":
        return None
    return Quantity(
        float(a), float(a), float(high), "range", unit, m["a"] + m["b"] + m["place"], unit == "%"
    )


def parse_quantity(text: str) -> Quantity:
    """Parse one expression such as '6300多家', '约21.88亿元', '超35000人次', '六家', '50%'."""
    t = _normalize(text)
    special = _parse_fraction(t, text) or _parse_range(t, text) or _parse_neighbours(t)
    if special is not None:
        return special
    m = _QUANTITY_RE.fullmatch(t)
    if not m or not (m["num"] or m["pct"]):
        raise JJJError(f"not a quantity: {text!r}")
    unit = m["unit"] or ""
    if m["pct"]:
        number_text, numeral, unit = f"百分之{m['pct']}", m["pct"], "%"
    else:
        numeral = m["num"] + (m["scale"] or "")
        number_text = m["num"] + (m["mid"] or "") + (m["scale"] or "")
        if unit and unit[0] in CN_NUMERAL_CHARS + "点":
            raise JJJError(f"not a quantity: {text!r} (unit starts with a numeral)")
        if m["mid"] and m["more"]:
            raise JJJError(f"not a quantity: {text!r} (多/余 twice)")
    try:
        value = _number(numeral)
    except (ValueError, InvalidOperation):
        raise JJJError(f"not a quantity: {text!r} (bad numeral {numeral!r})") from None
    if m["pre"]:
        qualifier = PRE_QUALIFIERS[m["pre"]]
    elif m["post"]:
        qualifier = POST_QUALIFIERS[m["post"]]
    elif m["mid"] or m["more"]:
        qualifier = "more_than"
    else:
        qualifier = "exact"
    low, high = bounds(value, qualifier)
    return Quantity(
        value=float(value),
        low=_f(low),
        high=_f(high),
        qualifier=qualifier,
        unit_zh=unit,
        number_text=number_text,
        is_percent=unit == "%",
    )
