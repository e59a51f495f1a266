"""This project's task graph: which notebook runs with which parameters, reading what.

plan() turns years × langs into a list of engine Tasks — verify → clean per source →
combine → reports → exports → index; run() hands it to the engine with this project's
environment, code files and exporter (what `jjj-report build` calls), after syncing the
notebook pairs (helpers.pairs). The exporter: helpers.publish.export.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from helpers.engine.state import rel
from helpers.engine.tasks import BuildResult, Task
from helpers.pairs import out_of_sync, sync_pairs, will_sync
from helpers.paths import NB_CLEAN, NB_TEN_YEAR, NB_YEAR
from helpers.publish.export import unmark

EXPORTER = "helpers.publish.export:export_report"
DICTIONARY = "docs/data-dictionary.md"  # the data package's field descriptions
# A change in any of these rebuilds every step.
CODE = ("src/helpers/**/*", "requirements.lock")


def _report_tasks(slug, notebook, params, kind, year, *, executed, out_dir, colophon) -> list[Task]:
    """A report's notebook run and its export to HTML + PDF."""
    rid, eid = f"report-{slug}", f"export-{slug}"
    nb_out = f"{executed}/{rid}.ipynb"
    lang = params["lang"]
    return [
        Task(rid, "notebook", notebook, params, outputs=(nb_out,), deps=("combine",)),
        Task(
            eid,
            "export",
            None,
            # The colophon prints the commit and the manifest's sha256: both decide a rebuild,
            # or a report whose notebook did not change would keep an old colophon. Not the
            # "uncommitted changes" mark: export_report asks for it when it runs.
            {"kind": kind, "year": year, "lang": lang, "commit": colophon["commit"]},
            # The data dictionary and the sources table: the downloads' metadata describe
            # their columns and sources from them.
            inputs=(nb_out, colophon["manifest"], DICTIONARY, colophon["sources"]),
            outputs=(
                *(f"{out_dir}/report.{lang}.{ext}" for ext in ("html", "pdf")),
                f"{out_dir}/data/*.{lang}.*",  # each chart's and table's CSV and metadata
            ),
            deps=(rid, "datapackage"),
        ),
    ]


def _clean_tasks(srcs: dict, root: Path, manifest: str, executed: str) -> list[Task]:
    """verify → clean per source → combine: data/raw → data/processed.
    srcs: {source id: (its raw file, its translation's file or None)}."""
    from helpers import paths

    processed = rel(paths.PROCESSED, paths.ROOT)
    raw_dir = rel((root / manifest).parent, root)
    files = tuple(rel(file, root) for file, _ in srcs.values())
    files += tuple(rel(zh, root) for _, zh in srcs.values() if zh)
    tasks = [Task("verify", "call", "helpers.clean.sources:verify_all", inputs=(manifest, *files))]
    for sid, (file, _) in srcs.items():
        tid = f"clean-{sid}"
        tasks.append(
            Task(
                tid,
                "notebook",
                NB_CLEAN,
                {"source_id": sid},
                # The codebook and layout map are hand-written raw inputs too: any change
                # under data/raw must re-clean, or an edited codebook would leave stale data.
                inputs=(manifest, rel(file, root), f"{raw_dir}/**"),
                outputs=(f"{executed}/{tid}.ipynb", f"{processed}/sources/{sid}/**"),
                deps=("verify",),
            )
        )
    tables = tuple(f"{processed}/{name}.csv" for name in ("figures", "events", "citations"))
    tasks.append(
        Task(
            "combine",
            "call",
            "helpers.pipeline:combine",
            inputs=(manifest,),  # sources.json describes the manifest's sources
            outputs=(*tables, f"{processed}/sources.json"),
            deps=tuple(f"clean-{sid}" for sid in srcs),
        )
    )
    # The data package describes every CSV above, from the schemas and the data dictionary.
    tasks.append(
        Task(
            "datapackage",
            "call",
            "helpers.clean.datapackage:write",
            inputs=(DICTIONARY,),
            outputs=(f"{processed}/sources.csv", f"{processed}/datapackage.json"),
            deps=("combine",),
        )
    )
    return tasks


