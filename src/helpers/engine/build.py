"""Build engine: a declared task DAG run incrementally, in parallel, deterministically.

plan() turns years × langs into data (a list of Task); execute() runs any such list:
a step is skipped when the hash of everything it reads matches build/state.json and its
outputs still have the recorded hashes; the rest runs in a process pool (or on a Dask
scheduler), each worker keeping a Jupyter kernel started ahead of its next notebook.
Heavy imports (papermill, nbclient, tqdm, dask) happen inside functions only.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers.engine.atomic import write_text
from helpers.errors import JJJError

NB_CLEAN = "notebooks/01_clean_source_figures.ipynb"
NB_TEN_YEAR = "notebooks/02_ten_year_outcomes.ipynb"
NB_YEAR = "notebooks/03_year_report.ipynb"
DEFAULT_EXPORTER = "helpers.engine.build:export_report"
STATE_VERSION = 1
# Used when neither SOURCE_DATE_EPOCH nor git gives a date: 2024-04-19T00:00:00Z, the
# meeting the article reports — fixed, so builds outside a git checkout stay reproducible.
KERNEL_NAME = "python3"


class BuildLocked(JJJError):
    """Another build holds the lock."""


@dataclass(frozen=True)
class Task:
    """One step. Paths are POSIX, relative to the root; outputs may be globs ('**')."""

    id: str
    kind: str  # notebook | export | call
    notebook: str | None = None  # notebook (kind notebook); "module:function" (kind call)
    parameters: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()  # kind notebook: outputs[0] is the executed notebook
    deps: tuple[str, ...] = ()

    @property
    def year(self):
        return self.parameters.get("year")

    @property
    def lang(self):
        return self.parameters.get("lang")


@dataclass
class TaskResult:
    id: str
    kind: str
    status: str  # built | skipped | failed | blocked
    seconds: float = 0.0
    year: object = None
    lang: str | None = None
    error: str | None = None  # "Type: message", one line
    cell: str | None = None  # "3 `first source line`"
    log: str | None = None  # build/logs/<id>.ipynb, relative to the root

    def detail(self) -> str:
        if self.status not in ("failed", "blocked"):
            return ""
        where = " ".join(str(x) for x in (self.year, self.lang) if x is not None)
        parts = [where] if where else []
        if self.cell:
            parts.append(f"cell {self.cell}")
        if self.error:
            parts.append(self.error)
        if self.log:
            parts.append(f"log {self.log}")
        return " · ".join(parts)


@dataclass
class BuildResult:
    results: list[TaskResult]
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(r.status in ("built", "skipped") for r in self.results)

    def by_status(self, status: str) -> list[TaskResult]:
        return [r for r in self.results if r.status == status]

    def summary_table(self) -> str:
        """One row per task; tasks blocked by a failure are counted, not listed, so the
        failures stay on screen. The last lines repeat each failure, one line each."""
        width = max([len(r.id) for r in self.results] + [4])
        lines = [f"{'task':<{width}}  {'status':<7}  {'seconds':>7}"]
        for r in self.results:
            if r.status == "blocked":
                continue
            row = f"{r.id:<{width}}  {r.status:<7}  {r.seconds:>7.2f}"
            detail = r.detail()
            lines.append(f"{row}  {detail}" if detail else row)
        blocked = self.by_status("blocked")
        if blocked:
            lines.append(f"({len(blocked)} tasks blocked by the failures below, not run)")
        counts = ", ".join(
            f"{len(self.by_status(s))} {s}" for s in ("built", "skipped", "failed", "blocked")
        )
        lines.append(f"{len(self.results)} tasks: {counts} in {self.seconds:.1f} s")
        lines += [f"FAILED {r.id}: {r.detail()}" for r in self.by_status("failed")]
        return "\n".join(lines)


# ---------------------------------------------------------------- plan


def _rel(path: Path, root: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), root.resolve())).as_posix()


def plan(
    years: Iterable[int],
    langs: Iterable[str],
    *,
    root: Path | None = None,
    reports_dir: Path | None = None,
    state_dir: Path | None = None,
) -> list[Task]:
    """The pipeline's DAG: verify → clean per source → combine → reports → index."""
    from helpers import paths
    from helpers.clean import sources

    root = Path(root or paths.ROOT)
    reports = Path(reports_dir or root / _rel(paths.REPORTS, paths.ROOT))
    state = Path(state_dir or root / _rel(paths.BUILD, paths.ROOT))
    manifest = root / _rel(paths.SOURCES_MANIFEST, paths.ROOT)
    processed = _rel(paths.PROCESSED, paths.ROOT)
    executed = _rel(state / "executed", root)
    srcs = sources.load_manifest(manifest)
    raw = [_rel(manifest, root)] + [_rel(s.file, root) for s in srcs.values()]
    raw_dir = _rel(manifest.parent, root)

    tasks = [Task("verify", "call", "helpers.clean.sources:verify_all", inputs=tuple(raw))]
    for sid, s in srcs.items():
        tid = f"clean-{sid}"
        tasks.append(
            Task(
                tid,
                "notebook",
                NB_CLEAN,
                {"source_id": sid},
                # The codebook and layout map are hand-written raw inputs too: any change
                # under data/raw must re-clean, or an edited codebook would leave stale data.
                inputs=(_rel(manifest, root), _rel(s.file, root), f"{raw_dir}/**"),
                outputs=(f"{executed}/{tid}.ipynb", f"{processed}/sources/{sid}/**"),
                deps=("verify",),
            )
        )
    tables = tuple(f"{processed}/{name}.csv" for name in ("figures", "events", "citations"))
    tasks.append(
        Task(
            "combine",
            "call",
            "helpers.clean.tables:combine",
            inputs=(_rel(manifest, root),),  # sources.json describes the manifest's sources
            outputs=(*tables, f"{processed}/sources.json"),
            deps=tuple(f"clean-{sid}" for sid in srcs),
        )
    )

    def report(slug: str, notebook: str, params: dict, kind: str, year) -> None:
        rid, eid = f"report-{slug}", f"export-{slug}"
        nb_out = f"{executed}/{rid}.ipynb"
        lang = params["lang"]
        out_dir = reports / ("ten-year" if year is None else str(year))
        tasks.append(Task(rid, "notebook", notebook, params, outputs=(nb_out,), deps=("combine",)))
        tasks.append(
            Task(
                eid,
                "export",
                None,
                {"kind": kind, "year": year, "lang": lang},
                inputs=(nb_out,),
                outputs=tuple(
                    _rel(out_dir / f"report.{lang}.{ext}", root) for ext in ("html", "pdf")
                ),
                deps=(rid,),
            )
        )

    langs = list(langs)
    for lang in langs:  # the ten-year reports first: the longest notebooks start early
        report(f"ten-year-{lang}", NB_TEN_YEAR, {"lang": lang}, "ten-year", None)
    for year in years:
        for lang in langs:
            report(f"{year}-{lang}", NB_YEAR, {"year": int(year), "lang": lang}, "year", int(year))
    exports = tuple(t.id for t in tasks if t.kind == "export")
    tasks.append(
        Task(
            "index",
            "call",
            "helpers.publish.index:write_index",
            outputs=(_rel(reports / "index.html", root),),
            deps=exports,
        )
    )
    return tasks


