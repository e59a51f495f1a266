"""The worker side: run one task (in a pool process or on a Dask worker), never raise."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

from helpers.engine import forking, kernels
from helpers.engine.tasks import Task, TaskFailed, one_line

# nbformat (papermill, nbconvert) imports jsonschema, whose optional checker for the "iri"
# formats (rfc3987_syntax) compiles ~38 grammars at import: ~2.5 s of CPU in every worker,
# for formats that nbformat's validation never checks. Workers go without it.
sys.modules.setdefault("rfc3987_syntax", None)

# Read by this worker's signal handler, which can reach nothing else: {"now": True while a
# task runs in this process, "markers": the build's folder for workers' end marks}
_RUNNING: dict = {}
# Set by worker_init: this process is a pool worker of its own, whose heap run_task may manage.
_POOL_WORKER: dict = {}


def _on_worker_signal(signum, frame) -> None:
    # Ctrl-C during a task: unwind it (atomic writes remove their temp files, the kernel
    # is shut down). Otherwise (idle, or SIGTERM from the pool's owner): kernels, then exit.
    import signal

    if signum == signal.SIGINT and _RUNNING.get("now"):
        _RUNNING["now"] = False  # a second signal no longer unwinds, it ends the worker
        raise KeyboardInterrupt
    if _RUNNING.get("markers"):  # ended by the pool (it broke because another worker died)
        Path(_RUNNING["markers"], f"{os.getpid()}.ended").touch()
    kernels.kill_kernels()
    os._exit(128 + signum)


def _resolve(spec: str):
    import importlib

    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def _export(task: Task, root: Path, exporter: str, limit: float | None = None) -> None:
    """exporter(executed notebook, *output paths, **parameters), in this process, within
    `limit` seconds (None: the notebook limit's default, 0: none): an export renders what a
    notebook printed, and a flood of it once kept one busy without end."""
    import nbformat

    from helpers.engine import watchdog

    nb = nbformat.read(root / task.inputs[0], as_version=4)
    limit = watchdog.NOTEBOOK_TIMEOUT if limit is None else limit
    dog = watchdog.Watchdog(None, limit, output_limit=None, what="export")
    try:
        with dog:
            _resolve(exporter)(nb, *(root / o for o in task.outputs), **task.parameters)
    except watchdog.NotebookAborted as e:
        raise TaskFailed(str(e)) from None


def _call(task: Task, root: Path, env: dict, sys_path: list[str]) -> None:
    """Run module:function in a fresh interpreter, so modules see this build's environment."""
    module, _, attr = task.notebook.partition(":")
    code = (  # the subprocess ends with this worker, however the worker ends
        f"from helpers.engine.lifeline import call_watched; "
        f"call_watched({os.getpid()}, {module!r}, {attr!r})"
    )
    if sys_path:
        prev = env.get("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
        env = {**env, "PYTHONPATH": os.pathsep.join(p for p in [*sys_path, prev] if p)}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=kernels.child_env(env),
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        raise TaskFailed(one_line(lines[-1] if lines else f"exit status {proc.returncode}"))


def _idle_kernels(payload: dict) -> None:
    """End this worker's kernel template and kernel booted ahead once no notebook is left to
    run: they would hold a few hundred MB until the build ends, for nothing."""
    if payload.get("notebooks_left") == 0:
        kernels.shutdown_warm()


def run_task(payload: dict) -> dict:
    """Worker entry point (process pool or Dask): run one task, report, never raise."""
    t0 = time.perf_counter()
    task = Task(**{**payload["task"], "inputs": tuple(payload["task"]["inputs"])})
    root, env = Path(payload["root"]), payload["env"]
    os.environ.update(env)
    for p in payload.get("sys_path", ()):
        if p not in sys.path:
            sys.path.insert(0, p)
    out = {"id": task.id, "status": "built", "error": None, "cell": None, "log": None}
    marker = None
    if payload.get("markers"):  # which task this worker runs, should it die (LocalPool)
        _RUNNING["markers"] = payload["markers"]
        marker = Path(payload["markers"], f"{os.getpid()}.task")
        marker.write_text(task.id, encoding="utf-8")
    _RUNNING["now"] = True
    # An export makes and drops a few million short-lived objects, and each of the cyclic
    # collector's full passes walked the worker's whole heap (WeasyPrint, nbconvert, pandas...):
    # 0.2 s of an export's 1.1 s, measured. It runs paused; what it left is collected after.
    paused = _POOL_WORKER.get("on") and task.kind == "export" and gc.isenabled()
    if paused:
        gc.disable()
    try:
        if task.kind == "notebook":
            logs = Path(payload["state_dir"]) / "logs"
            timeouts = tuple(payload.get("timeouts") or (None, None))
            kernels.exec_notebook(task, root, env, payload.get("prestart", False), logs, timeouts)
        elif task.kind == "export":
            _idle_kernels(payload)
            _export(task, root, payload["exporter"], (payload.get("timeouts") or (None,) * 2)[1])
        elif task.kind == "call":
            _idle_kernels(payload)
            _call(task, root, env, payload.get("sys_path", []))
        else:
            raise TaskFailed(f"EngineError: unknown task kind {task.kind!r}")
    except TaskFailed as e:
        out.update(status="failed", error=e.error, cell=e.cell, log=e.log)
    except Exception as e:  # noqa: BLE001 — one failing step must not stop the others
        out.update(status="failed", error=f"{type(e).__name__}: {one_line(e)}")
    finally:
        _RUNNING["now"] = False
        if paused:
            gc.enable()
        if _POOL_WORKER.get("on"):
            _settle_heap()
        if marker is not None:
            marker.unlink(missing_ok=True)
    out["seconds"] = time.perf_counter() - t0
    return out


def _settle_heap() -> None:
    """Collect a task's garbage, then freeze what survived (modules it imported, their
    caches), so the collector never walks it again during the tasks to come."""
    gc.collect()
    gc.freeze()


def _owner_gone() -> None:
    # The build's main process ended without ending us (SIGKILL, OOM): stop writing now.
    kernels.kill_kernels()
    os._exit(1)


def worker_init(
    env: dict, sys_path: list[str], warm: tuple | None, pids=None, owner: int | None = None
) -> None:
    """Pool initializer: signals, environment, and a kernel booting for the first notebook
    (`warm`: its cwd, environment, kernel name and the build's notebook imports). `pids` (a
    queue) learns this worker's PID, so the pool's owner can signal it; the worker ends as soon
    as process `owner` (the build) is gone."""
    import signal
    import tempfile

    from helpers.engine.lifeline import watch_owner

    if pids is not None:
        pids.put(os.getpid())
    signal.signal(signal.SIGINT, _on_worker_signal)
    signal.signal(signal.SIGTERM, _on_worker_signal)
    if hasattr(signal, "SIGHUP"):  # a closed terminal: as SIGTERM, kernels first
        signal.signal(signal.SIGHUP, _on_worker_signal)
    if owner is not None:
        watch_owner(owner, _owner_gone)
    os.environ.update(env)
    sys.dont_write_bytecode = False  # as kernels.child_env: compile each module once, not per task
    if env.get("TMPDIR"):  # the build's scratch folder, even if tempfile looked before
        tempfile.tempdir = env["TMPDIR"]
    for p in sys_path:
        if p not in sys.path:
            sys.path.insert(0, p)
    if warm:  # the first notebook of this worker starts on a booted kernel too
        cwd, kernel_env, kernel_name, imports = warm
        forking.remember_modules(imports)
        kernels.prestart_kernel(cwd, kernel_env, kernel_name)
    import nbformat  # noqa: F401
    import papermill.engines  # noqa: F401 — import while the kernel boots

    _POOL_WORKER["on"] = True  # not on a Dask worker: its own objects are not ours to freeze
    _settle_heap()
