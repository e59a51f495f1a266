"""`jjj-report preview` in Debian's Chromium (Playwright driving the machine's browser; never a
downloaded one): an edited sentence reaches the open page, a failing cell shows in an overlay
naming it until fixed, SIGTERM leaves nothing running and the lock free, and reports/ is what a
normal build of the same tree writes. Skips, saying why, without Chromium or Playwright."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ONE_YEAR, copy_built, copy_repo
from test_axe import chromium

from helpers.engine.lifeline import descendants, running

NB = "notebooks/03_year_report.py"
OLD = "# - Recorded in {{ year }}: {{ events_en }}."
NEW = "# - Seen in the preview in {{ year }}: {{ events_en }}."
SETUP = "prose.glue(named.year_values(data, view))\n"
PLANT = SETUP + "\n# %%\nplanted = 1 / 0\n"
SEEN = f"Seen in the preview in {ONE_YEAR}:"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def missing() -> str | None:
    import importlib.util

    if chromium() is None:
        return "no Chromium or Chrome (set JJJ_CHROMIUM; CI: apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python not installed (it is in the lock: make venv)"
    return None


pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(missing()), reason=missing() or "")]


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "JJJ_ROOT": str(root), "PYTHONPATH": str(root / "src")}


class Preview:
    """`jjj-report preview --years ONE_YEAR --lang en` in `root`; its processes seen while it
    ran."""

    def __init__(self, root: Path, log: Path):
        cmd = [sys.executable, "-m", "helpers.cli", "preview", "--years", str(ONE_YEAR), "--lang",
               "en"]  # fmt: skip
        self.log = open(log, "w")  # the builds' tables
        self.proc = subprocess.Popen(cmd, cwd=root, env=_env(root), stdout=self.log,
                                     stderr=subprocess.PIPE, text=True)  # fmt: skip
        first = self.proc.stderr.readline()
        m = re.match(rf"preview: (http://127\.0\.0\.1:\d+/{ONE_YEAR}/report\.en\.html) ", first)
        assert m, first
        self.url, self.seen = m[1], set()

    def watch(self) -> None:
        self.seen.update(descendants(self.proc.pid))

    def builds(self) -> list[int]:
        """PIDs of the build children running now."""

        def cmd(pid):
            try:
                return Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                return b""

        return [p for p in descendants(self.proc.pid) if b"helpers.cli\0build" in cmd(p)]

    def terminate(self) -> tuple[int, str]:
        self.watch()
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=30)
        self.log.close()
        return self.proc.returncode, err


def _edit(root: Path, old: str, new: str) -> float:
    path = root / NB
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return time.monotonic()


def _lock_free(root: Path) -> bool:
    fd = os.open(root / "build" / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "reports").rglob("*")) if p.is_file()}  # fmt: skip


def _in_chromium(root: Path, preview: Preview) -> None:
    """Open the page; edit a sentence, plant a failing cell, fix it; never reload by hand."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=ARGS)
        page = browser.new_page()
        page.goto(preview.url)  # "not built yet" until the first build, then the report
        body = page.locator("body")
        expect(body).to_contain_text(f"Recorded in {ONE_YEAR}:", timeout=300_000)
        preview.watch()

        saved = _edit(root, OLD, NEW)
        expect(page.locator("#jjj-preview-running")).to_have_count(1, timeout=30_000)
        expect(body).to_contain_text(SEEN, timeout=120_000)
        print(f"\nsave to new text in the open page: {time.monotonic() - saved:.1f} s")
        expect(page.locator("#jjj-preview-running")).to_have_count(0, timeout=60_000)
        preview.watch()

        _edit(root, SETUP, PLANT)
        overlay = page.locator("#jjj-preview-overlay")
        expect(overlay).to_contain_text(f"{ONE_YEAR} · en · cell 4 `planted = 1 / 0`",
                                        timeout=120_000)  # fmt: skip
        expect(overlay).to_contain_text("ZeroDivisionError: division by zero")
        expect(body).to_contain_text(SEEN)  # the last good build
        preview.watch()

        _edit(root, PLANT, SETUP)
        expect(overlay).to_have_count(0, timeout=120_000)
        expect(body).to_contain_text(SEEN)
        browser.close()


def _same_as_a_normal_build(root: Path, built: Path, fresh: Path) -> None:
    """reports/ of `root` is what `jjj-report build` writes in a copy of the `built` tree given
    root's inputs."""
    copy_built(built, fresh)
    for folder in ("data/raw", "notebooks", "src"):
        shutil.rmtree(fresh / folder)
    copy_repo(fresh, root)
    cmd = [sys.executable, "-m", "helpers.cli", "build", "--years", str(ONE_YEAR), "--lang", "en",
           "--no-progress"]  # fmt: skip
    built = subprocess.run(cmd, cwd=fresh, env=_env(fresh), capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    a, b = _tree(root), _tree(fresh)
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []


def _sigterm_mid_build(root: Path, log: Path) -> None:
    """Start a preview, save, SIGTERM it once the build's kernel runs: nothing is left."""
    again = Preview(root, log)
    try:
        line = ""
        while not line.startswith(("preview: built", "preview: build failed")):
            line = again.proc.stderr.readline()  # the start's build (nothing to do) ends
            assert line, "the preview ended"
        deadline = time.monotonic() + 120
        _edit(root, NEW, OLD)
        while not any(b"ipykernel" in _cmdline(q) for q in descendants(again.proc.pid)):
            assert time.monotonic() < deadline, "no kernel started"
            again.watch()
            time.sleep(0.1)
        time.sleep(1)
        rc, err = again.terminate()
    finally:
        again.proc.kill()
    assert rc == 0, err
    time.sleep(5)
    assert running(again.seen) == [] and _lock_free(root), err


def test_preview_in_chromium_edit_fail_fix_and_sigterm(tmp_path, built_one):
    root = copy_built(built_one, tmp_path / "a")  # as an analyst's tree: built before
    preview = Preview(root, tmp_path / "preview-a.log")
    try:
        _in_chromium(root, preview)
        time.sleep(3)  # the build's own pair sync settles (it asks for no second build)
        assert preview.builds() == []
        rc, err = preview.terminate()
    finally:
        preview.proc.kill()
    assert rc == 0 and err.strip().endswith("preview: stopped; the build lock is free"), err
    time.sleep(5)
    assert running(preview.seen) == [] and _lock_free(root)
    _same_as_a_normal_build(root, built_one, tmp_path / "b")
    _sigterm_mid_build(root, tmp_path / "preview-b.log")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
