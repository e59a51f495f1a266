"""Each notebook and its py:percent half (jupytext) are one input: the build syncs a pair whose
halves disagree, the newer half winning, before any task runs, and says so."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from helpers.engine.state import file_sha256, rel


def pair_key(nb: Path, py: Path) -> list[str]:
    return [file_sha256(nb), file_sha256(py)]


def _sync_pair(nb: Path, py: Path, root: Path) -> str:
    """jupytext --sync (the newer half wins), then strip; the line that says so."""
    from jupytext.cli import jupytext as jupytext_cli

    from helpers import lint
    from helpers.errors import JJJError

    newer = _newer(nb, py)
    fix = f"run `jupytext --sync {rel(nb, root)}`, check the result, and build again"
    try:
        jupytext_cli(["--sync", "--quiet", str(nb)])
        lint.strip(nb)
        same = _same_cells(nb, py)
    except (Exception, SystemExit) as e:  # noqa: BLE001 — any failure: stop, one line
        raise JJJError(f"{rel(nb, root)}: out of sync with {py.name} and jupytext could not "
                       f"sync them ({type(e).__name__}: {e}); {fix}") from None  # fmt: skip
    if not same:
        raise JJJError(f"{rel(nb, root)}: still out of sync with {py.name} after sync; {fix}")
    return f"{rel(nb, root)}: out of sync with {py.name}; synced from the newer {newer.name}"


def _same_cells(nb: Path, py: Path) -> bool:
    from helpers import lint

    try:
        return lint.pair_cells(nb) == lint.pair_cells(py)
    except Exception:  # noqa: BLE001 — unreadable half: jupytext --sync decides, or we stop
        return False


def _newer(nb: Path, py: Path) -> Path:
    return py if py.stat().st_mtime_ns >= nb.stat().st_mtime_ns else nb


def load_seen(state_dir: Path) -> dict:
    import json

    try:
        return json.loads((state_dir / "pairs.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _unseen_pairs(notebooks: Iterable[str], root: Path, seen: dict):
    """(name, notebook, its .py half) for each pair not remembered in sync by hash."""
    for name in sorted(set(notebooks)):
        nb, py = root / name, (root / name).with_suffix(".py")
        if nb.is_file() and py.is_file() and seen.get(name) != pair_key(nb, py):
            yield name, nb, py


def out_of_sync(notebooks: Iterable[str], root: Path, state_dir: Path) -> dict[str, Path]:
    """{notebook: its newer half} for each pair whose halves disagree; changes nothing."""
    seen = load_seen(state_dir)
    return {
        name: _newer(nb, py)
        for name, nb, py in _unseen_pairs(notebooks, root, seen)
        if not _same_cells(nb, py)
    }


def will_sync(stale: dict[str, Path]) -> list[str]:
    return [f"{name}: out of sync with {Path(name).with_suffix('.py').name}; the build syncs "
            f"it from the newer {newer.name}" for name, newer in stale.items()]  # fmt: skip


def sync_pairs(notebooks: Iterable[str], root: Path, state_dir: Path, *, dry=False) -> list[str]:
    """Each notebook and its py:percent half are one input: when they disagree, sync them
    as `jupytext --sync` would (the newer wins) and say so — never build from the stale half.
    Pairs seen in sync are remembered by hash, so a no-op build does not load jupytext."""
    import json

    from helpers.engine.atomic import write_text

    if dry:
        return will_sync(out_of_sync(notebooks, root, state_dir))
    seen = load_seen(state_dir)
    said = []
    unseen = list(_unseen_pairs(notebooks, root, seen))
    for name, nb, py in unseen:
        if not _same_cells(nb, py):
            said.append(_sync_pair(nb, py, root))
        seen[name] = pair_key(nb, py)
    if unseen:  # else nothing new to remember: a no-op build writes nothing here
        write_text(state_dir / "pairs.json", json.dumps(seen, indent=1, sort_keys=True) + "\n")
    return said
