"""The project's one font, Noto Sans CJK SC from the mplfonts wheel, for charts, PDF and HTML.

The file is found with importlib without importing mplfonts: its package import pulls in
its own font-management code, which we do not want. SimHei in the same wheel is never used
(unclear licence); Noto Sans CJK is OFL.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import re
from functools import cache, lru_cache
from pathlib import Path

from helpers.errors import JJJError

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FAMILY = "Noto Sans CJK SC"  # the name inside the file, as matplotlib reads it
# The embedded subset's private family name, in the PDF and the HTML alike: fontconfig (and a
# browser) can never swap in a system copy under it.
PDF_FAMILY = "JJJ Noto Sans CJK SC"
# The HTML's @font-face rule sits in its own <style>, so the PDF render can set it aside.
HTML_FONT_STYLE_ID = "jjj-font"


@cache
def cjk_font_path() -> Path:
    """Absolute path of NotoSansCJKsc-Regular.otf inside the installed mplfonts wheel."""
    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "fonts" / FONT_FILE
        if path.is_file():
            return path.resolve()
    if not locations:
        raise JJJError("mplfonts is not installed: it ships the project's CJK font (see lock)")
    raise JJJError(f"{FONT_FILE} not found in mplfonts at {locations[0]}")


def register_matplotlib() -> str:
    """Make matplotlib draw text with the project font; idempotent. Returns the family name."""
    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    known = {Path(entry.fname).resolve() for entry in font_manager.fontManager.ttflist}
    if path not in known:
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    # DejaVu Sans ships inside matplotlib, so the fallback never depends on the machine.
    matplotlib.rcParams["font.sans-serif"] = [FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = True  # U+2212 is in Noto Sans CJK
    # A system-wide "Noto Sans CJK SC" could win the name lookup; insist on our file.
    found = font_manager.findfont(
        font_manager.FontProperties(family=FAMILY), fallback_to_default=False
    )
    if Path(found).resolve() != path:
        raise JJJError(f"matplotlib resolves {FAMILY!r} to {found}, not the project font {path}")
    return FAMILY


def font_face_css(url: str | None = None) -> str:
    """@font-face rule for WeasyPrint (PDF only): the font file by file:// URL.

    `url` replaces the source, e.g. a data: URI of a per-document subset (render.py).
    """
    url = url or cjk_font_path().as_uri()
    return (
        "@font-face {\n"
        f'  font-family: "{PDF_FAMILY}";\n'
        f'  src: url("{url}") format("opentype");\n'
        "}\n"
    )


@cache
def _face():
    """The project font as a HarfBuzz face (the file is mapped, not read), once per process."""
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(str(cjk_font_path())))


@cache
def _codepoints() -> frozenset[int]:
    return frozenset(_face().unicodes)


def missing(text: str) -> list[str]:
    """Characters of `text` the project font has no glyph for (line breaks and tabs aside)."""
    have = _codepoints()
    return sorted({ch for ch in text if ord(ch) not in have and ch not in "\n\r\t"})


# Always kept in a subset: list markers, dashes, quotes and CJK punctuation that CSS or
# WeasyPrint may generate without them appearing in the document's own text.
SUBSET_EXTRA = "•◦▪–—…‘’“”·、。，：；！？（）《》〈〉【】「」『』〔〕％"


def subset_otf(text: str) -> bytes:
    """The project font cut down to the characters of `text` (plus ASCII); deterministic."""
    return _subset(_wanted(text))


# Brotli quality for the HTML's WOFF2. fontTools compresses at 11, the slowest: on a report's
# subset (~200 kB of CFF, which compresses poorly) 11 took 0.71 s CPU for 150.5 kB, 10 0.24 s
# for 152.3 kB, 9 0.03 s for 162.9 kB. Brotli's output is a function of its input and quality
# alone, so the bytes are as deterministic at 9 as at 11.
WOFF2_QUALITY = 9


class _Brotli:
    """The brotli module, compressing at WOFF2_QUALITY (fontTools' woff2 writer calls
    brotli.compress(data, mode=...) with no quality)."""

    def __init__(self, module):
        self._module = module

    def compress(self, data, mode=None, **kwargs):
        kwargs.setdefault("quality", WOFF2_QUALITY)
        if mode is not None:
            kwargs["mode"] = mode
        return self._module.compress(data, **kwargs)

    def __getattr__(self, name):
        return getattr(self._module, name)


def subset_woff2(text: str) -> bytes:
    """subset_otf(text), the same font file, WOFF2-compressed (brotli) for the HTML."""
    from fontTools.ttLib import TTFont, woff2

    font = TTFont(io.BytesIO(subset_otf(text)), recalcTimestamp=False)
    font.flavor = "woff2"
    buf = io.BytesIO()
    module = woff2.brotli
    woff2.brotli = _Brotli(module)  # this call only: a worker runs one task at a time
    try:
        font.save(buf)
    finally:
        woff2.brotli = module
    return buf.getvalue()


def _wanted(text: str) -> frozenset[int]:
    # set() first: a page is ~0.5 M characters but a few hundred distinct ones.
    return frozenset(map(ord, set(text) | set(SUBSET_EXTRA))) | _ASCII


_ASCII = frozenset(range(0x20, 0x7F))


@lru_cache(maxsize=4)  # a report's HTML and PDF ask for the same characters in one process
def _subset(codepoints: frozenset[int]) -> bytes:
    return identity_cids(_cut(codepoints))


def _cut(codepoints: frozenset[int]) -> bytes:
    """The project font cut to `codepoints` by HarfBuzz's hb-subset: every layout feature,
    script, name ID and name language kept (shaping, locl and vertical forms intact), hinting
    kept, .notdef drawn. The same glyphs, outlines, metrics and tables as fontTools' subsetter
    with those options (tests/test_fonts.py) in ~10 ms instead of ~0.25 s."""
    import uharfbuzz as hb

    plan = hb.SubsetInput()
    for codepoint in sorted(codepoints):
        plan.unicode_set.add(codepoint)
    for which in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.LAYOUT_SCRIPT_TAG,
                  hb.SubsetInputSets.NAME_ID, hb.SubsetInputSets.NAME_LANG_ID):  # fmt: skip
        plan.sets(which).clear()
        plan.sets(which).invert()  # the empty set inverted: all of them
    plan.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    face = hb.subset(_face(), plan)
    if face is None:
        raise JJJError(f"HarfBuzz could not subset {FONT_FILE}")
    return face.blob.data


def identity_cids(data: bytes) -> bytes:
    """The CID-keyed font `data` with glyph i renamed to CID i (ROS Adobe-Identity-0).

    Subsetters (hb-subset, fontTools) renumber glyphs but keep their CIDs: glyph 96 may be CID 118.
    A PDF's codes for a CIDFontType0 are CIDs, looked up through the CFF charset: poppler and
    pdfium use them as glyph ids anyway, but MuPDF, Ghostscript, pdf.js and Acrobat follow the
    charset and draw wrong or missing glyphs. With CID = glyph id every engine draws the same.
    Only the CFF table is rewritten; the other tables address glyphs by id and are copied.
    """
    from fontTools.ttLib import TTFont

    # recalcBBoxes=False: renaming moves no outline, and the bounds were just computed.
    font = TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    top = font["CFF "].cff.topDictIndex[0]
    order = font.getGlyphOrder()
    names = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(order))]
    if order == names and top.ROS == ("Adobe", "Identity", 0):
        return data
    if not hasattr(top, "ROS") or not top.CharStrings.charStringsAreIndexed:
        raise JJJError("the project font is no longer a CID-keyed CFF font: see fonts.py")
    top.ROS = ("Adobe", "Identity", 0)
    top.charset = names
    top.CharStrings.charStrings = {name: gid for gid, name in enumerate(names)}
    font.setGlyphOrder(names)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def html_font_style(text: str) -> str:
    """<style> with an @font-face for the subset of `text`, as a WOFF2 data: URI.

    A reader's machine without a Chinese font then shows the same glyphs as the PDF.
    """
    data = base64.b64encode(subset_woff2(text)).decode("ascii")
    return (
        f'<style id="{HTML_FONT_STYLE_ID}">\n@font-face {{\n'
        f'  font-family: "{PDF_FAMILY}";\n'
        f'  src: url("data:font/woff2;base64,{data}") format("woff2");\n'
        "  font-display: block;\n}\n</style>\n"
    )


def embed_html_font(page: str) -> str:
    """`page` with html_font_style() for every character it can show, first in its <head>."""
    import html

    at = page.index("</head>")
    at = min(at, page.find("<style", 0, at) % (at + 1))  # before the page's own styles
    return page[:at] + html_font_style(page + html.unescape(page)) + page[at:]


_HTML_FONT_STYLE = re.compile(rf'<style id="{HTML_FONT_STYLE_ID}">.*?</style>\n?', re.S)


def without_html_font(page: str) -> str:
    """The page without the <style> html_font_style() made (the PDF embeds the OTF itself)."""
    return _HTML_FONT_STYLE.sub("", page, count=1)
