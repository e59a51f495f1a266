"""One build at a time per state folder."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from helpers.engine.tasks import EngineError


class BuildLocked(EngineError):
    """Another build holds the lock."""


@contextmanager
def build_lock(state_dir: Path, *, wait: bool = False):
    """Exclusive flock on <state>/.lock holding our PID; a second build fails at once."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise BuildLocked(
                f"another build is running: {path} is held by PID {holder} "
                "(wait for it to finish, or use --wait)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
