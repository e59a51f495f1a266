"""Faults end to end, on the tiny fixture notebooks in throw-away folders (issue 14):
nothing hangs, a fault fails only its own task and names it, nothing escapes the folder."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from test_build import fixture_tasks, make_project, run, statuses

pytestmark = pytest.mark.slow

FAULTS = """
import os, signal, time
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


def test_a_dead_kernel_and_an_endless_cell_fail_only_their_tasks(tmp_path):
    root = _with_faults(make_project(tmp_path / "p"))
    t0 = time.monotonic()
    result = run(root, fixture_tasks(), cell_timeout=5)
    took = time.monotonic() - t0
    st = statuses(result)
    assert not result.ok and took < 90, (took, result.summary_table())
    assert st["report-2015-en"] == st["report-2016-en"] == "failed", result.summary_table()
    assert st["export-2014-en"] == "built", result.summary_table()
    assert st["export-ten-year-en"] == "built", result.summary_table()
    by_id = {r.id: r for r in result.results}
    dead, slow = by_id["report-2015-en"], by_id["report-2016-en"]
    assert dead.error == "DeadKernelError: the kernel died (killed by SIGKILL)"
    assert dead.cell.startswith("5 `import os, signal, time`")
    assert slow.error == "CellTimeoutError: a cell ran longer than 5 s"
    assert "2016 en · cell 5 `import os, signal, time` · CellTimeoutError" in slow.detail()
