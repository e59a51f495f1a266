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
from conftest import ONE_YEAR, copy_built, copy_repo
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
    assert flood.cell == "cell 5 `import sys`", flood
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


# ---------------------------------------------------------------- the real CLI, one year

RAW = "data/raw/cpt-2024-04-jjj-ten-years.txt"
EDITS_INPUTS = f"""
import pathlib, shutil
if year == {ONE_YEAR}:  # a notebook that edits its raw input and deletes the processed data
    raw = pathlib.Path("../{RAW}")
    raw.write_bytes(raw.read_bytes() + b"\\n")
    shutil.rmtree("../data/processed")
"""


def _cli(root: Path, *extra: str, session=False):
    env = {**os.environ, "JJJ_ROOT": str(root), "PYTHONPATH": str(root / "src")}
    cmd = [sys.executable, "-m", "helpers.cli", "build", "--years", str(ONE_YEAR), "--lang", "en",
           "--no-progress", *extra]  # fmt: skip
    return subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            start_new_session=session)  # fmt: skip


def test_a_notebook_that_edits_data_raw_fails_its_build_naming_the_file(tmp_path):
    root = copy_repo(tmp_path / "a")
    good = (root / RAW).read_bytes()
    # Edited in its .ipynb half: the build syncs the pair first and says so, after the error.
    _add_cell(root, EDITS_INPUTS, "notebooks/03_year_report.ipynb")
    proc = _cli(root)
    out, err = proc.communicate(timeout=600)
    lines = err.splitlines()
    assert proc.returncode == 1, err
    assert lines[0].startswith(f"jjj-report build: FAILED verify: EngineError: {RAW}, which it "
                               "read, was changed during the build"), err  # fmt: skip
    assert lines[1] == ("notebooks/03_year_report.ipynb: out of sync with 03_year_report.py; "
                        "synced from the newer 03_year_report.ipynb")  # fmt: skip
    assert "clean-cpt-2024-04-jjj-ten-years  failed" in out
    assert ("FAILED combine: EngineError: its output data/processed/citations.csv was deleted "
            "during the build") in out  # fmt: skip
    # With the file restored, the next build rebuilds data/processed.
    nb = nbformat.read(root / "notebooks/03_year_report.ipynb", as_version=4)
    nb.cells.pop()
    nbformat.write(nb, root / "notebooks/03_year_report.ipynb")
    (root / RAW).write_bytes(good)
    again = _cli(root)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, out + err
    assert (root / "data/processed/figures.csv").is_file()
    assert (root / "data/processed/sources/cpt-2024-04-jjj-ten-years/article.md").is_file()


def test_the_uncommitted_changes_mark_follows_the_tree(tmp_path):
    from test_faults3 import _git

    from helpers.provenance import DIRTY

    # Built from scratch: the edit below feeds no report, so a tree built before it would
    # export nothing again (the mark is not part of an export's key).
    root = copy_repo(tmp_path / "a")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "a")
    html = root / f"reports/{ONE_YEAR}/report.en.html"
    with open(root / "jupytext.toml", "a", encoding="utf-8") as f:
        f.write("# an uncommitted edit that feeds no report\n")
    for expect_mark, args in ((True, ()), (False, ("--revert",))):
        if args:  # back to the clean commit: the next build re-exports, without the mark
            _git(root, "checkout", "--", "jupytext.toml")
        proc = _cli(root)
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
        assert (DIRTY.strip() in html.read_text(encoding="utf-8")) is expect_mark, out
    assert f"export-{ONE_YEAR}-en                   built" in out and f"report-{ONE_YEAR}-en" in out
    proc = _cli(root)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0 and " 0 built," in out, out  # and then it stays put


def _alive_with(text: bytes) -> list[int]:
    from helpers.engine.lifeline import running

    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if text in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return running(pids)


def test_what_a_cell_starts_in_a_new_session_ends_with_the_build(tmp_path, built_one):
    root = copy_built(built_one, tmp_path / "a")  # only the year's report runs again
    _add_cell(root, f"""
import subprocess
if year == {ONE_YEAR}:
    subprocess.Popen(["sleep", "600.29"], start_new_session=True)  # outlived the build before
    subprocess.Popen(["sleep", "600.30"])
""", "notebooks/03_year_report.ipynb")  # fmt: skip
    proc = _cli(root)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, out + err
    assert "a notebook left running: " in err and "`sleep 600.29`" in err, err
    time.sleep(5)
    assert _alive_with(b"600.29") == _alive_with(b"600.30") == []


