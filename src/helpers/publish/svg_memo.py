"""WeasyPrint draws an SVG <path> by parsing its `d` text each time it is drawn. The charts
draw every character of their labels as a <use> of one glyph <path> (matplotlib's
svg.fonttype "path"), so a report parses the same few hundred paths ~800 times: about half
the time its PDF spends on charts. The memo keeps, per path text and size context, the PDF
operators that drawing appended and the vertices markers read, and appends the same bytes
when the path comes again. The PDF does not change by a byte (tests/test_svg_memo.py).
"""

from __future__ import annotations

from itertools import islice

_MEMO: dict[tuple, tuple[tuple[bytes, ...], tuple]] = {}
_LIMIT = 20_000  # distinct paths kept per process (a report has a few hundred)


def install() -> None:
    """Draw <path> through the memo from now on, in this process; idempotent."""
    from weasyprint import svg

    if not getattr(svg.TAGS["path"], "memoized", False):
        svg.TAGS["path"] = memoized(svg.TAGS["path"])


def memoized(draw):
    """`draw` (WeasyPrint's path drawer), answering a path seen before from the memo."""

    def path(svg, node, font_size) -> None:
        # What the drawing depends on: the path text and what its lengths resolve against.
        key = (node.get("d", ""), font_size, svg.inner_width, svg.inner_height)
        ops = svg.stream.stream  # the content stream's list of operator lines (pydyf)
        hit = _MEMO.get(key)
        if hit is not None:
            ops.extend(hit[0])
            node.vertices.extend(hit[1])
            return
        start, first = len(ops), len(node.vertices)
        draw(svg, node, font_size)  # a malformed path raises here: nothing is kept
        if len(_MEMO) >= _LIMIT:
            _MEMO.clear()
        _MEMO[key] = (tuple(ops[start:]), tuple(islice(node.vertices, first, None)))

    path.memoized = True
    return path
