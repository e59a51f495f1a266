"""`jjj-report preview`: serve reports/ on 127.0.0.1, rebuild on save, reload the open pages.

The loop around the incremental build, not a second build: each rebuild is `jjj-report build`
with the preview's --years/--lang, run as a child process (fresh imports, so an edit under
src/helpers counts; the engine decides what is affected and takes the build lock only while it
runs). A watcher (watchfiles) turns saves under notebooks/, data/raw/ and src/helpers/ (the
templates live there) into builds, and a report HTML renamed into reports/ into a reload of the
pages showing it, pushed as server-sent events. The reload script and the failure overlay are
added to HTML as it is served: the files on disk are the build's, byte for byte.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers.engine import lifeline
from helpers.errors import JJJError

EVENTS = "/__preview/events"
WATCHED = ("notebooks", "data/raw", "src/helpers")
# The CLI's one-line error: "FAILED <task>: <detail>" (a task failed) or any other message
# (bad input, a notebook pair that cannot be synced, the lock).
_FAILED = re.compile(r"FAILED (?P<task>\S+): (?P<detail>.*?)(?: \(\+\d+ more, listed below\))?")
_FILE = re.compile(r"(?:\S+/)?[\w.-]+\.(?:ipynb|py|yml|yaml|txt|csv|json)(?=: )")  # a named file
# Temp files of a write in progress, renamed into place at once: jupytext's sync
# (03_year_report_tmp_jupytext_123.ipynb) and the engine's atomic writes (.name.x1y2.tmp).
_TEMP = re.compile(r".*_tmp_jupytext_\d+\.\w+|\..*\.tmp")
_TASK = re.compile(r"(?:report|export)-(?P<year>\d{4}|ten-year)-(?P<lang>[a-z]{2})")

# Added before </body> of every HTML page served: reload when this page's file is rebuilt,
# show the last failure until a good build. Source text reaches the page as textContent only.
CLIENT = """<script id="jjj-preview">(function () {
  var here = location.pathname.replace(/\\/$/, "/index.html");
  var box = null, badge = null;
  function running(on) {
    if (badge && !on) { badge.remove(); badge = null; }
    if (!on || badge) return;
    badge = document.createElement("div");
    badge.id = "jjj-preview-running";
    badge.setAttribute("role", "status");
    badge.textContent = "Rebuilding\u2026";
    badge.style.cssText = "position:fixed;top:.5em;right:.5em;z-index:2147483647;" +
      "background:#1e3a8a;color:#fff;padding:.2em .7em;border-radius:.3em;" +
      "font:13px/1.4 system-ui,sans-serif";
    document.body.appendChild(badge);
  }
  function overlay(s) {
    var line = s.state === "failed" ? s.line : "";
    if (box && box.dataset.line === line) return;
    if (box) { box.remove(); box = null; }
    if (!line) return;
    box = document.createElement("div");
    box.dataset.line = line;
    box.id = "jjj-preview-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
      "max-height:50vh;overflow:auto;background:#7f1d1d;color:#fff;padding:1em 1.5em;" +
      "font:15px/1.45 system-ui,sans-serif;box-shadow:0 -2px 8px rgba(0,0,0,.4)";
    var h = document.createElement("strong");
    h.textContent = "Build failed" + (s.where ? ": " + s.where : "") +
      " (this page is the last good build)";
    var p = document.createElement("pre");
    p.style.cssText = "white-space:pre-wrap;margin:.5em 0 0;font:13px/1.4 monospace";
    p.textContent = s.line;
    box.appendChild(h); box.appendChild(p);
    document.body.appendChild(box);
  }
  var source = new EventSource("__EVENTS__");
  source.addEventListener("status", function (e) {
    var s = JSON.parse(e.data);
    overlay(s);
    running(s.running);
  });
  source.addEventListener("reload", function (e) {
    if (JSON.parse(e.data).indexOf(here) >= 0) location.reload();
  });
})();</script>""".replace("__EVENTS__", EVENTS)

MISSING = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Not built yet</title></head>
<body><p>{path} is not built yet: the preview is building; this page reloads when it is done.
If it stays, check the preview's terminal and <code>--years</code>/<code>--lang</code>.</p>
</body></html>"""


def inject(page: bytes) -> bytes:
    """The page with the preview's script before its last </body> (at the end if none)."""
    script = CLIENT.encode("utf-8")
    at = page.rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def parse_failure(stderr: str, returncode: int) -> dict:
    """What the overlay shows of a failed build: the CLI's one-line error (its first line
    beginning `jjj-report build: `) and, for a failed task, its year, language and cell."""
    lines = [x.strip() for x in stderr.splitlines() if x.strip()]
    prefix = "jjj-report build: "
    line = next((x for x in lines if x.startswith(prefix)), None)
    if line is None:  # not the CLI's own line: a crash; its last line says most
        last = lines[-1] if lines else "no message"
        line = f"{prefix}exit status {returncode}: {last}"
    out = {"state": "failed", "line": line, "where": ""}
    m = _FAILED.fullmatch(line[len(prefix) :])
    if m:
        out["task"] = m["task"]
        parts = m["detail"].split(" · ")
        t = _TASK.fullmatch(m["task"])
        where = [t["year"], t["lang"]] if t else []
        where += [p for p in parts if p.startswith("cell ")]
        out["where"] = " · ".join(where)
    elif f := _FILE.match(line[len(prefix) :]):  # a broken pair, a changed raw file, …
        out["where"] = f[0]
    return out


