"""Faults, round 3, fast (issue 29): a silent scheduler, a scheduler lost mid-build, output
floods, inputs edited by a notebook, signals and the order of the first lines printed."""

from __future__ import annotations

import socket
import threading
import time

import pytest


def _listener(answer: bytes | None):
    """A loopback server that accepts every connection and then sends `answer` (None: never
    anything, as an HTTP server waiting for a request line). Returns (address, close)."""
    server = socket.create_server(("127.0.0.1", 0))
    conns = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conns.append(conn)
            if answer is not None:
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()

    def close():
        server.close()
        for c in conns:
            c.close()

    return f"tcp://127.0.0.1:{server.getsockname()[1]}", close


@pytest.mark.parametrize(
    "answer, problem",
    [
        (None, "no answer to Dask's handshake within 2 s"),
        # eight bytes read as a frame count/length: distributed tried to allocate exabytes
        (b"\xff" * 64, "it answered in another protocol, not Dask's"),
        (b"HTTP/1.0 400 Bad Request\r\n\r\n" * 4, "it answered in another protocol"),
    ],
)
def test_a_listener_that_never_answers_or_speaks_another_protocol_is_one_line(answer, problem):
    pytest.importorskip("distributed")
    from helpers.engine.pools import DaskPool
    from helpers.engine.tasks import EngineError

    address, close = _listener(answer)
    t0 = time.monotonic()
    try:
        with pytest.raises(EngineError) as e:
            DaskPool(address, timeout=2)
    finally:
        close()
    message = str(e.value)
    assert message.startswith(f"cannot connect to the Dask scheduler at {address}: ")
    assert problem in message and "\n" not in message and "MemoryError" not in message
    assert time.monotonic() - t0 < 8


class _LostPool:
    """A pool whose scheduler goes away while its first tasks run."""

    def __init__(self, *a, **k):
        from concurrent.futures import Future

        self.Future = Future

    def submit(self, payload):
        return self.Future()  # never finishes

    def wait(self, futures):
        from helpers.engine.tasks import EngineError

        raise EngineError("the Dask scheduler at tcp://127.0.0.1:1 was lost mid-build")

    def broke(self, future):
        return False

    def abort(self):
        pass

    def close(self):
        pass


def test_a_scheduler_lost_mid_build_fails_its_tasks_with_one_line_and_the_table(
    tmp_path, monkeypatch, capsys
):
    from test_build import fixture_tasks, make_project, run

    from helpers.engine import pools

    root = make_project(tmp_path / "p")
    monkeypatch.setattr(pools, "DaskPool", _LostPool)
    result = run(root, fixture_tasks(), scheduler="tcp://127.0.0.1:1")
    st = {r.id: r for r in result.results}
    failed, blocked = result.by_status("failed"), result.by_status("blocked")
    assert [r.id for r in failed] == ["report-ten-year-en", "report-2014-en", "report-2015-en",
                                      "report-2016-en"]  # fmt: skip
    assert st["report-2014-en"].error == (
        "EngineError: the Dask scheduler at tcp://127.0.0.1:1 was lost mid-build"
    )
    assert len(failed) + len(blocked) == len(result.results) and not result.ok
    table = result.summary_table()
    assert "FAILED report-2014-en" in table and "4 failed, 5 blocked" in table


# ---------------------------------------------------------------- output floods, export time


def test_output_size_counts_streams_data_and_tracebacks():
    from helpers.engine.watchdog import output_size

    outs = [
        {"output_type": "stream", "text": "abc"},
        {"output_type": "display_data", "data": {"text/plain": ["ab", "cd"], "image/png": "xyz"}},
        {"output_type": "error", "traceback": ["line one", "two"]},
    ]
    assert output_size(outs) == 3 + 4 + 3 + 8 + 3
    assert output_size([]) == output_size(None) == 0


def test_a_cell_flooding_its_output_is_ended_while_it_runs(tmp_path):
    """The watchdog kills the kernel of a cell whose output passed the limit (nbclient then
    sees it dead); the run's error is the size, with the cell."""
    from test_faults import _run

    flood = 'sys.stdout.write(("x" * 1023 + "\\n") * 2048); time.sleep(60)'
    error, took = _run(tmp_path, "import sys, time", flood)
    assert error.error.startswith("OutputTooLargeError: the cell's output reached 2.")
    assert error.error.endswith("M characters (limit 1 M)")
    assert error.cell == f"cell 2 `{flood}`" and took < 15


def test_a_cell_that_ended_with_too_much_output_fails_after_it():
    from helpers.engine import watchdog

    cell = {"source": "print(x)", "outputs": [{"output_type": "stream", "text": "x" * 2001}]}
    limit = r"reached 0.0 M characters \(limit 0.002 M\)"
    with pytest.raises(watchdog.NotebookAborted, match=limit):
        with watchdog.Watchdog(None, None, poll=60, output_limit=2000) as dog:
            dog.on_cell(cell=cell)
            dog.on_cell_done(cell=cell)


