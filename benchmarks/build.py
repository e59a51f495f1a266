"""Benchmark the build: stage profile, naive CLI loop vs `jjj-report build`, no-op, memory.

    .venv/bin/python benchmarks/build.py            # all years, both languages (make benchmark)
    .venv/bin/python benchmarks/build.py --quick    # two years
    .venv/bin/python benchmarks/build.py --no-profile   # skip the stage profile
    .venv/bin/python benchmarks/build.py --engine   # engine only, on the test fixtures:
                                                    # warm vs cold kernels, pool vs Dask

Runs in a temporary copy of the working tree (no .git/.venv/build/reports/processed data),
so it never touches the checkout's build state. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SKIP = {".git", ".venv", "build", "reports", "__pycache__", ".pytest_cache", ".ruff_cache"}
TARGETS = {"ratio": 6.0, "noop_s": 0.2, "peak_mb": 1024, "cpu_share": 2 / 3}


# ---------------------------------------------------------------- helpers


def copy_repo(dest: Path) -> Path:
    def ignore(folder, names):
        rel = Path(folder).relative_to(REPO).as_posix()
        skipped = {n for n in names if n in SKIP}
        if rel == "data":
            skipped.add("processed")  # outputs: a cold build recreates them
        return skipped

    shutil.copytree(REPO, dest, ignore=ignore)
    (dest / "data" / "processed").mkdir(exist_ok=True)
    return dest


def archive_commit(commit: str, dest: Path) -> Path:
    """The tree of `commit` (git archive: no .git, no build state), data/processed empty."""
    dest.mkdir(parents=True)
    tar = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit],
                         check=True, capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(dest)], input=tar, check=True)
    (dest / "data" / "processed").mkdir(parents=True, exist_ok=True)
    (dest / "reports").mkdir(exist_ok=True)
    return dest


def output_digests(root: Path) -> dict[str, str]:
    """sha256 of every file a build publishes (reports/, data/processed/), by relative path."""
    out = {}
    for folder in ("reports", "data/processed"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.name != ".gitkeep":
                out[path.relative_to(root).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return out


def env_for(root: Path) -> dict[str, str]:
    # In a subprocess: helpers imported here would keep the checkout's paths (paths.BUILD…),
    # and the stage profile, run in this process on the copy, would write into the checkout.
    epoch = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from helpers.pipeline import source_date_epoch as e; print(e(Path(sys.argv[1])))",
         str(REPO)],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")}, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    return {
        **os.environ,
        "JJJ_ROOT": str(root),
        "PYTHONPATH": str(root / "src"),
        # the copy has no .git: take the checkout's commit time so both builds agree
        "SOURCE_DATE_EPOCH": epoch,
        "PYTHONHASHSEED": "0",
    }


class PeakRSS:
    """Samples a process and all its descendants (kernels included): the peak of their summed
    RSS, the peak of their summed PSS (a page shared by forked processes counts once, split
    between them; RSS counts it in each) and the CPU time they used."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every, self.peak, self.peak_pss = pid, every, 0, 0
        self.cpu: dict[int, float] = {}  # pid → last utime + stime seen, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._tick = os.sysconf("SC_CLK_TCK")

    def _tree(self) -> set[int]:
        parent: dict[int, int] = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    stat = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
                    parent[int(d)] = int(stat[1])
                    if int(d) in self.cpu or parent[int(d)] in self.cpu or int(d) == self.pid:
                        self.cpu[int(d)] = (int(stat[11]) + int(stat[12])) / self._tick
                except (OSError, ValueError, IndexError):
                    pass
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            p = frontier.pop()
            kids = [c for c, pp in parent.items() if pp == p and c not in tree]
            tree.update(kids)
            frontier.extend(kids)
        return tree

    def _sample(self) -> tuple[int, int]:
        rss = pss = 0
        for p in self._tree():
            try:
                rss += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * self._page
                rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
                pss += int(rollup.split("\nPss:", 1)[1].split()[0]) * 1024
            except (OSError, ValueError, IndexError):
                pass
        return rss, pss

    def _run(self):
        while not self._stop.is_set():
            rss, pss = self._sample()
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            self._stop.wait(self.every)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def timed(cmd: list[str], *, env, cwd, sample=False) -> tuple[float, PeakRSS | None]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    if sample:
        with PeakRSS(proc.pid) as rss:
            rc = proc.wait()
    else:
        rc, rss = proc.wait(), None
    if rc:
        raise SystemExit(f"benchmark: {' '.join(map(str, cmd[:4]))}… exited with {rc}")
    return time.perf_counter() - t0, rss


