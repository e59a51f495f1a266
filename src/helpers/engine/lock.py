"""One build at a time per state folder. flock(2) where the system has it — the lock filelock's
Unix lock takes, so the two exclude each other — else filelock (Windows, a file system without
flock). flock itself because importing filelock costs a no-op build about a fifth of its time."""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path

from helpers.engine.tasks import EngineError

_HELD = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)  # someone else holds it
_NO_FLOCK = (errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK)  # this file system cannot


class BuildLocked(EngineError):
    """Another build holds the lock."""


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or "unknown"
    except OSError:  # Windows: the locked file cannot be read
        return "unknown"


def _locked(path: Path) -> BuildLocked:
    return BuildLocked(
        f"another build is running: {path} is held by PID {_holder(path)} "
        "(wait for it to finish, or use --wait)"
    )


def _write_pid(path: Path, text: str) -> None:
    try:
        with open(path, "r+", encoding="utf-8") as f:  # the locked file itself: no new inode
            f.truncate(0)
            f.write(text)
    except OSError:  # the PID is a courtesy for the message above
        pass


def _flock(path: Path, wait: bool) -> int | None:
    """A descriptor of `path` holding an exclusive flock; None where flock is not to be had
    (filelock decides then); BuildLocked when another holds it and we do not wait."""
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException as e:  # also Ctrl-C while waiting
        os.close(fd)
        if isinstance(e, OSError) and e.errno in _HELD:
            raise _locked(path) from None
        if isinstance(e, OSError) and e.errno in _NO_FLOCK:
            return None
        raise
    return fd


@contextmanager
def _flocked(fd: int):
    import fcntl

    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def _filelock(path: Path, wait: bool):
    from filelock import FileLock, Timeout

    lock = FileLock(path, is_singleton=False)
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise _locked(path) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def build_lock(state_dir: Path, *, wait: bool = False):
    """Exclusive lock on <state>/.lock, which holds our PID; a second build fails at once."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / ".lock"
    fd = _flock(path, wait)
    with _flocked(fd) if fd is not None else _filelock(path, wait):
        try:
            _write_pid(path, f"{os.getpid()}\n")
            yield path
        finally:
            _write_pid(path, "")
