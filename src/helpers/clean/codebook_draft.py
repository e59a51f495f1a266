"""A draft codebook from the extractor's candidates: `jjj-report extract FILE --format codebook`.

Every candidate of kind ``statistic`` becomes a figure in the format of data/raw/figures.yml:
what the parser reads (quote, a context when the quote is not unique, value, qualifier,
unit_zh) is filled in and must stay; what needs a reader (unit, subject, measure, region,
period, category) is a placeholder or a guess marked ``# check``. Comments show each
candidate's bounds, context and nearest period. The draft loads and passes the codebook
checks as it stands; the analyst confirms or excludes each figure (docs/adding-a-source.md).
"""

from __future__ import annotations

import json
import re

from helpers.clean.candidates import Candidate
from helpers.clean.schema import CATEGORIES, PERIOD_TYPES, REGIONS

# English for the common measure words; anything else is TODO.
UNIT_EN = {
    "家": "organizations",
    "个": "items",
    "人": "people",
    "名": "people",
    "位": "people",
    "人次": "person-times",
    "户": "households",
    "元": "yuan",
    "美元": "US dollars",
    "所": "institutions",
    "场": "sessions",
    "项": "projects",
    "次": "times",
    "件": "items",
    "座": "buildings",
    "亩": "mu",
    "小时": "hours",
    "天": "days",
    "年": "years",
    "%": "percent",
}
# Named places → the region vocabulary (schema.REGIONS); 京津冀 or several of them → all three.
_PLACES = (("雄安", "Xiong'an"), ("北京", "Beijing"), ("天津", "Tianjin"), ("河北", "Hebei"))
_ORG_WORDS = re.compile(r"基金会|协会|商会|学会|研究院|中心|公司|集团|促进会|联合会")
_SENTENCE_END = "。！？\n"
_CLAUSE_END = "，。；！？、：\n"
_QUOTES = "“”‘’「」『』\"'"


