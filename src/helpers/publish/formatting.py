"""How a number reads in each language: a Value (number, unit, qualifier, bounds, provenance)
and its text, 6300多家 / more than 6,300 organizations.

A Value is what a notebook glues for its prose (helpers.publish.prose) and what a note cites
(helpers.publish.notes). Chinese groups by 万 and 亿, English by thousands, millions and
billions; a computed value keeps only the digits its inputs support.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from helpers.errors import JJJError

# How a qualifier reads around a number ({n} number, {u} unit). Chinese puts 多 after the
# number, as the sources print it (6300多家); English before it.
FORMS: dict[str, dict[str, str]] = {
    "exact": {"zh": "{n}{u}", "en": "{n} {u}"},
    "more_than": {"zh": "{n}多{u}", "en": "more than {n} {u}"},
    "over": {"zh": "超过{n}{u}", "en": "over {n} {u}"},
    "about": {"zh": "约{n}{u}", "en": "about {n} {u}"},
    "nearly": {"zh": "近{n}{u}", "en": "nearly {n} {u}"},
    "at_least": {"zh": "至少{n}{u}", "en": "at least {n} {u}"},
    "at_most": {"zh": "至多{n}{u}", "en": "at most {n} {u}"},
    "at_least_about": {"zh": "至少约{n}{u}", "en": "at least about {n} {u}"},
    "at_most_about": {"zh": "至多约{n}{u}", "en": "at most about {n} {u}"},
    "range": {"zh": "{lo}至{hi}{u}", "en": "between {lo} and {hi} {u}"},
    "range_about": {"zh": "约{lo}至{hi}{u}", "en": "about {lo} to {hi} {u}"},
}
# English unit words that do not take a plain "s" (the data gives plurals).
SINGULAR = {"person-times": "person-time", "yuan": "yuan", "people": "person"}


@dataclass(frozen=True)
class Citation:
    """A source as a reader cites it. Text fields may be a str or {"zh": …, "en": …}."""

    publisher: str | dict = ""
    title: str | dict = ""
    date: str | dict = ""  # as precise as known; empty when the source prints none
    url: str = ""
    note: str | dict = ""  # e.g. "publisher most likely, not printed on the page"


@dataclass(frozen=True)
class Value:
    """A number with its unit, qualifier, bounds and provenance."""

    number: float
    unit: str = ""  # English unit word, plural (projects, yuan, person-times)
    qualifier: str = "exact"  # a key of FORMS
    low: float | None = None
    high: float | None = None
    unit_zh: str = ""  # Chinese counter or unit (个, 家, 元)
    sig: int | None = None  # significant digits the inputs support (None: as printed)
    quote: str = ""  # verbatim text of the source
    citation: Citation | None = None
    attribution: str = ""  # who said it, as the source prints it (据记者了解)
    basis: tuple[Value, ...] = field(default_factory=tuple)  # a derived value's terms
    operation: str = ""  # how the basis combines ("÷")
    note: str | dict = ""  # how it was obtained, when not quoted ("counted in events.csv")
    quote_lang: str = "zh"  # the language the source prints `quote` in (expr_lang: en)


# ----------------------------------------------------------------------------- numbers


def _sig_round(v: float, sig: int, mode=ROUND_HALF_UP) -> Decimal:
    """`v` to `sig` significant digits, decimal rounding (0.78125 → 0.7813 at 4 digits)."""
    d = Decimal(repr(float(v)))
    if d == 0:
        return d
    exp = d.adjusted() - sig + 1
    return d.quantize(Decimal(1).scaleb(exp), rounding=mode).normalize()


def rounded(v: float, sig: int | None, direction: str = "") -> Decimal:
    """`v` rounded to `sig` significant digits; an upper bound rounds up, a lower one down."""
    mode = {"up": ROUND_CEILING, "down": ROUND_FLOOR}.get(direction, ROUND_HALF_UP)
    if sig is None:
        # As printed, but never more than four decimals: a float division is not a print.
        d = Decimal(repr(float(v)))
        if d == d.to_integral_value():
            return d.quantize(Decimal(1))
        return d.quantize(Decimal("0.0001"), rounding=mode).normalize()
    return _sig_round(v, sig, mode)


def _plain(d: Decimal, commas: bool) -> str:
    """A Decimal without exponent or trailing zeros; English groups thousands (5,367)."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if commas:
        whole = f"{int(whole):,}"
    return sign + whole + (f".{frac}" if frac else "")


