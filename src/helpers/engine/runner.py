"""execute(): run a task list incrementally, in parallel, deterministically.

A step is skipped when the hash of everything it reads matches <state>/state.json, its
outputs still have the recorded hashes and no dependency with outputs ran in this build (so
that --dry-run can say exactly what runs); the rest runs in a process pool (or on a Dask
scheduler), in dependency order (graphlib), ties broken by the list's order.
Heavy imports (papermill, nbclient, tqdm, dask) happen inside functions only.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from graphlib import TopologicalSorter
from pathlib import Path

from helpers.engine import state as st
from helpers.engine.lock import build_lock
from helpers.engine.progress import Progress
from helpers.engine.tasks import (
    BuildResult,
    EngineError,
    Task,
    TaskResult,
    check_dag,
    one_line,
)

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
    cell_timeout: float | None = None,
    notebook_timeout: float | None = None,
    rerun: dict[str, str] | None = None,
) -> BuildResult:
    """Run a task list: skip what is up to date, run the rest in parallel, record hashes.

    env: variables for workers, kernels and subprocesses; code: glob patterns of the files
    whose change rebuilds every task; exporter: "module:function" run by export tasks;
    cell_timeout, notebook_timeout: seconds (None: helpers.engine.watchdog's defaults, 0: none);
    rerun: {task id: why} for tasks to run whatever their hashes say (as explain(rerun=)).
    """
    root = Path(root)
    state_dir = Path(state_dir or root / "build")
    held = build_lock(state_dir, wait=wait) if lock else contextlib.nullcontext()
    with held, _Scratch(local=not scheduler) as scratch:
        run = _Build(
            tasks, root, state_dir, {**BASE_ENV, **(env or {})}, code, exporter, force,
            scratch=scratch, jobs=max(1, jobs or os.cpu_count() or 1), scheduler=scheduler,
            warm_kernels=warm_kernels, sys_path=[str(p) for p in sys_path],
            timeouts=(cell_timeout, notebook_timeout), rerun=set(rerun or ()),
        )  # fmt: skip
        result = run.go(Progress(len(tasks), enabled=progress))
        run.hasher.save()
        return result


def _imports(root: Path, tasks) -> list[str]:
    """What the notebooks of `tasks` import at top level, in first-seen order: a worker's first
    kernel template imports them all, so even its first kernel starts with them imported."""
    import json

    from helpers.engine.forking import source_imports

    names: dict[str, None] = {}
    for notebook in dict.fromkeys(t.notebook for t in tasks if t.kind == "notebook"):
        try:  # the JSON alone: importing nbformat (jsonschema) costs the build process ~0.8 s
            raw = json.loads((root / notebook).read_text(encoding="utf-8"))["cells"]
            sources = ["".join(c["source"]) for c in raw if c["cell_type"] == "code"]
        except (OSError, ValueError, KeyError, TypeError):  # its task reports it unreadable
            continue
        names.update(dict.fromkeys(source_imports(sources)))
    return list(names)


class _Scratch:
    """{"TMPDIR": a folder for this build's temp files} (local pools), made when the first pool
    starts — a build with nothing to do makes none, nor sweeps stale ones — removed at the end."""

    def __init__(self, local: bool):
        self.local, self.folder = local, None

    def env(self) -> dict[str, str]:
        if not self.local:  # a Dask worker's temp folder is its own business
            return {}
        if self.folder is None:
            from helpers.engine.lifeline import make_scratch

            self.folder = make_scratch()
        return {"TMPDIR": str(self.folder)}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.folder is not None:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)


class _Build:
    """One build: the task graph, the recorded state, the results so far, the pool."""

    def __init__(self, tasks, root, state_dir, env, code, exporter, force, *, scratch=None,
                 jobs=1, scheduler=None, warm_kernels=True, sys_path=(), timeouts=(None, None),
                 rerun=()):  # fmt: skip
        self.t0 = time.perf_counter()
        self.graph = check_dag(tasks)
        self.tasks, self.root, self.state_dir, self.env = tasks, root, state_dir, env
        self.order = {t.id: i for i, t in enumerate(tasks)}  # list order = priority
        self.by_id = {t.id: t for t in tasks}
        self.exporter, self.force = exporter, force
        self.state = st.load_state(state_dir)
        self.hasher = st.Hasher(state_dir / "hashes.json")  # what earlier builds hashed
        self.code = st.code_hash(root, code, self.hasher)
        self.extra = {"exporter": exporter}
        self.results: dict[str, TaskResult] = {}
        self.removed: list[str] = []  # earlier outputs of failed or blocked tasks
        self.notebooks_left = sum(t.kind == "notebook" for t in tasks)
        self.pool, self.scratch = None, scratch or _Scratch(local=False)
        self.jobs, self.scheduler, self.warm_kernels = jobs, scheduler, warm_kernels
        self.sys_path, self.timeouts, self.rerun = list(sys_path), timeouts, set(rerun)

    def go(self, progress: Progress) -> BuildResult:
        self.progress = progress
        sorter = TopologicalSorter(self.graph)
        sorter.prepare()
        running: dict = {}  # future → (task, what it reads)
        try:
            if self.scheduler:  # connected before any work: a bad address fails at once
                self.pool = self._make_pool(None)
            while sorter.is_active():
                for tid in sorted(sorter.get_ready(), key=self.order.get):
                    fut = self._start(self.by_id[tid])
                    if fut is None:
                        sorter.done(tid)
                    else:
                        running[fut[0]] = (self.by_id[tid], fut[1])
                if not running:
                    continue  # everything ready was skipped or blocked: ask again
                try:
                    finished = self.pool.wait(running)
                except EngineError as e:  # the pool itself is gone (a Dask scheduler lost)
                    self._lost(running, e)
                    break
                if any(self.pool.broke(f) for f in finished):
                    self._recover(running, sorter)
                    continue
                for fut in finished:
                    task, reads = running.pop(fut)
                    self._finish(task, reads, fut)
                    sorter.done(task.id)
        except KeyboardInterrupt:
            if self.pool is not None:
                self.pool.abort()
                self.pool = None
            st.sweep_temp(self.tasks, self.root)
            raise
        finally:
            progress.close()
            if self.pool is not None:
                self.pool.close()
        self._audit()
        ordered = [self.results[t.id] for t in self.tasks]
        return BuildResult(ordered, time.perf_counter() - self.t0, tuple(self.removed))

    def _audit(self) -> None:
        """Once every task has ended: what each task read, and what it wrote, still hash as
        recorded. A notebook that edits an input (data/raw) or deletes another task's
        outputs (data/processed) fails that task in this build, naming the file, and its
        record is dropped so the next build runs it again. Skipped when nothing ran."""
        if not any(r.status in ("built", "failed") for r in self.results.values()):
            return
        changed = False
        for task in self.tasks:
            entry = self.state.get(task.id)
            if entry is None or self.results[task.id].status not in ("built", "skipped"):
                continue
            problem = st.drift(task, entry, self.root, self.hasher)
            if problem:
                old = self.results[task.id]
                self.results[task.id] = old._replace(status="failed", error=f"EngineError: "
                                                     f"{problem} during the build")  # fmt: skip
                self.state.pop(task.id)
                changed = True
        if changed:
            st.save_state(self.state_dir, self.state)

    def _lost(self, running: dict, error: EngineError) -> None:
        """The pool was lost mid-build: its running tasks fail with the reason, the rest are
        not run; the build ends with its table, like any failure (not with a traceback)."""
        for task, _reads in running.values():
            self.state.pop(task.id, None)
            self._record(task, "failed", error=f"EngineError: {error}")
        running.clear()
        st.save_state(self.state_dir, self.state)
        for task in self.tasks:
            if task.id not in self.results:
                self._record(task, "blocked", error="not run: the build stopped")
        pool, self.pool = self.pool, None
        try:
            pool.abort()
        except Exception:  # noqa: BLE001 — it is gone already
            pass

    def _record(self, task: Task, status: str, seconds=0.0, **kw) -> None:
        if status in ("failed", "blocked"):  # no old output may pass for this build's
            self.removed += st.remove_outputs(task, self.root)
        self.results[task.id] = TaskResult(
            task.id, task.kind, status, seconds, task.year, task.lang, **kw
        )
        self.progress.update(task.id, status, seconds)

    def _start(self, task: Task):
        """Block, skip, or submit a ready task: None, or (future, its reads) when submitted."""
        if task.kind == "notebook":
            self.notebooks_left -= 1
        bad = [d for d in task.deps if self.results[d].status in ("failed", "blocked")]
        bad = [] if task.after_failures else bad
        if bad:
            self._record(task, "blocked", error=f"blocked by {bad[0]}")
            return None
        reads = st.reads(task, self.root, self.state, self.code, self.hasher, self.extra)
        key = st.key_of(reads)
        entry = self.state.get(task.id)
        # A dependency that failed or was blocked lost its outputs (_record): a task that runs
        # after failures (the index) reads them, so it runs too, as after one that was built.
        ran = {d for d in task.deps if self.results[d].status != "skipped"}
        fresh = not self.force and task.id not in self.rerun
        fresh = fresh and not st.after(task, self.by_id, ran)  # as explain() says
        if fresh and st.up_to_date(task, key, entry, self.root, self.hasher):
            self._record(task, "skipped")
            return None
        return self._submit(task), reads

    def _submit(self, task: Task):
        if self.pool is None:  # started only when something needs building
            self.pool = self._make_pool(task)
        payload = {
            "task": task._asdict(),
            "root": str(self.root),
            "state_dir": str(self.state_dir),
            "env": self.env,
            "exporter": self.exporter,
            "sys_path": self.sys_path,
            "timeouts": self.timeouts,
            # no kernel ahead after the last notebook: it would only steal CPU
            "prestart": self.warm_kernels and task.kind == "notebook" and self.notebooks_left > 0,
            # 0: every notebook was submitted before this task, so by the time it starts each
            # has a worker (the pool takes tasks in order); its worker's kernel template and
            # any kernel it booted ahead only hold memory from then on
            "notebooks_left": self.notebooks_left,
        }
        return self.pool.submit(payload)

    def _recover(self, running: dict, sorter) -> None:
        """A worker died and broke the pool: fail only the task it was running, named, and
        run the others again on a new pool (when no task can be blamed, all of them fail)."""
        in_flight = dict(running)
        running.clear()
        dead = self.pool.dead_workers()
        self.pool.close()
        self.pool = None
        for task, reads in in_flight.values():
            if dead and task.id not in dead:
                running[self._submit(task)] = (task, reads)
                continue
            who = f"its worker (PID {dead[task.id]})" if task.id in dead else "a worker"
            self.state.pop(task.id, None)
            self._record(task, "failed", error=f"WorkerDied: {who} ended abruptly (killed: "
                         "out of memory, or a signal)")  # fmt: skip
            sorter.done(task.id)
        st.save_state(self.state_dir, self.state)

    def _make_pool(self, first: Task):
        from helpers.engine.kernels import KERNEL_NAME
        from helpers.engine.pools import DaskPool, LocalPool

        self.env.update(self.scratch.env())  # before any worker or payload sees the env
        if self.scheduler:
            return DaskPool(self.scheduler)
        warm = None
        pending = [first] + [t for t in self.tasks if t.id not in self.results]
        nb = next((t for t in pending if t.kind == "notebook"), None)
        if self.warm_kernels and nb is not None:
            warm = (str((self.root / nb.notebook).parent), self.env, KERNEL_NAME,
                    _imports(self.root, pending))  # fmt: skip
        return LocalPool(self.jobs, self.env, self.sys_path, warm)

    def _finish(self, task: Task, reads: dict, fut) -> None:
        """Record a finished task; a build counts only if every declared output exists."""
        try:
            out = fut.result()
        except Exception as e:  # noqa: BLE001 — a dead worker fails only its task
            out = {"status": "failed", "error": f"{type(e).__name__}: {one_line(e)}"}
        if out["status"] == "built":
            root = self.root
            missing = [p for p in task.outputs if not st.is_glob(p) and not (root / p).is_file()]
            if missing:
                out.update(status="failed", error=f"EngineError: output missing: {missing[0]}")
        if out["status"] == "built":
            outputs = st.output_hashes(task, self.root, self.hasher)
            self.state[task.id] = {"key": st.key_of(reads), "outputs": outputs, "reads": reads}
        else:
            self.state.pop(task.id, None)
        st.save_state(self.state_dir, self.state)
        self._record(task, out["status"], out.get("seconds", 0.0), error=out.get("error"),
                     cell=out.get("cell"), log=out.get("log"))  # fmt: skip
