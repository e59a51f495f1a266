"""`python -m helpers.lint`: the checks of `make lint` and of the pre-commit hooks.

Checks, each failure one line naming the file:
  1. `ruff check` and `ruff format --check` over src, tests, benchmarks and the notebooks'
     code cells (their py:percent halves);
  2. every notebooks/*.ipynb is stripped: no outputs, no execution counts, no volatile metadata;
  3. every notebook has its paired notebooks/*.py and jupytext reads both as the same cells;
  4. no git file over 1 MB, no font file, no merge-conflict marker in a text file;
  5. no number typed into a prose cell (a markdown cell tagged lang-zh/lang-en): numbers are
     named values, `{{ name }}` (helpers.publish.prose); years and dates are allowed;
  6. no function over 60 lines in src, tests, benchmarks without a `# long: why` comment.

Exit 0 when clean, 1 otherwise. Nothing is modified, except with `--fix` (sync, then strip).
Subcommands for pre-commit, on the files it passes: `strip`, `large-files`, `conflicts`.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from helpers import paths
from helpers.engine import cells

PY_DIRS = ("src", "tests", "benchmarks")
NOTEBOOK_DIR = "notebooks"
MAX_BYTES = 1024 * 1024
# The CJK font comes from the mplfonts wheel; a committed copy would be 10-20 MB of history.
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".woff", ".woff2")
# nbstripout's default extra keys, plus what papermill and a kernel add on every run.
VOLATILE_NOTEBOOK_KEYS = ("signature", "widgets", "papermill", "language_info")
VOLATILE_CELL_KEYS = (
    "collapsed",
    "ExecuteTime",
    "execution",
    "heading_collapsed",
    "hidden",
    "scrolled",
    "papermill",
)
# Only the unambiguous markers: a bare ======= is also a Markdown heading underline.
CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ", "||||||| ")
FIX_HINT = "run `python -m helpers.lint --fix`"


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


# ------------------------------------------------------------------------------------ ruff


def _ruff_jobs(root: Path) -> list[tuple[str, subprocess.Popen]]:
    # notebooks/: the code cells, through their py:percent halves (the .ipynb are excluded)
    dirs = [d for d in (*PY_DIRS, NOTEBOOK_DIR) if (root / d).is_dir()]
    if not dirs:
        return []
    base = [sys.executable, "-m", "ruff"]
    cmds = {
        "check": [*base, "check", "--output-format", "concise", *dirs],
        "format": [*base, "format", "--check", "--output-format", "concise", *dirs],
    }
    pipe = subprocess.PIPE
    # Started together, collected later: ruff runs while the notebooks are read.
    return [
        (name, subprocess.Popen(cmd, cwd=root, stdout=pipe, stderr=pipe, text=True))
        for name, cmd in cmds.items()
    ]


def _ruff_results(jobs: list[tuple[str, subprocess.Popen]]) -> list[str]:
    out: list[str] = []
    for name, proc in jobs:
        stdout, stderr = proc.communicate()
        if proc.returncode == 0:
            continue
        lines = [ln.strip() for ln in (stdout + "\n" + stderr).splitlines() if ln.strip()]
        if name == "check":
            # concise format: "path:row:col: CODE message"; summary lines carry no path
            found = [ln for ln in lines if ":" in ln.split(" ", 1)[0]]
        else:
            # concise: "path:row:col: unformatted: …"; older ruff: "Would reformat: path"
            names = [
                ln.removeprefix("Would reformat: ")
                if ln.startswith("Would reformat: ")
                else ln.split(":", 1)[0]
                for ln in lines
                if ln.startswith("Would reformat: ") or "unformatted" in ln
            ]
            found = [f"{n}: would be reformatted (ruff format)" for n in dict.fromkeys(names)]
        out += found or [f"ruff {name}: exit {proc.returncode}: {' '.join(lines)[:300]}"]
    return out


def ruff(root: Path | None = None) -> list[str]:
    """`ruff check` findings and files `ruff format` would change, one line each."""
    return _ruff_results(_ruff_jobs(Path(root or paths.ROOT)))


# ------------------------------------------------------------------------------- notebooks


def notebooks(root: Path) -> list[Path]:
    return sorted((root / NOTEBOOK_DIR).glob("*.ipynb"))


def _cells_list(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:8])) + (", …" if len(numbers) > 8 else "")
    return f"{len(numbers)} cell(s) ({shown})"


def strip_problems(path: Path, root: Path | None = None) -> list[str]:
    """What keeps the notebook at `path` from being stripped (the nbstripout standard)."""
    import nbformat

    name = _rel(path, Path(root or paths.ROOT))
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    except Exception as e:  # noqa: BLE001 — any unreadable notebook is one finding, not a crash
        return [f"{name}: not a readable notebook ({type(e).__name__}: {e})"[:300]]
    out = []
    outputs = [i for i, c in enumerate(nb.cells, 1) if c.get("outputs")]
    counts = [i for i, c in enumerate(nb.cells, 1) if c.get("execution_count") is not None]
    if outputs:
        out.append(f"{name}: outputs in {_cells_list(outputs)}; {FIX_HINT}")
    if counts:
        out.append(f"{name}: execution counts in {_cells_list(counts)}; {FIX_HINT}")
    keys = [f"metadata.{k}" for k in VOLATILE_NOTEBOOK_KEYS if k in nb.metadata]
    keys += sorted(
        {f"cell.metadata.{k}" for c in nb.cells for k in VOLATILE_CELL_KEYS if k in c.metadata}
    )
    if keys:
        out.append(f"{name}: volatile metadata {', '.join(keys)}; {FIX_HINT}")
    return out


def strip(path: Path) -> bool:
    """Strip outputs, counts and volatile metadata in place; True if the file changed."""
    import nbformat

    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    before = nbformat.writes(nb)
    for k in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(k, None)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
        for k in VOLATILE_CELL_KEYS:
            c.metadata.pop(k, None)
    after = nbformat.writes(nb)
    if after == before:
        return False  # untouched: no new mtime, so jupytext --sync keeps its direction
    Path(path).write_text(after + ("" if after.endswith("\n") else "\n"), encoding="utf-8")
    return True


def _cells(nb) -> list[tuple[str, str, list]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def pair_cells(path: Path) -> list[tuple[str, str, list]]:
    """A notebook or its py:percent half as jupytext reads it: (type, source, tags) per cell."""
    import jupytext

    return _cells(jupytext.read(path))


def pair_problems(root: Path | None = None) -> list[str]:
    """Every notebook paired with its py:percent file, and both read as the same cells."""
    import jupytext

    root = Path(root or paths.ROOT)
    out = []
    ipynbs = notebooks(root)
    stems = {p.stem for p in ipynbs}
    for py in sorted((root / NOTEBOOK_DIR).glob("*.py")):
        if py.stem not in stems:
            out.append(f"{_rel(py, root)}: no paired {py.stem}.ipynb; run `jupytext --sync`")
    for nb_path in ipynbs:
        py = nb_path.with_suffix(".py")
        name = _rel(nb_path, root)
        if not py.exists():
            out.append(f"{name}: no paired {_rel(py, root)}; {FIX_HINT}")
            continue
        try:
            a, b = _cells(jupytext.read(nb_path)), _cells(jupytext.read(py))
        except Exception as e:  # noqa: BLE001 — a broken file is a finding, not a crash
            out.append(f"{name}: jupytext cannot read the pair ({type(e).__name__}: {e})"[:300])
            continue
        if a == b:
            continue
        if len(a) != len(b):
            why = f"{len(a)} cells vs {len(b)}"
        else:
            i = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
            part = ("type", "source", "tags")[next(j for j in range(3) if a[i][j] != b[i][j])]
            saved = [{"source": src, "metadata": {"tags": tags}} for _, src, tags in a]
            why = f"{cells.label(saved, i)}: {part} differs"
        out.append(f"{name}: out of sync with {_rel(py, root)} ({why}); {FIX_HINT}")
    return out or sync_rewrites(root)


def sync_rewrites(root: Path) -> list[str]:
    """Files the pre-commit hook `jupytext --sync` would rewrite (e.g. notebook metadata the
    cell comparison above does not see). It runs on copies, once with each side of the pairs
    newer, since a fresh clone's mtimes may fall either way; so the two cannot drift."""
    import os
    import shutil
    import tempfile

    from jupytext.cli import jupytext as jupytext_cli
    from nbformat.sign import MemorySignatureStore, NotebookNotary

    files = [f for nb in notebooks(root) for f in (nb, nb.with_suffix(".py"))]
    found: set[str] = set()
    # Copies need no trust: a notary in memory keeps their signatures out of the user's
    # Jupyter database (a disk commit per file; a third of this check's time). A file's
    # bytes do not depend on it: the trust marks are stripped on write.
    notary = NotebookNotary(data_dir="", store_factory=MemorySignatureStore, secret=b"lint")
    for newer in (".py", ".ipynb"):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / NOTEBOOK_DIR
            copy.mkdir()
            if (root / "jupytext.toml").is_file():
                shutil.copy2(root / "jupytext.toml", tmp)
            for f in files:
                shutil.copy(f, copy / f.name)
                stamp = 2_000_000_000 if f.suffix == newer else 1_000_000_000
                os.utime(copy / f.name, (stamp, stamp))
            try:
                args = ["--sync", "--quiet", *sorted(str(copy / f.name) for f in files)]
                jupytext_cli(args, notary=notary)
            except SystemExit as e:
                if e.code:
                    return [f"{NOTEBOOK_DIR}: jupytext --sync fails (exit {e.code}); {FIX_HINT}"]
            found |= {f.name for f in files if (copy / f.name).read_bytes() != f.read_bytes()}
    return [
        f"{NOTEBOOK_DIR}/{n}: `jupytext --sync` would rewrite it; {FIX_HINT}" for n in sorted(found)
    ]


