"""Faults, fast (issue 14): the notebook watchdog, and the checks made before any work."""

from __future__ import annotations

import subprocess
import threading
import time
from types import SimpleNamespace

import pytest

from helpers.engine import watchdog


def _fake_kernel():
    """Something shaped like a KernelManager whose kernel is a `sleep` in its own session."""
    proc = subprocess.Popen(["sleep", "60"], start_new_session=True)
    return SimpleNamespace(provisioner=SimpleNamespace(process=proc)), proc


def _run(tmp_path, *sources, timeouts=(None, None)):
    """Run a notebook of these code cells as a build task does (a real kernel); its error."""
    import nbformat

    from helpers.engine import kernels
    from helpers.engine.tasks import Task, TaskFailed

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, tmp_path / "nb.ipynb")
    task = Task("t", "notebook", "nb.ipynb", outputs=("out.ipynb",))
    t0 = time.monotonic()
    with pytest.raises(TaskFailed) as e:
        kernels.exec_notebook(task, tmp_path, {}, False, tmp_path, timeouts)
    return e.value, time.monotonic() - t0


# nbclient's own checks, which run because the kernel client is asynchronous: with a blocking
# one nbclient waited in get_msg(timeout=None) for ever on a dead kernel.
@pytest.mark.parametrize(
    "cell, timeouts, message",
    [
        ("os.kill(os.getpid(), signal.SIGKILL)", (None, None),
         "DeadKernelError: the kernel died (killed by SIGKILL)"),
        ("time.sleep(60)", (3, None), "CellTimeoutError: a cell ran longer than 3 s"),
        # Limits with room for cell 1 and, for the notebook, the kernel becoming ready: with 1 s
        # on a loaded machine (CI runs the end-to-end suite alongside), it ran out in cell 1.
        ("time.sleep(60)", (None, 5), "NotebookTimeoutError: the notebook ran longer than 5 s"),
    ],
)  # fmt: skip
def test_a_dead_kernel_or_a_run_past_its_time_fails_naming_the_cell(tmp_path, cell, timeouts,
                                                                    message):  # fmt: skip
    error, took = _run(tmp_path, "import os, signal, time", cell, timeouts=timeouts)
    assert (error.error, error.cell) == (message, f"cell 2 `{cell}`")
    assert took < 15


def test_a_kernel_ending_after_its_last_cell_is_not_a_fault():
    km, proc = _fake_kernel()
    with watchdog.Watchdog(km, None, poll=0.05) as dog:
        dog.on_cell(cell={"source": "x = 1"})
        dog.on_cell_done()
        proc.kill()  # the shutdown at the end of a run
        time.sleep(0.5)
    assert dog.reason is None


# ---------------------------------------------------------------- --scheduler, before any work


@pytest.mark.parametrize(
    "address, problem",
    [
        ("tcp://127.0.0.1:1", "cannot connect (Connection refused) within 5 s"),
        ("nonsense", "not a scheduler address such as tcp://host:8786"),
        ("tcp://127.0.0.1:99999", "not a scheduler address"),
        ("http://127.0.0.1:8786", "not a scheduler address"),
    ],
)
def test_scheduler_is_checked_before_any_work(address, problem, capsys, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from helpers import cli

    monkeypatch.setenv("JJJ_ROOT", str(tmp_path))  # were anything built, it would be here
    t0 = time.monotonic()
    assert cli.main(["build", "--years", "2019", "--lang", "en", "--scheduler", address]) == 2
    assert time.monotonic() - t0 < 10
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err and err.startswith("jjj-report build: ")
    assert list(tmp_path.iterdir()) == []


def test_a_listener_that_is_not_a_scheduler_is_one_line():
    import socket

    pytest.importorskip("distributed")
    from helpers.engine.pools import DaskPool
    from helpers.engine.tasks import EngineError

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer():
        for _ in range(5):
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
            conn.close()

    threading.Thread(target=answer, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(
        EngineError, match=f"cannot connect to the Dask scheduler at tcp://127.0.0.1:{port}"
    ) as e:
        DaskPool(f"tcp://127.0.0.1:{port}", timeout=3)
    server.close()
    assert "\n" not in str(e.value) and time.monotonic() - t0 < 10


# ---------------------------------------------------------------- bounded, repaired, readable


def test_jobs_above_the_cpu_count_are_capped_with_a_warning(monkeypatch, capsys):
    import os

    from helpers import cli

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert cli.parse_jobs("16") == 2 and cli.parse_jobs("2") == 2
    assert capsys.readouterr().err == (
        "jjj-report build: --jobs 16 is more than the 2 CPUs; using 2\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '"state"',
        "null",
        '{"version": 1, "tasks": []}',
        '{"version": 1, "tasks": {"a": []}}',
        '{"version": 1, "tasks": {"a": {"key": 1, "outputs": {}}}}',
        '{"version": 1, "tasks": {"a": {"key": "k", "outputs": ["x"]}}}',
        '{"version": 1, "tasks": {"a": {"key": "k", "outputs": {}, "reads": 3}}}',
        "\xff\xfe not json",
    ],
)
def test_wrong_shaped_state_is_repaired_not_a_traceback(tmp_path, text):
    from helpers.engine import state

    (tmp_path / "state.json").write_bytes(text.encode("latin-1"))
    assert state.load_state(tmp_path) == {}


def test_well_formed_entries_are_kept_beside_broken_ones(tmp_path):
    import json

    from helpers.engine import state

    good = {"key": "k", "outputs": {"reports/x.html": "ab"}}
    doc = {"version": state.STATE_VERSION, "tasks": {"good": good, "bad": {"key": None}}}
    (tmp_path / "state.json").write_text(json.dumps(doc))
    assert state.load_state(tmp_path) == {"good": good}


def test_the_first_line_printed_on_failure_is_the_error(monkeypatch, capsys):
    from helpers import cli, pipeline
    from helpers.engine.tasks import BuildResult, TaskResult

    failed = TaskResult("report-2016-en", "notebook", "failed", 1.0, 2016, "en",
                        "ValueError: no data", "cell 4 `x`")  # fmt: skip
    result = BuildResult([TaskResult("verify", "call", "built"), failed], 1.0)
    monkeypatch.setattr(pipeline, "run", lambda *a, **k: result)
    assert cli.main(["build", "--years", "2016", "--lang", "en"]) == 1
    out = capsys.readouterr()
    assert out.err.splitlines()[0] == (
        "jjj-report build: FAILED report-2016-en: 2016 en · cell 4 `x` · ValueError: no data"
    )
    assert out.out.startswith("task ")


def test_the_index_runs_after_failures():
    from helpers import pipeline

    index = pipeline.plan([2019], ["en"])[-1]
    assert index.id == "index" and index.after_failures
