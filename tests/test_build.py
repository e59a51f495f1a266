"""Build engine and the pipeline's plan: incremental skips, failures, lock, determinism, Dask —
on tiny notebooks."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import pipeline, provenance
from helpers.engine import lock, runner
from helpers.engine import tasks as engine_tasks
from helpers.engine.state import file_sha256
from helpers.engine.tasks import BuildResult, Task, TaskResult

FIX = Path(__file__).parent / "fixtures" / "build"
EXPORTER = "fake_export:export"  # tests/fixtures/build/fake_export.py, importable in workers
SYS_PATH = [str(FIX)]
ENV = {"SOURCE_DATE_EPOCH": str(provenance.FALLBACK_EPOCH)}
CODE = ("requirements.lock",)  # a change there rebuilds every task


def make_project(root: Path, years=(2014, 2015, 2016)) -> Path:
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(FIX / "ok.ipynb", root / "notebooks" / "year.ipynb")
    shutil.copy(FIX / "ok.ipynb", root / "notebooks" / "ten.ipynb")
    shutil.copy(FIX / "fail.ipynb", root / "notebooks" / "fail.ipynb")
    (root / "data").mkdir()
    for y in [*years, "ten"]:
        (root / "data" / f"{y}.txt").write_text(f"text of {y}\n", encoding="utf-8")
    (root / "requirements.lock").write_text("papermill==2.7.0\n")
    return root


def report_tasks(slug, notebook, params, year, inputs=()) -> list[Task]:
    rid, nb_out, lang = f"report-{slug}", f"build/executed/report-{slug}.ipynb", params["lang"]
    folder = "ten-year" if year is None else str(year)
    return [
        Task(rid, "notebook", notebook, params, inputs=inputs, outputs=(nb_out,)),
        Task(
            f"export-{slug}", "export", None,
            {"kind": "year" if year else "ten-year", "year": year, "lang": lang},
            inputs=(nb_out,),
            outputs=(f"reports/{folder}/report.{lang}.html", f"reports/{folder}/report.{lang}.pdf"),
            deps=(rid,),
        ),
    ]  # fmt: skip


def fixture_tasks(years=(2014, 2015, 2016), langs=("en",), notebook="notebooks/year.ipynb"):
    tasks = []
    for lang in langs:
        params = {"year": "ten", "lang": lang}
        tasks += report_tasks(f"ten-year-{lang}", "notebooks/ten.ipynb", params, None,
                              inputs=("data/ten.txt",))  # fmt: skip
    for y in years:
        for lang in langs:
            tasks += report_tasks(f"{y}-{lang}", notebook, {"year": y, "lang": lang}, y,
                                  inputs=(f"data/{y}.txt",))  # fmt: skip
    exports = tuple(t.id for t in tasks if t.kind == "export")
    tasks.append(Task("index", "call", "fake_export:write_index",
                      outputs=("reports/index.html",), deps=exports))  # fmt: skip
    return tasks


def run(root, tasks, **kw):
    kw.setdefault("jobs", 2)
    return runner.execute(tasks, root=root, exporter=EXPORTER, sys_path=SYS_PATH, env=ENV,
                          code=CODE, progress=False, **kw)  # fmt: skip


def dry(root, tasks, **kw):
    """What run(root, tasks) would do: the engine's dry run, with run()'s settings."""
    from helpers.engine.explain import explain

    return explain(tasks, root=root, exporter=EXPORTER, code=CODE, **kw)


def statuses(result):
    return {r.id: r.status for r in result.results}


def tree_hashes(root: Path, *folders) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): file_sha256(p)
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp")]


# ---------------------------------------------------------------- fast


def test_import_is_light():
    code = (
        "import sys, helpers.engine.runner, helpers.pipeline; "
        "heavy = ('papermill', 'nbconvert', 'nbclient', 'weasyprint', "
        "'pandas', 'dask', 'distributed', 'tqdm', 'jupyter_client'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plan_is_a_declared_dag():
    from helpers import paths
    from helpers.clean import sources

    tasks = pipeline.plan(range(2014, 2016), ["zh", "en"])
    ids = [t.id for t in tasks]
    by_id = {t.id: t for t in tasks}
    sids = list(sources.load_manifest())
    assert ids[0] == "verify" and ids[-1] == "index"
    assert [i for i in ids if i.startswith("clean-")] == [f"clean-{s}" for s in sids]
    assert by_id["combine"].deps == tuple(f"clean-{s}" for s in sids)
    assert by_id[f"clean-{sids[0]}"].parameters == {"source_id": sids[0]}
    assert by_id["report-ten-year-en"].notebook == pipeline.NB_TEN_YEAR
    assert by_id["report-2015-zh"].notebook == pipeline.NB_YEAR
    assert by_id["report-2015-zh"].parameters == {"year": 2015, "lang": "zh"}
    assert by_id["report-2015-zh"].deps == ("combine",)
    assert by_id["export-2015-zh"].outputs == (
        "reports/2015/report.zh.html",
        "reports/2015/report.zh.pdf",
        "reports/2015/data/*.zh.*",  # the downloads of its charts and tables
    )
    assert by_id["export-2015-zh"].deps == ("report-2015-zh", "datapackage")
    assert "data/processed/sources.csv" in by_id["export-2015-zh"].inputs
    assert by_id["datapackage"].outputs == (
        "data/processed/sources.csv",
        "data/processed/datapackage.json",
    )
    assert set(by_id["index"].deps) == {i for i in ids if i.startswith("export-")}
    assert len([t for t in tasks if t.kind == "notebook"]) == len(sids) + 2 + 2 * 2
    engine_tasks.check_dag(tasks)  # topological, no unknown deps
    # every path is relative: the state file and the plan are the same in any folder
    for t in tasks:
        assert not any(os.path.isabs(p) for p in (*t.inputs, *t.outputs))
    assert paths.ROOT.joinpath(tasks[0].inputs[0]).is_file()


def test_summary_table_and_ok():
    r = BuildResult(
        [
            TaskResult("report-2016-en", "notebook", "failed", 1.5, 2016, "en",
                             "ValueError: no data", "cell 3 `if year == fail_year:`",
                             "build/logs/report-2016-en.ipynb"),
            TaskResult("index", "call", "blocked", error="blocked by report-2016-en"),
            TaskResult("verify", "call", "skipped"),
        ],
        2.0,
    )  # fmt: skip
    table = r.summary_table()
    assert not r.ok
    assert "2016 en · cell 3 `if year == fail_year:` · ValueError: no data" in table
    assert "0 built, 1 skipped, 1 failed, 1 blocked" in table
    assert BuildResult([TaskResult("a", "call", "built")]).ok


def test_lock_refuses_a_second_build(tmp_path):
    with lock.build_lock(tmp_path / "build"):
        with pytest.raises(lock.BuildLocked) as e:
            runner.execute([], root=tmp_path, progress=False)
    msg = str(e.value)
    assert "\n" not in msg and ".lock" in msg and f"PID {os.getpid()}" in msg
    assert runner.execute([], root=tmp_path, progress=False).ok  # released


def test_the_build_lock_and_filelock_exclude_each_other(tmp_path, monkeypatch):
    """flock where the system has it, filelock elsewhere: a build holding either lock keeps
    out a build taking the other (a build of an older commit, or one on another system)."""
    from filelock import FileLock, Timeout

    other = FileLock(tmp_path / ".lock", is_singleton=False)
    with lock.build_lock(tmp_path):
        with pytest.raises(Timeout):
            other.acquire(timeout=0)
    other.acquire(timeout=0)
    try:
        with pytest.raises(lock.BuildLocked, match=r"\.lock is held by PID"):
            with lock.build_lock(tmp_path):
                pass
        monkeypatch.setattr(lock, "_flock", lambda path, wait: None)  # no flock here
        with pytest.raises(lock.BuildLocked, match=r"\.lock is held by PID"):
            with lock.build_lock(tmp_path):
                pass
    finally:
        other.release()
    with lock.build_lock(tmp_path):  # filelock's, free again
        with pytest.raises(Timeout):
            FileLock(tmp_path / ".lock", is_singleton=False).acquire(timeout=0)


def test_wait_takes_the_build_lock_once_it_is_released(tmp_path):
    import threading

    taken, release = threading.Event(), threading.Event()

    def hold():
        with lock.build_lock(tmp_path):
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(10)
    threading.Timer(0.2, release.set).start()
    t0 = time.monotonic()
    with lock.build_lock(tmp_path, wait=True) as path:
        assert time.monotonic() - t0 >= 0.15
        assert path.read_text() == f"{os.getpid()}\n"
    holder.join(10)


def test_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    not_a_checkout = pipeline.source_date_epoch(tmp_path)
    assert not_a_checkout == str(provenance.FALLBACK_EPOCH)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    env = pipeline.build_env(tmp_path)
    assert env["SOURCE_DATE_EPOCH"] == "1700000000" and env["PYTHONHASHSEED"] == "0"


# ---------------------------------------------------------------- run notebooks


@pytest.mark.slow
def test_incremental_skip_touch_and_force(tmp_path):
    root = make_project(tmp_path)
    tasks = fixture_tasks()
    first = run(root, tasks)
    assert first.ok, first.summary_table()
    assert set(statuses(first).values()) == {"built"}
    assert (root / "reports/2015/report.en.html").read_text().count("text of 2015") == 1

    second = run(root, tasks)
    assert set(statuses(second).values()) == {"skipped"}, second.summary_table()

    # one year's input: the dry run lists exactly what the build then runs, and why
    (root / "data/2015.txt").write_text("new text of 2015\n")
    decided = {d.task.id: d.reason for d in dry(root, tasks) if d.action == "run"}
    assert decided == {
        "report-2015-en": "input changed: data/2015.txt",
        "export-2015-en": "after report-2015-en (its output may change)",
        "index": "after export-2015-en (its output may change)",
    }
    third = statuses(run(root, tasks))
    assert {k for k, v in third.items() if v == "built"} == set(decided)
    assert {d.action for d in dry(root, tasks)} == {"skip"}

    # only the year notebook changes: the ten-year report stays
    nb = json.loads((root / "notebooks/year.ipynb").read_text())
    nb["cells"].append({"cell_type": "markdown", "id": "new", "metadata": {}, "source": "x"})
    (root / "notebooks/year.ipynb").write_text(json.dumps(nb))
    fourth = statuses(run(root, tasks))
    assert fourth["report-ten-year-en"] == "skipped" and fourth["export-ten-year-en"] == "skipped"
    assert all(fourth[f"report-{y}-en"] == "built" for y in (2014, 2015, 2016))

    # a deleted or edited output is rebuilt
    (root / "reports/2014/report.en.pdf").unlink()
    assert statuses(run(root, tasks))["export-2014-en"] == "built"

    # the lock file (code) changes: everything
    (root / "requirements.lock").write_text("papermill==2.7.1\n")
    assert set(statuses(run(root, tasks)).values()) == {"built"}

    forced = run(root, tasks, force=True)
    assert set(statuses(forced).values()) == {"built"}
    assert not temp_files(root)


@pytest.mark.slow
def test_exports_run_without_kernel_templates_once_every_notebook_has_started(tmp_path):
    # All notebooks are submitted before the first export: from then on a worker's kernel
    # template and the kernel it booted ahead only hold memory, so the worker ends them.
    from helpers.engine import forking

    if not forking.enabled():
        pytest.skip("kernels are forked on Linux only")
    root, probe = make_project(tmp_path), tmp_path / "probe.jsonl"
    result = runner.execute(fixture_tasks(), root=root, exporter=EXPORTER, sys_path=SYS_PATH,
                            env={**ENV, "FAKE_EXPORT_PROBE": str(probe)}, code=CODE,
                            progress=False, jobs=2)  # fmt: skip
    assert result.ok, result.summary_table()
    seen = [json.loads(line) for line in probe.read_text().splitlines()]
    assert len(seen) == 4  # the ten-year report and three years
    assert [(s["templates"], s["warm"]) for s in seen] == [(0, False)] * 4


@pytest.mark.slow
def test_failure_is_isolated_and_named(tmp_path):
    root = make_project(tmp_path)
    tasks = fixture_tasks(notebook="notebooks/fail.ipynb")  # raises for year 2016
    result = run(root, tasks)
    st = statuses(result)
    assert not result.ok
    assert st["report-2016-en"] == "failed"
    assert st["export-2016-en"] == "blocked" and st["index"] == "blocked"
    assert st["export-2014-en"] == st["export-2015-en"] == st["export-ten-year-en"] == "built", (
        result.summary_table()
    )
    failed = next(r for r in result.results if r.status == "failed")
    # the notebook as saved: a title, parameters, `total = …`, then the raising one
    # (papermill's injected cell, which the user never sees, is not counted)
    assert (failed.year, failed.lang, failed.cell) == (2016, "en", "cell 4 `if year == fail_year:`")
    assert failed.error == "ValueError: no data for 2016"
    table = result.summary_table()
    assert "2016 en · cell 4 `if year == fail_year:` · ValueError: no data for 2016" in table
    log = root / "build/logs/report-2016-en.ipynb"
    assert failed.log == "build/logs/report-2016-en.ipynb" and log.is_file()
    assert "ValueError" in log.read_text()
    assert not (root / "reports/2016").exists()
    assert not temp_files(root)
    # the failure is not recorded as done: the next build retries it, and only it
    again = statuses(run(root, tasks))
    assert again["report-2016-en"] == "failed" and again["report-2015-en"] == "skipped"


def test_a_failed_report_leaves_no_old_copy_for_the_index(tmp_path):
    """One report's notebook now fails, nothing else changed: its earlier executed notebook
    and HTML are removed as the failure is recorded, and the index (run after failures) runs
    again, though every other export is skipped, and no longer lists it. A link at an output
    is left alone (a write would refuse it, naming it)."""
    root = make_project(tmp_path)
    tasks = fixture_tasks()
    tasks[-1] = tasks[-1]._replace(after_failures=True)
    assert run(root, tasks).ok
    old = ["build/executed/report-2016-en.ipynb", "reports/2016/report.en.html"]
    assert all((root / p).is_file() for p in old)
    assert "reports/2016/report.en.html" in (root / "reports/index.html").read_text()
    # fail.ipynb raises for 2016; the other reports are untouched
    tasks = [t._replace(notebook="notebooks/fail.ipynb") if t.id == "report-2016-en" else t
             for t in tasks]  # fmt: skip
    pdf = root / "reports/2016/report.en.pdf"
    pdf.unlink()
    pdf.symlink_to(root / "outside.pdf")
    (root / "outside.pdf").write_text("not ours\n")
    result = run(root, tasks)
    st = statuses(result)
    assert st["report-2016-en"] == "failed" and st["export-2016-en"] == "blocked"
    assert st["export-2015-en"] == "skipped" and st["index"] == "built", result.summary_table()
    assert not [p for p in old if (root / p).exists()]
    assert result.removed == tuple(old)  # and said, under the table
    assert ("removed 2 earlier output(s) of the failed or blocked tasks, no longer current: "
            f"{old[0]}, {old[1]}") in result.summary_table()  # fmt: skip
    index = (root / "reports/index.html").read_text()
    assert "reports/2016" not in index and "reports/2015/report.en.html" in index
    assert pdf.is_symlink() and (root / "outside.pdf").read_text() == "not ours\n"


@pytest.mark.slow
def test_two_folders_give_identical_bytes(tmp_path):
    hashes = []
    for name, jobs, warm in (("a", 2, True), ("b", 1, False)):
        root = make_project(tmp_path / name)
        result = run(root, fixture_tasks(langs=("zh", "en")), jobs=jobs, warm_kernels=warm)
        assert result.ok, result.summary_table()
        hashes.append(tree_hashes(root, "reports", "build/executed"))
    assert hashes[0] == hashes[1]
    assert len(hashes[0]) == 2 * 4 * 2 + 1 + 2 * 4
    text = (tmp_path / "a/build/executed/report-2014-en.ipynb").read_text()
    assert str(tmp_path) not in text and "start_time" not in text


@pytest.mark.slow
def test_dask_local_cluster_equals_local_pool(tmp_path):
    distributed = pytest.importorskip("distributed")

    local = make_project(tmp_path / "local")
    assert run(local, fixture_tasks()).ok
    remote = make_project(tmp_path / "dask")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run(remote, fixture_tasks(), scheduler=cluster.scheduler_address)
    assert result.ok, result.summary_table()
    assert tree_hashes(local, "reports", "build/executed") == tree_hashes(
        remote, "reports", "build/executed"
    )


SIGINT_SCRIPT = """
import sys
sys.path[:0] = {sys_path!r}
from test_build import fixture_tasks, run
from pathlib import Path

