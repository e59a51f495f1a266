"""Die together: whatever ends the main process (Ctrl-C, SIGTERM, SIGKILL, the OOM killer),
its workers, their kernels and subprocesses end too, and leave no temp folder behind.

- workers watch the main process (a pidfd on Linux, else polling its PID) and, when it is
  gone, kill their kernels and exit;
- a task's subprocess watches its worker the same way;
- kernels already end with their worker (ipykernel polls its parent);
- the build's main process is a child subreaper (Linux): a process a cell started and left
  behind (even in a new session, `start_new_session=True`) is adopted by the build when its
  kernel ends, and ended with the rest at the end of the build;
- each build's temp files (kernel sockets and connection files, WeasyPrint's font folders)
  live in one scratch folder, removed at the end of the build; folders of builds whose
  main process died are removed by the next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

SCRATCH_PREFIX = "jjj-build-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_owner(pid: int, on_death, poll: float = 0.5) -> threading.Thread:
    """Call `on_death()` from a daemon thread as soon as process `pid` has ended."""

    def watch() -> None:
        fd = None
        if hasattr(os, "pidfd_open"):
            try:
                fd = os.pidfd_open(pid)
            except OSError:
                fd = None
        if fd is not None:
            import select

            select.select([fd], [], [])  # readable once the process has ended
        else:
            import time

            while _alive(pid) and os.getppid() != 1:
                time.sleep(poll)
        on_death()

    thread = threading.Thread(target=watch, name="jjj-owner-watch", daemon=True)
    thread.start()
    return thread


def call_watched(owner: int, module: str, attr: str) -> None:
    """A call task's subprocess: run module.attr() while watching process `owner` (its
    worker), then leave through os._exit. Leaving through the interpreter's own exit, with
    the watch thread blocked in select(), crashed in libc in about one run in four (exit
    status -11: a call task failed at random)."""
    import atexit
    import importlib
    import sys
    import traceback

    watch_owner(owner, lambda: os._exit(1))
    code = 0
    try:
        getattr(importlib.import_module(module), attr)()
    except SystemExit as e:  # as the interpreter would: a number is the status, text is said
        if isinstance(e.code, int) or e.code is None:
            code = e.code or 0
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: BLE001 — the traceback's last line is the task's error
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def make_scratch() -> Path:
    """A private temp folder for one build, named after its main process."""
    sweep_stale()
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))


def sweep_stale() -> None:
    """Remove the scratch folders of builds whose main process is gone (killed outright)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc; elsewhere none are found)."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def group(pgid: int) -> list[int]:
    """Every process in process group `pgid` (Linux /proc; elsewhere none are found)."""
    out = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            out.append(int(entry.name))
    return out


def wait_ended(pids, timeout: float) -> list[int]:
    """Wait up to `timeout` seconds for `pids` to end (a SIGKILL takes effect when the process
    next runs, later on a busy machine); those still running."""
    import time

    deadline = time.monotonic() + timeout
    while (left := running(pids)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def end_descendants(grace: float = 1.0) -> None:
    """After an interrupted build: SIGTERM, then SIGKILL, whatever this process still has
    below it (a fork server busy importing, a kernel) — nothing of the build outlives it."""
    _end(descendants(os.getpid()), grace)


def _end(procs: list[int], grace: float) -> None:
    """SIGTERM, then (after `grace` seconds) SIGKILL, whichever of `procs` still run."""
    import signal
    import time

    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in procs:
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            procs = running(procs)
            if not procs:
                return
            time.sleep(0.05)


def running(pids) -> list[int]:
    """Those of `pids` still running (an ended child not yet reaped does not count)."""
    return [p for p in pids if _alive(p) and not _zombie(p)]


def _zombie(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> bool:
    """Make this process a child subreaper (Linux prctl): a process below it whose parent
    ends — a cell's `Popen(..., start_new_session=True)` once its kernel is shut down — is
    reparented to it, not to init, and can be ended with the build. False elsewhere."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # not ctypes.util: find_library runs ldconfig (~20 ms of every build)

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # this process's symbols: libc's prctl
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


_ADOPTING: dict = {}  # {"set": the answer of adopt_orphans}: prctl once per process


def adopt_orphans_once() -> bool:
    """adopt_orphans, asked once per process (a kernel launch asks each time)."""
    if "set" not in _ADOPTING:
        _ADOPTING["set"] = adopt_orphans()
    return _ADOPTING["set"]


def end_leftovers(grace: float = 1.0) -> list[str]:
    """After a build: end what its notebooks left running below this process — everything in
    another session than this one (kernels run in sessions of their own, and so does what
    they start). The fork server and multiprocessing's resource tracker share this session
    and are left to end with it. Returns "PID `command`" of each process ended."""
    mine = os.getsid(0)
    left = []
    for pid in descendants(os.getpid()):
        try:
            if os.getsid(pid) != mine and not _zombie(pid):
                left.append(pid)
        except OSError:
            continue
    said = [f"{pid} `{_command(pid)}`" for pid in left]
    if left:
        _end(left, grace)
    return said


def _command(pid: int) -> str:
    try:
        raw = (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return "?"
    return " ".join(raw.decode("utf-8", "replace").split("\0")).strip()[:60] or "?"
