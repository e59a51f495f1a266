"""Every PDF reader draws the same glyphs, and chart text is text a reader can find."""

import base64
import io
import re
from html import unescape

import pytest
from conftest import pdf_text
from fontTools.ttLib import TTFont
from pdf_readers import cid_fonts, cid_mismatches, draw, line_agreement, missing_engines

from helpers.publish import fonts

pytestmark = pytest.mark.slow  # reads built PDFs, subsets the CJK font, runs PDF engines

# Calibrated on the reports: the same glyphs give 0.94-1.00 per line (Ghostscript's smoothing
# is the lowest); the renumbered-CID font this replaced gave 0.02-0.84.
SAME_GLYPHS = 0.90


def _engines_or_skip():
    absent = missing_engines()
    if absent:
        pytest.skip(
            f"PDF engines not installed: {', '.join(absent)} "
            "(apt-get install poppler-utils mupdf-tools ghostscript)"
        )


def test_every_embedded_cid_font_maps_glyph_i_to_cid_i(built):
    pdfs = sorted((built / "reports").rglob("*.pdf"))
    assert len(pdfs) >= 6
    for pdf in pdfs:
        found = cid_fonts(pdf)
        assert found, f"{pdf}: no CID-keyed font (the project font is one)"
        for name, data in found.items():
            assert cid_mismatches(data) == [], f"{pdf}: {name} has CIDs that are not glyph ids"


def test_identity_cids_keeps_every_glyph_and_mapping():
    text = "京津冀协同发展十年：社会组织 fi–·"
    plain = plain_cut(text)
    assert cid_mismatches(plain), "a plain cut keeps the original CIDs"
    ours = fonts.identity_cids(plain)
    assert cid_mismatches(ours) == []
    before, after = TTFont(io.BytesIO(plain)), TTFont(io.BytesIO(ours))
    assert after["CFF "].cff.topDictIndex[0].ROS == ("Adobe", "Identity", 0)
    assert len(before.getGlyphOrder()) == len(after.getGlyphOrder())
    old, new = before.getBestCmap(), after.getBestCmap()
    assert {c: before.getGlyphID(g) for c, g in old.items()} == {
        c: after.getGlyphID(g) for c, g in new.items()
    }
    from fontTools.pens.recordingPen import RecordingPen

    for gid, name in enumerate(before.getGlyphOrder()):
        a, b = RecordingPen(), RecordingPen()
        before.getGlyphSet()[name].draw(a)
        after.getGlyphSet()[after.getGlyphOrder()[gid]].draw(b)
        assert a.value == b.value, gid
    assert fonts.identity_cids(ours) == ours  # nothing left to rename


def test_page_one_reads_the_same_in_three_engines(built, tmp_path):
    _engines_or_skip()
    pdfs = sorted((built / "reports").rglob("*.pdf"))
    for pdf in pdfs:
        out = tmp_path / pdf.parent.name
        out.mkdir(exist_ok=True)
        reference, _ = draw(pdf, "poppler", out)
        for engine in ("mupdf", "ghostscript"):
            png, said = draw(pdf, engine, out)
            assert "FT_Load_Glyph" not in said, (pdf, engine, said[:300])
            scores = line_agreement(reference, png)
            assert len(scores) >= 10, (pdf, engine, scores)
            assert min(scores) >= SAME_GLYPHS, (pdf, engine, [round(s, 2) for s in scores])


def plain_cut(text: str) -> bytes:
    """The subset as hb-subset cuts it, before fonts.identity_cids: glyphs renumbered, their
    CIDs kept (what the reports once shipped, from fontTools)."""
    return fonts._cut(fonts._wanted(text))


