"""The plan without running it: which tasks would run and why (dry run), and the task graph
as Graphviz DOT text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

from helpers.engine import state as st
from helpers.engine.tasks import Task, check_dag


@dataclass
class Decision:
    task: Task
    action: str  # run | skip: exactly what execute() will do, unless a task fails
    reason: str


def _changed(old: dict, new: dict) -> list[str]:
    """Paths whose hash differs, was added or was removed between two {path: hash} maps."""
    old, new = old or {}, new or {}
    return sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


def _why(entry: dict | None, doc: dict) -> str | None:
    """What differs between the reads recorded at the last build and now (None: nothing)."""
    if not entry:
        return "not built before (or its last run failed)"
    old = entry.get("reads")
    if old is None:
        return "changed since the last build (that build kept no details)"
    if old.get("task") != doc["task"] or old.get("extra") != doc["extra"]:
        return "its definition changed (parameters, inputs, outputs or exporter)"
    if old.get("code") != doc["code"]:
        return "code changed"
    if old.get("notebook") != doc["notebook"]:
        return f"notebook changed: {doc['task']['notebook']}"
    paths = _changed(old.get("inputs"), doc["inputs"]) + _changed(
        dict.fromkeys(old.get("missing", [])), dict.fromkeys(doc["missing"])
    )
    if paths:
        return "input changed: " + ", ".join(paths)
    deps = [d for d in doc["deps"] if old.get("deps", {}).get(d) != doc["deps"][d]]
    if deps:
        return "outputs of " + ", ".join(deps) + " changed"
    return None


def _own_reason(task, entry, doc, root, hasher, changing) -> str | None:
    """Why the task runs whatever its dependencies do (None: its reads and outputs are as
    recorded)."""
    if not entry or entry.get("key") != st.key_of(doc):
        return _why(entry, doc) or "changed since the last build"
    rewritten = [p for p in changing if p == task.notebook or p in doc["inputs"]]
    if rewritten:
        return "; ".join(f"{p} changes before the build: {changing[p]}" for p in rewritten)
    recorded = entry.get("outputs") or {}
    bad = _changed(recorded, st.output_hashes(task, root, hasher)) + [
        p for p in task.outputs if not st.is_glob(p) and p not in recorded
    ]
    if bad:
        return "output missing or edited: " + ", ".join(sorted(bad))
    return None


def explain(
    tasks: list[Task],
    *,
    root: Path,
    state_dir: Path | None = None,
    code: Iterable[str] = (),
    exporter: str | None = None,
    force: bool = False,
    changing: dict[str, str] | None = None,
    rerun: dict[str, str] | None = None,
) -> list[Decision]:
    """For each task, in list order: will execute() run it or skip it, and why. Reads the
    state; runs and writes nothing. `changing`: {path: why} for files the caller rewrites
    before it executes (a task reading one runs); `rerun`: {task id: why} for tasks the
    caller has execute() run whatever their hashes say.

    Exact because execute() decides the same way: a task runs when what it reads or its
    outputs differ from the record, or after a dependency with outputs that runs (st.after)."""
    root = Path(root)
    graph = check_dag(tasks)
    state = st.load_state(Path(state_dir or root / "build"))
    hasher = st.Hasher()
    code_hash = st.code_hash(root, code, hasher)
    by_id = {t.id: t for t in tasks}
    out: dict[str, Decision] = {}
    for tid in TopologicalSorter(graph).static_order():
        task = by_id[tid]
        if force:
            out[tid] = Decision(task, "run", "--force")
            continue
        doc = st.reads(task, root, state, code_hash, hasher, {"exporter": exporter})
        reason = _own_reason(task, state.get(tid), doc, root, hasher, changing or {})
        if reason is None and tid in (rerun or {}):
            reason = rerun[tid]
        after = st.after(task, by_id, {d for d, o in out.items() if o.action == "run"})
        if reason is None and after:
            what = "its output" if len(after) == 1 else "their outputs"
            reason = f"after {', '.join(after)} ({what} may change)"
        out[tid] = Decision(task, "run" if reason else "skip", reason or "up to date")
    return [out[t.id] for t in tasks]


def format_decisions(decisions: list[Decision]) -> str:
    """One line per task (action, id, reason), then what it reads; a count at the end."""
    width = max([len(d.task.id) for d in decisions] + [4])
    lines = []
    for d in decisions:
        lines.append(f"{d.action:<5}  {d.task.id:<{width}}  {d.reason}")
        reads = [*d.task.inputs, *(f"after {dep}" for dep in d.task.deps)]
        if d.task.kind == "notebook":
            reads.insert(0, d.task.notebook)
        if reads:
            lines.append(f"{'':<5}  {'':<{width}}  reads {', '.join(reads)}")
    runs = sum(d.action == "run" for d in decisions)
    lines.append(f"{len(decisions)} tasks: {runs} would run, {len(decisions) - runs} up to date")
    return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(tasks: list[Task], name: str = "build") -> str:
    """The task graph as Graphviz DOT: a node per task (id and kind), an edge per dependency."""
    check_dag(tasks)
    lines = [f"digraph {_quote(name)} {{", "  rankdir=LR;", "  node [shape=box];"]
    for t in tasks:
        label = f"{t.id}\\n{t.kind}"
        lines.append(f'  {_quote(t.id)} [label="{label.replace(chr(34), chr(92) + chr(34))}"];')
    for t in tasks:
        lines += [f"  {_quote(d)} -> {_quote(t.id)};" for d in t.deps]
    lines.append("}")
    return "\n".join(lines) + "\n"
