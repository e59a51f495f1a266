"""The one command line: `jjj-report build`, `graph`, `preview`, `clean` and `extract`.

Only argparse and the standard library load at start-up, so `--help` and parameter errors
answer at once; the pipeline's heavy imports happen inside the subcommands.
"""

from __future__ import annotations

import argparse
import re
import sys

from helpers import __version__, paths
from helpers.engine.tasks import EngineError
from helpers.errors import JJJError


def parse_years(text: str) -> list[int]:
    """'2014-2024', '2018', '2015,2018-2019' → sorted years, each within the record."""
    allowed = paths.REPORT_YEARS
    span = f"{allowed.start}-{allowed.stop - 1}"
    years: set[int] = set()
    for part in str(text).split(","):
        part = part.strip()
        lo, sep, hi = part.partition("-")
        try:
            a = int(lo)
            b = int(hi) if sep else a
        except ValueError:
            raise JJJError(
                f"--years {text!r}: {part!r} is not a year or range; allowed {span}"
            ) from None
        if a > b:
            raise JJJError(f"--years {text!r}: range {part!r} runs backwards; allowed {span}")
        for y in (a, b):
            if y not in allowed:
                raise JJJError(f"--years {text!r}: {y} is outside the record; allowed {span}")
        years.update(range(a, b + 1))
    return sorted(years)


def parse_langs(text: str) -> list[str]:
    langs = [p.strip() for p in str(text).split(",") if p.strip()]
    bad = [x for x in langs if x not in paths.LANGS]
    if bad or not langs:
        shown = bad[0] if bad else text
        raise JJJError(f"--lang {shown!r} is not supported; allowed {', '.join(paths.LANGS)}")
    return list(dict.fromkeys(langs))


def parse_jobs(text: str) -> int:
    """Workers asked for, at most one per CPU: each holds a kernel and a few hundred MB, and
    more workers than CPUs only add memory (16 on 2 CPUs: 51 processes, 4 GB)."""
    import os

    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise JJJError(f"--jobs {text!r}: must be a whole number of at least 1")
    cpus = os.cpu_count() or 1
    if n > cpus:
        print(f"jjj-report build: --jobs {n} is more than the {cpus} CPUs; using {cpus}",
              file=sys.stderr)  # fmt: skip
        n = cpus
    return n


def parse_seconds(flag: str, text: str | None) -> float | None:
    """A time limit in seconds (0: none); None when not given."""
    if text is None:
        return None
    try:
        n = float(text)
    except ValueError:
        n = -1.0
    if not n >= 0 or n == float("inf"):
        raise JJJError(f"{flag} {text!r}: must be a number of seconds, 0 for no limit")
    return n


def _selection(p: argparse.ArgumentParser) -> None:
    span = f"{paths.REPORT_YEARS.start}-{paths.REPORT_YEARS.stop - 1}"
    p.add_argument("--years", default=span, help=f"years or ranges, e.g. 2018 or {span} (default)")
    p.add_argument("--lang", default=",".join(paths.LANGS), help="zh, en or zh,en (default)")


_ADDRESS = re.compile(r"(?:(?:tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})/?")


def check_scheduler(address: str | None, timeout: float = 5.0) -> None:
    """--scheduler before any work starts: Dask installed (an optional extra), an address
    such as tcp://host:8786, and something listening there (within `timeout` seconds)."""
    if not address:
        return
    import importlib.util
    import socket

    if importlib.util.find_spec("distributed") is None:
        raise JJJError(f"--scheduler {address}: needs Dask, pip install 'jjj-report[dask]'")
    m = _ADDRESS.fullmatch(address.strip())
    if not m or not 0 < int(m[2]) < 65536:
        raise JJJError(f"--scheduler {address!r}: not a scheduler address such as tcp://host:8786")
    try:
        socket.create_connection((m[1].strip("[]"), int(m[2])), timeout=timeout).close()
    except OSError as e:
        why = "no answer" if isinstance(e, TimeoutError) else (e.strerror or type(e).__name__)
        raise JJJError(
            f"--scheduler {address}: cannot connect ({why}) within {timeout:g} s"
        ) from None


def _build(args) -> int:
    years, langs = parse_years(args.years), parse_langs(args.lang)
    jobs = parse_jobs(args.jobs) if args.jobs is not None else None
    limits = {
        "cell_timeout": parse_seconds("--cell-timeout", args.cell_timeout),
        "notebook_timeout": parse_seconds("--notebook-timeout", args.notebook_timeout),
    }
    check_scheduler(args.scheduler)
    from helpers import pipeline  # heavy imports start here, after the parameters
    from helpers.engine import lifeline

    lifeline.adopt_orphans()  # what a cell leaves running comes back to us, to be ended

    if args.dry_run:
        print(pipeline.dry_run(years, langs, force=args.force))
        return 0
    notes: list[str] = []
    result = pipeline.run(
        years,
        langs,
        jobs=jobs,
        force=args.force,
        scheduler=args.scheduler,
        progress=not args.no_progress,
        wait=args.wait,
        notes=notes,
        **limits,
    )
    failed = result.by_status("failed")
    if failed:  # the error first, not the table's header nor a note (CI shows the first line)
        more = f" (+{len(failed) - 1} more, listed below)" if len(failed) > 1 else ""
        print(f"jjj-report build: FAILED {failed[0].id}: {failed[0].detail()}{more}",
              file=sys.stderr, flush=True)  # fmt: skip
    for line in notes:
        print(line, file=sys.stderr, flush=True)
    ran = any(r.status in ("built", "failed") for r in result.results)
    left = lifeline.end_leftovers() if ran else []
    if left:
        print(f"jjj-report build: ended {len(left)} process(es) a notebook left running: "
              f"{', '.join(left)}", file=sys.stderr, flush=True)  # fmt: skip
    print(result.summary_table())
    return 0 if result.ok else 1


