"""Rebuild paragraphs and reading order from text extracted from a newspaper PDF.

The PDF text breaks lines every few characters, with or without blank lines between them,
splits numbers from units and puts the page's blocks (headline, lead, captions…) in no
particular order. `plain_text` is the generic paragraph rebuild; `reflow` adds roles and
reading order, taking what cannot be inferred from a per-source layout map (data, not code):
data/raw/layout/<source_id>.yml.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass

from helpers.clean.extract import extract
from helpers.clean.vocab import ROLES
from helpers.errors import JJJError

FRONT_ROLES = ("headline", "subheadline", "byline", "lead_quote", "lead")

# A line ending in one of these ends a sentence; closing quotes count after 。！？… only.
_TERMINAL = "。！？…"
_CLOSERS = "”’」』"
# Clause punctuation: a line holding any of these is running text, never a heading.
_CLAUSE = "，。；：！？"
# Punctuation that cannot start a line of a new paragraph, and openers that cannot end one.
_NO_START = "，。、；：！？）》」』”’"
_NO_END = "“‘「『《（【"
# Wider than any newspaper column line (units: CJK = 2): such a line is already a paragraph.
_LONG_LINE = 60
# Caption credit at the end of a paragraph, e.g. （图片来源：…） or （某某 摄）.
_CREDIT = re.compile(r"（[^（）]*(来源|摄)[^（）]*）$")
_EXTRA_SYMBOLS = set("“”‘’…—·■●▲◆")


@dataclass(frozen=True)
class Block:
    role: str
    order: int
    text: str
    line_start: int  # 1-based source line span, inclusive
    line_end: int


@dataclass(frozen=True)
class _Para:
    text: str
    line_start: int
    line_end: int
    standalone: bool  # a short line standing alone: heading, byline, title


def _is_cjk(ch: str) -> bool:
    """CJK characters and full-width punctuation (the curly quotes are 'ambiguous' in Unicode)."""
    return unicodedata.east_asian_width(ch) in "WF" or ch in _EXTRA_SYMBOLS


def _width(s: str) -> int:
    return sum(2 if _is_cjk(c) else 1 for c in s if not c.isspace())


def _clean_line(line: str) -> str:
    """Drop the PDF's spaces next to CJK text (`建设 3086个` → `建设3086个`); keep Latin spacing."""
    line = line.strip()

    def fix(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        return left + right if _is_cjk(left) or _is_cjk(right) else f"{left} {right}"

    # Lookahead-free two-pass substitution: overlapping pairs like `a 1 b` need both passes.
    for _ in range(2):
        line = re.sub(r"(\S)\s+(\S)", fix, line)
    return line


def _join(left: str, right: str) -> str:
    """Join a broken line: no space unless a Latin word would run into another."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if a.isascii() and b.isascii() and a.isalpha() and b.isalpha():
        return f"{left} {right}"
    return left + right


def _ends_sentence(s: str) -> bool:
    s = s.rstrip(_CLOSERS) if s and s[-1] in _CLOSERS else s
    return bool(s) and s[-1] in _TERMINAL


def _inside_mention(left: str, right: str) -> bool:
    """Whether a line break between `left` and `right` (the text before and after it) cuts a
    numeric mention in two (6300多|家, 2023年12月|28日, 今年上|半年): never a paragraph's end."""
    # The extractor's vocabulary decides.
    a, b = left[-12:], right[:12]
    return any(c.start < len(a) < c.end for c in extract(a + b))


def _paragraphs(raw: str) -> list[_Para]:
    """Group the non-blank source lines into paragraphs, with their source line spans."""
    # long: the small rules below share the lines, their widths and two backward
    # passes (chain, fresh); as separate functions they would pass all of it around.
    lines = [
        (n, _clean_line(text), text[:1].isspace())
        for n, text in enumerate(raw.splitlines(), 1)
        if text.strip()
    ]
    if not lines:
        return []
    texts = [t for _, t, _ in lines]
    widths = [_width(t) for t in texts]
    count = len(lines)

    def w(k: int) -> int:
        return widths[k] if 0 <= k < count else 0

    def ends(k: int) -> bool:
        return _ends_sentence(texts[k]) or bool(_CREDIT.search(texts[k]))

    def indented(k: int) -> bool:
        # A paragraph's first line is 1–4 characters shorter than the full line after it.
        if k + 1 >= count or ends(k) or w(k) > _LONG_LINE:
            return False
        return 3 <= w(k + 1) - w(k) <= 8

    glued: dict[int, bool] = {}

    def glue(k: int) -> bool:
        # The break after line k falls inside one numeric mention: never a paragraph's end.
        # Lines can be a character or two long, so the text on each side spans several lines.
        if k not in glued:
            left = "".join(texts[max(0, k - 11) : k + 1])
            glued[k] = k + 1 < count and _inside_mention(left, "".join(texts[k + 1 : k + 13]))
        return glued[k]

    # chain[k]: line k could stand alone (heading-like) if the line before it ended a paragraph.
    chain = [False] * (count + 1)
    fresh = [True] * (count + 1)  # fresh[k]: line k starts something new (EOF counts)
    for k in range(count - 1, -1, -1):
        long_line = w(k) > _LONG_LINE
        chain[k] = (
            not ends(k)
            and not any(c in _CLAUSE for c in texts[k])
            and not long_line
            and fresh[k + 1]
            and texts[k][-1] not in _NO_END
            and not glue(k)
        )
        fresh[k] = texts[k][0] not in _NO_START and (
            lines[k][2] or long_line or indented(k) or chain[k]
        )

    def full_column(k: int) -> bool:
        # A sentence ending on a full column line, followed by a full line, is mid-paragraph.
        if w(k) > _LONG_LINE or k + 1 >= count:
            return False
        col = max(w(k - 1), w(k + 1))
        return w(k) >= col - 2 and abs(w(k + 1) - w(k)) <= 3 and not fresh[k + 1]

    paras: list[_Para] = []
    cur: list[int] = []
    standalone = False

    def flush() -> None:
        nonlocal cur, standalone
        if cur:
            text = ""
            for k in cur:
                text = _join(text, texts[k])
            paras.append(_Para(text, lines[cur[0]][0], lines[cur[-1]][0], standalone))
        cur, standalone = [], False

    at_start = True  # the previous line ended a paragraph
    for k in range(count):
        new = (at_start or lines[k][2]) and texts[k][0] not in _NO_START and not (k and glue(k - 1))
        if new:
            flush()
        if new and chain[k]:
            cur, standalone = [k], True
            flush()
            at_start = True
            continue
        cur.append(k)
        at_start = ends(k) and not full_column(k)
    flush()
    return paras


def plain_text(raw: str) -> str:
    """Paragraphs of `raw` in source order, separated by a blank line; idempotent."""
    return "\n\n".join(p.text for p in _paragraphs(raw))


def _default_role(p: _Para) -> str:
    if _CREDIT.search(p.text):
        return "caption"
    return "section_heading" if p.standalone else "paragraph"


def reflow(raw: str, layout: dict | None = None) -> list[Block]:
    """Blocks with roles, in reading order (`order` 1…n); `layout` names what cannot be inferred."""
    paras = _paragraphs(raw)
    roles = [_default_role(p) for p in paras]
    after: dict[int, int] = {}  # caption index → index of the section heading it belongs to
    where = (layout or {}).get("_path", "layout map")
    for entry in (layout or {}).get("blocks") or []:
        starts, role = entry.get("starts"), entry.get("role")
        if role not in ROLES:
            raise JJJError(f"{where}: block {starts!r} has unknown role {role!r}")
        hits = [i for i, p in enumerate(paras) if starts and p.text.startswith(starts)]
        if len(hits) != 1:
            raise JJJError(f"{where}: block {starts!r} matches {len(hits)} paragraphs, not 1")
        roles[hits[0]] = role
        if entry.get("section"):
            heads = [i for i, p in enumerate(paras) if p.text == entry["section"]]
            if len(heads) != 1:
                raise JJJError(f"{where}: section {entry['section']!r} not found for {starts!r}")
            after[hits[0]] = heads[0]

    front = sorted(
        (i for i, r in enumerate(roles) if r in FRONT_ROLES),
        key=lambda i: (FRONT_ROLES.index(roles[i]), i),
    )
    body = [i for i, r in enumerate(roles) if r not in FRONT_ROLES and i not in after]
    # Each placed caption goes at the end of its section: before the next heading.
    for cap, head in sorted(after.items()):
        pos = body.index(head) + 1
        while pos < len(body) and roles[body[pos]] != "section_heading":
            pos += 1
        body.insert(pos, cap)
    return [
        Block(roles[i], n, paras[i].text, paras[i].line_start, paras[i].line_end)
        for n, i in enumerate(front + body, 1)
    ]


def article_text(blocks: list[Block]) -> str:
    """The reading-order text: block texts joined by a blank line (what quotes are checked in)."""
    return "\n\n".join(b.text for b in sorted(blocks, key=lambda b: b.order))


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in sorted(blocks, key=lambda b: b.order):
        if b.role == "headline":
            out.append(f"# {b.text}")
        elif b.role == "subheadline":
            out.append(f"## {b.text}")
        elif b.role == "byline":
            out.append(f"*{b.text}*")
        elif b.role in ("lead_quote", "lead"):
            out.append(f"> {b.text}")
        elif b.role == "section_heading":
            out.append(f"### {b.text}")
        elif b.role == "caption":
            out.append(f"*[{b.text}]*")
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def to_json(blocks: list[Block], source) -> str:
    """Deterministic JSON of the blocks of `source` (a helpers.clean.sources.Source)."""
    doc = {
        "source_id": source.id,
        "sha256": source.sha256,
        "blocks": [asdict(b) for b in sorted(blocks, key=lambda b: b.order)],
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
