"""Limits nbclient does not have: a whole notebook's time, a cell's output size, an export's time.

A dead kernel and a cell past its time are nbclient's own checks (`DeadKernelError`,
`CellTimeoutError`): they run because the kernel client is asynchronous
(`kernels.CLIENT_CLASS`). With a blocking client nbclient waited in iopub's
get_msg(timeout=None) and neither check ever ran. For the limits here a thread polls the
clock and the running cell's outputs; on a fault it kills the kernel, which nbclient then
reports as dead within a second, and the run's error is the watchdog's reason. An export has
no kernel: its main thread is interrupted with SIGUSR2, whose handler raises NotebookAborted.
"""

from __future__ import annotations

import os
import signal
import threading
import time

# Generous: the longest notebook of the project runs in well under a minute.
CELL_TIMEOUT = 900.0
NOTEBOOK_TIMEOUT = 1800.0
# A cell's output, in characters (an image counts as its base64 text). The project's largest
# is ~0.1 M; 2 M of printed text took the export 71 s instead of 5 and went into the report,
# 50 M made it run without end.
OUTPUT_LIMIT = 1_000_000


class NotebookAborted(Exception):
    """The run was ended by the watchdog; the message says why, in one line."""


def exit_text(code: int) -> str:
    """'killed by SIGKILL', 'exit status 3': how a kernel process ended."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def output_size(outputs) -> int:
    """Characters in a cell's outputs: streams, rich data (an image's base64), tracebacks."""
    n = 0
    for out in list(outputs or ()):
        for key in ("text", "traceback"):
            n += _chars(out.get(key))
        for value in dict(out.get("data") or {}).values():
            n += _chars(value)
    return n


def _chars(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(len(v) for v in value if isinstance(v, str))
    return len(str(value)) if value is not None else 0


class Watchdog:
    """`with Watchdog(km, notebook_timeout) as dog:` around one notebook run; pass
    `dog.on_cell` and `dog.on_cell_done` as nbclient's on_cell_execute and on_cell_executed
    hooks. With km=None and what="export", it limits an export's time."""

    def __init__(self, km, notebook_timeout: float | None, poll: float = 0.2,
                 output_limit: int | None = OUTPUT_LIMIT, what: str = "notebook"):  # fmt: skip
        self.km, self.poll, self.what = km, poll, what
        self.notebook_timeout = notebook_timeout or None
        self.output_limit = output_limit or None
        # The running cell: nbclient gives it a new output list after the hook, then appends.
        self._cell = None
        self.reason: str | None = None
        self.index: int | None = None  # the running cell's index in the notebook run (cells.label)
        self._cell_start: float | None = None
        self._stop = threading.Event()
        self._active = False
        self._thread = threading.Thread(target=self._watch, name="jjj-watchdog", daemon=True)
        self._previous = None
        # Without a kernel to kill, only a main thread can be interrupted (by a signal).
        self._signal = km is None and threading.current_thread() is threading.main_thread()

    def on_cell(self, cell=None, cell_index=None, **_):
        self.index = cell_index
        self._cell = cell
        self._cell_start = time.monotonic()

    def on_cell_done(self, cell=None, **_):
        self._cell_start = None
        # The cell may have ended between two polls: its output is measured once more here.
        too_big = self._too_much_output((cell or self._cell or {}).get("outputs"))
        self._cell = None
        if too_big and self.reason is None:
            self.reason = too_big
            raise NotebookAborted(too_big)

    def _too_much_output(self, outputs) -> str | None:
        if not self.output_limit or outputs is None:
            return None
        size = output_size(outputs)
        if size <= self.output_limit:
            return None
        return (f"OutputTooLargeError: the cell's output reached {size / 1e6:.1f} M characters "
                f"(limit {self.output_limit / 1e6:g} M)")  # fmt: skip

    def __enter__(self):
        self._t0 = time.monotonic()
        if self._signal:
            self._previous = signal.signal(signal.SIGUSR2, self._on_signal)
        self._active = True
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._active = False  # a late signal no longer raises
        self._stop.set()
        self._thread.join()
        if self._signal:
            signal.signal(signal.SIGUSR2, self._previous or signal.SIG_DFL)
        return False

    def _on_signal(self, signum, frame):
        if self._active and self.reason:
            raise NotebookAborted(self.reason)

    def _fault(self) -> str | None:
        if self.notebook_timeout and time.monotonic() - self._t0 > self.notebook_timeout:
            kind, limit = self.what.capitalize(), self.notebook_timeout
            return f"{kind}TimeoutError: the {self.what} ran longer than {limit:g} s"
        if self._cell_start is not None:
            return self._too_much_output((self._cell or {}).get("outputs"))
        return None

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            if self.reason is None:
                self.reason = self._fault()
                if self.reason is None:
                    continue
                self._kill_kernel()
            if self._signal:
                # Again every poll until the export has ended: one raised where nothing
                # catches it as intended (inside a C callback) is retried at the next poll.
                signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR2)
            elif self.km is not None:
                return  # nbclient sees the kernel dead; the run's error is self.reason

    def _kill_kernel(self) -> None:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # kernels run in their own session
            except (ProcessLookupError, PermissionError):
                pass
