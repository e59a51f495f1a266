"""Font subsets by hb-subset (fonts.subset_otf) vs fontTools' subsetter: the same font? how fast?

    .venv/bin/python benchmarks/fonts.py                 # every page under reports/
    .venv/bin/python benchmarks/fonts.py PAGE.html ...   # these pages

For each page, the characters its font subset holds (as render.py collects them); then the
subset as fontTools cuts it from the full font with the same options (the path before
hb-subset) and the one fonts.subset_otf makes now, compared glyph by glyph (outline, advance,
vertical metrics per character; glyph count; tables; layout features), and their CPU seconds.
Exits 1 on any difference. Not part of the test suite: it needs built reports, and fontTools
takes ~1-3 s of CPU per page.
"""

from __future__ import annotations

import argparse
import html
import io
import sys
import time
from pathlib import Path

from helpers import paths
from helpers.publish import fonts


def page_codepoints(path: Path) -> frozenset[int]:
    page = fonts.without_html_font(path.read_text(encoding="utf-8"))
    return fonts._wanted(page + html.unescape(page))


def fonttools_cut(codepoints: frozenset[int]) -> bytes:
    """The subset as fontTools makes it with the options fonts._cut gives hb-subset."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = options.layout_scripts = ["*"]
    options.name_IDs = options.name_languages = ["*"]
    options.notdef_outline = options.hinting = options.ignore_missing_unicodes = True
    font = TTFont(fonts.cjk_font_path(), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return fonts.identity_cids(buf.getvalue())


def summary(data: bytes) -> tuple:
    """What a reader's engine draws from the font: per character its outline and metrics;
    the glyph count, the tables and the layout features."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    glyphs, drawn = font.getGlyphSet(), {}
    for code, name in font.getBestCmap().items():
        pen = RecordingPen()
        glyphs[name].draw(pen)
        drawn[code] = (pen.value, font["hmtx"][name], font["vmtx"][name])
    features = tuple(
        tuple(r.FeatureTag for r in font[tag].table.FeatureList.FeatureRecord)
        for tag in ("GSUB", "GPOS")
    )
    return drawn, len(font.getGlyphOrder()), tuple(sorted(font.keys())), features


def cpu(call, *args):
    start = time.process_time()
    out = call(*args)
    return out, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path)
    args = parser.parse_args(argv)
    pages = args.pages or sorted(paths.REPORTS.rglob("*.html"))
    if not pages:
        print(f"no pages under {paths.REPORTS}: build some reports first", file=sys.stderr)
        return 2
    differ, totals = 0, [0.0, 0.0]
    for path in pages:
        wanted = page_codepoints(path)
        old, t_old = cpu(fonttools_cut, wanted)
        fonts._subset.cache_clear()
        new, t_new = cpu(fonts._subset, wanted)
        totals[0] += t_old
        totals[1] += t_new
        same = summary(old) == summary(new)
        differ += not same
        verdict = "same" if same else "DIFFER"
        print(f"{path}: {len(wanted)} chars, {len(old)} / {len(new)} bytes, "
              f"{t_old:5.2f} / {t_new:5.3f} s CPU {verdict}", flush=True)  # fmt: skip
    ratio = totals[0] / totals[1] if totals[1] else float("inf")
    print(f"{len(pages)} pages, CPU s fontTools / hb-subset: {totals[0]:.1f} / {totals[1]:.2f} "
          f"({ratio:.0f}x), {differ} differ")  # fmt: skip
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
