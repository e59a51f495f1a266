"""tests/boilerplate.py: which sentences count as a report's prose, and its repeated share."""

from __future__ import annotations

import boilerplate


def page(*cells: str, table: str = "") -> str:
    body = "".join(f'<div class="text_cell_render rendered_html">{c}</div>' for c in cells)
    return (f"<html><body><header><p>Site name.</p></header>{body}{table}"
            f'<section class="notes"><ol><li>“6300多家”; a note.</li></ol></section>'
            '<footer class="colophon"><p>Built at commit x.</p></footer>'
            "</body></html>")  # fmt: skip


def test_prose_is_the_markdown_cells_paragraphs_and_items_without_headings_or_markers():
    p = page(
        "<h2>Main points</h2><ul><li>Recorded in 2019: a platform.</li>"
        "<li>China had <span class='value'>866,300</span><sup>[1]</sup> at the end.</li></ul>",
        "<p>一句。两句！Three? Four.</p>",
    )
    assert boilerplate.sentences(p) == [
        "Recorded in 2019: a platform.",
        "China had 866,300 at the end.",
        "一句。",
        "两句！",
        "Three?",
        "Four.",
    ]


def test_share_counts_sentences_found_in_another_report():
    a = page("<p>Same sentence. Only in a.</p>")
    b = page("<p>Same sentence. Only in b. Also only in b.</p>")
    c = page("<p>Nothing shared.</p>")
    shares = boilerplate.shares({"a": a, "b": b, "c": c})
    assert shares == {"a": 0.5, "b": 1 / 3, "c": 0.0}
