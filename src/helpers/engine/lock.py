"""One build at a time per state folder (filelock: works on Linux, macOS and Windows)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from helpers.engine.tasks import EngineError


class BuildLocked(EngineError):
    """Another build holds the lock."""


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or "unknown"
    except OSError:  # Windows: the locked file cannot be read
        return "unknown"


def _write_pid(path: Path, text: str) -> None:
    try:
        with open(path, "r+", encoding="utf-8") as f:  # the locked file itself: no new inode
            f.truncate(0)
            f.write(text)
    except OSError:  # the PID is a courtesy for the message above
        pass


@contextmanager
def build_lock(state_dir: Path, *, wait: bool = False):
    """Exclusive lock on <state>/.lock, which holds our PID; a second build fails at once."""
    from filelock import FileLock, Timeout

    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / ".lock"
    lock = FileLock(path, is_singleton=False)
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise BuildLocked(
            f"another build is running: {path} is held by PID {_holder(path)} "
            "(wait for it to finish, or use --wait)"
        ) from None
    try:
        _write_pid(path, f"{os.getpid()}\n")
        yield path
    finally:
        _write_pid(path, "")
        lock.release()
