"""Language checks of a built report page (issue #10): a zh page has no English sentence outside
URLs, quoted titles (《…》), a source's English-only expression labelled 英文原文 and the
colophon, and no text marked lang="en" there either (the link to the English page excepted);
an en page glosses every Chinese expression it shows.

A Chinese expression counts as glossed in an en page when it stands in parentheses or quotes
next to its English ((北京慈弘慈善基金会), “十年来”, 《…》), or in a table column that prints the
source as printed ("As printed"), whose row gives the value in English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Two English words or more in a row (a phrase, not a lone "PDF").
ENGLISH = re.compile(r"[A-Za-z][A-Za-z’'-]+(?:[ ,]+[A-Za-z][A-Za-z’'-]+)+")
URL = re.compile(r"https?://\S+")
QUOTED = re.compile(r"\([^()]*\)|（[^（）]*）|“[^”]*”|\"[^\"]*\"|《[^》]*》|«[^»]*»|‘[^’]*’")
TITLE = re.compile(r"《[^》]*》")  # a quoted title: the only English a zh sentence may hold
# …and a source's expression it prints in English only (`expr_lang: en`), said to be English.
PRINTED_EN = re.compile(r"英文原文：“[^”]*”")
PRINT_COLUMNS = {"As printed", "Public record, as printed", "原文", "公开记录原文"}


class _Segments(HTMLParser):
    """Visible text segments with what they are inside of."""

    SKIP = {"style", "script", "head", "title"}

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, dict]] = []
        self.segments: list[tuple[str, set[str]]] = []
        self.headers: list[str] = []
        self.col = -1
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "meta", "img", "hr", "input", "link"):
            return
        self.stack.append((tag, a))
        if tag == "thead":
            self.headers = []
        if tag == "tr":
            self.col = -1
        if tag in ("td", "th"):
            self.col += 1
            self._in_th = tag == "th"
            if tag == "th" and self._in("thead"):
                self.headers.append("")

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def _in(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def handle_data(self, data):
        if not data.strip() or any(t in self.SKIP for t, _ in self.stack):
            return
        if self._in("th") and self._in("thead") and self.headers:
            self.headers[-1] += data.strip()
        flags = set()
        for tag, a in self.stack:
            cls = a.get("class") or ""
            if tag in ("code", "pre") or "source-id" in cls or "colophon" in cls:
                flags.add("exempt")
            if tag == "footer":
                flags.add("exempt")
            if tag == "a" and URL.fullmatch(data.strip()):
                flags.add("exempt")
            if tag == "a" and a.get("hreflang") and a.get("lang") == a.get("hreflang"):
                flags.add("exempt")  # the link to the page in the other language
            lang = a.get("lang")
            if lang and not lang.startswith(self.page_lang):
                flags.add("other-lang")
        if self._in("td") and 0 <= self.col < len(self.headers):
            if self.headers[self.col] in PRINT_COLUMNS:
                flags.add("print")
        self.segments.append((data, flags))


def problems(page: str, lang: str) -> list[str]:
    """Each English phrase in a zh page, each unglossed Chinese expression in an en page."""
    parser = _Segments(lang)
    parser.feed(page)
    out = []
    for text, flags in parser.segments:
        if "exempt" in flags:
            continue
        text = URL.sub(" ", text)
        if lang == "zh":
            if "other-lang" in flags:
                out.append(f"text marked as another language in zh: {text.strip()[:80]!r}")
                continue
            bare = PRINTED_EN.sub(" ", TITLE.sub(" ", text))
            out += [f"English in zh: {m.group(0)!r} in {text.strip()[:80]!r}" for m in
                    ENGLISH.finditer(bare)]  # fmt: skip
        elif "print" not in flags and "other-lang" not in flags:
            bare = QUOTED.sub(" ", text)
            out += [f"unglossed Chinese in en: {m.group(0)!r} in {text.strip()[:80]!r}" for m
                    in CJK.finditer(bare)]  # fmt: skip
    return out
