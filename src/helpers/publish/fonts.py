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
def _codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(cjk_font_path()), lazy=True).getBestCmap())


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


def _options():
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]  # keep shaping (locl, vertical forms, kerning) intact
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = True
    options.ignore_missing_unicodes = True
    return options


@lru_cache(maxsize=4)  # a report's HTML and PDF ask for the same characters in one process
def _subset(codepoints: frozenset[int]) -> bytes:
    # Cut from the base font when it covers the text: the same bytes (tests/test_fonts.py,
    # benchmarks/fonts.py), in half the time, as the base has ~3 % of the full font's glyphs.
    base = base_font() if codepoints <= base_codepoints() else None
    return _cut(io.BytesIO(base) if base else str(cjk_font_path()), codepoints)


def _cut(source, codepoints) -> bytes:
    """The font file or bytes `source` subset to `codepoints` with the project's options."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False: saving must not stamp the build time into head.modified.
    font = TTFont(source, lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=sorted(codepoints))
    # The memos below know glyphs by name, and a name means another glyph in the base font
    # (renamed to its own glyph ids) than in the full font: one memo per source.
    source_key = "full" if isinstance(source, str | Path) else "base"
    _skip_rework(font, source_key)
    subsetter.subset(font)
    _reuse_bounds(font, source_key)
    buf = io.BytesIO()
    font.save(buf)
    return identity_cids(buf.getvalue())


def identity_cids(data: bytes) -> bytes:
    """The CID-keyed font `data` with glyph i renamed to CID i (ROS Adobe-Identity-0).

    fontTools' subsetter renumbers glyphs but keeps their CIDs, so glyph 96 may be CID 118.
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


def _skip_rework(font, source_key: str) -> None:
    """Two steps of fontTools' subsetting, for this font, without work whose result is known.

    Only this font object's methods are replaced; the result is the same, byte for byte
    (tests/test_fonts.py).
    """
    cff, name = font["CFF "], font["name"]
    cff.closure_glyphs = lambda s: _close_over_cff(cff, s, _COMPONENTS.setdefault(source_key, {}))
    if all(record.nameID < 256 for record in name.names):
        name.prune_post_subset = lambda whole, options: _prune_names(name, whole, options)


# glyph name → the glyphs its charstring pulls in (seac accents: none in this font). fontTools
# finds them by running every kept glyph's charstring, a third of a subset's time; each worker
# now runs a glyph's once. The subroutine pass that follows runs (and decompiles) every kept
# charstring anyway, to the same programs: a charstring decodes the same whichever pass is first.
_COMPONENTS: dict[str, dict[str, frozenset[str]]] = {}  # per source: see _cut


def _close_over_cff(table, s, known: dict[str, frozenset[str]]) -> None:
    """fontTools.subset.cff's closure_glyphs, each glyph's components from `known`."""
    from fontTools.subset.cff import _ClosureGlyphsT2Decompiler

    charstrings = table.cff[table.cff.keys()[0]].CharStrings
    decompose = s.glyphs
    while decompose:
        components = set()
        for name in decompose:
            if name not in charstrings:
                continue
            if name not in known:
                found: set[str] = set()
                glyph = charstrings[name]
                subrs = getattr(glyph.private, "Subrs", [])
                _ClosureGlyphsT2Decompiler(found, subrs, glyph.globalSubrs).execute(glyph)
                known[name] = frozenset(found)
            components |= known[name]
        components -= s.glyphs
        s.glyphs.update(components)
        decompose = components


def _prune_names(table, font, options) -> bool:
    """fontTools' name pruning with _options(), for a font whose name IDs are all below 256.

    fontTools visits every GSUB/GPOS record for the name IDs they use (a fifth of a subset's
    time), but name_IDs "*" keeps every ID below 256 anyway, so only its last filter is left.
    """
    assert options.name_IDs == ["*"] and options.name_languages == ["*"], "see _options()"
    assert not options.name_legacy and not options.obfuscate_names, "see _options()"
    for tag in font.keys():
        font[tag]  # the visit loads every table: saving compiles BASE then, instead of copying
    table.names = [record for record in table.names if record.isUnicode()]
    return True


