"""Font subsets cut from the base font vs from the full font: the same bytes? how much faster?

    .venv/bin/python benchmarks/fonts.py                 # every page under reports/
    .venv/bin/python benchmarks/fonts.py PAGE.html ...   # these pages
    .venv/bin/python benchmarks/fonts.py --full-only     # the old path alone (time, peak RSS)
    .venv/bin/python benchmarks/fonts.py --base-only     # the new path alone (time, peak RSS)

For each page, the characters its font subset holds (as render.py collects them); then the
subset as fontTools alone cuts it from the full font (the path before the base font, with
the bounds remembered as before) and the one fonts.subset_otf makes now, compared byte for
byte, and their CPU seconds. Exits 1 on any difference.
Not part of the test suite: it needs built reports, and takes ~3 s of CPU per page.
"""

from __future__ import annotations

import argparse
import html
import io
import resource
import sys
import time
from pathlib import Path

from helpers import paths
from helpers.publish import fonts


def page_codepoints(path: Path) -> frozenset[int]:
    page = fonts.without_html_font(path.read_text(encoding="utf-8"))
    return fonts._wanted(page + html.unescape(page))


def before(codepoints: frozenset[int]) -> bytes:
    """The subset as fonts.py made it before the base font: fontTools on the full font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(fonts.cjk_font_path(), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(fonts._options())
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    fonts._reuse_bounds(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def cpu(call, *args):
    start = time.process_time()
    out = call(*args)
    return out, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--full-only", action="store_true")
    only.add_argument("--base-only", action="store_true")
    args = parser.parse_args(argv)
    pages = args.pages or sorted(paths.REPORTS.rglob("*.html"))
    if not pages:
        print(f"no pages under {paths.REPORTS}: build some reports first", file=sys.stderr)
        return 2
    if not args.full_only:
        _, made = cpu(fonts.base_font)
        print(f"base font: {len(fonts.base_codepoints())} characters, {made:.2f} s CPU")
    differ, totals = 0, [0.0, 0.0]
    for path in pages:
        wanted = page_codepoints(path)
        old = new = None
        t_old = t_new = 0.0
        if not args.base_only:
            old, t_old = cpu(before, wanted)
            totals[0] += t_old
        if not args.full_only:
            fonts._subset.cache_clear()
            new, t_new = cpu(fonts._subset, wanted)
            totals[1] += t_new
        same = "" if old is None or new is None else ("same" if old == new else "DIFFER")
        differ += same == "DIFFER"
        times = " ".join(f"{t:5.2f}" for t in (t_old, t_new)[args.base_only : 2 - args.full_only])
        covered = "base" if wanted <= fonts.base_codepoints() else "full"
        print(f"{path}: {len(wanted)} chars ({covered}) {times} s CPU {same}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(pages)} pages, CPU s full/base: {totals[0]:.1f} / {totals[1]:.1f}, "
        f"{differ} differ, peak RSS {peak:.0f} MB"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
