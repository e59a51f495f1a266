"""helpers.preview: the page script added as served (never on disk), the overlay's words from
the CLI's line, the event stream, and the real `jjj-report preview` ending on SIGTERM."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from helpers import preview
from helpers.engine.lifeline import descendants, running

LINE = ("jjj-report build: FAILED report-2019-en: 2019 en · cell 4 `planted = 1 / 0` · "
        "ZeroDivisionError: division by zero · log build/logs/report-2019-en.ipynb")  # fmt: skip


def test_the_script_goes_before_the_last_body_end_tag_or_at_the_end():
    page = b"<html><body><p>a</p></body></html>"
    out = preview.inject(page)
    assert out.startswith(b'<html><body><p>a</p><script id="jjj-preview">')
    assert out.endswith(b"</script></body></html>")
    assert out.replace(preview.CLIENT.encode(), b"") == page
    assert preview.inject(b"<p>no body") == b"<p>no body" + preview.CLIENT.encode()


def test_a_failed_task_names_its_year_language_and_cell():
    stderr = f"notebooks/x.ipynb: out of sync; synced\n{LINE} (+1 more, listed below)\n"
    s = preview.parse_failure(stderr, 1)
    assert s["state"] == "failed" and s["task"] == "report-2019-en"
    assert s["where"] == "2019 · en · cell 4 `planted = 1 / 0`"
    assert s["line"] == f"{LINE} (+1 more, listed below)"
    ten = preview.parse_failure(LINE.replace("report-2019-en:", "export-ten-year-zh:"), 1)
    assert ten["where"].startswith("ten-year · zh")


def test_any_other_line_of_the_cli_is_shown_as_it_is_naming_its_file():
    line = "jjj-report build: /r/data/raw/sources.yml: source manifest not found"
    assert preview.parse_failure(line + "\n", 2) == {
        "state": "failed", "line": line, "where": "/r/data/raw/sources.yml"}  # fmt: skip
    pair = ("jjj-report build: notebooks/03_year_report.ipynb: out of sync with "
            "03_year_report.py and jupytext could not sync them (NotJSONError: …)")  # fmt: skip
    assert preview.parse_failure(pair, 2)["where"] == "notebooks/03_year_report.ipynb"
    locked = "jjj-report build: another build is running: build/.lock is held by PID 7 (wait…)"
    assert preview.parse_failure(locked, 2)["where"] == ""
    crash = preview.parse_failure("Traceback (most recent call last):\nKeyError: 'x'\n", 1)
    assert crash["line"] == "jjj-report build: exit status 1: KeyError: 'x'"


def test_only_report_pages_are_reloaded(tmp_path):
    reports = tmp_path / "reports"
    assert preview.url_path(reports, str(reports / "2019" / "report.en.html")) == (
        "/2019/report.en.html"
    )
    assert preview.url_path(reports, str(reports / "2019" / ".report.en.html.x1.tmp")) is None
    assert preview.url_path(reports, str(reports / "2019" / "report.en.pdf")) is None
    assert preview.url_path(reports, str(tmp_path / "notebooks" / "a.html")) is None
    nbs = tmp_path / "notebooks"
    pages, sources = preview._changes(
        {(1, str(reports / "index.html")), (2, str(reports / "a.pdf")), (2, str(nbs / "03.py")),
         (1, str(nbs / "03_tmp_jupytext_1982.ipynb")), (3, str(nbs / ".03.ipynb.k2x9.tmp"))},
        reports)  # fmt: skip
    assert pages == ["/index.html"] and sources == [str(nbs / "03.py")]


@pytest.fixture
def served(tmp_path):
    reports = tmp_path / "reports"
    (reports / "2019").mkdir(parents=True)
    (reports / "2019" / "report.en.html").write_bytes(b"<html><body>r&eacute;port</body></html>")
    (reports / "2019" / "report.en.pdf").write_bytes(b"%PDF-1.7 bytes")
    (reports / "index.html").write_bytes(b"<html><body>index</body></html>")
    broker = preview.Broker()
    server = preview.serve(reports, broker, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield reports, broker, server.server_address[1]
    broker.close()
    server.shutdown()
    server.server_close()


def _get(port: int, path: str):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    return r.status, r.read()


def test_pages_are_served_with_the_script_and_the_files_keep_their_bytes(served):
    reports, _, port = served
    before = {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    status, body = _get(port, "/2019/report.en.html")
    assert status == 200 and body == preview.inject(before[reports / "2019/report.en.html"])
    assert _get(port, "/") == (200, preview.inject(before[reports / "index.html"]))
    assert _get(port, "/2019/report.en.pdf") == (200, b"%PDF-1.7 bytes")
    assert {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()} == before


def test_a_page_not_built_yet_waits_for_the_build_and_escapes_its_path(served):
    _, _, port = served
    status, body = _get(port, "/2020/<b>x</b>.html")
    assert status == 404  # its reload comes with the build that writes it
    assert b"/2020/&lt;b&gt;x&lt;/b&gt;.html is not built yet" in body and b"<b>x" not in body
    assert body.endswith(preview.CLIENT.encode() + b"</body></html>")


def test_a_report_its_failed_build_removed_stays_open_as_the_last_good_build(served):
    """A failed build removes its report from disk (never passed off as current); the open
    page reloads and gets the last copy served, under the failure overlay."""
    reports, _, port = served
    page = reports / "2019/report.en.html"
    first = _get(port, "/2019/report.en.html")
    page.unlink()
    assert _get(port, "/2019/report.en.html") == first
    assert not page.exists()
    assert _get(port, "/2018/report.en.html")[0] == 404  # never served: nothing to keep


def _events(port: int, n: int) -> list[tuple[str, dict]]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", preview.EVENTS)
    r = c.getresponse()
    assert r.getheader("Content-Type") == "text/event-stream"
    out, event = [], None
    while len(out) < n:
        line = r.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            out.append((event, json.loads(line[6:])))
    c.close()
    return out


def test_an_open_page_gets_the_status_then_each_event(served):
    _, broker, port = served
    broker.publish("status", preview.parse_failure(LINE, 1))
    got: list = []
    reader = threading.Thread(target=lambda: got.extend(_events(port, 3)))
    reader.start()
    time.sleep(0.5)
    broker.publish("reload", ["/2019/report.en.html"])
    broker.publish("status", {"state": "ok", "line": "", "where": ""})
    reader.join(10)
    assert [e for e, _ in got] == ["status", "reload", "status"]
    assert got[0][1]["line"] == LINE and got[1][1] == ["/2019/report.en.html"]
    assert got[2][1]["state"] == "ok"


def test_the_build_s_own_pair_sync_asks_for_no_second_build(tmp_path):
    from helpers.pairs import pair_key

    nb = tmp_path / "notebooks" / "03.ipynb"
    nb.parent.mkdir()
    nb.write_text("{}")
    nb.with_suffix(".py").write_text("# %%\n")
    helper = tmp_path / "src" / "helpers" / "x.py"
    (tmp_path / "build").mkdir()
    pairs = {"notebooks/03.ipynb": pair_key(nb, nb.with_suffix(".py"))}
    (tmp_path / "build" / "pairs.json").write_text(json.dumps(pairs))
    builder = preview.Builder(tmp_path, [2019], ["en"], preview.Broker())
    builder.request([str(nb)])
    builder._settled()
    assert not builder.wanted
    builder.request([str(nb), str(helper)])
    builder._settled()
    assert builder.wanted and builder.pending == {str(helper)}
    nb.write_text('{"edited": 1}')  # after the build recorded the pair: a real edit
    builder.request([str(nb)])
    builder._settled()
    assert str(nb) in builder.pending


def test_the_real_command_shows_a_failed_build_and_ends_cleanly_on_sigterm(tmp_path):
    """In an empty tree the build fails at once (no manifest): the page's status says so, and
    SIGTERM ends the preview at once with nothing of it left (the slow test: mid-build)."""
    env = {**os.environ, "JJJ_ROOT": str(tmp_path)}
    cmd = [sys.executable, "-m", "helpers.cli", "preview", "--years", "2019", "--lang", "en"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()
        assert first.startswith("preview: http://127.0.0.1:"), first
        port = int(first.split(":")[3].split("/")[0])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            event, status = _events(port, 1)[0]
            if status["state"] == "failed":
                break
            time.sleep(0.2)
        assert status["line"].endswith("data/raw/sources.yml: source manifest not found")
        seen = descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=5)
    finally:
        proc.kill()
    assert proc.returncode == 0 and err.strip().endswith("preview: stopped; the build lock is free")
    time.sleep(0.5)
    assert running(seen) == []


def test_a_port_in_use_is_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cmd = [sys.executable, "-m", "helpers.cli", "preview", "--port", str(port)]
        env = {**os.environ, "JJJ_ROOT": str(tmp_path)}
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"jjj-report preview: --port {port}: cannot listen on 127.0.0.1")
    assert done.stderr.count("\n") == 1


def test_stop_ends_a_build_that_ignores_sigterm_and_all_of_its_session(tmp_path):
    """SIGTERM first (the CLI's clean path); what is left of the build's session 0.5 s later
    (here: a shell ignoring SIGTERM and its child) is killed."""
    # Processes this test process already had (a fork server an earlier test's build left,
    # which lives as long as pytest) are not the builder's.
    before = set(descendants(os.getpid()))
    builder = preview.Builder(tmp_path, [2019], ["en"], preview.Broker())
    builder.cmd = ["sh", "-c", 'trap "" TERM; sleep 100 & wait; sleep 100']
    builder.start()
    builder.request()
    deadline = time.monotonic() + 10
    while len(procs := [p for p in descendants(os.getpid()) if p not in before]) < 2 and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert builder.proc is not None and len(procs) >= 2
    t0 = time.monotonic()
    builder.stop(grace=0.5)
    assert time.monotonic() - t0 < 3 and running(procs) == []
    builder.thread.join(5)
    assert not builder.thread.is_alive()