def _clean(args) -> int:
    from helpers import pipeline

    removed = pipeline.clean(wait=args.wait)
    print(f"removed {len(removed)} generated files and folders")
    return 0


def _graph(args) -> int:
    years, langs = parse_years(args.years), parse_langs(args.lang)
    from helpers import pipeline

    sys.stdout.write(pipeline.graph(years, langs))
    return 0


def _preview(args) -> int:
    years, langs = parse_years(args.years), parse_langs(args.lang)
    if not 0 <= args.port < 65536:
        raise JJJError(f"--port {args.port}: must be 0 (any free port) to 65535")
    from helpers import preview

    return preview.run(years, langs, port=args.port)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jjj-report", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"jjj-report {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="run the pipeline: raw → processed → reports (incremental)")
    _selection(b)
    b.add_argument("--jobs", default=None, help="parallel workers (default: CPU count)")
    b.add_argument("--force", action="store_true", help="rebuild everything, ignore stored hashes")
    b.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument(
        "--cell-timeout",
        default=None,
        metavar="SECONDS",
        help="fail a notebook whose cell runs longer (default 900, 0: no limit)",
    )
    b.add_argument("--notebook-timeout", default=None, metavar="SECONDS",
                   help="fail a notebook that runs longer (default 1800, 0: no limit)")  # fmt: skip
    b.add_argument(
        "--wait", action="store_true", help="wait for a running build instead of exiting"
    )
    b.add_argument(
        "--dry-run", action="store_true", help="list each task, what it reads, run or skip and why"
    )
    c = sub.add_parser("clean", help="remove generated data, reports and build state (locked)")
    c.add_argument(
        "--wait", action="store_true", help="wait for a running build instead of exiting"
    )
    g = sub.add_parser("graph", help="print the task graph as Graphviz DOT (dot -Tsvg to draw)")
    _selection(g)

    v = sub.add_parser("preview", help="serve reports/, rebuild on each save, reload open pages")
    _selection(v)
    v.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")

    e = sub.add_parser("extract", help="list every numeric mention in a raw text file")
    e.add_argument("path")
    e.add_argument(
        "--format",
        choices=("csv", "json", "codebook"),
        default="csv",
        help="csv or json: one row per mention; codebook: a draft data/raw/figures.yml",
    )
    e.add_argument(
        "--reference-date",
        default=None,
        help="YYYY-MM-DD for 4月19日, 近三年, 去年… (default: the date in sources.yml)",
    )
    return p


class Terminated(KeyboardInterrupt):
    """SIGTERM (CI cancellation, `timeout`) or SIGHUP (a closed terminal): handled like
    Ctrl-C, so workers end with us."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_STOPPING = ("SIGINT", "SIGTERM", "SIGHUP")


def _on_stop(signum, frame):
    """The first signal unwinds the build; any later one (a second Ctrl-C, SIGHUP then
    SIGTERM) is ignored while it cleans up, instead of breaking the clean-up with a
    traceback. SIGKILL still ends it at once."""
    import signal

    for name in _STOPPING:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def main(argv: list[str] | None = None) -> int:
    import signal

    args = _parser().parse_args(argv)
    stopping = [getattr(signal, n) for n in _STOPPING if hasattr(signal, n)]
    previous = {s: signal.signal(s, _on_stop) for s in stopping}
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "graph":
            return _graph(args)
        if args.command == "clean":
            return _clean(args)
        if args.command == "preview":
            return _preview(args)
        if args.command == "extract":
            from helpers.clean import extract_cli

            fwd = [args.path, "--format", args.format]
            if args.reference_date:
                fwd += ["--reference-date", args.reference_date]
            return extract_cli.main(fwd)
    except (JJJError, EngineError) as e:
        print(f"jjj-report {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:
        from helpers.engine.lifeline import end_descendants

        end_descendants()
        if not isinstance(e, Terminated):
            print(f"jjj-report {args.command}: interrupted", file=sys.stderr)
            return 130
        name = signal.Signals(e.signum).name
        print(
            f"jjj-report {args.command}: terminated ({name}); the next build repairs",
            file=sys.stderr,
        )
        return 128 + e.signum
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