def number(v: float, lang: str, *, sig: int | None = None, direction: str = "") -> str:
    """A number as the language writes it: 5,367 / 5367; 2.188 billion / 21.88亿; 8万."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    d = rounded(v, sig, direction)
    a = abs(d)
    if lang == "zh":
        for scale, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            # 万 only where a Chinese statistic would print it: round amounts (8万), millions,
            # and whole hundreds from 10万 (89.13万); 116877 and 35000 stay as printed.
            if a >= scale and (
                word == "亿" or a >= 10**6 or a % scale == 0 or (a >= 10**5 and a % 100 == 0)
            ):
                q = (d / scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                return _plain(q, False) + word
        return _plain(d, False)
    for scale, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if a >= scale:
            # The printed precision kept (21.88亿 = 2.188 billion); a computed value (sig
            # given) keeps only the digits its inputs support.
            q = (
                (d / scale).normalize()
                if sig is None
                else _sig_round(float(d / scale), sig, ROUND_HALF_UP)
            )
            return _plain(q, True) + f" {word}"
    return _plain(d, True)


def _unit(value: Value, lang: str, n: float) -> str:
    if lang == "zh":
        return value.unit_zh
    u = value.unit
    if n == 1 and u:
        return SINGULAR.get(u, u[:-1] if u.endswith("s") else u)
    return u


def format_value(value: Value, lang: str) -> str:
    """The value as plain text in `lang`, its qualifier kept: 6300多家 / more than 6,300 …"""
    if value.qualifier not in FORMS:
        raise JJJError(f"prose: unknown qualifier {value.qualifier!r}; known: {sorted(FORMS)}")
    qualifier = value.qualifier
    if qualifier.startswith("range"):
        lo = number(value.low, lang, sig=value.sig, direction="down")
        hi = number(value.high, lang, sig=value.sig, direction="up")
        if lo == hi:  # bounds that round together: one number, roughly
            return format_value(replace(value, number=value.low, qualifier="about"), lang)
        return FORMS[qualifier][lang].format(lo=lo, hi=hi, u=_unit(value, lang, 2)).strip()
    direction = ""
    if qualifier.startswith("at_most"):
        direction = "up"
    elif qualifier.startswith("at_least"):
        direction = "down"
    n = number(value.number, lang, sig=value.sig, direction=direction)
    if qualifier == "exact" and rounded(value.number, value.sig) != Decimal(repr(value.number)):
        qualifier = "about"  # rounded to what the inputs support: no longer exact
    if lang == "zh" and qualifier == "more_than" and n[-1:] in ("万", "亿"):
        return f"{n[:-1]}多{n[-1]}{_unit(value, lang, value.number)}"  # 280多万人次, as printed
    return FORMS[qualifier][lang].format(n=n, u=_unit(value, lang, value.number)).strip()


def from_figure(row, citation: Citation | None = None, *, attribution: str = "") -> Value:
    """A figure row of data/processed/figures.csv as a Value."""

    def num(x):
        return None if x is None or (isinstance(x, float) and math.isnan(x)) or x == "" else x

    get = row.get if hasattr(row, "get") else (lambda k, d=None: row[k])
    attr = attribution or get("attribution", "") or ""
    return Value(
        number=float(row["value"]),
        unit=str(get("unit", "") or ""),
        qualifier=str(row["qualifier"]),
        low=num(get("value_low", None)),
        high=num(get("value_high", None)),
        unit_zh=str(get("unit_zh", "") or ""),
        quote=str(get("quote", "") or ""),
        citation=citation,
        attribution=str(attr) if isinstance(attr, str) else "",
        quote_lang="en" if get("expr_lang", "") == "en" else "zh",
    )