def children_cpu() -> float:
    """CPU seconds of this process's waited-for children (and theirs), so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- full benchmark


def naive_build(root: Path, years, langs, env) -> float:
    """The baseline: one CLI process per step, sequential, no reuse of anything."""
    out = root / "naive"
    out.mkdir()
    py = str(VENV_BIN / "python")
    pm, jup = str(VENV_BIN / "papermill"), str(VENV_BIN / "jupyter")
    nbs = root / "notebooks"
    t0 = time.perf_counter()

    def run(*cmd):
        subprocess.run(cmd, env=env, cwd=nbs, check=True, capture_output=True)

    sys.path.insert(0, str(root / "src"))
    import yaml

    manifest = yaml.safe_load((root / "data/raw/sources.yml").read_text(encoding="utf-8"))
    run(py, "-c", "from helpers.clean.sources import verify_all; verify_all()")
    for entry in manifest["sources"]:
        sid = entry["id"]
        run(pm, "01_clean_source_figures.ipynb", str(out / f"clean-{sid}.ipynb"),
            "-p", "source_id", sid, "--cwd", str(nbs), "--no-progress-bar")  # fmt: skip
    run(py, "-c", "from helpers.pipeline import combine; combine()")  # as the build's step
    reports = [("02_ten_year_outcomes.ipynb", f"ten-{x}", ["-p", "lang", x]) for x in langs]
    reports += [
        ("03_year_report.ipynb", f"{y}-{lang}", ["-p", "year", str(y), "-p", "lang", lang])
        for y in years
        for lang in langs
    ]
    for nb, slug, params in reports:
        executed = out / f"{slug}.ipynb"
        run(pm, nb, str(executed), *params, "--cwd", str(nbs), "--no-progress-bar")
        run(jup, "nbconvert", "--to", "html", "--no-input", str(executed), "--output-dir", str(out))
        html = out / f"{slug}.html"
        run(py, "-c", f"import weasyprint; weasyprint.HTML({str(html)!r}).write_pdf("
            f"{str(out / (slug + '.pdf'))!r})")  # fmt: skip
    run(py, "-c", f"from helpers.publish.index import write_index; write_index({str(out)!r})")
    return time.perf_counter() - t0


def load() -> str:
    """The machine's load while measuring: absolute times mean little on a busy machine."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min), {os.cpu_count()} cores"


def profile(root: Path, years, langs, env) -> None:
    import stages

    print(
        "\nwhere a cold build's time goes: every report's path run one after another in "
        "this process (the build runs them in parallel, on fresh kernels too):",
        flush=True,
    )
    total, n = stages.profile(root, years, langs, env, root / "build" / "profile")
    print("\n".join(stages.table(total, n)))
    print(f"({load()})", flush=True)


def cold_cpu(root: Path, cli: list[str], env) -> tuple[float, PeakRSS]:
    """A cold `--force` build in `root` (no build state), sampled: wall seconds and sampler."""
    shutil.rmtree(root / "build", ignore_errors=True)  # no build state or hash memo
    return timed([*cli, "--force"], env=env | {"JJJ_ROOT": str(root),
                                                "PYTHONPATH": str(root / "src")},
                 cwd=root, sample=True)  # fmt: skip


def baseline(commit: str, root: Path, cli, env, n: int, wall: float, cpu: float) -> float:
    """(f): the same cold build of `commit`'s tree, sampled, printed beside this tree's
    (`wall`, `cpu`). Returns its CPU seconds."""
    base = archive_commit(commit, root.parent / "baseline")
    b_wall, b_rss = cold_cpu(base, cli, env)
    b_cpu = b_rss.cpu_seconds
    print(f"(f) the same cold build at {commit} (git archive, this .venv), sampled: "
          f"{b_wall:.1f} s, {b_cpu:.0f} s CPU   ({load()})", flush=True)  # fmt: skip
    print(
        "\n| build, cold, all reports | wall s | CPU s | CPU-s per report |\n|---|---:|---:|---:|"
    )
    for name, w, c in ((commit, b_wall, b_cpu), ("this tree", wall, cpu)):
        print(f"| {name} | {w:.1f} | {c:.0f} | {c / n:.2f} |")
    print(f"this tree / {commit}: {cpu / b_cpu:.2f} of the CPU-s per report, "
          f"{wall / b_wall:.2f} of the wall   ({load()})", flush=True)  # fmt: skip
    return b_cpu


