"""What the engine runs and what it reports: tasks, their results, the build's result."""

from __future__ import annotations

from collections import namedtuple


class EngineError(Exception):
    """A user-facing engine failure (bad task list, lock held); the message is one line."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class TaskFailed(Exception):
    """Raised inside a worker: the task failed, with a one-line error and where."""

    def __init__(self, error: str, cell: str | None = None, log: str | None = None):
        super().__init__(error)
        self.error, self.cell, self.log = error, cell, log


def one_line(text) -> str:
    return " ".join(str(text).split())


# Named tuples, not dataclasses: importing dataclasses (and inspect) would cost a no-op build
# about a tenth of its time.
_Task = namedtuple(
    "Task", "id kind notebook parameters inputs outputs deps after_failures", module=__name__
)


class Task(_Task):
    """One step. Paths are POSIX, relative to the root; outputs may be globs ('**').

    kind: notebook | export | call; notebook: the notebook (kind notebook) or "module:function"
    (kind call); for a notebook, outputs[0] is the executed notebook. after_failures: runs once
    its deps have finished, whatever their status (an index of what was built: one failing
    report must not leave the others unlisted)."""

    __slots__ = ()

    def __new__(cls, id: str, kind: str, notebook: str | None = None,
                parameters: dict | None = None, inputs: tuple[str, ...] = (),
                outputs: tuple[str, ...] = (), deps: tuple[str, ...] = (),
                after_failures: bool = False):  # fmt: skip
        parameters = {} if parameters is None else parameters  # a dict of its own
        return super().__new__(cls, id, kind, notebook, parameters, inputs, outputs, deps,
                               after_failures)  # fmt: skip

    @property
    def year(self):
        return self.parameters.get("year")

    @property
    def lang(self):
        return self.parameters.get("lang")


_TaskResult = namedtuple(
    "TaskResult",
    "id kind status seconds year lang error cell log",
    defaults=(0.0, None, None, None, None, None),
    module=__name__,
)


class TaskResult(_TaskResult):
    """status: built | skipped | failed | blocked; error: "Type: message", one line;
    cell: "cell 3 `first source line`" (helpers.engine.cells.label); log: build/logs/<id>.ipynb,
    relative to the root."""

    __slots__ = ()

    def detail(self) -> str:
        if self.status not in ("failed", "blocked"):
            return ""
        where = " ".join(str(x) for x in (self.year, self.lang) if x is not None)
        parts = [where] if where else []
        if self.cell:
            parts.append(self.cell)
        if self.error:
            parts.append(self.error)
        if self.log:
            parts.append(f"log {self.log}")
        return " · ".join(parts)


class BuildResult(namedtuple("BuildResult", "results seconds removed", defaults=(0.0, ()))):
    """removed: earlier outputs of failed or blocked tasks, removed as no longer current."""

    __slots__ = ()

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
        if self.removed:  # else a reader wonders where the report went
            shown = ", ".join(self.removed[:4]) + (", …" if len(self.removed) > 4 else "")
            lines.append(f"removed {len(self.removed)} earlier output(s) of the failed or blocked "
                         f"tasks, no longer current: {shown}")  # fmt: skip
        lines += [f"FAILED {r.id}: {r.detail()}" for r in self.by_status("failed")]
        return "\n".join(lines)


def check_dag(tasks: list[Task]) -> dict[str, tuple[str, ...]]:
    """{task id: its deps} for graphlib, after checking ids are unique, every dependency is a
    task of the list and there is no cycle. The list may be in any order."""
    from graphlib import CycleError, TopologicalSorter

    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise EngineError(f"duplicate task ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    graph = {t.id: tuple(t.deps) for t in tasks}
    for t in tasks:
        unknown = [d for d in t.deps if d not in graph]
        if unknown:
            raise EngineError(f"task {t.id}: dependency {unknown[0]} is not a task")
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as e:
        cycle = " → ".join(e.args[1])
        raise EngineError(f"tasks depend on each other in a cycle: {cycle}") from None
    return graph
