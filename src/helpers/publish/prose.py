"""Numbers in prose: named values glued in code cells, filled into markdown cells at export.

A code cell names values (`glue("nat_total", Value(...))`); a markdown cell tagged `lang-zh` or
`lang-en` writes `{{ nat_total }}` where the number goes. At export (`prepare`), the report keeps
its language's cells, drops the other's, keeps a cell tagged `if-<name>` / `unless-<name>` only
when that glued bool holds, and replaces each placeholder by the value formatted for the
language, qualifier kept, linked to a numbered note that gives the quote and its source.
The shapes are documented in docs/editing-a-notebook.md (the prose contract).
"""

from __future__ import annotations

import copy
import html
import math
import re
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from helpers import paths
from helpers.engine import cells
from helpers.errors import JJJError

MIMETYPE = "application/vnd.jjj-report.glue+json"
LANGS = paths.LANGS
LANG_TAG = "lang-{}"
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*")
CONDITION = re.compile(r"^(if|unless)-(.+)$")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TOKEN = re.compile(r"JJJVALUE\d{5}X")

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
NOTES_HEADING = {"zh": "注释", "en": "Notes"}
NOTE_LABEL = {"zh": "注释{n}", "en": "note {n}"}


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


# ------------------------------------------------------------------------- gluing values


def _to_json(value) -> dict:
    if isinstance(value, Value):
        return {"kind": "value", **asdict(value)}
    if isinstance(value, bool):
        return {"kind": "bool", "value": value}
    if isinstance(value, str):
        return {"kind": "str", "value": value}
    raise JJJError(f"prose.glue: a {type(value).__name__} cannot be glued; use Value, bool or str")


def _value_from(d: dict) -> Value:
    d = dict(d)
    d.pop("kind", None)
    if d.get("citation"):
        d["citation"] = Citation(**d["citation"])
    d["basis"] = tuple(_value_from(b) for b in d.get("basis") or ())
    return Value(**d)


def _from_json(d: dict):
    if d.get("kind") == "value":
        return _value_from(d)
    return d["value"]


def bundle(values: dict) -> dict:
    """The display_data output that carries `values` inside the executed notebook."""
    for name in values:
        if not NAME.fullmatch(name):
            raise JJJError(f"prose.glue: {name!r} is not a name (letters, digits, _ and .)")
    data = {MIMETYPE: {name: _to_json(v) for name, v in values.items()}}
    return {"output_type": "display_data", "data": data, "metadata": {}}


def glue(name: str | dict, value=None) -> None:
    """Name a value (or a dict of them) for the prose; nothing is shown in the report."""
    from IPython.display import display

    values = name if isinstance(name, dict) else {name: value}
    display(bundle(values)["data"], raw=True)


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


# ------------------------------------------------------------------------------ export


def collect(nb) -> dict:
    """Every glued value of an executed notebook, later glues overriding earlier ones."""
    values: dict = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {}) if out.get("output_type") == "display_data" else {}
            for name, d in (data.get(MIMETYPE) or {}).items():
                values[name] = _from_json(d)
    return values


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _keep(cell, where: str, lang: str, values: dict) -> bool:
    tags = _tags(cell)
    langs = [t.removeprefix("lang-") for t in tags if t.startswith("lang-")]
    if langs and lang not in langs:
        return False
    for tag in tags:
        m = CONDITION.match(tag)
        if not m:
            continue
        kind, name = m.groups()
        if name not in values:
            raise JJJError(f"{where}: condition {tag!r}: no value {name!r}")
        flag = values[name]
        if not isinstance(flag, bool):
            raise JJJError(f"{where}: condition {tag!r}: not a bool")
        if flag != (kind == "if"):
            return False
    return True


class Notes:
    """Provenance notes numbered in order of first use."""

    def __init__(self, lang: str):
        self.lang = lang
        self.items: list[str] = []
        self._ids: dict[str, int] = {}
        # Placeholders become plain tokens before the markdown is rendered (a markdown
        # renderer may split inline HTML); the tokens are replaced in the rendered HTML.
        self.fills: dict[str, tuple[str, str]] = {}

    def token(self, html_text: str, plain: str) -> str:
        token = f"JJJVALUE{len(self.fills):05d}X"
        self.fills[token] = (html_text, plain)
        return token

    def substitute(self, rendered: str) -> str:
        """The rendered HTML with every token replaced by its value and note link."""
        return _TOKEN.sub(lambda m: self.fills[m.group(0)][0], rendered)

    def plain(self, text: str) -> str:
        """Text with every token replaced by the value alone (no note marker)."""
        return _TOKEN.sub(lambda m: self.fills[m.group(0)][1], text)

    def number(self, name: str, value: Value) -> int:
        if name not in self._ids:
            self.items.append(note_html(value, self.lang))
            self._ids[name] = len(self.items)
        return self._ids[name]

    def html(self) -> str:
        if not self.items:
            return ""
        lis = "".join(
            f'<li id="note-{i}">{text}</li>' for i, text in enumerate(self.items, start=1)
        )
        head = html.escape(NOTES_HEADING[self.lang])
        return (
            f'<section class="notes" aria-labelledby="notes-heading">'
            f'<h2 id="notes-heading">{head}</h2><ol>{lis}</ol></section>'
        )


def _pick(text, lang: str) -> str:
    if isinstance(text, dict):
        text = str(text.get(lang) or text.get("zh") or "")
    text = str(text or "")
    if lang == "en":
        from helpers.publish.i18n import dashes

        text = dashes(text)  # the region's one English name, whatever a source writes
    return text


