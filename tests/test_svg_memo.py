"""The memo of drawn SVG paths: the same PDF bytes, each glyph path parsed once."""

import matplotlib
import pytest

matplotlib.use("agg")
import matplotlib.pyplot as plt

from helpers.publish import charts, render, svg_memo


@pytest.fixture(scope="module")
def chart_page():
    charts.use_style()
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.bar(["北京", "天津", "河北"], [3, 1, 2])
    ax.set_title("社会组织 2014—2024, three regions")  # many glyphs drawn more than once
    page = f"<html><head></head><body><h1>图</h1>{charts.chart_html(fig, 'alt')}</body></html>"
    plt.close("all")
    return page


def _pdf(page):
    return render.html_to_pdf(page, lang="zh", title="T", header="H")


@pytest.mark.slow  # renders three PDFs
def test_memo_gives_the_same_pdf_bytes(chart_page, monkeypatch):
    from weasyprint import svg
    from weasyprint.svg.path import path as weasyprint_path

    monkeypatch.setattr(svg_memo, "_MEMO", {})
    memoized = _pdf(chart_page)  # html_to_pdf installs the memo
    assert svg.TAGS["path"].memoized
    drawn, kept = chart_page.count("<use "), len(svg_memo._MEMO)
    assert 0 < kept < drawn  # repeated glyphs came from the memo
    assert _pdf(chart_page) == memoized  # every path answered by the memo
    monkeypatch.setattr(svg_memo, "install", lambda: None)
    monkeypatch.setitem(svg.TAGS, "path", weasyprint_path)
    assert _pdf(chart_page) == memoized  # WeasyPrint's own drawing


def test_install_is_idempotent():
    from weasyprint import svg

    svg_memo.install()
    once = svg.TAGS["path"]
    svg_memo.install()
    assert svg.TAGS["path"] is once


def test_a_malformed_path_is_not_kept(monkeypatch):
    monkeypatch.setattr(svg_memo, "_MEMO", {})

    def broken(svg_, node, font_size):
        svg_.stream.stream.append(b"0 0 m")
        raise ValueError("bad path")

    class Node:
        vertices: list = []

        def get(self, name, default=None):
            return "M 0 0 L x"

    class Drawing:
        inner_width = inner_height = 100
        stream = type("S", (), {"stream": []})()

    with pytest.raises(ValueError):
        svg_memo.memoized(broken)(Drawing(), Node(), 12)
    assert svg_memo._MEMO == {}