if __name__ == "__main__":
    try:
        run(Path({root!r}), fixture_tasks())
    except KeyboardInterrupt:
        sys.exit(130)
"""


@pytest.mark.slow
def test_sigint_leaves_no_partial_files(tmp_path):
    root = make_project(tmp_path / "p")
    script = tmp_path / "interrupted_build.py"
    sys_path = [str(Path(__file__).parent), *SYS_PATH]
    script.write_text(textwrap.dedent(SIGINT_SCRIPT.format(sys_path=sys_path, root=str(root))))
    env = {**os.environ, "FAKE_EXPORT_DELAY": "30"}
    proc = subprocess.Popen([sys.executable, str(script)], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not list((root / "reports").rglob(".report.*.tmp")):  # an export is mid-write
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C: the whole process group
        assert proc.wait(timeout=60) == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert not temp_files(root)
    assert not list((root / "reports").rglob("*.html"))
    with lock.build_lock(root / "build"):  # released
        pass


def test_clean_steps_depend_on_the_hand_written_raw_files_too():
    # Editing data/raw/figures.yml or a layout map must re-clean, not leave stale data.
    tasks = {t.id: t for t in pipeline.plan([2018], ["en"])}
    clean = [t for tid, t in tasks.items() if tid.startswith("clean-")]
    assert clean and all("data/raw/**" in t.inputs for t in clean)


# ---------------------------------------------------------------- graph, dry run, progress


def test_check_dag_takes_any_order_and_names_bad_graphs():
    tasks = fixture_tasks()
    assert engine_tasks.check_dag(list(reversed(tasks))) == engine_tasks.check_dag(tasks)
    with pytest.raises(engine_tasks.EngineError, match="dependency nope is not a task"):
        engine_tasks.check_dag([Task("a", "call", "m:f", deps=("nope",))])
    with pytest.raises(engine_tasks.EngineError, match="cycle"):
        engine_tasks.check_dag([Task("a", "call", "m:f", deps=("b",)),
                                Task("b", "call", "m:f", deps=("a",))])  # fmt: skip
    with pytest.raises(engine_tasks.EngineError, match="duplicate task ids: \\['a'\\]"):
        engine_tasks.check_dag([Task("a", "call", "m:f"), Task("a", "call", "m:f")])


def test_graph_is_dot_that_pydot_reads():
    import pydot

    tasks = pipeline.plan([2018, 2019], ["zh", "en"])
    (g,) = pydot.graph_from_dot_data(pipeline.graph([2018, 2019], ["zh", "en"]))
    nodes = {n.get_name().strip('"') for n in g.get_nodes()} - {"node"}
    assert nodes == {t.id for t in tasks}
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in g.get_edges()}
    assert edges == {(d, t.id) for t in tasks for d in t.deps}
    assert ("combine", "report-2019-en") in edges and ("export-2018-zh", "index") in edges


def test_cli_graph_prints_dot(capsys):
    from helpers import cli

    assert cli.main(["graph", "--years", "2019", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith('digraph "jjj-report" {') and '"report-2019-en" -> "export-2019-en";' in out
    )


CALLS = """
from pathlib import Path