def combine(processed: Path | None = None, manifest: Path | None = None) -> dict[str, Path]:
    """The build's `combine` step: the public record's consistency rules (analyze) gate the
    union of the cleaned sources (clean). Clean writes each source's tables; a record that
    contradicts itself stops the build here, before the tables the reports read change."""
    from helpers import paths
    from helpers.analyze import consistency
    from helpers.clean import combine as union
    from helpers.clean import schema, sources

    processed = Path(processed or paths.PROCESSED)
    for source in sources.load_manifest(manifest).values():
        figures = processed / "sources" / source.id / "figures.csv"
        if source.kind == "citation_only" and figures.exists():
            consistency.gate(schema.read_csv(figures, schema.FIGURES), source.file)
    return union.combine(processed, manifest)


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
    from helpers.provenance import head_commit

    root = Path(root or paths.ROOT)
    reports = Path(reports_dir or root / rel(paths.REPORTS, paths.ROOT))
    state = Path(state_dir or root / rel(paths.BUILD, paths.ROOT))
    manifest = root / rel(paths.SOURCES_MANIFEST, paths.ROOT)
    executed = rel(state / "executed", root)
    srcs = sources.manifest_files(manifest, state / "manifest.json")
    tasks = _clean_tasks(srcs, root, rel(manifest, root), executed)
    langs = list(langs)
    processed = rel(root / rel(paths.PROCESSED, paths.ROOT), root)
    colophon = {"commit": head_commit(root), "manifest": rel(manifest, root),
                "sources": f"{processed}/sources.csv"}  # fmt: skip
    where = {"executed": executed, "colophon": colophon}
    for lang in langs:  # the ten-year reports first: the longest notebooks start early
        out_dir = rel(reports / "ten-year", root)
        tasks += _report_tasks(f"ten-year-{lang}", NB_TEN_YEAR, {"lang": lang}, "ten-year", None,
                               out_dir=out_dir, **where)  # fmt: skip
    for year in years:
        for lang in langs:
            out_dir = rel(reports / str(int(year)), root)
            tasks += _report_tasks(f"{year}-{lang}", NB_YEAR, {"year": int(year), "lang": lang},
                                   "year", int(year), out_dir=out_dir, **where)  # fmt: skip
    exports = tuple(t.id for t in tasks if t.kind == "export")
    index = tuple(rel(reports / name, root) for name in ("index.html", "index.en.html"))
    tasks.append(Task("index", "call", "helpers.publish.index:write_index", outputs=index,
                      deps=exports, after_failures=True))  # fmt: skip
    return tasks


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


# ---------------------------------------------------------------- entry points


def _where(root, reports_dir, state_dir) -> dict:
    from helpers import paths

    root = Path(root or paths.ROOT)
    state_dir = Path(state_dir or root / rel(paths.BUILD, paths.ROOT))
    return {"root": root, "reports_dir": reports_dir, "state_dir": state_dir}


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
    cell_timeout: float | None = None,
    notebook_timeout: float | None = None,
    notes: list[str] | None = None,
) -> BuildResult:
    """Plan and execute the whole pipeline (what `jjj-report build` calls).

    notes: a list that receives the lines about synced notebook pairs (else they go to
    stderr at once): the CLI prints them after a failure's line, which must come first."""
    from helpers.engine.runner import execute

    where = _where(root, reports_dir, state_dir)
    root, state_dir = where["root"], where["state_dir"]
    tasks = plan(years, langs, **where)
    notebooks = [t.notebook for t in tasks if t.kind == "notebook"]
    rerun = unmark(tasks, root)
    for line in sync_pairs(notebooks, root, state_dir):
        if notes is None:
            print(line, file=sys.stderr)
        else:
            notes.append(line)
    return execute(
        tasks,
        root=root,
        state_dir=state_dir,
        env=build_env(root),
        code=CODE,
        exporter=EXPORTER,
        jobs=jobs,
        force=force,
        scheduler=scheduler,
        progress=progress,
        wait=wait,  # execute takes the build lock
        cell_timeout=cell_timeout,
        notebook_timeout=notebook_timeout,
        rerun=rerun,
    )


