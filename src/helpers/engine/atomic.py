"""Write files so that readers never see a partial one: a temp file beside it, then rename.

Every write is confined: when a root is known (`confine()`, or $JJJ_ROOT in build workers and
kernels) the target must lie inside it, and no folder between the root and the target, nor the
target itself, may be a symlink. A symlink is refused with a one-line error rather than
replaced: someone put it there, and silently swapping it for a file would hide that (and a
build must never decide on its own to write where a link points).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from helpers.engine.tasks import EngineError

ROOT_ENV = "JJJ_ROOT"
_ROOT: list[Path] = []  # set by confine(); else $JJJ_ROOT


class UnsafeOutput(EngineError):
    """An output path outside the root, or through a symlink."""


def confine(root: Path | None) -> None:
    """Refuse, from now on in this process, any write outside `root` (None: back to $JJJ_ROOT)."""
    _ROOT[:] = [Path(root)] if root is not None else []


def _root() -> Path | None:
    if _ROOT:
        return _ROOT[0]
    env = os.environ.get(ROOT_ENV)
    return Path(env) if env else None


def check_target(target: Path) -> Path:
    """`target` as an absolute path, or UnsafeOutput if writing it could land elsewhere."""
    target = Path(os.path.abspath(target))
    root = _root()
    if root is None:
        below: tuple[str, ...] = (target.name,)
        base = target.parent
    else:
        for base in (Path(os.path.abspath(root)), Path(os.path.realpath(root))):
            if target.is_relative_to(base):
                below = target.relative_to(base).parts
                break
        else:
            raise UnsafeOutput(f"{target}: outside the repository {root}; not written")
    path = base
    for part in below:
        path = path / part
        if path.is_symlink():
            raise UnsafeOutput(
                f"{path}: is a symlink (to {os.readlink(path)}); outputs are never written "
                "through a link — remove it and build again"
            )
    return target


@contextmanager
def atomic_path(target: Path):
    """Yield a temp path beside `target`: on success it replaces `target`, on error it goes."""
    target = check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here: a no-op build writes nothing

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        check_target(target)  # a link put there while we wrote is refused too
        os.replace(tmp_path, target)
    except BaseException as e:  # also on KeyboardInterrupt: never leave the temp file behind
        tmp_path.unlink(missing_ok=True)
        if isinstance(e, OSError) and e.errno and not e.filename:  # a full disk: say where
            raise OSError(e.errno, e.strerror, str(target)) from None
        raise


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: Path, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))