def measure(root: Path, cli: list[str], years, langs, env, args) -> dict:
    """(a)-(e), printed as they come; returns the figures the targets are checked on."""
    n = len(langs) * (len(years) + 1)  # the year reports and the ten-year reports
    got: dict = {"reports": n}
    if not args.no_naive:
        cpu0 = children_cpu()
        naive = naive_build(root, years, langs, env)
        got["naive_cpu"] = children_cpu() - cpu0
        print(f"(a) naive CLI loop, cold:        {naive:7.1f} s   ({got['naive_cpu']:.0f} s CPU, "
              f"{got['naive_cpu'] / n:.2f} CPU-s per report)   ({load()})", flush=True)  # fmt: skip
    # Timed unobserved: the /proc sampler behind (d) costs ~35-39 s of CPU per build (about
    # a third of a core, on a 2-core machine), which slowed the sampled build by 10-30 %.
    ours, _ = timed([*cli, "--force"], env=env, cwd=root)
    print(f"(b) jjj-report build --force:    {ours:7.1f} s   ({load()})", flush=True)
    if not args.no_naive:
        got["ratio"] = naive / ours
        print(f"    naive/ours = {got['ratio']:.2f}× wall ((a)/(b))", flush=True)
    # One sample is noise at this scale; the first, right after (b), also hashes again the
    # outputs (b) wrote in its last 3 s (engine.state.Hasher remembers settled files only).
    noops = [timed(cli, env=env, cwd=root)[0] for _ in range(5)]
    got["noop"] = statistics.median(noops)
    print(f"(c) jjj-report build (no-op):    {got['noop']:7.2f} s wall, median of 5, process "
          f"start included ({', '.join(f'{t:.2f}' for t in noops)})")  # fmt: skip
    # (d) in a second copy at another path: the CPU per report, and the same bytes as (b).
    second = copy_repo(root.parent / "second copy")
    sampled, rss = cold_cpu(second, cli, env)
    got["cpu"], got["peak"] = rss.cpu_seconds, rss.peak
    print(
        f"(d) a cold build in a second copy, sampled 20/s: {sampled:.1f} s, "
        f"{rss.cpu_seconds:.0f} s CPU = {rss.cpu_seconds / n:.2f} CPU-s per report "
        f"(build, workers, kernels; the sampler's own CPU not included)   ({load()})"
    )
    print(f"    peak RSS, build + children:  {rss.peak / 2**20:7.0f} MB (summed)")
    print(f"    peak PSS, build + children:  {rss.peak_pss / 2**20:7.0f} MB (pages shared by "
          f"forked kernels counted once)")  # fmt: skip
    if "naive_cpu" in got:
        print(f"    naive/ours = {got['naive_cpu'] / rss.cpu_seconds:.1f}× CPU ((a)/(d))")
    first, again = output_digests(root), output_digests(second)
    differ = sorted(p for p in first.keys() | again.keys() if first.get(p) != again.get(p))
    got["identical"] = not differ and bool(first)
    print(f"(e) outputs of (b) and (d), two copies: {len(first)} files, "
          + ("byte-identical" if got["identical"] else f"{len(differ)} DIFFER: {differ[:5]}"),
          flush=True)  # fmt: skip
    if args.baseline:
        got["base_cpu"] = baseline(args.baseline, root, cli, env, n, sampled, rss.cpu_seconds)
    return got


def full(args) -> None:
    years = range(2014, 2016) if args.quick else range(2014, 2026)
    langs = ["zh", "en"]
    missing = [
        p
        for p in (
            "notebooks/01_clean_source_figures.ipynb",
            "notebooks/02_ten_year_outcomes.ipynb",
            "notebooks/03_year_report.ipynb",
            "src/helpers/publish/render.py",
            "src/helpers/cli.py",
            "src/helpers/publish/index.py",
        )  # fmt: skip
        if not (REPO / p).exists()
    ]
    if missing:
        raise SystemExit(f"benchmark: pipeline not complete yet, missing {', '.join(missing)}")
    span = f"{years.start}-{years.stop - 1}"
    with tempfile.TemporaryDirectory(prefix="jjj-bench-") as tmp:
        root = copy_repo(Path(tmp) / "repo")
        env = env_for(root)
        cli = [str(VENV_BIN / "jjj-report"), "build", "--years", span, "--lang", ",".join(langs),
               "--no-progress"]  # fmt: skip
        if args.jobs:
            cli += ["--jobs", str(args.jobs)]
        print(f"repo copy: {root}  years {span}  langs {','.join(langs)}", flush=True)
        print(f"machine: {load()}", flush=True)
        if args.profile_only:
            timed([*cli, "--force"], env=env, cwd=root)  # data/processed for the notebooks
            return profile(root, years, langs, env)
        got = measure(root, cli, years, langs, env, args)
        if not args.no_profile:
            profile(root, years, langs, env)
        verdict = [
            ("no-op ≤ {:g} s".format(TARGETS["noop_s"]), got["noop"] <= TARGETS["noop_s"]),
            ("peak ≤ 1 GB", got["peak"] / 2**20 <= TARGETS["peak_mb"]),
            ("outputs byte-identical in two copies", got["identical"]),
        ]
        if "ratio" in got:
            ratio_ok = got["ratio"] >= TARGETS["ratio"]
            verdict.insert(0, (f"naive/ours ≥ {TARGETS['ratio']:g}", ratio_ok))
        if "base_cpu" in got:
            verdict.append((f"CPU-s per report ≤ {TARGETS['cpu_share']:.2f} of {args.baseline}'s",
                            got["cpu"] <= TARGETS["cpu_share"] * got["base_cpu"]))  # fmt: skip
        print(f"summary: {got['cpu'] / got['reports']:.2f} CPU-s per report (build)"
              + (f", {got['naive_cpu'] / got['reports']:.2f} (naive loop), "
                 f"{got['ratio']:.2f}× wall" if "ratio" in got else "")
              + f"   ({load()})")  # fmt: skip
        print("targets: " + ", ".join(f"{n} {'ok' if ok else 'MISSED'}" for n, ok in verdict))