# ------------------------------------------------------------------------------- prose

# What a prose cell may spell out in digits: years and dates (2014, 2017-12, 2024-04-19,
# 2017年12月, 4月19日, 2014—2024). Anything else with a digit must be a named value.
_DATE = re.compile(
    r"(?<![\d.,])(?:(?:19|20)\d{2}(?:年(?:\d{1,2}月(?:\d{1,2}日)?)?|-\d{2}(?:-\d{2})?)?"
    r"|\d{1,2}月(?:\d{1,2}日)?)(?![.,]\d|[\d%多余个家万亿人名所元项场条份次])"
)
_DIGITS = re.compile(r"[\d０-９][\d０-９.,，]*[%％]?")
# Not prose: placeholders, URLs, link targets, inline code, HTML attributes.
_NOT_PROSE = re.compile(r"\{\{.*?\}\}|https?://\S+|\]\([^)]*\)|`[^`]*`|<[^>]*>|^#+(?=\s)", re.M)


def typed_numbers(text: str) -> list[str]:
    """Digits typed into prose that are not a year or a date."""
    text = _NOT_PROSE.sub(" ", text)
    text = _DATE.sub(" ", text)
    return [m.group(0) for m in _DIGITS.finditer(text)]


def prose_problems(path: Path, root: Path | None = None) -> list[str]:
    """Each prose cell of the notebook at `path` with a number typed instead of named."""
    import nbformat

    name = _rel(path, Path(root or paths.ROOT))
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    except Exception:  # noqa: BLE001 — strip_problems reports an unreadable notebook
        return []
    out = []
    for i, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "markdown" or not any(t.startswith("lang-") for t in tags):
            continue
        if found := typed_numbers(cell.source):
            shown = ", ".join(repr(x) for x in found[:3])
            out.append(
                f"{name}: {cells.label(nb.cells, i)} types the number(s) {shown} into prose; "
                "glue a value and write {{ name }} (docs/editing-a-notebook.md)"
            )
    return out


