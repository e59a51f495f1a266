"""execute(): run a task list incrementally, in parallel, deterministically.

A step is skipped when the hash of everything it reads matches <state>/state.json and its
outputs still have the recorded hashes; the rest runs in a process pool (or on a Dask
scheduler). Heavy imports (papermill, nbclient, tqdm, dask) happen inside functions only.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from helpers.engine import state as st
from helpers.engine.kernels import KERNEL_NAME
from helpers.engine.lock import build_lock
from helpers.engine.tasks import BuildResult, Task, TaskResult, check_dag, one_line

# Same values → same bytes: the only variable the engine sets itself.
BASE_ENV = {"PYTHONHASHSEED": "0"}


def execute(
    tasks: list[Task],
    *,
    root: Path,
    state_dir: Path | None = None,
    env: dict[str, str] | None = None,
    code: Iterable[str] = (),
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    progress: bool = True,
    exporter: str | None = None,
    sys_path: Iterable[str] = (),
    warm_kernels: bool = True,
    lock: bool = True,
    wait: bool = False,
) -> BuildResult:
    """Run a task list: skip what is up to date, run the rest in parallel, record hashes.

    env: variables for workers, kernels and subprocesses; code: glob patterns of the files
    whose change rebuilds every task; exporter: "module:function" run by export tasks.
    """
    root = Path(root)
    state_dir = Path(state_dir or root / "build")
    held = build_lock(state_dir, wait=wait) if lock else contextlib.nullcontext()
    with held:
        return _execute(tasks, root, state_dir, {**BASE_ENV, **(env or {})}, tuple(code), jobs,
                        force, scheduler, progress, exporter, sys_path, warm_kernels)  # fmt: skip


def _execute(tasks, root, state_dir, env, code, jobs, force, scheduler, progress, exporter,
             sys_path, warm_kernels) -> BuildResult:  # fmt: skip
    """execute()'s body, with the lock held when asked for."""
    from helpers.engine.pools import DaskPool, LocalPool

    t_start = time.perf_counter()
    check_dag(tasks)
    jobs = max(1, jobs or os.cpu_count() or 1)
    state = st.load_state(state_dir)
    hasher = st.Hasher()
    code = st.code_hash(root, code, hasher)
    extra = {"exporter": exporter}
    sys_path = [str(p) for p in sys_path]
    by_id = {t.id: t for t in tasks}
    results: dict[str, TaskResult] = {}
    waiting = list(tasks)  # plan order = priority
    running: dict = {}  # future → (task, key)
    pool = None

    from tqdm import tqdm

    bar = tqdm(
        total=len(tasks),
        file=sys.stderr,
        unit="task",
        dynamic_ncols=True,
        leave=False,
        disable=not (progress and sys.stderr.isatty()),
    )

    def record(task: Task, status: str, seconds=0.0, **kw) -> None:
        results[task.id] = TaskResult(
            task.id, task.kind, status, seconds, task.year, task.lang, **kw
        )
        bar.set_postfix_str(f"{task.id} {status}", refresh=False)
        bar.update(1)

    def notebooks_left() -> int:
        return sum(1 for t in waiting if t.kind == "notebook")

    try:
        while waiting or running:
            for task in list(waiting):
                deps = [results.get(d) for d in task.deps]
                if any(r is not None and r.status in ("failed", "blocked") for r in deps):
                    waiting.remove(task)
                    bad = next(r.id for r in deps if r and r.status in ("failed", "blocked"))
                    record(task, "blocked", error=f"blocked by {bad}")
                    continue
                if any(r is None for r in deps):
                    continue
                waiting.remove(task)
                key = st.task_key(task, root, state, code, hasher, extra)
                if not force and st.up_to_date(task, key, state.get(task.id), root, hasher):
                    record(task, "skipped")
                    continue
                if pool is None:  # started only when something needs building
                    warm = None
                    if warm_kernels and any(t.kind == "notebook" for t in [task, *waiting]):
                        nb = next(t for t in [task, *waiting] if t.kind == "notebook")
                        warm = (str((root / nb.notebook).parent), env, KERNEL_NAME)
                    pool = (
                        DaskPool(scheduler) if scheduler else LocalPool(jobs, env, sys_path, warm)
                    )
                payload = {
                    "task": asdict(task),
                    "root": str(root),
                    "state_dir": str(state_dir),
                    "env": env,
                    "exporter": exporter,
                    "sys_path": sys_path,
                    # no kernel ahead after the last notebook: it would only steal CPU
                    "prestart": warm_kernels and task.kind == "notebook" and notebooks_left() > 0,
                }
                running[pool.submit(payload)] = (task, key)
            if not running:
                continue
            for fut in pool.wait(running):
                task, key = running.pop(fut)
                try:
                    out = fut.result()
                except Exception as e:  # noqa: BLE001 — a dead worker fails only its task
                    out = {
                        "status": "failed",
                        "error": f"{type(e).__name__}: {one_line(e)}",
                        "seconds": 0.0,
                    }
                if out["status"] == "built":
                    missing = [
                        p for p in task.outputs if not st.is_glob(p) and not (root / p).is_file()
                    ]
                    if missing:
                        error = f"EngineError: output missing: {missing[0]}"
                        out.update(status="failed", error=error)
                if out["status"] == "built":
                    state[task.id] = {"key": key, "outputs": st.output_hashes(task, root, hasher)}
                else:
                    state.pop(task.id, None)
                st.save_state(state_dir, state)
                record(
                    task,
                    out["status"],
                    out.get("seconds", 0.0),
                    error=out.get("error"),
                    cell=out.get("cell"),
                    log=out.get("log"),
                )
    except KeyboardInterrupt:
        if pool is not None:
            pool.abort()
            pool = None
        st.sweep_temp(tasks, root)
        raise
    finally:
        bar.close()
        if pool is not None:
            pool.close()
    ordered = [results[t.id] for t in tasks if t.id in results]
    assert len(ordered) == len(by_id)
    return BuildResult(ordered, time.perf_counter() - t_start)