def _signal_group(root: Path, signals) -> tuple[subprocess.Popen, str, list[int]]:
    """A forced build in a session of its own (as in a terminal); once its notebooks run,
    send each of `signals` to the whole group, 0.3 s apart. Returns the process, its
    stderr, and the build's processes still alive 5 s after it ended."""
    from helpers.engine.lifeline import descendants, running

    proc = _cli(root, "--force", session=True)
    deadline = time.monotonic() + 300
    procs: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None and len(procs) < 4:
        procs.update(descendants(proc.pid))
        time.sleep(0.2)
    time.sleep(3)  # the first notebooks run
    procs.update(descendants(proc.pid))
    for sig in signals:
        os.killpg(proc.pid, sig)
        time.sleep(0.3)
    _out, err = proc.communicate(timeout=60)
    time.sleep(5)
    return proc, err, running(procs)


@pytest.mark.parametrize(
    "signals, status, line",
    [
        ((signal.SIGHUP,), 129, "jjj-report build: terminated (SIGHUP); the next build repairs"),
        ((signal.SIGINT, signal.SIGINT), 130, "jjj-report build: interrupted"),
    ],
)
def test_a_closed_terminal_or_a_second_ctrl_c_ends_the_build_quietly(tmp_path, signals, status,
                                                                     line):  # fmt: skip
    import tempfile

    root = copy_repo(tmp_path / "a")
    proc, err, alive = _signal_group(root, signals)
    assert proc.returncode == status and err == line + "\n", err
    assert alive == []
    assert not list(Path(tempfile.gettempdir()).glob(f"jjj-build-{proc.pid}-*"))
    assert not list(root.rglob("*.tmp"))


def test_an_http_server_as_scheduler_is_one_line_within_the_limit(tmp_path):
    """The campaign's case as written: `python3 -m http.server --bind 127.0.0.1` accepts the
    connection and waits for a request line; the build used to wait with it for good."""
    pytest.importorskip("distributed")
    root = copy_repo(tmp_path / "a")
    server = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind",
                               "127.0.0.1"], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        port = server.stdout.readline().split(" port ")[1].split()[0]
        t0 = time.monotonic()
        proc = _cli(root, "--scheduler", f"tcp://127.0.0.1:{port}")
        out, err = proc.communicate(timeout=120)
        took = time.monotonic() - t0
    finally:
        server.kill()
        server.wait()
    assert proc.returncode == 2 and took < 30, (took, err)
    assert err == (f"jjj-report build: cannot connect to the Dask scheduler at tcp://127.0.0.1:"
                   f"{port}: no answer to Dask's handshake within 10 s (is it a Dask "
                   "scheduler?)\n")  # fmt: skip
    assert out == "" and not (root / "reports").exists()


def _dask(root: Path, tmp_path: Path):
    """A Dask scheduler and one worker on loopback, for `root`; (scheduler, worker, address)."""
    env = {**os.environ, "JJJ_ROOT": str(root), "PYTHONPATH": str(root / "src")}
    info = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
                              "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                              str(info)], **quiet)  # fmt: skip
    deadline = time.monotonic() + 60
    while not info.exists():
        assert time.monotonic() < deadline
        time.sleep(0.2)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", "--nthreads",
                               "1", "--no-dashboard", "--host", "127.0.0.1", "--scheduler-file",
                               str(info)], **quiet)  # fmt: skip
    import json

    time.sleep(1)
    return sched, worker, json.loads(info.read_text())["address"]


def test_a_scheduler_lost_mid_build_is_one_failed_line_and_the_table(tmp_path):
    pytest.importorskip("distributed")
    root = copy_repo(tmp_path / "a")
    sched, worker, address = _dask(root, tmp_path)
    try:
        proc = _cli(root, "--scheduler", address)
        deadline = time.monotonic() + 300
        while not (root / "build/executed").is_dir():  # the first notebook has run
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.2)
        sched.kill()
        out, err = proc.communicate(timeout=120)
    finally:
        for p in (sched, worker):
            p.kill()
            p.wait()
    lines = err.splitlines()
    assert proc.returncode == 1, err
    assert lines[0].startswith("jjj-report build: FAILED ") and len(lines) == 1, err
    assert f"the Dask scheduler at {address} was lost mid-build" in lines[0]
    assert "Traceback" not in err and out.startswith("task ") and "blocked" in out