# ---------------------------------------------------------------------------- git files


def git_files(root: Path | None = None) -> list[Path]:
    """Files git tracks, plus new ones it would add (untracked, not ignored)."""
    root = Path(root or paths.ROOT)
    try:
        res = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return []  # not a git work tree: nothing is tracked
    names = dict.fromkeys(n for n in res.stdout.decode("utf-8", "replace").split("\0") if n)
    return [root / n for n in names if (root / n).is_file()]


def large_files(files: Iterable[Path], root: Path | None = None) -> list[str]:
    root = Path(root or paths.ROOT)
    out = []
    for f in map(Path, files):
        if not f.is_file():
            continue
        size = f.stat().st_size
        if size > MAX_BYTES:
            out.append(f"{_rel(f, root)}: {size / 1e6:.1f} MB, over the 1 MB limit for git")
        elif f.suffix.lower() in FONT_SUFFIXES:
            out.append(f"{_rel(f, root)}: a font file; fonts come from pip (mplfonts)")
    return out


def conflict_markers(files: Iterable[Path], root: Path | None = None) -> list[str]:
    root = Path(root or paths.ROOT)
    out = []
    for f in map(Path, files):
        try:
            data = f.read_bytes()
        except OSError:
            continue
        if b"\0" in data[:8192]:
            continue  # binary
        for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if line.startswith(CONFLICT_MARKERS) or line.rstrip() in ("<<<<<<<", ">>>>>>>"):
                out.append(f"{_rel(f, root)}:{n}: merge-conflict marker {line[:7]!r}")
                break
    return out