def a():
    Path("out").mkdir(exist_ok=True)
    Path("out/a.txt").write_text(Path("data/a.txt").read_text().upper())

def b():
    Path("out/b.txt").write_text(Path("out/a.txt").read_text() + "!")
"""


@pytest.fixture
def forked_workers(monkeypatch):
    """Pool workers forked from this process (no fork server), papermill already imported
    here: each worker's initializer imports it, ~1-2 s per fresh worker, twice per build."""
    import papermill.engines  # noqa: F401

    monkeypatch.setenv("JJJ_MP_METHOD", "fork")


def test_dry_run_says_what_would_run_and_why(tmp_path, forked_workers):
    from helpers.engine.explain import explain, format_decisions

    (tmp_path / "data").mkdir()
    (tmp_path / "data/a.txt").write_text("one")
    (tmp_path / "calls.py").write_text(CALLS)
    a = Task("a", "call", "calls:a", inputs=("data/a.txt",), outputs=("out/a.txt",))
    tasks = [Task("b", "call", "calls:b", outputs=("out/b.txt",), deps=("a",)), a]  # any order

    def plan():
        return {d.task.id: (d.action, d.reason) for d in explain(tasks, root=tmp_path)}

    assert plan() == {"a": ("run", "not built before (or its last run failed)"),
                      "b": ("run", "not built before (or its last run failed)")}  # fmt: skip
    result = runner.execute(tasks, root=tmp_path, sys_path=[str(tmp_path)], progress=False)
    assert result.ok and (tmp_path / "out/b.txt").read_text() == "ONE!", result.summary_table()
    assert plan() == {"a": ("skip", "up to date"), "b": ("skip", "up to date")}

    (tmp_path / "data/a.txt").write_text("One")  # a's output will not change: b runs anyway
    assert plan() == {"a": ("run", "input changed: data/a.txt"),
                      "b": ("run", "after a (its output may change)")}  # fmt: skip
    result = runner.execute(tasks, root=tmp_path, sys_path=[str(tmp_path)], progress=False)
    assert {r.id: r.status for r in result.results} == {"a": "built", "b": "built"}
    assert (tmp_path / "out/b.txt").read_text() == "ONE!"

    (tmp_path / "out/b.txt").write_text("edited by hand")
    assert plan() == {"a": ("skip", "up to date"),
                      "b": ("run", "output missing or edited: out/b.txt")}  # fmt: skip
    assert explain(tasks, root=tmp_path, force=True)[0].reason == "--force"
    will = explain(tasks, root=tmp_path, changing={"data/a.txt": "rewritten first"})
    assert [(d.action, d.reason) for d in will] == [
        ("run", "output missing or edited: out/b.txt"),
        ("run", "data/a.txt changes before the build: rewritten first"),
    ]
    text = format_decisions(explain(tasks, root=tmp_path))
    assert text.splitlines()[0].split() == ["run", "b", "output", "missing", "or", "edited:",
                                            "out/b.txt"]  # fmt: skip
    assert text.splitlines()[2].split() == ["skip", "a", "up", "to", "date"]
    assert "reads data/a.txt" in text and "reads after a" in text
    assert text.endswith("2 tasks: 1 would run, 1 up to date")


