"""Where a cold build's time goes: every report's path, stage by stage, in this process.

Calls the functions the pipeline calls (helpers.engine.kernels, publish.export.export_report,
helpers.engine.state) one report after another, without editing any of them: stage timers wrap
module attributes from outside, and time spent inside a nested timed call is counted once, in
the innermost stage. Run by benchmarks/build.py on its repository copy, after the real build,
so data/processed exists; outputs go to a scratch folder, never to reports/.
"""

from __future__ import annotations

import ast
import time
from contextlib import contextmanager
from pathlib import Path

STAGES = (
    ("kernel", "kernel start (process + ready)"),
    ("imports", "imports in the kernel"),
    ("execute", "notebook execution"),
    ("html", "HTML export (nbconvert + page)"),
    ("subset", "font subsetting (hb-subset)"),
    ("woff2", "WOFF2 compression (HTML font)"),
    ("pdf", "PDF layout (WeasyPrint)"),
    ("hash", "hashing (inputs + outputs)"),
    ("write", "writing (executed notebook, HTML, PDF)"),
)


class Clock:
    """Exclusive time per stage: a stage nested in another is not counted twice."""

    def __init__(self):
        self.total: dict[str, float] = dict.fromkeys((k for k, _ in STAGES), 0.0)
        self._stack: list[list[float]] = []  # [start, time taken by nested stages]

    @contextmanager
    def stage(self, key: str):
        self._stack.append([time.perf_counter(), 0.0])
        try:
            yield
        finally:
            start, nested = self._stack.pop()
            took = time.perf_counter() - start
            self.total[key] += took - nested
            if self._stack:
                self._stack[-1][1] += took

    def wrap(self, module, name: str, key: str) -> None:
        """Time every call of module.name as `key` (the benchmark's process only)."""
        func = getattr(module, name)

        def timed(*args, **kwargs):
            with self.stage(key):
                return func(*args, **kwargs)

        setattr(module, name, timed)

    def wrap_cm(self, module, name: str, key: str) -> None:
        """Time the with-block of every `with module.name(...)` as `key`."""
        func = getattr(module, name)

        @contextmanager
        def timed(*args, **kwargs):
            with self.stage(key), func(*args, **kwargs) as value:
                yield value

        setattr(module, name, timed)


def import_lines(nb) -> str:
    """The notebook's top-level import statements, in order (what the kernel imports)."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        lines += [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    return "\n".join(lines)


def _run_code(km, code: str) -> None:
    client = km.blocking_client()  # km.client() is the engine's asynchronous client
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        reply = client.execute_interactive(code, timeout=300, store_history=False)
        if reply["content"]["status"] != "ok":
            raise SystemExit(f"benchmark: importing in the kernel failed: {reply['content']}")
    finally:
        client.stop_channels()


def _notebook(task, root: Path, env: dict, clock: Clock):
    """One report's notebook on a fresh kernel: kernel start, imports, then the notebook."""
    from papermill.engines import papermill_engines
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from helpers.engine import kernels

    nb = load_notebook_node(str(root / task.notebook))
    nb = parameterize_notebook(nb, dict(task.parameters), report_mode=False)
    cwd = str((root / task.notebook).parent)
    with clock.stage("kernel"):
        km = kernels._start_kernel(cwd, env, kernels.KERNEL_NAME)
        _run_code(km, "pass")  # ready: the kernel answered
    try:
        with clock.stage("imports"):
            _run_code(km, import_lines(nb))
        with clock.stage("execute"):
            nb = papermill_engines.execute_notebook_with_engine(
                kernels._engine(), nb, kernel_name=kernels.KERNEL_NAME, input_path=task.notebook,
                output_path=None, progress_bar=False, log_output=False, autosave_cell_every=0,
                km=km,
            )  # fmt: skip
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    kernels.normalize_notebook(nb)
    return nb


def profile(root: Path, years, langs, env: dict, scratch: Path) -> tuple[dict, int]:
    """Stage totals (seconds) over every report of years × langs, and the number of reports."""
    import os
    import sys

    os.environ.update(env)
    sys.path.insert(0, str(root / "src"))
    import nbformat

    from helpers import pipeline
    from helpers.engine import kernels, state
    from helpers.publish import export as exporter
    from helpers.publish import fonts, render

    clock = Clock()
    clock.wrap(render, "page_and_data", "html")
    clock.wrap(render, "html_to_pdf", "pdf")
    clock.wrap(fonts, "_subset", "subset")
    clock.wrap(fonts, "subset_woff2", "woff2")
    clock.wrap_cm(render, "atomic_path", "write")
    tasks = pipeline.plan(years, langs, root=root, reports_dir=scratch / "reports",
                          state_dir=scratch / "build")  # fmt: skip
    by_id = {t.id: t for t in tasks}
    hasher, code = state.Hasher(), state.code_hash(root, pipeline.CODE)
    reports = [t for t in tasks if t.id.startswith("report-")]
    for task in reports:
        nb = _notebook(task, root, env, clock)
        with clock.stage("write"):
            kernels._write_nb(nb, root / task.outputs[0])
        export = by_id[task.id.replace("report-", "export-", 1)]
        nb = nbformat.read(root / export.inputs[0], as_version=4)
        exporter.export_report(nb, *(root / o for o in export.outputs), **export.parameters)
        with clock.stage("hash"):
            for t in (task, export):
                hasher = state.Hasher()  # fresh: the build hashes each file once too
                state.reads(t, root, {}, code, hasher, {"exporter": pipeline.EXPORTER})
                state.output_hashes(t, root, hasher)
    return clock.total, len(reports)


def table(total: dict, n: int) -> list[str]:
    """Markdown rows: stage, seconds summed over the reports, per report, share."""
    whole = sum(total.values()) or 1.0
    rows = ["| stage | s, all reports | s per report | share |", "|---|---:|---:|---:|"]
    for key, label in STAGES:
        s = total[key]
        rows.append(f"| {label} | {s:.1f} | {s / n:.2f} | {100 * s / whole:.0f} % |")
    rows.append(f"| **sum** ({n} reports, one after another) | {whole:.1f} | {whole / n:.2f} | |")
    return rows