def clean(*, root: Path | None = None, wait: bool = False) -> list[str]:
    """Remove generated data, reports and build state, holding the build lock (`make clean`):
    a running build is never pulled from under, and its lock file is never deleted (a second
    build would then lock a new file and run alongside). Returns what was removed."""
    import shutil

    from helpers import paths
    from helpers.engine.lock import build_lock

    where = _where(root, None, None)
    root, state_dir = where["root"], where["state_dir"]
    removed = []
    with build_lock(state_dir, wait=wait) as lock:
        keep = {lock, root / rel(paths.REPORTS, paths.ROOT) / ".gitkeep",
                root / rel(paths.PROCESSED, paths.ROOT) / ".gitkeep"}  # fmt: skip
        for folder in (
            state_dir,
            root / rel(paths.PROCESSED, paths.ROOT),
            root / rel(paths.REPORTS, paths.ROOT),
        ):
            for p in sorted(folder.iterdir()) if folder.is_dir() else ():
                if p in keep:
                    continue
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                else:
                    p.unlink()
                removed.append(rel(p, root))
    return removed


def decisions(years, langs, *, force=False, root=None, reports_dir=None, state_dir=None):
    """(lines about notebook pairs the build will sync, the engine's decision for each task):
    what `build` with the same arguments will run, and why."""
    from helpers.engine.explain import explain

    where = _where(root, reports_dir, state_dir)
    root, state_dir = where["root"], where["state_dir"]
    tasks = plan(years, langs, **where)
    notebooks = [t.notebook for t in tasks if t.kind == "notebook"]
    stale = out_of_sync(notebooks, root, state_dir)
    # A .py half newer than its notebook rewrites the notebook before any task runs.
    changing = {name: f"synced from the newer {newer.name}"
                for name, newer in stale.items() if newer.suffix == ".py"}  # fmt: skip
    decided = explain(tasks, root=root, state_dir=state_dir, code=CODE, exporter=EXPORTER,
                      force=force, changing=changing, rerun=unmark(tasks, root))  # fmt: skip
    return will_sync(stale), decided


def will_stop(decided, root: Path | None = None) -> str | None:
    """Why the build will stop before any report, if it will: the raw files `verify` would
    refuse (sha256, missing file, bad manifest) — checked now, as the build would, when the
    dry run says verify runs. None when it would pass or is up to date."""
    from helpers import paths
    from helpers.clean import sources
    from helpers.errors import JJJError

    root = Path(root or paths.ROOT)
    if not any(d.task.id == "verify" and d.action == "run" for d in decided):
        return None
    try:
        sources.verify_all(root / rel(paths.SOURCES_MANIFEST, paths.ROOT))
    except JJJError as e:
        return (f"the build will stop at verify, before any report: {e}"
                "; every task after it is blocked and its earlier outputs removed")  # fmt: skip
    return None


def dry_run(years, langs, **kw) -> str:
    """What `build` would do, task by task, and why (`jjj-report build --dry-run`); first and
    last, when the build will stop at a raw file, that it will and why."""
    from helpers.engine.explain import format_decisions

    pairs, decided = decisions(years, langs, **kw)
    stop = will_stop(decided, kw.get("root"))
    return "\n".join([*([stop] if stop else []), *pairs, format_decisions(decided),
                      *([stop] if stop else [])])  # fmt: skip


def graph(years, langs, *, root=None, reports_dir=None, state_dir=None) -> str:
    """The task graph as Graphviz DOT text (`jjj-report graph`)."""
    from helpers.engine.explain import to_dot

    return to_dot(plan(years, langs, **_where(root, reports_dir, state_dir)), name="jjj-report")
