"""Accessibility: axe-core finds no violation on the index and two report pages.

axe-core comes from npm (`npm ci --prefix tests/axe`, pinned in tests/axe/package-lock.json)
and runs in headless Chromium (or Chrome): a copy of each page gets axe.min.js and a script
that writes the violations into the page, read back with --dump-dom. Skips, saying why, when
either is missing.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
MAC_CHROME = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
# After axe.run: the violations, as JSON, in a <pre> that --dump-dom prints.
RUNNER = """<script>
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  var pre = document.createElement("pre");
  pre.id = "axe-result";
  pre.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(function (n) { return n.target.join(" "); })};
  }));
  document.body.appendChild(pre);
});
</script>"""


def chromium() -> str | None:
    """JJJ_CHROMIUM, else Chromium or Chrome on PATH, else Chrome's macOS app."""
    for name in (os.environ.get("JJJ_CHROMIUM"), "chromium", "chromium-browser"):
        if name and (found := shutil.which(name)):
            return found
    for name in ("google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return MAC_CHROME if Path(MAC_CHROME).is_file() else None


def missing() -> str | None:
    """Why the test cannot run here, or None."""
    if chromium() is None:
        return "no Chromium or Chrome (set JJJ_CHROMIUM)"
    if not AXE.is_file():
        return "axe-core not installed: npm ci --prefix tests/axe"
    return None


# Decided before any fixture runs: a machine without the tools does not build the reports first.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(missing()), reason=missing() or "")]


def axe_violations(page: Path, work: Path) -> list[dict]:
    """axe-core's violations on `page` at 1280 px, in headless Chromium."""
    if why := missing():
        pytest.skip(why)
    browser = chromium()
    text = page.read_text(encoding="utf-8")
    assert text.count("</body>") == 1, page
    copy = work / f"axe-{page.parent.name}-{page.name}"
    script = f"<script>{AXE.read_text(encoding='utf-8')}</script>{RUNNER}"
    copy.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={work / 'profile'}",
        "--window-size=1280,1000",
        "--virtual-time-budget=60000",
        "--dump-dom",
        copy.as_uri(),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', out.stdout, re.S)
    assert found, f"axe did not report on {page}: {out.stderr[-1000:]}"
    return json.loads(html_lib.unescape(found[1]))


def test_axe_finds_no_violation_on_the_index_pages_and_two_reports(built, tmp_path):
    reports = built / "reports"
    pages = [
        reports / "index.html",
        reports / "index.en.html",
        reports / "ten-year" / "report.zh.html",
        reports / "2018" / "report.en.html",
    ]
    found = {p.relative_to(reports).as_posix(): axe_violations(p, tmp_path) for p in pages}
    assert found == {name: [] for name in found}
