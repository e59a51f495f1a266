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


def test_watchdog_ends_a_run_whose_kernel_died():
    km, proc = _fake_kernel()
    threading.Timer(0.3, proc.kill).start()
    t0 = time.monotonic()
    with pytest.raises(watchdog.NotebookAborted, match=r"the kernel died \(killed by SIGKILL\)"):
        with watchdog.Watchdog(km, None, None, poll=0.05) as dog:
            dog.on_cell(cell={"source": "\nx = big()\n"})
            time.sleep(20)  # blocked, as nbclient is in get_msg(timeout=None)
    assert time.monotonic() - t0 < 5
    assert dog.cell == (1, "x = big()")


@pytest.mark.parametrize(
    "limits, message",
    [
        ((0.3, None), "CellTimeoutError: a cell ran longer than 0.3 s"),
        ((None, 0.3), "NotebookTimeoutError: the notebook ran longer than 0.3 s"),
    ],
)
def test_watchdog_ends_a_run_past_its_time_and_kills_the_kernel(limits, message):
    km, proc = _fake_kernel()
    with pytest.raises(watchdog.NotebookAborted, match=message):
        with watchdog.Watchdog(km, *limits, poll=0.05) as dog:
            dog.on_cell(cell={"source": "time.sleep(60)"})
            time.sleep(20)
    assert proc.wait(timeout=5) == -9


def test_a_kernel_ending_after_its_last_cell_is_not_a_fault():
    km, proc = _fake_kernel()
    with watchdog.Watchdog(km, None, None, poll=0.05) as dog:
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
