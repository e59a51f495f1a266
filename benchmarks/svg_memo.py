"""PDFs drawn with the SVG path memo vs WeasyPrint's own path drawing: the same bytes? how fast?

    .venv/bin/python benchmarks/svg_memo.py                 # every report page under reports/
    .venv/bin/python benchmarks/svg_memo.py PAGE.html ...   # these pages

For each page, render.html_to_pdf with WeasyPrint's path drawer, then with the memo (empty
at first, as in a build worker's first report), compared byte for byte, with the CPU seconds
spent drawing SVG images (weasyprint.svg.SVG.draw) in each. Exits 1 on any difference.
Not part of the test suite: it needs built reports, and takes a few seconds per page.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from weasyprint import svg
from weasyprint.svg.path import path as weasyprint_path

from helpers import paths
from helpers.publish import render, svg_memo

_SPENT = [0.0]
_DRAW = svg.SVG.draw


def _timed_draw(self, *args, **kwargs):
    start = time.process_time()
    try:
        return _DRAW(self, *args, **kwargs)
    finally:
        _SPENT[0] += time.process_time() - start


def pdf(page: str, lang: str, drawer) -> tuple[bytes, float]:
    svg.TAGS["path"] = drawer
    _SPENT[0] = 0.0
    title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
    return render.html_to_pdf(page, lang=lang, title=title, header=title), _SPENT[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path)
    args = parser.parse_args(argv)
    pages = args.pages or sorted(paths.REPORTS.glob("*/report.*.html"))
    if not pages:
        print(f"no reports under {paths.REPORTS}: build some first", file=sys.stderr)
        return 2
    svg.SVG.draw = _timed_draw
    svg_memo.install = lambda: None  # this script chooses the drawer
    memo = svg_memo.memoized(weasyprint_path)
    differ, totals = 0, [0.0, 0.0]
    for path in pages:
        page, lang = path.read_text(encoding="utf-8"), path.suffixes[0].lstrip(".")
        old, t_old = pdf(page, lang, weasyprint_path)
        new, t_new = pdf(page, lang, memo)
        totals[0] += t_old
        totals[1] += t_new
        same = "same" if old == new else "DIFFER"
        differ += same == "DIFFER"
        print(f"{path}: SVG drawing {t_old:5.2f} → {t_new:5.2f} s CPU {same}", flush=True)
    print(
        f"{len(pages)} pages, SVG drawing CPU s without/with the memo: "
        f"{totals[0]:.1f} / {totals[1]:.1f}, {differ} differ, {len(svg_memo._MEMO)} paths kept"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