def citation_html(c: Citation, lang: str) -> str:
    """Publisher, 《title》/“title”, date, link; what is uncertain said so."""
    parts = []
    if pub := _pick(c.publisher, lang):
        parts.append(html.escape(pub))
    if title := _pick(c.title, lang):
        parts.append(html.escape(f"《{title}》" if lang == "zh" else f"“{title}”"))
    if date := _pick(c.date, lang):
        parts.append(html.escape(date))
    if c.url:
        url = html.escape(c.url, quote=True)
        parts.append(f'<a href="{url}">{html.escape(c.url)}</a>')
    text = ("，" if lang == "zh" else ", ").join(parts)
    if note := _pick(c.note, lang):
        text += f"（{html.escape(note)}）" if lang == "zh" else f" ({html.escape(note)})"
    return text


# A quote the source prints in English, shown as printed and said to be English in zh.
QUOTE_EN = {"zh": "英文原文：“{q}”", "en": "“{q}” (printed in English)"}


def quoted(value: Value, lang: str) -> str:
    """The value's quote in quotation marks, as printed; an English one said to be English."""
    if value.quote_lang == "en":
        return QUOTE_EN[lang].format(q=value.quote)
    return f"“{value.quote}”"


def note_html(value: Value, lang: str) -> str:
    """A note: “quote” — attribution — source; a derived value lists its terms."""
    parts = []
    if value.quote:
        q = quoted(value, lang)
        if lang == "en" and value.quote_lang != "en" and not value.basis:
            q += f" ({format_value(value, 'en')})"  # a Chinese quote glossed by its value
        parts.append(html.escape(q))
    if value.attribution:
        from helpers.publish.i18n import attribution

        parts.append(html.escape(attribution(value.attribution, lang)))
    if value.citation:
        parts.append(citation_html(value.citation, lang))
    if note := _pick(value.note, lang):
        parts.append(html.escape(note))
    sep = "；" if lang == "zh" else "; "
    if value.basis:
        op = f" {value.operation or '÷'} "
        terms = op.join(
            html.escape(quoted(b, lang) if b.quote else format_value(b, lang)) for b in value.basis
        )
        cites = dict.fromkeys(citation_html(b.citation, lang) for b in value.basis if b.citation)
        head = "由原文推得：" if lang == "zh" else "derived: "
        parts += [head + terms, *cites]
    return sep.join(p for p in parts if p)


def value_html(name: str, value, notes: Notes, *, heading: bool = False) -> str:
    """The filled placeholder, as a token standing for the formatted value and its note link.

    In a heading the value is plain text: a heading is also the page's <title> and the PDF's
    outline entry, where a note marker would read as "[1]". Its note comes with the same
    value in the text below."""
    if isinstance(value, bool):
        raise JJJError(f"prose: {name!r} is a condition, not a value to print")
    if isinstance(value, str):
        return notes.token(html.escape(value), value)
    if heading:
        plain = format_value(value, notes.lang)
        return notes.token(html.escape(plain), plain)
    n = notes.number(name, value)
    plain = format_value(value, notes.lang)
    label = html.escape(NOTE_LABEL[notes.lang].format(n=n), quote=True)
    return notes.token(
        f'<span class="value">{html.escape(plain)}</span><sup class="note-ref">'
        f'<a href="#note-{n}" role="doc-noteref" aria-label="{label}">[{n}]</a></sup>',
        plain,
    )


def fill(source: str, values: dict, notes: Notes, where: str) -> str:
    """Replace every {{ name }} in a markdown cell's source."""

    def sub(m: re.Match, heading: bool) -> str:
        name = m.group(1)
        if name not in values:
            raise JJJError(f"{where}: unknown name {name!r} in {{{{ {name} }}}}")
        return value_html(name, values[name], notes, heading=heading)

    out = []
    for line in source.splitlines(keepends=True):
        heading = HEADING.match(line) is not None
        out.append(PLACEHOLDER.sub(lambda m, h=heading: sub(m, h), line))
    return "".join(out)


def prepare(nb, lang: str, *, notebook: str = "notebook", drop_tags=()) -> tuple[object, Notes]:
    """The notebook as the report shows it in `lang`, and its Notes (the notes' HTML, and the
    tokens its markdown holds in place of values: `notes.substitute(rendered_html)`).

    Drops the other language's cells, cells tagged with `drop_tags`, cells whose condition does
    not hold and the glue outputs; fills the placeholders of the markdown cells kept.
    """
    if lang not in LANGS:
        raise JJJError(f"prose: unknown language {lang!r}")
    values = collect(nb)
    notes = Notes(lang)
    out = copy.deepcopy(nb)
    kept = []
    for index, cell in enumerate(out.cells):
        if set(_tags(cell)) & set(drop_tags):
            continue
        where = f"{notebook}: {cells.label(out.cells, index)}"
        if not _keep(cell, where, lang, values):
            continue
        if cell.cell_type == "markdown":
            cell.source = fill(cell.source, values, notes, where)
        elif cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.get("outputs", []) if MIMETYPE not in (o.get("data") or {})
            ]
        kept.append(cell)
    out.cells = kept
    return out, notes


def title(nb, notes: Notes) -> str:
    """Plain text of the first level-one heading of the kept markdown cells (the page's
    <title> and the PDF's title), or "" when there is none."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in notes.plain(cell.source).splitlines():
            if line.startswith("# "):
                return " ".join(re.sub(r"<[^>]+>", "", line[2:]).split())
    return ""


def description(nb, notes: Notes) -> str:
    """Plain text of the first kept markdown cell tagged `description` (for the page's
    <meta name="description"> and the index line)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "description" in _tags(cell):
            text = re.sub(r"^\s*(#+|[-*])\s+", "", notes.plain(cell.source), flags=re.M)
            return " ".join(re.sub(r"<[^>]+>", "", text).split())
    return ""
