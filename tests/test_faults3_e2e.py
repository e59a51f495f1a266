"""Faults, round 3, end to end (issue 29): tiny fixture notebooks in throw-away folders, or
one year of the real project through the real CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import copy_repo
from test_build import CODE, ENV, EXPORTER, SYS_PATH, fixture_tasks, make_project, statuses

from helpers.engine.runner import execute

pytestmark = pytest.mark.slow

FLOOD = """
import sys
if year == 2015:  # the fault campaign's case, as written: 50 MB to stdout
    for i in range(50): sys.stdout.write(("x"*1023+"\\n")*1024)
"""


def _add_cell(root: Path, source: str, notebook="notebooks/year.ipynb") -> None:
    nb = nbformat.read(root / notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source.strip()))
    nbformat.write(nb, root / notebook)


def _execute(root: Path, tasks, env=None, **kw):
    return execute(tasks, root=root, exporter=EXPORTER, sys_path=SYS_PATH, jobs=2,
                   env={**ENV, "JJJ_ROOT": str(root), **(env or {})}, code=CODE,
                   progress=False, **kw)  # fmt: skip


def test_a_flood_of_output_fails_its_notebook_naming_the_cell_and_size(tmp_path):
    root = make_project(tmp_path / "p")
    _add_cell(root, FLOOD)
    t0 = time.monotonic()
    result = _execute(root, fixture_tasks())
    by_id = {r.id: r for r in result.results}
    flood = by_id["report-2015-en"]
    assert flood.status == "failed" and time.monotonic() - t0 < 120, result.summary_table()
    assert flood.cell == "5 `import sys`", flood
    assert flood.error.startswith("OutputTooLargeError: the cell's output reached ")
    assert flood.error.endswith(" M characters (limit 1 M)")
    assert statuses(result)["export-2016-en"] == "built"
    assert not (root / "reports/2015").exists()  # nothing of the flood is published


def test_an_export_past_the_time_limit_fails_with_one_line(tmp_path):
    root = make_project(tmp_path / "p", years=(2014,))
    t0 = time.monotonic()
    result = _execute(root, fixture_tasks(years=(2014,)), env={"FAKE_EXPORT_DELAY": "120"},
                      notebook_timeout=10)  # fmt: skip
    took = time.monotonic() - t0
    by_id = {r.id: r for r in result.results}
    assert took < 60, result.summary_table()
    for eid in ("export-2014-en", "export-ten-year-en"):
        assert by_id[eid].error == "ExportTimeoutError: the export ran longer than 10 s"
    assert by_id["report-2014-en"].status == "built"
    assert not list(root.rglob("*.tmp")) and not (root / "reports/2014/report.en.html").exists()
