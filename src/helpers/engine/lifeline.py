"""Die together: whatever ends the main process (Ctrl-C, SIGTERM, SIGKILL, the OOM killer),
its workers, their kernels and subprocesses end too, and leave no temp folder behind.

- workers watch the main process (a pidfd on Linux, else polling its PID) and, when it is
  gone, kill their kernels and exit;
- a task's subprocess watches its worker the same way;
- kernels already end with their worker (ipykernel polls its parent);
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


def end_descendants(grace: float = 1.0) -> None:
    """After an interrupted build: SIGTERM, then SIGKILL, whatever this process still has
    below it (a fork server busy importing, a kernel) — nothing of the build outlives it."""
    import signal
    import time

    procs = descendants(os.getpid())
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