def test_an_export_past_its_time_is_ended():
    from helpers.engine import watchdog

    t0 = time.monotonic()
    with pytest.raises(watchdog.NotebookAborted, match="ExportTimeoutError: the export ran "
                       "longer than 0.3 s"):  # fmt: skip
        with watchdog.Watchdog(None, 0.3, poll=0.05, what="export"):
            time.sleep(20)
    assert time.monotonic() - t0 < 5


# ---------------------------------------------------------------- inputs and outputs, re-checked


def test_drift_names_an_input_changed_or_an_output_deleted_after_the_task(tmp_path):
    from helpers.engine import state
    from helpers.engine.tasks import Task

    (tmp_path / "raw.txt").write_text("a")
    (tmp_path / "out").mkdir()
    (tmp_path / "out/x.csv").write_text("x")
    task = Task("t", "call", "m:f", inputs=("raw.txt",), outputs=("out/**",))
    h = state.Hasher()
    entry = {"reads": {"inputs": {"raw.txt": h.file(tmp_path / "raw.txt")}},
             "outputs": state.output_hashes(task, tmp_path, h)}  # fmt: skip
    assert state.drift(task, entry, tmp_path, state.Hasher()) is None
    (tmp_path / "out/x.csv").unlink()
    assert state.drift(task, entry, tmp_path, state.Hasher()) == "its output out/x.csv was deleted"
    (tmp_path / "raw.txt").write_text("ab")
    changed = "raw.txt, which it read, was changed"
    assert state.drift(task, entry, tmp_path, state.Hasher()) == changed


# ---------------------------------------------------------------- the colophon's mark


def _git(root, *args):
    import subprocess

    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root,
                   check=True, capture_output=True)  # fmt: skip


def test_a_marked_report_is_exported_again_once_the_tree_is_clean(tmp_path):
    import shutil

    from helpers import paths, pipeline
    from helpers.publish import export

    for d in ("data/raw", "notebooks"):
        shutil.copytree(paths.ROOT / d, tmp_path / d)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "a")
    tasks = pipeline.plan([2019], ["en"], root=tmp_path)
    assert export.unmark(tasks, tmp_path) == {}  # nothing marked
    (tmp_path / "build/marked").mkdir(parents=True)
    (tmp_path / "build/marked/export-2019-en").write_text("with uncommitted changes\n")
    layout = next((tmp_path / "data/raw/layout").glob("*.yml"))
    layout.write_text(layout.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert export.unmark(tasks, tmp_path) == {}  # still dirty: the mark is true
    _git(tmp_path, "checkout", "--", ".")
    assert export.unmark(tasks, tmp_path) == {
        "export-2019-en": "its colophon says uncommitted changes; the tree is clean now"
    }


def test_a_task_asked_to_rerun_runs_though_up_to_date_and_the_dry_run_says_why(tmp_path):
    from test_build import dry, fixture_tasks, make_project, run, statuses

    root = make_project(tmp_path / "p", years=(2014,))
    tasks = fixture_tasks(years=(2014,))
    assert run(root, tasks).ok
    why = {"export-2014-en": "its colophon says uncommitted changes; the tree is clean now"}
    said = {d.task.id: (d.action, d.reason) for d in dry(root, tasks, rerun=why)}
    assert said["export-2014-en"] == ("run", why["export-2014-en"])
    assert said["report-2014-en"] == ("skip", "up to date")
    assert said["index"][0] == "run"  # after a dependency that runs, as always
    st = statuses(run(root, tasks, rerun=why))
    assert st["export-2014-en"] == "built" and st["report-2014-en"] == "skipped"


def test_a_write_that_fails_names_its_target_and_leaves_no_temp_file(tmp_path):
    import errno

    from helpers.engine import atomic

    target = tmp_path / "reports/x.html"
    with pytest.raises(OSError, match=r"No space left on device: '.*reports/x.html'"):
        with atomic.atomic_path(target):
            raise OSError(errno.ENOSPC, "No space left on device")  # as a full disk's write
    assert list(tmp_path.rglob("*")) == [tmp_path / "reports"]


# ---------------------------------------------------------------- a call task's subprocess


def test_a_call_task_subprocess_ends_with_its_function_status_never_a_crash():
    """Its interpreter's own exit, with the owner watch blocked in select(), segfaulted in
    about one run in four (a call task failing with `exit status -11`)."""
    import os
    import subprocess
    import sys

    def call(module, attr):
        code = "from helpers.engine.lifeline import call_watched; "
        code += f"call_watched({os.getpid()}, {module!r}, {attr!r})"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert {call("os", "getpid").returncode for _ in range(12)} == {0}
    failed = call("helpers.no_such_module", "f")
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1].startswith("ModuleNotFoundError: No module named")