# ---------------------------------------------------------------- engine-only benchmark


def engine(args) -> None:
    """Warm vs cold kernels and local pool vs Dask, on the test fixtures (fake exporter)."""
    sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]
    from test_build import CODE, ENV, SYS_PATH, fixture_tasks, make_project

    from helpers.engine import runner

    years = tuple(range(2014, 2025))
    tasks = fixture_tasks(years=years, langs=("zh",))
    n_nb = sum(t.kind == "notebook" for t in tasks)

    def once(tmp: Path, name: str, **kw) -> float:
        root = make_project(tmp / name, years=years)
        t0 = time.perf_counter()
        result = runner.execute(tasks, root=root, exporter="fake_export:export", env=ENV,
                                code=CODE, sys_path=SYS_PATH, progress=False, **kw)  # fmt: skip
        assert result.ok, result.summary_table()
        return time.perf_counter() - t0

    timings: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="jjj-engine-") as tmp:
        tmp = Path(tmp)
        variants = {
            "pool, jobs=1, cold kernels": dict(jobs=1, warm_kernels=False),
            "pool, jobs=1, warm kernels": dict(jobs=1, warm_kernels=True),
            f"pool, jobs={args.jobs or 2}, cold kernels": dict(jobs=args.jobs or 2,
                                                               warm_kernels=False),
            f"pool, jobs={args.jobs or 2}, warm kernels": dict(jobs=args.jobs or 2,
                                                               warm_kernels=True),
        }  # fmt: skip
        for rep in range(args.repeat):  # interleaved, so background load hits all alike
            for i, (name, kw) in enumerate(variants.items()):
                timings.setdefault(name, []).append(once(tmp, f"r{rep}-v{i}", **kw))
        from distributed import LocalCluster

        t0 = time.perf_counter()
        with LocalCluster(n_workers=args.jobs or 2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:  # fmt: skip
            startup = time.perf_counter() - t0
            for rep in range(args.repeat):
                t = once(tmp, f"dask-{rep}", scheduler=cluster.scheduler_address)
                timings.setdefault("dask LocalCluster, warm kernels", []).append(t)
    print(f"{n_nb} notebooks + {len(tasks) - n_nb} export/index tasks, {args.repeat} runs each")
    for name, ts in timings.items():
        runs = " ".join(f"{t:.2f}" for t in ts)
        print(f"  {name:<34} best {min(ts):6.2f} s   median {sorted(ts)[len(ts) // 2]:6.2f} s"
              f"   runs {runs}")  # fmt: skip
    print(f"  (Dask LocalCluster start-up, not included above: {startup:.2f} s)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="two years instead of all")
    p.add_argument("--engine", action="store_true", help="engine only, on the test fixtures")
    p.add_argument("--no-profile", action="store_true", help="skip the stage profile")
    p.add_argument(
        "--profile-only",
        action="store_true",
        help="only the stage profile (runs the build once to make data/processed)",
    )
    p.add_argument("--no-naive", action="store_true", help="skip the naive loop (a) and the ratio")
    p.add_argument(
        "--baseline",
        metavar="COMMIT",
        help="also build COMMIT's tree (git archive, run by this .venv) cold, sampled: "
        "its CPU-s per report beside this tree's",
    )
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--repeat", type=int, default=3, help="runs per variant (--engine)")
    args = p.parse_args()
    engine(args) if args.engine else full(args)


if __name__ == "__main__":
    main()
