"""Faults end to end, on the tiny fixture notebooks in throw-away folders (issue 14):
nothing hangs, a fault fails only its own task and names it, nothing escapes the folder."""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ONE_YEAR, copy_repo
from test_build import fixture_tasks, make_project, run, statuses, tree_hashes

pytestmark = pytest.mark.slow

FAULTS = """
import os, signal, time
if year == 2014:
    os.kill(os.getppid(), signal.SIGKILL)  # its worker dies (the kernel's parent)
if year == 2015:
    os.kill(os.getpid(), signal.SIGKILL)  # the kernel dies mid-notebook (as under the OOM killer)
if year == 2016:
    time.sleep(120)  # a cell that never ends
"""


def _with_faults(root: Path) -> Path:
    nb = nbformat.read(root / "notebooks/year.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(FAULTS.strip()))
    nbformat.write(nb, root / "notebooks/year.ipynb")
    return root


def test_a_dead_worker_a_dead_kernel_and_an_endless_cell_fail_only_their_tasks(tmp_path):
    root = _with_faults(make_project(tmp_path / "p"))
    t0 = time.monotonic()
    tasks = fixture_tasks()
    tasks[-1] = tasks[-1]._replace(after_failures=True)  # the index lists what was built
    result = run(root, tasks, cell_timeout=5)
    took = time.monotonic() - t0
    st = statuses(result)
    assert not result.ok and took < 90, (took, result.summary_table())
    assert st["report-2015-en"] == st["report-2016-en"] == "failed", result.summary_table()
    assert st["export-ten-year-en"] == "built", result.summary_table()
    by_id = {r.id: r for r in result.results}
    dead, slow = by_id["report-2015-en"], by_id["report-2016-en"]
    assert dead.error == "DeadKernelError: the kernel died (killed by SIGKILL)"
    assert dead.cell.startswith("cell 5 `import os, signal, time`")
    assert slow.error == "CellTimeoutError: a cell ran longer than 5 s"
    assert "2016 en · cell 5 `import os, signal, time` · CellTimeoutError" in slow.detail()
    assert st["index"] == "built" and st["export-2015-en"] == "blocked"
    died = by_id["report-2014-en"]
    assert died.status == "failed" and re.fullmatch(
        r"WorkerDied: its worker \(PID \d+\) ended abruptly \(killed: out of memory, or a signal\)",
        died.error,
    ), result.summary_table()


# ---------------------------------------------------------------- the real CLI, one year


def _cli(root: Path, *extra: str):
    import os
    import subprocess
    import sys

    env = {**os.environ, "JJJ_ROOT": str(root), "PYTHONPATH": str(root / "src")}
    cmd = [sys.executable, "-m", "helpers.cli", "build", "--years", str(ONE_YEAR), "--lang", "en",
           "--no-progress", *extra]  # fmt: skip
    return subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _kernels(pids) -> list[int]:
    def cmdline(pid):
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""

    return [p for p in pids if b"ipykernel" in cmdline(p)]


def _signal_mid_build(root: Path, sig) -> tuple[int, list[int]]:
    """Start a forced build, wait until its workers run notebooks, send `sig`; return the
    exit status and the build's processes still alive 5 s after it ended."""
    import os

    from helpers.engine.lifeline import descendants, running

    proc = _cli(root, "--force")
    deadline = time.monotonic() + 300
    procs: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None and not _kernels(procs):
        procs.update(descendants(proc.pid))
        time.sleep(0.2)
    time.sleep(2)  # a notebook is running
    procs.update(descendants(proc.pid))
    assert _kernels(procs) and len(procs) >= 4, procs  # fork server, workers, kernels
    os.kill(proc.pid, sig)
    proc.communicate(timeout=60)
    time.sleep(5)
    return proc.returncode, running(procs)


def test_sigkill_and_sigterm_end_every_process_and_the_next_build_repairs(tmp_path, built_one):
    import signal

    root = copy_repo(tmp_path / "a")
    rc, alive = _signal_mid_build(root, signal.SIGKILL)  # what the OOM killer does
    assert rc == -9 and alive == []
    rc, alive = _signal_mid_build(root, signal.SIGTERM)  # what CI cancellation sends
    assert rc == 143 and alive == []
    assert not list(root.rglob("*.tmp"))
    repaired = _cli(root)
    out, err = repaired.communicate(timeout=900)
    assert repaired.returncode == 0, out + err
    # What a build never interrupted writes: the shared one, of the same inputs.
    a, b = (tree_hashes(r, "data/processed", "reports") for r in (root, built_one))
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []


def test_outputs_through_a_symlink_are_refused_and_nothing_outside_changes(tmp_path):
    root = make_project(tmp_path / "p")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    sentinel = outside / "file"
    sentinel.write_text("sentinel\n")
    (root / "reports/2014").mkdir(parents=True)
    (root / "reports/2014/report.en.html").symlink_to(sentinel)  # a file link
    (root / "reports/2015").symlink_to(outside)  # a folder link
    from test_build import CODE, ENV, EXPORTER, SYS_PATH

    from helpers.engine.runner import execute

    result = execute(fixture_tasks(), root=root, exporter=EXPORTER, sys_path=SYS_PATH, jobs=2,
                     env={**ENV, "JJJ_ROOT": str(root)}, code=CODE, progress=False)  # fmt: skip
    st = statuses(result)
    by_id = {r.id: r for r in result.results}
    assert st["export-2014-en"] == st["export-2015-en"] == "failed", result.summary_table()
    assert "report.en.html: is a symlink" in by_id["export-2014-en"].error
    assert "reports/2015: is a symlink" in by_id["export-2015-en"].error
    assert st["export-2016-en"] == st["export-ten-year-en"] == "built"
    assert sorted(p.name for p in outside.iterdir()) == ["file"]
    assert sentinel.read_text() == "sentinel\n"
