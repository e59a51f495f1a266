"""The project font: found without importing mplfonts, registered once, subset deterministically."""

import base64
import importlib.util
import io
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from helpers.errors import JJJError
from helpers.publish import fonts


def test_font_path_is_noto_cjk_from_the_wheel():
    path = fonts.cjk_font_path()
    assert path.is_absolute() and path.is_file()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert path.parent.parent.name == "mplfonts"
    assert "simhei" not in str(path).lower()


def test_locating_the_font_does_not_import_mplfonts():
    code = (
        "import sys; from helpers.publish import fonts; fonts.cjk_font_path(); "
        "print('mplfonts' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_mplfonts_is_a_clear_error(monkeypatch):
    fonts.cjk_font_path.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        with pytest.raises(JJJError, match="mplfonts is not installed"):
            fonts.cjk_font_path()
    finally:
        monkeypatch.undo()
        fonts.cjk_font_path.cache_clear()


def test_register_matplotlib_is_idempotent_and_resolves_to_our_file():
    import matplotlib
    from matplotlib import font_manager

    def ours():
        path = fonts.cjk_font_path()
        return [f for f in font_manager.fontManager.ttflist if Path(f.fname) == path]

    assert fonts.register_matplotlib() == fonts.FAMILY
    first = len(ours())
    assert fonts.register_matplotlib() == fonts.FAMILY
    assert first >= 1 and len(ours()) == first  # a second call adds nothing
    assert matplotlib.rcParams["font.sans-serif"][0] == fonts.FAMILY
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert Path(found).resolve() == fonts.cjk_font_path()


def test_font_face_css_points_at_the_file():
    css = fonts.font_face_css()
    assert "@font-face" in css and f'"{fonts.PDF_FAMILY}"' in css
    assert fonts.cjk_font_path().as_uri() in css
    assert 'url("data:x")' in fonts.font_face_css("data:x")


def test_subset_is_small_deterministic_and_covers_the_text(tmp_path):
    text = "京津冀协同发展十年：社会组织 2014–2024"
    a, b = fonts.subset_otf(text), fonts.subset_otf(text)
    assert a == b
    assert len(a) < 200_000  # the full file is ~16 MB
    (tmp_path / "s.otf").write_bytes(a)
    cmap = TTFont(tmp_path / "s.otf").getBestCmap()
    assert all(ord(ch) in cmap for ch in text + "•")


def test_woff2_is_the_same_subset_compressed_and_strips_out_again():
    text = "京津冀 public figures"
    woff2 = fonts.subset_woff2(text)
    assert woff2[:4] == b"wOF2" and woff2 == fonts.subset_woff2(text)
    otf = fonts.subset_otf(text)
    assert len(woff2) < len(otf)
    web, pdf = TTFont(io.BytesIO(woff2)), TTFont(io.BytesIO(otf))
    assert web.getGlyphOrder() == pdf.getGlyphOrder() and web.getBestCmap() == pdf.getBestCmap()
    style = fonts.html_font_style(text)
    assert style.startswith(f'<style id="{fonts.HTML_FONT_STYLE_ID}">')
    assert f'font-family: "{fonts.PDF_FAMILY}"' in style and "data:font/woff2;base64," in style
    page = f"<head>{style}<style>p {{}}</style></head>"
    assert fonts.without_html_font(page) == "<head><style>p {}</style></head>"


def test_embed_html_font_goes_first_in_the_head_and_covers_the_page():
    page = "<html><head><title>京津冀</title><style>p {}</style></head><body>&#21313;年</body>"
    out = fonts.embed_html_font(page)
    assert out.index(fonts.HTML_FONT_STYLE_ID) < out.index("<style>p {}")
    assert fonts.without_html_font(out) == page
    b64 = out.split("base64,")[1].split('"')[0]
    cmap = TTFont(io.BytesIO(base64.b64decode(b64))).getBestCmap()
    assert all(ord(ch) in cmap for ch in "京津冀十年")  # entities decoded too
    bare = "<html><head><title>t</title></head><body>x</body></html>"
    assert fonts.without_html_font(fonts.embed_html_font(bare)) == bare


def test_wanted_is_the_text_plus_extras_and_ascii():
    text = "京津冀 2014–2024\n"
    expected = {ord(ch) for ch in text + fonts.SUBSET_EXTRA} | set(range(0x20, 0x7F))
    assert fonts._wanted(text) == expected


def fonttools_cut(text: str) -> bytes:
    """The reference: fontTools' subsetter on the full font with the options fonts._cut gives
    hb-subset (all features, scripts, name IDs and languages; hinting; .notdef drawn)."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = True
    options.ignore_missing_unicodes = True
    font = TTFont(fonts.cjk_font_path(), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(fonts._wanted(text)))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return fonts.identity_cids(buf.getvalue())


def _glyphs(font: TTFont) -> dict:
    """Per character: its outline, advance and vertical metrics, as drawn by fontTools."""
    from fontTools.pens.recordingPen import RecordingPen

    glyphs, out = font.getGlyphSet(), {}
    for code, name in font.getBestCmap().items():
        pen = RecordingPen()
        glyphs[name].draw(pen)
        out[code] = (pen.value, font["hmtx"][name], font["vmtx"][name])
    return out


@pytest.mark.slow  # fontTools subsets the full CJK font three times (~3 s each)
def test_subsets_hold_what_fonttools_would_cut():
    """hb-subset keeps the same glyphs as fontTools with the same options: each character's
    outline and metrics, the glyph count (layout closure: vertical forms, locl), the features,
    the names and the tables; glyph i is CID i in both."""
    import random

    from helpers import paths

    rng = random.Random(15)
    pool = sorted(fonts._codepoints())
    texts = [(paths.NOTEBOOKS / "03_year_report.py").read_text(encoding="utf-8"),
             "".join(map(chr, rng.sample(pool, 400))), "京津冀 鑫 fi"]  # fmt: skip
    for text in texts:
        ours, ref = (
            TTFont(io.BytesIO(fonts.subset_otf(text))),
            TTFont(io.BytesIO(fonttools_cut(text))),
        )
        assert sorted(ours.keys()) == sorted(ref.keys())
        assert len(ours.getGlyphOrder()) == len(ref.getGlyphOrder())
        assert _glyphs(ours) == _glyphs(ref)
        for tag in ("GSUB", "GPOS"):
            tags = [
                [r.FeatureTag for r in f.table.FeatureList.FeatureRecord]
                for f in (ours[tag], ref[tag])
            ]
            assert tags[0] == tags[1], tag
        names = [
            sorted((n.nameID, n.langID, n.toUnicode()) for n in f["name"].names)
            for f in (ours, ref)
        ]
        assert names[0] == names[1]
        assert ours["CFF "].cff.topDictIndex[0].ROS == ("Adobe", "Identity", 0)


def test_codepoints_are_the_fonts_cmap():
    cmap = TTFont(fonts.cjk_font_path(), lazy=True).getBestCmap()
    assert fonts._codepoints() == frozenset(cmap)