def test_a_dependency_without_outputs_does_not_make_its_dependents_run(tmp_path, forked_workers):
    """A gate (a check with no outputs) that runs changes nothing its dependents read."""
    from helpers.engine.explain import explain

    (tmp_path / "data").mkdir()
    (tmp_path / "data/a.txt").write_text("one")
    (tmp_path / "data/gate.txt").write_text("1")
    (tmp_path / "calls.py").write_text(CALLS + "\ndef gate():\n    pass\n")
    tasks = [Task("gate", "call", "calls:gate", inputs=("data/gate.txt",)),
             Task("a", "call", "calls:a", inputs=("data/a.txt",), outputs=("out/a.txt",),
                  deps=("gate",))]  # fmt: skip

    def build():
        result = runner.execute(tasks, root=tmp_path, sys_path=[str(tmp_path)], progress=False)
        return {r.id for r in result.results if r.status == "built"}

    assert build() == {"gate", "a"}
    (tmp_path / "data/gate.txt").write_text("2")
    decided = {d.task.id: (d.action, d.reason) for d in explain(tasks, root=tmp_path)}
    assert decided == {"gate": ("run", "input changed: data/gate.txt"), "a": ("skip", "up to date")}
    assert build() == {"gate"}


def _memo_hasher(path, monkeypatch, settled_ns=0):
    from helpers.engine import state

    monkeypatch.setattr(state.Hasher, "SETTLED_NS", settled_ns)
    return state.Hasher(path)