# The base font: the project font cut once to every character the project's own files hold.
# A report's text comes from those files (numbers are ASCII), so its subset is cut from the
# base, whose few thousand glyphs load and close far faster than the full font's 65,535.
# Any other character sends that subset back to the full font.
_TEXT_SUFFIXES = frozenset({".py", ".txt", ".yml", ".yaml", ".j2", ".html", ".css", ".md"})


@cache
def base_codepoints() -> frozenset[int]:
    """Every character in the raw data, the notebooks and the helpers package, plus ASCII."""
    from helpers import paths

    chars = set(SUBSET_EXTRA)
    for folder in (paths.RAW, paths.NOTEBOOKS, Path(__file__).resolve().parents[1]):
        for path in sorted(folder.rglob("*")):
            if path.suffix in _TEXT_SUFFIXES and path.is_file():
                try:
                    chars.update(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue  # not text: it cannot end up in a report either
    return frozenset(map(ord, chars)) | _ASCII


def base_path() -> Path:
    """build/fonts/base-<key>.otf, the key made of all that decides the base font's bytes:
    the font file's sha256, fontTools' version, the subset options, the characters and the
    source of this module's cutting functions (a changed cut makes a new base)."""
    import hashlib
    import inspect

    import fontTools

    from helpers import paths

    key = hashlib.sha256()
    for part in (
        hashlib.sha256(cjk_font_path().read_bytes()).hexdigest(),
        fontTools.version,
        repr(sorted(vars(_options()).items())),
        repr(sorted(base_codepoints())),
        inspect.getsource(_cut) + inspect.getsource(identity_cids),
    ):
        key.update(part.encode() + b"\0")
    return paths.BUILD / "fonts" / f"base-{key.hexdigest()[:16]}.otf"


_BASE: list[bytes] = []  # this process's base font, once read or made


def base_font() -> bytes | None:
    """The font cut to base_codepoints(): read from base_path(), else made and kept there.

    None while another process makes it: that subset is cut from the full font instead of
    waiting, or making it a second time.
    """
    from filelock import FileLock, Timeout

    from helpers.engine.atomic import UnsafeOutput

    if _BASE:
        return _BASE[0]
    path = base_path()
    if not path.is_file():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # An OS lock: freed when its holder ends, however it ends.
            with FileLock(f"{path}.lock", timeout=0):
                if not path.is_file():
                    _make_base(path)
        except Timeout:
            return None
        except (OSError, UnsafeOutput):  # build/ unwritable: this process makes its own
            _BASE.append(_cut(str(cjk_font_path()), base_codepoints()))
            return _BASE[0]
    _BASE.append(path.read_bytes())
    return _BASE[0]


def _make_base(path: Path) -> None:
    from helpers.engine.atomic import atomic_path

    data = _cut(str(cjk_font_path()), base_codepoints())
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


# glyph name → outline bounds. A glyph's outline is the same in every subset of the one font
# file, so each worker draws it once: saving a subset recomputes hhea's extents and the CFF
# FontBBox from every glyph's bounds, a third of the subset's time, twice per glyph.
_BOUNDS: dict[str, dict[str, tuple | None]] = {}  # per source: see _cut


def _reuse_bounds(font, source_key: str) -> None:
    """Answer each glyph's calcBounds from _BOUNDS (computed with fontTools' own on a miss)."""
    known = _BOUNDS.setdefault(source_key, {})
    charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
    for name in font.getGlyphOrder():
        glyph = charstrings[name]
        if name not in known:
            known[name] = glyph.calcBounds(charstrings)
        glyph.calcBounds = lambda _glyph_set, bounds=known[name]: bounds


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
