"""Never hang on a notebook: a thread that ends a run whose kernel died, or whose cell or whole
notebook ran past its time limit.

nbclient's own checks cannot do this here: with a blocking kernel client the worker waits in
iopub's get_msg(timeout=None), so neither its kernel-alive poll nor its cell timeout ever runs
(a kernel killed mid-cell hung the build for good). The watchdog polls the kernel process and
the clock from its own thread; on a fault it kills the kernel and interrupts the main thread
with SIGUSR2, whose handler raises NotebookAborted there.
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


def _exit_text(code: int) -> str:
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
    """`with Watchdog(km, cell_timeout, notebook_timeout) as dog:` around one notebook run;
    pass `dog.on_cell` and `dog.on_cell_done` as nbclient's on_cell_execute and
    on_cell_executed hooks. With km=None and what="export", it limits an export's time."""

    def __init__(self, km, cell_timeout: float | None, notebook_timeout: float | None,
                 poll: float = 0.2, output_limit: int | None = OUTPUT_LIMIT,
                 what: str = "notebook"):  # fmt: skip
        self.km, self.poll, self.what = km, poll, what
        self.cell_timeout = cell_timeout or None
        self.notebook_timeout = notebook_timeout or None
        self.output_limit = output_limit or None
        self._outputs = None  # the running cell's output list, which nbclient appends to
        self.reason: str | None = None
        self.cell: tuple[int, str] | None = None  # (execution index, first source line)
        self.index: int | None = None  # the running cell's index in the notebook run (cells.label)
        self._cell_start: float | None = None
        self._count = 0
        self._stop = threading.Event()
        self._active = False
        self._thread = threading.Thread(target=self._watch, name="jjj-watchdog", daemon=True)
        self._previous = None
        self._main = threading.current_thread() is threading.main_thread()

    def on_cell(self, cell=None, cell_index=None, **_):
        self._count += 1
        first = next((ln for ln in (cell or {}).get("source", "").splitlines() if ln.strip()), "")
        self.cell = (self._count, first.strip())
        self.index = cell_index
        self._outputs = (cell or {}).get("outputs")
        self._cell_start = time.monotonic()

    def on_cell_done(self, cell=None, **_):
        self._cell_start = None
        # The cell may have ended between two polls: its output is measured once more here.
        too_big = self._too_much_output((cell or {}).get("outputs", self._outputs))
        self._outputs = None
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
        if self._main:
            self._previous = signal.signal(signal.SIGUSR2, self._on_signal)
        self._active = True
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._active = False  # a late signal no longer raises
        self._stop.set()
        self._thread.join()
        if self._main:
            signal.signal(signal.SIGUSR2, self._previous or signal.SIG_DFL)
        return False

    def _on_signal(self, signum, frame):
        if self._active and self.reason:
            raise NotebookAborted(self.reason)

    def _fault(self) -> str | None:
        now = time.monotonic()
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        code = proc.poll() if proc is not None else None
        # Only while a cell runs: after the last one (or a failing one) the kernel is being
        # shut down, not dead; one that died between cells is caught when the next starts.
        if code is not None and self._cell_start is not None:
            return f"DeadKernelError: the kernel died ({_exit_text(code)})"
        if self.cell_timeout and self._cell_start and now - self._cell_start > self.cell_timeout:
            return f"CellTimeoutError: a cell ran longer than {self.cell_timeout:g} s"
        if self.notebook_timeout and now - self._t0 > self.notebook_timeout:
            kind, limit = self.what.capitalize(), self.notebook_timeout
            return f"{kind}TimeoutError: the {self.what} ran longer than {limit:g} s"
        if self._cell_start is not None:
            return self._too_much_output(self._outputs)
        return None

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            if self.reason is None:
                self.reason = self._fault()
                if self.reason is None:
                    continue
                self._kill_kernel()
            if self._main:
                # Again every poll until the run has ended: nbclient waits in several asyncio
                # tasks, and an exception raised inside one that nothing awaits yet is only
                # stored there; the next one lands where execute_cell awaits.
                signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR2)

    def _kill_kernel(self) -> None:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # kernels run in their own session
            except (ProcessLookupError, PermissionError):
                pass
