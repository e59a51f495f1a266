"""Notebooks on warm kernels: each worker keeps one kernel booted ahead of its next notebook,
and every notebook still runs on a fresh kernel. Executed notebooks are normalised so that
identical runs give identical bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

from helpers.engine import cells
from helpers.engine.atomic import write_text
from helpers.engine.state import rel
from helpers.engine.tasks import Task, TaskFailed, one_line

KERNEL_NAME = "python3"
# nbclient's own checks (a dead kernel, a cell past its time) run only while it awaits the
# kernel's messages; a blocking client makes it wait in get_msg(timeout=None) for ever.
CLIENT_CLASS = "jupyter_client.asynchronous.AsyncKernelClient"

# IPython's input history (an SQLite file and a thread writing each cell to it) serves a person
# at a console; nothing reads it back in a build: 0.03-0.04 CPU-s less per report without it.
KERNEL_ARGS = ["--HistoryManager.enabled=False"]

_KERNEL_LOCK = threading.Lock()
# Per process, kept between tasks: a pool worker boots its next kernel while a notebook runs.
_WARM: dict = {}  # {"key": (cwd, env, kernel), "km": KernelManager} — at most one per process
# For kill_kernels, which runs in a signal handler and has no other way to reach the kernel.
_CURRENT: dict = {}  # {"km": the kernel manager of the running notebook} (pool workers)


def _ipc_dir() -> str:
    """A private folder for this process's kernel sockets (short: unix sockets allow ~100)."""
    import tempfile

    if _WARM.get("ipc_owner") != os.getpid():  # none yet, or a forked parent's: not ours
        _register_exit_hook()  # removes the folder when the process ends
        _WARM["ipc_dir"] = tempfile.mkdtemp(prefix="jjj-k")
        _WARM["ipc_owner"] = os.getpid()
    return _WARM["ipc_dir"]


def _own_ipc_dir() -> str:
    """This process's socket folder, to remove; never one inherited through fork, which its
    parent still uses ("" when there is none)."""
    owner, ipc = _WARM.pop("ipc_owner", None), _WARM.pop("ipc_dir", "")
    return ipc if owner == os.getpid() else ""