def test_the_engine_check_fails_on_a_font_whose_cids_are_not_glyph_ids(tmp_path):
    """The check above, shown failing on what the reports shipped before: a cut that
    renumbers glyphs and keeps their CIDs. MuPDF then draws other glyphs or none."""
    _engines_or_skip()
    from helpers import paths

    # The article's characters: enough glyphs that a renumbered glyph's id is some other
    # glyph's CID (in a small font MuPDF falls back to the glyph id and hides the fault).
    article = (paths.RAW / "cpt-2024-04-jjj-ten-years.txt").read_text(encoding="utf-8")
    shown = "".join(article.split())[:300]
    scores = {}
    for name, font in (("plain", plain_cut(article)), ("ours", fonts.subset_otf(article))):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(_pdf_in(font, shown))
        out = tmp_path / name
        out.mkdir()
        reference, _ = draw(pdf, "poppler", out)
        png, _ = draw(pdf, "mupdf", out)
        scores[name] = min(line_agreement(reference, png, min_ink=5))
    assert scores["ours"] >= SAME_GLYPHS > scores["plain"], scores


def test_chart_text_is_text_in_the_html_and_the_pdf(built):
    checked = 0
    for page in sorted((built / "reports").rglob("report.*.html")):
        markup = page.read_text(encoding="utf-8")
        charts = re.findall(r"<svg\b.*?</svg>", markup, flags=re.S)
        assert charts, page
        assert all("<text" in chart for chart in charts), f"{page}: a chart without <text>"
        words = {
            re.sub(r"\s+", "", unescape(m))
            for chart in charts
            for m in re.findall(r"<text\b[^>]*>([^<]+)</text>", chart)
        }
        found = pdf_text(page.with_suffix(".pdf"))
        absent = sorted(w for w in words if w and w not in found)
        assert not absent, f"{page.with_suffix('.pdf')}: chart text not in the PDF: {absent[:5]}"
        checked += len(words)
    assert checked > 100


def _pdf_in(font: bytes, text: str) -> bytes:
    from weasyprint import HTML

    uri = "data:font/otf;base64," + base64.b64encode(font).decode("ascii")
    page = (
        f"<style>@font-face {{ font-family: T; src: url('{uri}'); }}"
        f"body {{ font-family: T; font-size: 12pt; }}</style><p>{text}</p>"
    )
    return HTML(string=page).write_pdf()


def _structure(pdf):
    """(element counts by tag, /Lang values, TH scopes) of a PDF's structure tree."""
    from collections import Counter

    from pypdf import PdfReader

    reader = PdfReader(pdf)
    tags, langs, scopes = Counter(), Counter(), Counter()
    todo = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()["/K"]]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            todo.extend(node)
            continue
        if not hasattr(node, "get"):
            continue  # a marked-content id
        tag = str(node.get("/S", ""))
        tags[tag] += 1
        if "/Lang" in node:
            langs[str(node["/Lang"])] += 1
        if tag == "/TH":
            scopes[str(node.get("/A", {}).get("/Scope"))] += 1
        if node.get("/K") is not None:
            todo.append(node["/K"])
    return reader, tags, langs, scopes


def _outline_titles(items):
    for item in items:
        yield from _outline_titles(item) if isinstance(item, list) else [item.title]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_structure_a_screen_reader_can_walk(built, lang):
    for folder in ("ten-year", "2018"):
        pdf = built / "reports" / folder / f"report.{lang}.pdf"
        page = pdf.with_suffix(".html").read_text(encoding="utf-8")
        body = page[page.index("<main") :]
        reader, tags, langs, scopes = _structure(pdf)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and str(root["/Lang"]) == {"zh": "zh-Hans"}.get(
            lang, lang
        )
        assert tags["/H1"] == 1 and tags["/H2"] >= body.count("<h2") >= 5, (pdf, tags)
        assert tags["/P"] >= len(re.findall(r"<p[ >]", body)) >= 1, (pdf, tags)
        assert tags["/TH"] and scopes == {"/Column": tags["/TH"]}, (pdf, scopes)
        outline = list(_outline_titles(reader.outline))
        assert len(outline) >= body.count("<h2"), (pdf, outline)
        marked = body.count('<span lang="zh-Hans">')
        if lang == "en":
            assert marked and langs["zh-Hans"] >= marked, (pdf, marked, langs)
        else:
            assert not marked and set(langs) <= {"en"}, (pdf, langs)  # the nav link only