def run(
    years: Iterable[int],
    langs: Iterable[str],
    *,
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    progress: bool = True,
    wait: bool = False,
    root: Path | None = None,
    reports_dir: Path | None = None,
    state_dir: Path | None = None,
) -> BuildResult:
    """Plan and execute the whole pipeline (what `jjj-report build` calls)."""
    from helpers import paths

    root = Path(root or paths.ROOT)
    state_dir = Path(state_dir or root / _rel(paths.BUILD, paths.ROOT))
    tasks = plan(years, langs, root=root, reports_dir=reports_dir, state_dir=state_dir)
    return execute(
        tasks,
        root=root,
        state_dir=state_dir,
        jobs=jobs,
        force=force,
        scheduler=scheduler,
        progress=progress,
        wait=wait,  # execute takes the build lock
    )


# ---------------------------------------------------------------- hashing and state


class _Hasher:
    """sha256 of files, memoized per (path, size, mtime) for the length of one build."""

    def __init__(self):
        self._memo: dict[tuple, str] = {}

    def file(self, path: Path) -> str | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        k = (str(path), st.st_size, st.st_mtime_ns)
        if k not in self._memo:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            self._memo[k] = h.hexdigest()
        return self._memo[k]


def _is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _expand(root: Path, patterns: Iterable[str]) -> list[str]:
    """Existing files matching the patterns, relative, sorted (folders and temp files left out)."""
    found: set[str] = set()
    for pat in patterns:
        if _is_glob(pat):
            for p in glob.glob(str(root / pat), recursive=True):
                if os.path.isfile(p) and not os.path.basename(p).endswith(".tmp"):
                    found.add(_rel(Path(p), root))
        elif (root / pat).is_file():
            found.add(Path(pat).as_posix())
    return sorted(found)