def _start_kernel(cwd: str, env: dict, kernel_name: str):
    import uuid

    from jupyter_client import KernelManager

    from helpers.engine import provisioner

    # IPC sockets with a unique path, not TCP: two workers starting kernels at once could be
    # handed the same just-freed TCP port (jupyter_client picks ports by binding to 0 and
    # closing), leaving one kernel deaf ("Kernel didn't respond in 60 seconds").
    name = uuid.uuid4().hex[:12]
    ip = os.path.join(_ipc_dir(), name)
    # The connection file (it holds the kernel's key) goes to the same private folder, which
    # is removed however the worker ends, not to Jupyter's runtime folder.
    provisioner.use()  # forks kernels from a template where it can (two dict entries)
    km = KernelManager(
        kernel_name=kernel_name,
        transport="ipc",
        ip=ip,
        connection_file=os.path.join(_ipc_dir(), f"kernel-{name}.json"),
        client_class=CLIENT_CLASS,
    )
    # The kernel's own stdout/stderr carry only its start-up chatter; cell output and
    # tracebacks arrive over the iopub channel.
    km.start_kernel(
        cwd=cwd,
        env=child_env(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        extra_arguments=KERNEL_ARGS,
    )
    return km


def child_env(env: dict) -> dict:
    """The environment of a kernel or subprocess: this one's, then `env`, writing bytecode.

    With PYTHONDONTWRITEBYTECODE set (as on some CI machines) and no .pyc installed, every
    kernel would compile pandas, matplotlib and IPython from source again (seconds of CPU each);
    with it unset, the first process to import a module writes its .pyc and the rest load it."""
    out = {**os.environ, **env}
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def shutdown_warm() -> None:
    """End this process's kernel started ahead, and remove its socket folder."""
    with _KERNEL_LOCK:
        km = _WARM.pop("km", None)
        _WARM.pop("key", None)
    if km is not None:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 — best effort at exit
            pass
    from helpers.engine import forking

    forking.close_templates()
    ipc = _own_ipc_dir()
    if ipc:
        shutil.rmtree(ipc, ignore_errors=True)


def kill_kernels() -> None:
    """From a signal handler: SIGKILL the kernels' process groups, no event loop needed."""
    import signal

    for km in (_WARM.get("km"), _CURRENT.get("km")):
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # kernels run in their own session
            except (ProcessLookupError, PermissionError):
                pass
    from helpers.engine import forking

    forking.close_templates(kill=True)
    ipc = _own_ipc_dir()
    if ipc:
        shutil.rmtree(ipc, ignore_errors=True)


def _register_exit_hook() -> None:
    if _WARM.get("hooked"):
        return
    import atexit
    from multiprocessing import util

    atexit.register(shutdown_warm)
    # Pool workers leave through os._exit, which skips atexit; multiprocessing finalizers run.
    util.Finalize(None, shutdown_warm, exitpriority=10)
    _WARM["hooked"] = True


def _take_kernel(cwd: str, env: dict, kernel_name: str):
    """The kernel started ahead for this (cwd, env) if there is one, else a new one."""
    key = (cwd, tuple(sorted(env.items())), kernel_name)
    with _KERNEL_LOCK:
        km = _WARM.pop("km", None)
        old = _WARM.pop("key", None)
    if km is not None and (old != key or not km.is_alive()):
        km.shutdown_kernel(now=True)
        km = None
    return km or _start_kernel(cwd, env, kernel_name)


def prestart_kernel(cwd: str, env: dict, kernel_name: str) -> None:
    """Boot a kernel for the next notebook of this process (replaces any older one)."""
    _register_exit_hook()
    km = _start_kernel(cwd, env, kernel_name)
    with _KERNEL_LOCK:
        stale = _WARM.pop("km", None)
        _WARM["km"], _WARM["key"] = km, (cwd, tuple(sorted(env.items())), kernel_name)
    if stale is not None:
        stale.shutdown_kernel(now=True)


def _engine():
    """A papermill engine that runs on a given kernel manager and shuts its kernel down after."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class PrestartedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, start_timeout=60, **kwargs):
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man,
                kernel_name=kernel_name,
                startup_timeout=start_timeout,
                record_timing=False,
                # Every output has arrived when the last cell is done, and nothing reads the
                # kernel's state after it: it is ended (a forked one by SIGTERM, which lets it
                # note its imports first: engine.forking) instead of ipykernel's graceful exit
                # (a shutdown request, polls every 0.1 s, a whole interpreter teardown).
                shutdown_kernel="immediate",
                **kwargs,
            )
            # The kernel manager is ours, so nbclient would leave the kernel running: one
            # fresh kernel per notebook keeps runs independent of each other.
            return client.execute(cleanup_kc=True)

    papermill_engines.register("jjj-prestarted", PrestartedKernelEngine)
    return "jjj-prestarted"


def normalize_notebook(nb) -> None:
    """Drop what differs between identical runs: random cell ids, timings, absolute paths."""
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 0), 5)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        for key in ("papermill", "execution"):
            cell.metadata.pop(key, None)
    pm = nb.metadata.get("papermill")
    if pm is not None:
        nb.metadata["papermill"] = {"parameters": pm.get("parameters", {})}


def _why(error: Exception, km, cell_limit: float) -> str:
    """nbclient's error as one line: how the kernel ended, or the limit the cell ran past."""
    from nbclient.exceptions import CellTimeoutError

    from helpers.engine.watchdog import exit_text

    if isinstance(error, CellTimeoutError):
        return f"CellTimeoutError: a cell ran longer than {cell_limit:g} s"
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    code = proc.poll() if proc is not None else None
    how = f" ({exit_text(code)})" if code is not None else ""
    return f"DeadKernelError: the kernel died{how}"


def _failing_cell(nb):
    """(the cell as cells.label names it; 'Type: message') of the first error."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                error = f"{out.get('ename')}: {one_line(out.get('evalue'))}"
                return cells.label(nb.cells, index), error
    return None


def _write_nb(nb, path: Path) -> None:
    import nbformat

    write_text(path, nbformat.writes(nb) + "\n")


def _load(nb_path: Path, parameters: dict):
    """The notebook with papermill's metadata and its parameters injected; its kernel name."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(nb_path))  # also adds the metadata papermill expects
    if parameters:
        nb = parameterize_notebook(nb, dict(parameters), report_mode=False)
    return nb, nb.metadata.get("kernelspec", {}).get("name") or KERNEL_NAME


def run_notebook(nb_path: Path, parameters: dict | None = None, *, cwd=None, env=None):
    """Execute a notebook as the build does — parameters injected, a fresh kernel over private
    IPC sockets (never TCP), output normalised — and return it; errors stay in its outputs."""
    from papermill.engines import papermill_engines

    nb_path = Path(nb_path)
    nb, kernel_name = _load(nb_path, parameters or {})
    km = _start_kernel(str(cwd or nb_path.parent), dict(env or {}), kernel_name)
    try:
        nb = papermill_engines.execute_notebook_with_engine(
            _engine(), nb, kernel_name=kernel_name, input_path=str(nb_path), output_path=None,
            progress_bar=False, log_output=False, autosave_cell_every=0, km=km,
        )  # fmt: skip
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    normalize_notebook(nb)
    return nb


def exec_notebook(
    task: Task, root: Path, env: dict, prestart: bool, logs: Path, timeouts: tuple = (None, None)
) -> None:
    """Run a notebook task with papermill; a failing cell raises TaskFailed with its log.

    timeouts: (per cell, per notebook) in seconds; None takes the watchdog's defaults."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.engines import papermill_engines

    from helpers.engine import forking, watchdog

    nb_path = root / task.notebook
    nb, kernel_name = _load(nb_path, task.parameters)
    cwd = str(nb_path.parent)  # notebooks read ../data/… relative to their own folder
    km = _take_kernel(cwd, env, kernel_name)
    _CURRENT["km"] = km
    forking.remember_imports(nb)  # the next kernels are forked with these imported
    if prestart:  # boots while this notebook runs, ready for the next task
        prestart_kernel(cwd, env, kernel_name)
    cell_limit, nb_limit = timeouts
    cell_limit = watchdog.CELL_TIMEOUT if cell_limit is None else cell_limit
    dog = watchdog.Watchdog(km, watchdog.NOTEBOOK_TIMEOUT if nb_limit is None else nb_limit)
    try:
        with dog:
            nb = papermill_engines.execute_notebook_with_engine(
                _engine(),
                nb,
                kernel_name=kernel_name,
                input_path=task.notebook,
                output_path=None,
                progress_bar=False,
                log_output=False,
                autosave_cell_every=0,
                km=km,
                timeout=cell_limit or None,
                on_cell_execute=dog.on_cell,
                on_cell_executed=dog.on_cell_done,
            )
    except (watchdog.NotebookAborted, DeadKernelError, CellTimeoutError) as e:
        where = cells.label(nb.cells, dog.index) if dog.index is not None else None
        raise TaskFailed(dog.reason or _why(e, km, cell_limit), cell=where) from None
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        _CURRENT.pop("km", None)
    normalize_notebook(nb)
    failed = _failing_cell(nb)
    if failed:
        log = logs / f"{task.id}.ipynb"
        _write_nb(nb, log)
        where, error = failed
        raise TaskFailed(error, cell=where, log=rel(log, root))
    _write_nb(nb, root / task.outputs[0])