def url_path(reports: Path, file: str) -> str | None:
    """The URL path under which a changed report page is served, or None if not a page."""
    p = Path(file)
    if p.suffix != ".html" or p.name.startswith("."):  # atomic writes' temp files: .x.html.*
        return None
    try:
        return "/" + p.resolve().relative_to(reports.resolve()).as_posix()
    except ValueError:
        return None


class Broker:
    """The build's status and reloads, fanned out to every open page's event stream."""

    def __init__(self):
        self.cond = threading.Condition()
        # state: none (no build ended yet), ok or failed; running: a build runs now
        self.status = {"state": "none", "line": "", "where": "", "running": False}
        self.events: list[tuple[int, str, str]] = []  # (seq, event, JSON data), the last few
        self.seq = 0
        self.closed = False

    def publish(self, event: str, data) -> None:
        with self.cond:
            if event == "status":
                self.status = data
            self.seq += 1
            self.events = [*self.events[-63:], (self.seq, event, json.dumps(data))]
            self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def stream(self, write) -> None:
        """Send the current status, then each event as it comes, until closed or gone."""
        with self.cond:
            seen, status = self.seq, json.dumps(self.status)
        write(f"retry: 1000\nevent: status\ndata: {status}\n\n")
        while True:
            with self.cond:
                self.cond.wait_for(lambda s=seen: self.closed or self.seq > s, timeout=15)
                if self.closed:
                    return
                new = [e for e in self.events if e[0] > seen]
                seen = self.seq
            for _, event, data in new:
                write(f"event: {event}\ndata: {data}\n\n")
            if not new:
                write(": keep-alive\n\n")  # finds a closed page: the write fails


def handler(reports: Path, broker: Broker):
    # The last copy of each page served. A build that fails removes its report from disk (a
    # failed report never passes for a current one), but the open page keeps showing the last
    # good build, under the overlay that says so: served from here until a good build.
    last_good: dict[str, bytes] = {}

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(reports), **kw)

        def log_message(self, *args):  # the terminal is for the builds
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS:
                return self._events()
            if path.endswith("/"):
                path += "index.html"
            if path.endswith(".html"):
                return self._page(path)
            return super().do_GET()

        def _page(self, path: str):
            file = Path(self.translate_path(path))
            try:
                body, code = file.read_bytes(), 200
                last_good[path] = body
            except OSError:
                body, code = last_good.get(path), 200
                if body is None:
                    body, code = MISSING.format(path=html.escape(path)).encode("utf-8"), 404
            body = inject(body)
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()

            def write(text: str) -> None:
                self.wfile.write(text.encode("utf-8"))
                self.wfile.flush()

            try:
                broker.stream(write)
            except OSError:  # the page was closed or reloaded
                pass
            self.close_connection = True

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not hold the exit


def serve(reports: Path, broker: Broker, port: int) -> Server:
    try:
        return Server(("127.0.0.1", port), handler(reports, broker))
    except OSError as e:
        raise JJJError(f"--port {port}: cannot listen on 127.0.0.1 ({e.strerror or e})") from None