def code_hash(root: Path, hasher: _Hasher | None = None) -> str:
    """The helpers source tree and requirements.lock: a change there rebuilds every step."""
    hasher = hasher or _Hasher()
    h = hashlib.sha256()
    files = _expand(root, ["src/helpers/**/*", "requirements.lock"])
    for rel in files:
        if "__pycache__" in rel or rel.endswith(".pyc"):
            continue
        h.update(f"{rel}\0{hasher.file(root / rel)}\n".encode())
    return h.hexdigest()


def _task_key(task: Task, root: Path, state: dict, code: str, hasher: _Hasher, extra: dict) -> str:
    """Content hash of everything a step reads; equal key + intact outputs ⇒ skip."""
    doc = {
        "task": {k: v for k, v in asdict(task).items() if k != "deps"},
        "code": code,
        "notebook": hasher.file(root / task.notebook) if task.kind == "notebook" else None,
        "inputs": {rel: hasher.file(root / rel) for rel in _expand(root, task.inputs)},
        "missing": sorted(p for p in task.inputs if not _is_glob(p) and not (root / p).is_file()),
        # A dependency's outputs are inputs too, even when not declared as such.
        "deps": {d: state.get(d, {}).get("outputs") for d in sorted(task.deps)},
        "extra": extra,
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def _output_hashes(task: Task, root: Path, hasher: _Hasher) -> dict[str, str]:
    return {rel: hasher.file(root / rel) for rel in _expand(root, task.outputs)}


def _up_to_date(task: Task, key: str, entry: dict | None, root: Path, hasher: _Hasher) -> bool:
    if not entry or entry.get("key") != key:
        return False
    recorded = entry.get("outputs") or {}
    if any(not _is_glob(p) and Path(p).as_posix() not in recorded for p in task.outputs):
        return False
    return _output_hashes(task, root, hasher) == recorded


def _load_state(state_dir: Path) -> dict:
    try:
        doc = json.loads((state_dir / "state.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return doc.get("tasks", {}) if doc.get("version") == STATE_VERSION else {}


def _save_state(state_dir: Path, tasks: dict) -> None:
    doc = {"version": STATE_VERSION, "tasks": tasks}
    write_text(state_dir / "state.json", json.dumps(doc, indent=1, sort_keys=True) + "\n")


# ---------------------------------------------------------------- lock and environment


@contextmanager
def build_lock(state_dir: Path, *, wait: bool = False):
    """Exclusive flock on <state>/.lock holding our PID; a second build fails at once."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise BuildLocked(
                f"another build is running: {path} is held by PID {holder} "
                "(wait for it to finish, or use --wait)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def source_date_epoch(root: Path) -> str:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else a fixed date (provenance)."""
    from helpers.provenance import source_date_epoch as epoch

    return str(epoch(root))


def build_env(root: Path) -> dict[str, str]:
    """Variables set for workers, kernels and subprocesses: same values → same bytes."""
    env = {
        "SOURCE_DATE_EPOCH": source_date_epoch(root),
        "PYTHONHASHSEED": "0",
        "JJJ_ROOT": str(root.resolve()),
    }
    src = root.resolve() / "src"
    if (src / "helpers").is_dir():  # the checkout's own helpers, not the editable install's
        env["PYTHONPATH"] = os.pathsep.join(
            [str(src)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        )
    return env


# ---------------------------------------------------------------- worker side


class TaskFailed(Exception):
    def __init__(self, error: str, cell: str | None = None, log: str | None = None):
        super().__init__(error)
        self.error, self.cell, self.log = error, cell, log


def _one_line(text) -> str:
    return " ".join(str(text).split())


_KERNEL_LOCK = threading.Lock()
_WARM: dict = {}  # {"key": (cwd, env, kernel), "km": KernelManager} — at most one per process
_CURRENT: dict = {}  # {"km": the kernel manager of the running notebook} (pool workers)


def _ipc_dir() -> str:
    """A private folder for this process's kernel sockets (short: unix sockets allow ~100)."""
    import tempfile

    if "ipc_dir" not in _WARM:
        _register_exit_hook()  # removes the folder when the process ends
        _WARM["ipc_dir"] = tempfile.mkdtemp(prefix="jjj-k")
    return _WARM["ipc_dir"]


def _start_kernel(cwd: str, env: dict, kernel_name: str):
    import uuid

    from jupyter_client import KernelManager

    # IPC sockets with a unique path, not TCP: two workers starting kernels at once could be
    # handed the same just-freed TCP port (jupyter_client picks ports by binding to 0 and
    # closing), leaving one kernel deaf ("Kernel didn't respond in 60 seconds").
    ip = os.path.join(_ipc_dir(), uuid.uuid4().hex[:12])
    km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=ip)
    # The kernel's own stdout/stderr carry only its start-up chatter; cell output and
    # tracebacks arrive over the iopub channel.
    km.start_kernel(
        cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return km


def _shutdown_warm() -> None:
    with _KERNEL_LOCK:
        km = _WARM.pop("km", None)
        _WARM.pop("key", None)
    if km is not None:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 — best effort at exit
            pass
    ipc = _WARM.pop("ipc_dir", None)
    if ipc:
        shutil.rmtree(ipc, ignore_errors=True)


def _kill_kernels() -> None:
    """From a signal handler: SIGKILL the kernels' process groups, no event loop needed."""
    import signal

    for km in (_WARM.get("km"), _CURRENT.get("km")):
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # kernels run in their own session
            except (ProcessLookupError, PermissionError):
                pass


def _on_worker_signal(signum, frame) -> None:
    # Ctrl-C during a task: unwind it (atomic writes remove their temp files, the kernel
    # is shut down). Otherwise (idle, or SIGTERM from the pool's owner): kernels, then exit.
    import signal

    if signum == signal.SIGINT and _CURRENT.get("running"):
        _CURRENT["running"] = False  # a second signal no longer unwinds, it ends the worker
        raise KeyboardInterrupt
    _kill_kernels()
    shutil.rmtree(_WARM.get("ipc_dir", "/nonexistent"), ignore_errors=True)
    os._exit(128 + signum)


def _register_exit_hook() -> None:
    if _WARM.get("hooked"):
        return
    import atexit
    from multiprocessing import util

    atexit.register(_shutdown_warm)
    # Pool workers leave through os._exit, which skips atexit; multiprocessing finalizers run.
    util.Finalize(None, _shutdown_warm, exitpriority=10)
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


def _prestart_kernel(cwd: str, env: dict, kernel_name: str) -> None:
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


def _failing_cell(nb):
    """(execution index, 1-based; first source line; 'Type: message') of the first error."""
    index = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.get("execution_count") is None:
            continue
        index += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
                return index, first.strip(), f"{out.get('ename')}: {_one_line(out.get('evalue'))}"
    return None


def _write_nb(nb, path: Path) -> None:
    import nbformat

    write_text(path, nbformat.writes(nb) + "\n")


def _exec_notebook(task: Task, root: Path, env: dict, prestart: bool, logs: Path) -> None:
    from papermill.engines import papermill_engines
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb_path = root / task.notebook
    nb = load_notebook_node(str(nb_path))  # also adds the metadata papermill expects
    if task.parameters:
        nb = parameterize_notebook(nb, dict(task.parameters), report_mode=False)
    kernel_name = nb.metadata.get("kernelspec", {}).get("name") or KERNEL_NAME
    cwd = str(nb_path.parent)  # notebooks read ../data/… relative to their own folder
    km = _take_kernel(cwd, env, kernel_name)
    _CURRENT["km"] = km
    if prestart:  # boots while this notebook runs, ready for the next task
        _prestart_kernel(cwd, env, kernel_name)
    try:
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
        )
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        _CURRENT.pop("km", None)
    normalize_notebook(nb)
    failed = _failing_cell(nb)
    if failed:
        log = logs / f"{task.id}.ipynb"
        _write_nb(nb, log)
        n, first, error = failed
        raise TaskFailed(error, cell=f"{n} `{first}`", log=_rel(log, root))
    _write_nb(nb, root / task.outputs[0])


def _resolve(spec: str):
    import importlib

    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def export_report(nb, html_path: Path, pdf_path: Path, *, kind: str, year, lang: str) -> None:
    """The real exporter: titles from i18n, colophon from provenance, HTML + PDF from render."""
    from helpers import provenance
    from helpers.publish import i18n, render

    meta = i18n.report_meta(kind, year, lang)
    params = {"year": year, "lang": lang} if kind == "year" else {"report": kind, "lang": lang}
    render.export(
        nb,
        html_path,
        pdf_path,
        lang=lang,
        title=meta["title"],
        description=meta["description"],
        header=meta.get("header", ""),
        colophon=provenance.colophon(params),
        notebook=NB_TEN_YEAR if kind == "ten-year" else NB_YEAR,  # named in prose errors
    )


def _export(task: Task, root: Path, exporter: str) -> None:
    import nbformat

    nb = nbformat.read(root / task.inputs[0], as_version=4)
    p = task.parameters
    html, pdf = (root / o for o in task.outputs[:2])
    _resolve(exporter)(nb, html, pdf, kind=p["kind"], year=p.get("year"), lang=p["lang"])


def _call(task: Task, root: Path, env: dict, sys_path: list[str]) -> None:
    """Run module:function in a fresh interpreter so helpers.paths sees this build's root."""
    module, _, attr = task.notebook.partition(":")
    code = f"import importlib; getattr(importlib.import_module({module!r}), {attr!r})()"
    if sys_path:
        prev = env.get("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
        env = {**env, "PYTHONPATH": os.pathsep.join(p for p in [*sys_path, prev] if p)}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        raise TaskFailed(_one_line(lines[-1] if lines else f"exit status {proc.returncode}"))


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
    _CURRENT["running"] = True
    try:
        if task.kind == "notebook":
            logs = Path(payload["state_dir"]) / "logs"
            _exec_notebook(task, root, env, payload.get("prestart", False), logs)
        elif task.kind == "export":
            _export(task, root, payload["exporter"])
        elif task.kind == "call":
            _call(task, root, env, payload.get("sys_path", []))
        else:
            raise TaskFailed(f"JJJError: unknown task kind {task.kind!r}")
    except TaskFailed as e:
        out.update(status="failed", error=e.error, cell=e.cell, log=e.log)
    except Exception as e:  # noqa: BLE001 — one failing step must not stop the others
        out.update(status="failed", error=f"{type(e).__name__}: {_one_line(e)}")
    finally:
        _CURRENT["running"] = False
    out["seconds"] = time.perf_counter() - t0
    return out


def _worker_init(env: dict, sys_path: list[str], warm: tuple | None) -> None:
    import signal

    signal.signal(signal.SIGINT, _on_worker_signal)
    signal.signal(signal.SIGTERM, _on_worker_signal)
    os.environ.update(env)
    for p in sys_path:
        if p not in sys.path:
            sys.path.insert(0, p)
    if warm:  # the first notebook of this worker starts on a booted kernel too
        _prestart_kernel(*warm)
    import nbformat  # noqa: F401
    import papermill.engines  # noqa: F401 — import while the kernel boots


# ---------------------------------------------------------------- scheduling


class _LocalPool:
    def __init__(self, jobs: int, env: dict, sys_path: list[str], warm: tuple | None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers fork from a clean server process that imported papermill once
        # (no threads, locks or fds inherited from this one); ~15 % faster than spawn here.
        method = os.environ.get("JJJ_MP_METHOD", "forkserver")
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(
                ["helpers.engine.build", "papermill.engines", "jupyter_client"]
            )
        self.ex = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(env, sys_path, warm),
        )

    def submit(self, payload):
        return self.ex.submit(run_task, payload)

    @staticmethod
    def wait(futures):
        from concurrent.futures import FIRST_COMPLETED, wait

        return wait(futures, return_when=FIRST_COMPLETED).done

    def abort(self, grace: float = 2.0):
        """Ctrl-C: interrupt running tasks, then end the workers (queued calls never start)."""
        import signal

        procs = list((self.ex._processes or {}).values())  # noqa: SLF001 — no public accessor
        self.ex.shutdown(wait=False, cancel_futures=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            for proc in procs:
                if proc.is_alive():
                    try:
                        os.kill(proc.pid, sig)
                    except ProcessLookupError:
                        pass
            deadline = time.monotonic() + grace
            for proc in procs:
                proc.join(max(0.0, deadline - time.monotonic()))
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join()

    def close(self):
        self.ex.shutdown(wait=True)


class _DaskPool:
    def __init__(self, address: str):
        from distributed import Client

        self.client = Client(address)

    def submit(self, payload):
        return self.client.submit(
            run_task,
            payload,
            pure=False,
            key=f"{payload['task']['id']}-{os.getpid()}-{time.monotonic_ns()}",
        )

    @staticmethod
    def wait(futures):
        from distributed import wait

        return wait(list(futures), return_when="FIRST_COMPLETED").done

    def abort(self):
        self.client.close()  # pending futures are released, the cluster's workers stay up

    def close(self):
        self.client.close()


def _sweep_temp(tasks: list[Task], root: Path) -> None:
    """Remove temp files helpers.engine.atomic left beside declared outputs (after a kill)."""
    for t in tasks:
        for pat in t.outputs:
            folder = (root / pat).parent
            while _is_glob(folder.name):
                folder = folder.parent
            names = None if _is_glob(pat) else Path(pat).name
            it = folder.rglob(".*.tmp") if names is None else folder.glob(f".{names}.*.tmp")
            for tmp in it if folder.is_dir() else ():
                tmp.unlink(missing_ok=True)


def _check_dag(tasks: list[Task]) -> None:
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise JJJError(f"duplicate task ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    known = set()
    for t in tasks:  # declared order must be topological: deps come first
        missing = [d for d in t.deps if d not in known]
        if missing:
            raise JJJError(f"task {t.id}: dependency {missing[0]} is unknown or declared after it")
        known.add(t.id)


def execute(
    tasks: list[Task],
    *,
    root: Path | None = None,
    state_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    progress: bool = True,
    exporter: str = DEFAULT_EXPORTER,
    sys_path: Iterable[str] = (),
    warm_kernels: bool = True,
    lock: bool = True,
    wait: bool = False,
) -> BuildResult:
    """Run a task list: skip what is up to date, run the rest in parallel, record hashes."""
    from helpers import paths

    root = Path(root or paths.ROOT)
    state_dir = Path(state_dir or root / "build")
    held = build_lock(state_dir, wait=wait) if lock else contextlib.nullcontext()
    with held:
        return _execute(tasks, root, state_dir, jobs, force, scheduler, progress, exporter,
                        sys_path, warm_kernels)  # fmt: skip


def _execute(tasks, root, state_dir, jobs, force, scheduler, progress, exporter, sys_path,
             warm_kernels) -> BuildResult:  # fmt: skip
    """execute()'s body, with the lock held when asked for."""
    t_start = time.perf_counter()
    _check_dag(tasks)
    jobs = max(1, jobs or os.cpu_count() or 1)
    state = _load_state(state_dir)
    hasher = _Hasher()
    code = code_hash(root, hasher)
    extra = {"exporter": exporter}
    env = build_env(root)
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
                key = _task_key(task, root, state, code, hasher, extra)
                if not force and _up_to_date(task, key, state.get(task.id), root, hasher):
                    record(task, "skipped")
                    continue
                if pool is None:  # started only when something needs building
                    warm = None
                    if warm_kernels and any(t.kind == "notebook" for t in [task, *waiting]):
                        nb = next(t for t in [task, *waiting] if t.kind == "notebook")
                        warm = (str((root / nb.notebook).parent), env, KERNEL_NAME)
                    pool = (
                        _DaskPool(scheduler) if scheduler else _LocalPool(jobs, env, sys_path, warm)
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
                        "error": f"{type(e).__name__}: {_one_line(e)}",
                        "seconds": 0.0,
                    }
                if out["status"] == "built":
                    missing = [
                        p for p in task.outputs if not _is_glob(p) and not (root / p).is_file()
                    ]
                    if missing:
                        out.update(status="failed", error=f"JJJError: output missing: {missing[0]}")
                if out["status"] == "built":
                    state[task.id] = {"key": key, "outputs": _output_hashes(task, root, hasher)}
                else:
                    state.pop(task.id, None)
                _save_state(state_dir, state)
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
        _sweep_temp(tasks, root)
        raise
    finally:
        bar.close()
        if pool is not None:
            pool.close()
    ordered = [results[t.id] for t in tasks if t.id in results]
    assert len(ordered) == len(by_id)
    return BuildResult(ordered, time.perf_counter() - t_start)
