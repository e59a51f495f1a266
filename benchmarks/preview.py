"""Benchmark `jjj-report preview`: the time from saving a sentence to seeing it in the open page.

    .venv/bin/python benchmarks/preview.py              # 5 saves, 2019 en
    .venv/bin/python benchmarks/preview.py --saves 3

Copies the working tree to a temporary folder (as benchmarks/build.py does), starts
`jjj-report preview --years 2019 --lang en` there, opens the report in the machine's Chromium
(Playwright with `executable_path`; JJJ_CHROMIUM or chromium on PATH), waits for the first
build, then rewrites the English main-point sentence of notebooks/03_year_report.py, each save
a new text, and measures until that text is in the open page (no reload by hand): the page
reloads itself when its report is rewritten. Prints each save and the median. Not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build import copy_repo, env_for, load

NB = "notebooks/03_year_report.py"
SENTENCE = "# - Recorded in {{ year }}: {{ events_en }}."
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium() -> str:
    for name in (os.environ.get("JJJ_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (found := shutil.which(name)):
            return found
    sys.exit("no Chromium or Chrome on PATH (set JJJ_CHROMIUM)")


def _built_after(said: list[str], before: int) -> None:
    """Wait for the preview's next "built" line (a build's index ends after its page)."""
    while not any(x.startswith("preview: built") for x in said[before:]):
        time.sleep(0.1)


def _saves(url: str, root: Path, said: list[str], summaries: Path, n: int):
    """Open the page, then save `n` new sentences: (seconds to each new text, each build's
    own time from its summary table)."""
    from playwright.sync_api import expect, sync_playwright

    times, builds = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=ARGS)
        page = browser.new_page()
        page.goto(url)
        body = page.locator("body")
        t0 = time.monotonic()
        expect(body).to_contain_text("Recorded in 2019:", timeout=600_000)
        print(f"first build (cold, served): {time.monotonic() - t0:.1f} s", flush=True)
        _built_after(said, 0)
        time.sleep(1)
        old = SENTENCE
        for i in range(1, n + 1):
            new = f"# - Recorded in {{{{ year }}}} (save {i}): {{{{ events_en }}}}."
            path = root / NB
            path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1),
                            encoding="utf-8")  # fmt: skip
            saved, before = time.monotonic(), len(said)
            expect(body).to_contain_text(f"Recorded in 2019 (save {i}):", timeout=120_000)
            times.append(time.monotonic() - saved)
            _built_after(said, before)
            builds.append(float(re.findall(r"tasks: .* in ([0-9.]+) s", summaries.read_text())[-1]))
            print(f"save {i}: new text in the open page after {times[-1]:.2f} s "
                  f"(the build's own time, index included: {builds[-1]:.1f} s)",
                  flush=True)  # fmt: skip
            old = new
            time.sleep(3)  # the next save on its own
        browser.close()
    return times, builds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--saves", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="jjj-preview-bench-") as tmp:
        root = copy_repo(Path(tmp) / "repo")
        cmd = [sys.executable, "-m", "helpers.cli", "preview", "--years", "2019", "--lang", "en"]
        summaries = Path(tmp) / "builds.txt"  # each build's table: its own time, for the split
        out = open(summaries, "w")  # the preview's stdout while it runs
        proc = subprocess.Popen(cmd, cwd=root, env=env_for(root), stdout=out,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            url = proc.stderr.readline().split()[1]
            said: list[str] = []  # the preview's lines, drained so that it never blocks
            threading.Thread(target=lambda: said.extend(proc.stderr), daemon=True).start()
            print(f"repo copy: {root}  {url}  {load()}", flush=True)
            times, builds = _saves(url, root, said, summaries, args.saves)
            time.sleep(3)
            starts = [x.strip() for x in said if x.startswith("preview: changed")]
            print(f"builds after the first: {len(starts)} for {len(times)} saves")
            print(f"save to new text: median {statistics.median(times):.2f} s, "
                  f"min {min(times):.2f}, max {max(times):.2f} over {len(times)} saves "
                  f"(target 10 s); the builds' own median {statistics.median(builds):.1f} s; "
                  f"{load()}")  # fmt: skip
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            out.close()


if __name__ == "__main__":
    main()
