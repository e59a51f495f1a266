"""What a screen reader needs beyond the words: the language of each passage, table header
scope, in the HTML and in the PDF's structure tree.

An English report quotes the article in Chinese; a reader's speech engine reads those quotes
in English unless they are marked. mark_chinese() wraps every Chinese run of an en page's text
in <span lang="zh-Hans">. (A zh page holds no English phrase to mark: tests/language.py.)
WeasyPrint's tagged PDF gives neither a structure element's /Lang nor a header's /Scope;
install() adds both while it builds the structure tree.
"""

from __future__ import annotations

import re

ZH = "zh-Hans"
_HAN = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A Chinese run, with the numbers inside or before it (2019年超过84万家 is one expression).
_RUN = re.compile(rf"[\d.,%]*[{_HAN}]+(?:[\d.,%]+[{_HAN}]+)*")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)([^>]*)>|<!--.*?-->", re.S)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Text inside these is no reader's prose (or is read by its own rules): left as it is.
_SKIP = frozenset({"svg", "style", "script", "title", "head", "textarea"})


def mark_chinese(fragment: str) -> str:
    """`fragment` (HTML) with each Chinese run of its text in <span lang="zh-Hans">, except
    inside an element that already says it is Chinese, and inside svg, style or script."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements: (name, skip its text)
    at = 0
    for m in _TAG.finditer(fragment):
        out.append(_mark_text(fragment[at : m.start()], stack))
        out.append(m.group(0))
        at = m.end()
        closing, name, rest = m.group(1), (m.group(2) or "").lower(), m.group(3) or ""
        if not name or name in _VOID or rest.rstrip().endswith("/"):
            continue
        if closing:
            while stack and stack.pop()[0] != name:
                pass
        else:
            inherited = bool(stack and stack[-1][1])
            said = re.search(r"""\blang\s*=\s*["']?zh""", rest, re.I) is not None
            stack.append((name, inherited or said or name in _SKIP))
    out.append(_mark_text(fragment[at:], stack))
    return "".join(out)


def _mark_text(text: str, stack) -> str:
    if not text or (stack and stack[-1][1]):
        return text
    return _RUN.sub(lambda m: f'<span lang="{ZH}">{m.group(0)}</span>', text)


def install() -> None:
    """Add /Lang and /Scope to WeasyPrint's structure elements from now on; idempotent.

    WeasyPrint has no public hook for its structure tree: its private builder is wrapped,
    and tests/test_pdf_readers.py reads both attributes back from a built PDF, so a
    WeasyPrint that changes the builder fails the tests, not the readers.
    """
    from weasyprint.pdf import tags

    if getattr(tags._build_box_tree, "jjj_tagging", False):
        return
    build = tags._build_box_tree

    def build_box_tree(box, parent, *args):
        for element in build(box, parent, *args):
            _details(box, element)
            yield element

    build_box_tree.jjj_tagging = True
    tags._build_box_tree = build_box_tree


def _details(box, element) -> None:
    """The box's language and, for a header cell, its scope, on the element made for it."""
    import pydyf

    node = box.element
    if node is None or box.element_tag in ("html", "body") or not hasattr(element, "get"):
        return
    if element.get("S") == "/TH" and "A" in element:
        element["A"]["Scope"] = "/Row" if node.get("scope") == "row" else "/Column"
    lang = node.get("lang")
    if lang and "Lang" not in element:
        element["Lang"] = pydyf.String(lang)