def _no_reading(monkeypatch):
    from helpers.engine import state

    def refuse(path):
        raise AssertionError(f"{path} read: the memo should have answered")

    monkeypatch.setattr(state, "file_sha256", refuse)


def test_hash_memo_answers_for_unchanged_files_only(tmp_path, monkeypatch):
    memo, f = tmp_path / "build/hashes.json", tmp_path / "a.txt"
    f.write_text("one")
    first = _memo_hasher(memo, monkeypatch)
    sha = first.file(f)
    first.save()
    time.sleep(0.05)  # past the file system's timestamp step
    stat = f.stat()
    f.write_text("two")  # same size, and the old mtime put back: only ctime tells
    os.utime(f, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _memo_hasher(memo, monkeypatch).file(f) == file_sha256(f) != sha
    g = tmp_path / "b.txt"
    g.write_text("three")
    second = _memo_hasher(memo, monkeypatch)
    second.file(g)
    second.save()
    _no_reading(monkeypatch)
    assert _memo_hasher(memo, monkeypatch).file(g) == hashlib.sha256(b"three").hexdigest()


def test_hash_memo_leaves_out_files_hashed_as_they_changed(tmp_path, monkeypatch):
    memo, f = tmp_path / "hashes.json", tmp_path / "a.txt"
    f.write_text("one")
    hasher = _memo_hasher(memo, monkeypatch, settled_ns=10**12)  # never settled
    hasher.file(f)
    hasher.save()
    assert not memo.exists() or str(f) not in memo.read_text()
    # changed just before its hash, settled by the end of the build: hashed again, kept
    hasher = _memo_hasher(memo, monkeypatch, settled_ns=200_000_000)
    hasher.file(f)
    time.sleep(0.3)
    hasher.save()
    assert json.loads(memo.read_text())["files"][str(f)][4] == file_sha256(f)


@pytest.mark.parametrize("tamper", ["sha", "garbage", "version", "fifo"])
def test_a_tampered_hash_memo_is_ignored(tmp_path, monkeypatch, tamper):
    memo, f = tmp_path / "hashes.json", tmp_path / "a.txt"
    f.write_text("one")
    hasher = _memo_hasher(memo, monkeypatch)
    hasher.file(f)
    hasher.save()
    doc = json.loads(memo.read_text())
    if tamper == "sha":  # the checksum no longer matches
        doc["files"][str(f)][4] = "0" * 64
    elif tamper == "version":
        doc["version"] = 0
    memo.unlink()
    if tamper == "fifo":  # nobody writes: reading it must not wait
        os.mkfifo(memo)
    else:
        memo.write_text("{not json" if tamper == "garbage" else json.dumps(doc))
    assert _memo_hasher(memo, monkeypatch).file(f) == file_sha256(f)


def test_a_no_op_build_reads_no_file_it_hashed_before(tmp_path, monkeypatch):
    """With the hash memo, an up-to-date build only stats its files; an output edited in
    place (same size, mtime put back) is still rebuilt: its ctime changed."""
    from helpers.engine import state

    monkeypatch.setenv("JJJ_MP_METHOD", "fork")
    monkeypatch.setattr(state.Hasher, "SETTLED_NS", 0)
    (tmp_path / "data").mkdir()
    (tmp_path / "data/a.txt").write_text("one")
    (tmp_path / "calls.py").write_text(CALLS)
    tasks = [Task("a", "call", "calls:a", inputs=("data/a.txt",), outputs=("out/a.txt",)),
             Task("b", "call", "calls:b", outputs=("out/b.txt",), deps=("a",))]  # fmt: skip

    def build():
        result = runner.execute(tasks, root=tmp_path, sys_path=[str(tmp_path)], progress=False)
        return {r.id for r in result.results if r.status == "built"}

    assert build() == {"a", "b"}
    with monkeypatch.context() as m:
        _no_reading(m)
        assert build() == set()
    time.sleep(0.05)
    out, stat = tmp_path / "out/b.txt", (tmp_path / "out/b.txt").stat()
    out.write_text("ONE?")
    os.utime(out, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build() == {"b"} and out.read_text() == "ONE!"


def test_progress_prints_a_line_per_task_when_not_a_terminal():
    import io

    from helpers.engine.progress import Progress

    out = io.StringIO()
    p = Progress(3, out=out, err=io.StringIO())
    p.update("report-2019-en", "built", 1.74)
    p.update("verify", "skipped")
    p.update("index", "blocked")
    p.close()
    assert out.getvalue().splitlines() == [
        "[1/3] report-2019-en built 1.7 s", "[2/3] verify skipped", "[3/3] index blocked"
    ]  # fmt: skip
    quiet = io.StringIO()
    Progress(1, enabled=False, out=quiet).update("a", "built")
    assert quiet.getvalue() == ""


def test_scheduler_without_dask_is_one_line(monkeypatch, capsys):
    import importlib.util

    from helpers import cli

    real = importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "distributed" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert cli.main(["build", "--years", "2019", "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "jjj-report build: --scheduler tcp://127.0.0.1:8786: needs Dask, "
        "pip install 'jjj-report[dask]'\n"
    )


def test_notebooks_run_on_kernels_over_ipc_not_tcp(tmp_path):
    # TCP kernels warn "Kernel is running over TCP without encryption" into every log.
    from helpers.engine import kernels

    km = kernels._start_kernel(str(tmp_path), {}, kernels.KERNEL_NAME)
    try:
        assert km.transport == "ipc" and km.is_alive()
    finally:
        km.shutdown_kernel(now=True)


def test_no_private_attributes_of_the_standard_library():
    src = Path(__file__).parents[1] / "src" / "helpers" / "engine"
    text = "\n".join(p.read_text() for p in src.glob("*.py"))
    assert "._processes" not in text