class Builder:
    """Runs `jjj-report build` for the focus whenever asked, one at a time; asks made while a
    build runs give one more build after it. Ends the running build on stop()."""

    def __init__(self, root: Path, years: list[int], langs: list[str], broker: Broker):
        self.root, self.broker = root, broker
        self.cmd = [sys.executable, "-m", "helpers.cli", "build", "--no-progress", "--wait",
                    "--years", ",".join(map(str, years)), "--lang", ",".join(langs)]  # fmt: skip
        src = root / "src"
        self.env = {**os.environ, "JJJ_ROOT": str(root)}
        if (src / "helpers").is_dir():  # the tree's own helpers, as the build's workers get
            self.env["PYTHONPATH"] = os.pathsep.join(
                [str(src), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
            )
        self.cond = threading.Condition()
        self.pending: set[str] = set()  # files changed since the running build started
        self.wanted = self.stopping = False
        self.proc: subprocess.Popen | None = None
        self.thread = threading.Thread(target=self._loop, name="jjj-preview-build", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def request(self, files=()) -> None:
        with self.cond:
            self.wanted = True
            self.pending.update(files)
            self.cond.notify_all()

    def _settled(self) -> None:
        """Drop the asks made only by the build's own pair sync (it rewrites a notebook from
        its edited .py half): a half whose pair the build recorded in sync with exactly these
        contents asks for nothing new; anything else still builds once more."""
        from helpers.pairs import load_seen, pair_key

        seen = load_seen(self.root / "build")
        with self.cond:
            for file in list(self.pending):
                nb = Path(file).with_suffix(".ipynb")
                name = nb.relative_to(self.root).as_posix() if nb.is_relative_to(self.root) else ""
                try:
                    same = seen.get(name) == pair_key(nb, nb.with_suffix(".py"))
                except OSError:
                    same = False
                if same and Path(file).suffix in (".ipynb", ".py"):
                    self.pending.discard(file)
            if not self.pending:
                self.wanted = False

    def _loop(self) -> None:
        while True:
            with self.cond:
                self.cond.wait_for(lambda: self.wanted or self.stopping)
                if self.stopping:
                    return
                self.wanted = False
                why = sorted(self.pending)
                self.pending.clear()
            if why:  # the first build is for what is missing or stale: no file to name
                shown = ", ".join(_rel(f, self.root) for f in why[:3])
                more = f" and {len(why) - 3} more" if len(why) > 3 else ""
                print(f"preview: changed {shown}{more}; building", file=sys.stderr, flush=True)
            # the last result shows while the build runs: a failure stays until a good build
            self.broker.publish("status", {**self.broker.status, "running": True})
            status = self._build()
            if status is not None:
                self.broker.publish("status", {**status, "running": False})
            self._settled()

    def _build(self) -> dict | None:
        with self.cond:
            if self.stopping:
                return None
            # A session of its own: Ctrl-C in the terminal reaches the preview, which ends the
            # build with SIGTERM (the CLI's own clean path) and then its whole group.
            self.proc = subprocess.Popen(self.cmd, cwd=self.root, env=self.env, text=True,
                                         stdout=sys.stdout, stderr=subprocess.PIPE,
                                         start_new_session=True)  # fmt: skip
        err = []
        for line in self.proc.stderr:
            err.append(line)
            sys.stderr.write(line)
        rc = self.proc.wait()
        with self.cond:  # ended and reaped: its PID is no longer ours to signal
            self.proc = None
        if self.stopping:
            return None
        if rc == 0:
            print("preview: built; open pages reload", file=sys.stderr, flush=True)
            return {"state": "ok", "line": "", "where": ""}
        status = parse_failure("".join(err), rc)
        print(f"preview: build failed; the pages show it: {status['line']}", file=sys.stderr,
              flush=True)  # fmt: skip
        return status

    def stop(self, grace: float = 4.0) -> None:
        """End the running build (SIGTERM, as CI's cancellation; SIGKILL to its process group
        after `grace` seconds) and the loop."""
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
            proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        members = lifeline.group(proc.pid)
        try:  # whatever of its session is left (its members keep the group's id ours)
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        lifeline.wait_ended(members, timeout=2.0)


def _rel(file: str, root: Path) -> str:
    p = Path(file)
    return p.relative_to(root).as_posix() if p.is_relative_to(root) else file


def _changes(changes, reports: Path) -> tuple[list[str], list[str]]:
    """(URL paths of report pages rewritten, watched source files changed)."""
    pages, sources = set(), set()
    for _, file in changes:
        page = url_path(reports, file)
        if page is not None:
            pages.add(page)
        elif not (
            _TEMP.fullmatch(Path(file).name)
            or Path(file).resolve().is_relative_to(reports.resolve())
        ):
            sources.add(file)
    return sorted(pages), sorted(sources)


def run(years: list[int], langs: list[str], *, port: int = 0, root: Path | None = None) -> int:
    """Serve, build what is missing, then rebuild on each save until Ctrl-C or SIGTERM."""
    import watchfiles

    from helpers import paths

    root = Path(root or paths.ROOT).resolve()
    reports = root / paths.REPORTS.relative_to(paths.ROOT)
    reports.mkdir(parents=True, exist_ok=True)
    broker = Broker()
    server = serve(reports, broker, port)
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    builder = Builder(root, years, langs, broker)
    serving = threading.Thread(target=server.serve_forever, name="jjj-preview-http", daemon=True)
    try:
        serving.start()
        host, bound = server.server_address[:2]
        page = f"{years[0]}/report.{langs[0]}.html" if len(years) == len(langs) == 1 else ""
        print(f"preview: http://{host}:{bound}/{page} (reports/ served; Ctrl-C ends)",
              file=sys.stderr, flush=True)  # fmt: skip
        builder.start()
        builder.request()  # what is missing or stale first
        watched = [root / d for d in WATCHED if (root / d).is_dir()] + [reports]
        for changes in watchfiles.watch(*watched, stop_event=stop, debounce=1600, step=50,
                                        raise_interrupt=False):  # fmt: skip
            pages, sources = _changes(changes, reports)
            if pages:
                broker.publish("reload", pages)
            if sources:
                builder.request(sources)
    finally:
        builder.stop()
        broker.close()
        server.shutdown()
        server.server_close()
        lifeline.end_descendants()
        for s, h in previous.items():
            signal.signal(s, h)
    print("preview: stopped; the build lock is free", file=sys.stderr, flush=True)
    return 0