def _q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _between(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """The span around [start, end) up to the nearest stop characters on each side."""
    a = max((text.rfind(ch, 0, start) for ch in stops), default=-1) + 1
    ends = [i for i in (text.find(ch, end) for ch in stops) if i >= 0]
    return a, min(ends, default=len(text))


def unique_context(text: str, start: int, end: int) -> str | None:
    """The shortest passage around text[start:end] found once in `text` (None: quote is unique).

    Grows one character each side within the paragraph; the quote occurs once in it."""
    quote = text[start:end]
    if text.count(quote) == 1:
        return None
    lo, hi = _between(text, start, end, "\n")
    a, b = start, end
    while a > lo or b < hi:
        a, b = max(lo, a - 1), min(hi, b + 1)
        window = text[a:b]
        if text.count(window) == 1 and window.count(quote) == 1:
            return window
    return text[lo:hi]


def _region(sentence: str) -> tuple[str, bool]:
    """(region, guessed from a place name in the sentence)."""
    named = [r for word, r in _PLACES if word in sentence]
    if "京津冀" in sentence or len(set(named) - {"Xiong'an"}) > 1:
        return "Beijing-Tianjin-Hebei", True
    if named:
        return named[0], True
    if "全国" in sentence:
        return "national", True
    return REGIONS[0], False


def _nearest_period(c: Candidate, dated: list[Candidate], text: str) -> Candidate | None:
    """The date or period closest before the statistic in its sentence, else after it in its
    clause (三地1000多家基金会近三年…)."""
    a = _between(text, c.start, c.end, _SENTENCE_END)[0]
    b = _between(text, c.start, c.end, _CLAUSE_END)[1]
    before = [d for d in dated if a <= d.start and d.end <= c.start]
    return before[-1] if before else next((d for d in dated if c.end <= d.start < b), None)


def _span_text(d: Candidate) -> str:
    if not d.period_start and not d.period_end:
        return "no dates (" + (d.reason or "unresolved") + ")"
    return f"{d.period_start or '…'} – {d.period_end or '…'}" + (
        ", ambiguous" if d.ambiguous else ""
    )


def _bounds(c: Candidate) -> str:
    low = "…" if c.value_low is None else _num(c.value_low)
    high = "…" if c.value_high is None else _num(c.value_high)
    return f"{c.qualifier}, bounds [{low}, {high}]"


def _figure(n: int, c: Candidate, text: str, dated: list[Candidate]) -> list[str]:
    """The lines of one drafted figure: comments, then the entry."""
    fid = f"figure_{n:02d}_{_num(c.value).replace('.', 'p')}"
    sa, sb = _between(text, c.start, c.end, _SENTENCE_END)
    sentence = text[sa:sb]
    ca, cb = _between(text, c.start, c.end, _CLAUSE_END)
    region, named = _region(sentence)
    period = _nearest_period(c, dated, text)
    period_type = "total"
    if period is not None and period.kind == "date" and period.period_start == period.period_end:
        period_type = "as_of"
    category = "case_study" if _ORG_WORDS.search(sentence) else "headline"
    unit_en = UNIT_EN.get(c.unit_zh)
    lines = [
        f"  # {c.quote} · char {c.start} · {_bounds(c)}"
        + (" · AMBIGUOUS: confirm it is a count" if c.ambiguous else ""),
        f"  # …{c.context}…",
    ]
    if period is not None:
        lines.append(f"  # period near it: {period.quote} → {_span_text(period)}")
    context = unique_context(text, c.start, c.end)
    lines += [
        f"  - id: {fid}  # check: a stable snake_case name",
        f"    quote: {_q(c.quote)}",
        *([f"    context: {_q(context)}"] if context else []),
        f"    value: {_num(c.value)}",
        f"    qualifier: {c.qualifier}",
        f"    unit: {_q(unit_en or 'TODO')}"
        + ("  # check" if unit_en else f"  # English for {c.unit_zh or 'the unit'}"),
        f"    unit_zh: {_q(c.unit_zh)}"
        if c.unit_zh
        else '    unit_zh: "TODO"  # no measure word printed: what is counted?',
        f"    subject_zh: {_q(text[ca:cb].strip(_QUOTES))}  # check: what is counted",
        f"    subject_en: {_q('TODO')}",
        f"    measure: todo_{fid}  # what is counted; share ids across sources",
        f"    region: {_q(region)}  # check"
        + ("" if named else ": no place named in the sentence")
        + f" ({', '.join(REGIONS)})",
        '    period_start: ""  # ISO dates; leave empty rather than guess',
        '    period_end: ""',
        '    period_text: ""',
        "    period_ambiguous: false",
        f"    period_type: {period_type}  # check: {', '.join(PERIOD_TYPES)}",
        f"    category: {category}  # check: {', '.join(CATEGORIES)}",
        '    organization: ""',
        "",
    ]
    return lines


def draft(text: str, candidates: list[Candidate], source_id: str, ref_note: str) -> str:
    """The draft codebook (YAML with comments) of `text` and its extracted `candidates`."""
    stats = [c for c in candidates if c.kind == "statistic"]
    dated = [c for c in candidates if c.kind in ("date", "period")]
    out = [
        f"# Draft codebook of source {source_id}: {len(stats)} candidate statistics,",
        "# written by `jjj-report extract FILE --format codebook`.",
        f"# Reference date: {ref_note}",
        "# Quote, context, value, qualifier and unit_zh are the parser's reading: keep them.",
        "# For each figure either confirm it (replace every TODO, check each `# check` field,",
        "# fill the period from the text) or move its quote and context to `excluded:` with",
        "# a reason. Then delete the comments. Format and checks: docs/adding-a-source.md.",
        "",
        f"source_id: {_q(source_id)}",
        "",
        "figures:" if stats else "figures: []",
    ]
    for n, c in enumerate(stats, 1):
        out += _figure(n, c, text, dated)
    out += [
        "# Numbers that are not statistics; a quote with a context when it is not unique:",
        "#  - quote: 一家",
        "#    context: 作为一家以养老为主",
        "#    reason: indefinite article, not a count",
        "excluded: []",
        "",
        "# Dated events (id, date_start, date_end, date_text, quote, text_zh, text_en).",
        "# The text's dates:",
        *dict.fromkeys(f"#   {d.quote} → {_span_text(d)}" for d in dated if d.kind == "date"),
        "events: []",
    ]
    return "\n".join(out) + "\n"