# ---------------------------------------------------------------------- long functions

MAX_FUNCTION_LINES = 60
LONG_MARK = "# long:"


def _head(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    """Lines (1-based, inclusive) where a `# long:` comment may stand: the line above the
    def or its decorators, down to the first statement after the docstring."""
    first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return max(first, 1), body[0].lineno - 1 if len(body) > 0 else node.end_lineno


def long_functions(root: Path | None = None) -> list[str]:
    """Functions over MAX_FUNCTION_LINES lines with no `# long: why` comment at their head
    (the project's standard: split them, or say why not)."""
    root = Path(root or paths.ROOT)
    out = []
    for d in PY_DIRS:
        for f in sorted((root / d).rglob("*.py")) if (root / d).is_dir() else ():
            text = f.read_text(encoding="utf-8")
            lines = text.splitlines()
            for node in ast.walk(ast.parse(text, str(f))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                size = node.end_lineno - node.lineno + 1
                start, end = _head(node)
                if size > MAX_FUNCTION_LINES and not any(
                    LONG_MARK in line for line in lines[start - 1 : end]
                ):
                    out.append(f"{_rel(f, root)}:{node.lineno}: {node.name} is {size} lines, over "
                               f"{MAX_FUNCTION_LINES}: split it, or say why in a `{LONG_MARK}` "
                               "comment")  # fmt: skip
    return out


# ------------------------------------------------------------------------------------ main


def check(root: Path | None = None, *, with_ruff: bool = True) -> list[str]:
    """Every finding of the checks, ruff's first."""
    root = Path(root or paths.ROOT)
    jobs = _ruff_jobs(root) if with_ruff else []
    out: list[str] = []
    for nb in notebooks(root):
        out += strip_problems(nb, root) + prose_problems(nb, root)
    out += pair_problems(root)
    files = git_files(root)
    out += large_files(files, root) + conflict_markers(files, root) + long_functions(root)
    return _ruff_results(jobs) + out


def fix(root: Path | None = None) -> list[str]:
    """Sync every pair (newest side wins), then strip the notebooks; the files changed."""
    root = Path(root or paths.ROOT)
    nbs = notebooks(root)
    pys = sorted((root / NOTEBOOK_DIR).glob("*.py"))
    lone_py = [p for p in pys if not p.with_suffix(".ipynb").exists()]
    targets = [str(p) for p in nbs + lone_py]
    changed: list[str] = []
    if targets:
        from jupytext.cli import jupytext as jupytext_cli

        # Sync first: a stripped .ipynb written before it would look newer than an edited .py.
        # In-process, not a subprocess: jupytext's import is most of the cost.
        try:
            jupytext_cli(["--sync", "--quiet", *targets])
        except SystemExit as e:
            if e.code:
                raise SystemExit(f"jupytext --sync failed (exit {e.code})") from None
    for nb in notebooks(root):
        if strip(nb):
            changed.append(_rel(nb, root))
    return changed


def _report(problems: Sequence[str]) -> int:
    for p in problems:
        print(p)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers.lint", description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=None, help="project root (default: this project)")
    p.add_argument("--fix", action="store_true", help="jupytext --sync, strip notebook outputs")
    p.add_argument("--no-ruff", action="store_true", help="skip the ruff checks")
    p.add_argument(
        "command",
        nargs="?",
        choices=("check", "strip", "large-files", "conflicts"),
        default="check",
        help="check (default): everything; the others act on FILES (for pre-commit)",
    )
    p.add_argument("files", nargs="*", type=Path)
    args = p.parse_args(argv)
    root = (args.root or paths.ROOT).resolve()
    if args.command == "large-files":
        return _report(large_files(args.files, root))
    if args.command == "conflicts":
        return _report(conflict_markers(args.files, root))
    if args.command == "strip":
        changed = [_rel(f, root) for f in args.files if f.suffix == ".ipynb" and strip(f)]
        for name in changed:
            print(f"{name}: stripped")
        return 1 if changed else 0  # pre-commit: a changed file must be staged again
    if args.fix:
        for name in fix(root):
            print(f"{name}: stripped")
    return _report(check(root, with_ruff=not args.no_ruff))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
