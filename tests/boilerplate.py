"""How much of a year report's prose repeats other year reports word for word (issue #23).

Prose: the paragraphs and list items of the notebook's markdown cells (`text_cell_render`),
headings, tables, charts, notes, sources and colophon excluded; note markers ([1]) removed.
A sentence ends at 。！？ or at ". " / "? " / "! ". A year report's share is the part of its
sentences that also appear, word for word, in another year's report of the same language.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_END = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+(?=\S)")
_NOTE = re.compile(r"\[\d+\]")


class _Prose(HTMLParser):
    BLOCKS = {"p", "li"}
    SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "table", "svg", "style", "script", "figure"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, opens a markdown cell)
        self.blocks: list[str] = []
        self._current: list[str] | None = None

    def _in_cell(self) -> bool:
        return any(cell for _, cell in self.stack)

    def _skipping(self) -> bool:
        return any(tag in self.SKIP for tag, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        cls = dict(attrs).get("class") or ""
        self.stack.append((tag, tag == "div" and "text_cell_render" in cls))
        if tag in self.BLOCKS and self._in_cell() and not self._skipping():
            if self._current is None:
                self._current = []

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if (
            tag in self.BLOCKS
            and self._current is not None
            and not any(t in self.BLOCKS for t, _ in self.stack)
        ):
            self.blocks.append("".join(self._current))
            self._current = None

    def handle_data(self, data):
        if self._current is not None and not self._skipping():
            self._current.append(data)


def sentences(page: str) -> list[str]:
    """The prose sentences of one built report page, whitespace normalized."""
    p = _Prose()
    p.feed(page)
    out = []
    for block in p.blocks:
        text = re.sub(r"\s+", " ", _NOTE.sub("", block)).strip()
        out += [s.strip() for s in _END.split(text) if len(s.strip()) > 1]
    return out


def shares(pages: dict) -> dict:
    """{report: share of its sentences found word for word in another report of `pages`}."""
    sets = {k: sentences(v) for k, v in pages.items()}
    out = {}
    for k, own in sets.items():
        others = set().union(*(set(v) for j, v in sets.items() if j != k))
        out[k] = sum(s in others for s in own) / len(own) if own else 0.0
    return out
