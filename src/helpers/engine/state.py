"""Content hashes and the state file: a task is skipped when everything it reads hashes as
recorded and its outputs are intact."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from helpers.engine.atomic import write_text
from helpers.engine.tasks import Task

STATE_VERSION = 1


def file_sha256(file) -> str:
    """The sha256 of a file's bytes, hex (the one file hash of the project): a path, or a
    binary file open for reading (read to its end)."""
    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    return hashlib.file_digest(file, "sha256").hexdigest()


class Hasher:
    """sha256 of files, memoized per (path, size, mtime) for the length of one build and, when
    given a memo file, across builds per (path, size, mtime, ctime, inode): any write changes
    ctime, which nobody can set back, so a no-op build reads no file it hashed before.

    A file is remembered only once its last change is SETTLED_NS older than its hash: a write
    in the same timestamp tick as the hash could leave all four unchanged. save() hashes such
    recent files again when they have settled, or leaves them out. A memo of another version,
    shape or checksum counts as empty."""

    VERSION = 1
    SETTLED_NS = 3_000_000_000  # above any file system's timestamp step (FAT: 2 s)

    def __init__(self, memo: Path | None = None):
        self._memo: dict[tuple, str] = {}
        # Windows' st_ctime is the creation time, not the last change: no memo there.
        self._path = memo if os.name != "nt" else None
        self._known = _load_memo(self._path) if self._path is not None else {}
        self._seen: dict[str, tuple] = {}  # path → (size, mtime, ctime, inode, sha, hashed at)

    def file(self, path: Path) -> str | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        k = (str(path), st.st_size, st.st_mtime_ns)
        if k not in self._memo:
            sig = _signature(st)
            known = self._known.get(str(path))
            if known is not None and known[:4] == sig:
                self._memo[k], at = known[4], None
            else:
                at = time.time_ns()
                self._memo[k] = file_sha256(path)
            self._seen[str(path)] = (*sig, self._memo[k], at)
        return self._memo[k]

    def save(self) -> None:
        """Write the memo file (atomically; only when it changed): what was known, updated by
        what this build hashed, recent files hashed again once settled."""
        if self._path is None:
            return
        files = dict(self._known)
        now = time.time_ns()
        for name, (*sig, sha, at) in self._seen.items():
            files.pop(name, None)
            changed = max(sig[1], sig[2])
            if at is None or changed < at - self.SETTLED_NS:
                files[name] = [*sig, sha]
            elif changed < now - self.SETTLED_NS:
                again = self._settled(Path(name), sig)
                if again is not None:
                    files[name] = [*sig, again]
        if files != self._known:
            _save_memo(self._path, files)

    @staticmethod
    def _settled(path: Path, sig: list) -> str | None:
        """The file's sha256 now, if it still has the signature `sig` (else None)."""
        try:
            if _signature(path.stat()) != sig:
                return None
            return file_sha256(path)
        except OSError:
            return None


def _signature(st: os.stat_result) -> list[int]:
    """What a memo entry is keyed by: any write changes one of these."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _load_memo(path: Path) -> dict[str, list]:
    doc = read_checked(path)
    files = doc.get("files") if doc and doc.get("version") == Hasher.VERSION else None
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if _memo_entry(v)}


def _memo_entry(v) -> bool:
    return (
        isinstance(v, list)
        and len(v) == 5
        and all(type(x) is int for x in v[:4])
        and isinstance(v[4], str)
        and len(v[4]) == 64
    )


def _save_memo(path: Path, files: dict) -> None:
    write_checked(path, {"version": Hasher.VERSION, "files": files})


# ---------------------------------------------------------------- caches under the state folder


def _checksum(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def write_checked(path: Path, doc: dict) -> None:
    """`doc` as JSON with a checksum of itself, written atomically. For caches: a write that
    fails (a read-only checkout) is skipped, and the next build computes again."""
    try:
        write_text(path, json.dumps({**doc, "checksum": _checksum(doc)}, sort_keys=True) + "\n")
    except OSError:
        pass


def read_checked(path: Path) -> dict | None:
    """What write_checked wrote, or None when it is missing, not a regular file, not JSON, or
    its checksum differs (a cache edited or cut short is not trusted)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the build
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            doc = json.loads(f.read())
        except (OSError, ValueError):
            return None
    if not isinstance(doc, dict):
        return None
    checksum = doc.pop("checksum", None)
    return doc if checksum == _checksum(doc) else None


def rel(path: Path, root: Path) -> str:
    """`path` relative to `root`, POSIX."""
    return Path(os.path.relpath(Path(path).resolve(), Path(root).resolve())).as_posix()


def is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def expand(root: Path, patterns: Iterable[str]) -> list[str]:
    """Existing files matching the patterns, relative, sorted (folders and temp files left out)."""
    found: set[str] = set()
    real: dict[str, str] = {}  # folder → its real path, for this call: what rel() resolves
    for pat in patterns:
        if is_glob(pat):
            for p in glob.glob(str(root / pat), recursive=True):
                if os.path.isfile(p) and not os.path.basename(p).endswith(".tmp"):
                    found.add(_rel_found(p, root, real))
        elif (root / pat).is_file():
            found.add(Path(pat).as_posix())
    return sorted(found)


def _rel_found(p: str, root: Path, real: dict[str, str]) -> str:
    """rel(p, root) for a path glob found, resolving each folder once per expand() call:
    a file that is not a link resolves to its folder's real path joined with its name."""
    folder, name = os.path.split(p)
    if folder not in real:
        real[folder] = os.path.realpath(folder)
    if root not in real:
        real[root] = os.path.realpath(root)
    full = os.path.join(real[folder], name)
    if os.path.islink(full):
        full = os.path.realpath(full)
    base = real[root].rstrip(os.sep) + os.sep
    if full.startswith(base):  # both real, absolute and normalised: relpath's answer
        return full[len(base) :].replace(os.sep, "/")
    return Path(os.path.relpath(full, real[root])).as_posix()


def code_hash(root: Path, patterns: Iterable[str], hasher: Hasher | None = None) -> str:
    """One hash of the code files matching `patterns`: a change there rebuilds every step."""
    hasher = hasher or Hasher()
    h = hashlib.sha256()
    for rel_path in expand(root, patterns):
        if "__pycache__" in rel_path or rel_path.endswith(".pyc"):
            continue
        h.update(f"{rel_path}\0{hasher.file(root / rel_path)}\n".encode())
    return h.hexdigest()


def reads(task: Task, root: Path, state: dict, code: str, hasher: Hasher, extra: dict) -> dict:
    """Everything a step reads, hashed: its definition, the code, its notebook and inputs,
    its dependencies' recorded outputs. Kept in the state so a rebuild can say what changed."""
    doc = {
        "task": {k: v for k, v in task._asdict().items() if k != "deps"},
        "code": code,
        "notebook": hasher.file(root / task.notebook) if task.kind == "notebook" else None,
        "inputs": {p: hasher.file(root / p) for p in expand(root, task.inputs)},
        "missing": sorted(p for p in task.inputs if not is_glob(p) and not (root / p).is_file()),
        # A dependency's outputs are inputs too, even when not declared as such.
        "deps": {d: state.get(d, {}).get("outputs") for d in sorted(task.deps)},
        "extra": extra,
    }
    return json.loads(json.dumps(doc, default=str))  # as stored: tuples → lists


def key_of(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def task_key(task: Task, root: Path, state: dict, code: str, hasher: Hasher, extra: dict) -> str:
    """Content hash of everything a step reads; equal key + intact outputs ⇒ skip."""
    return key_of(reads(task, root, state, code, hasher, extra))


def output_hashes(task: Task, root: Path, hasher: Hasher) -> dict[str, str]:
    return {p: hasher.file(root / p) for p in expand(root, task.outputs)}


def up_to_date(task: Task, key: str, entry: dict | None, root: Path, hasher: Hasher) -> bool:
    if not entry or entry.get("key") != key:
        return False
    recorded = entry.get("outputs") or {}
    if any(not is_glob(p) and Path(p).as_posix() not in recorded for p in task.outputs):
        return False
    return output_hashes(task, root, hasher) == recorded


def drift(task: Task, entry: dict, root: Path, hasher: Hasher) -> str | None:
    """What of a recorded task no longer hashes as recorded — an input it read, its
    notebook, an output — in words ("data/raw/x.txt changed"), or None."""
    recorded = entry.get("reads") or {}
    for path, sha in sorted((recorded.get("inputs") or {}).items()):
        now = hasher.file(root / path)
        if now != sha:
            return f"{path}, which it read, was {'deleted' if now is None else 'changed'}"
    if task.kind == "notebook" and recorded.get("notebook") not in (None, hasher.file(
            root / task.notebook)):  # fmt: skip
        return f"its notebook {task.notebook} changed"
    now = output_hashes(task, root, hasher)
    for path, sha in sorted((entry.get("outputs") or {}).items()):
        if now.get(path) != sha:
            return f"its output {path} was {'deleted' if path not in now else 'changed'}"
    return None


def after(task: Task, by_id: dict[str, Task], ran: set[str]) -> list[str]:
    """The task's dependencies that run in this build and declare outputs: the task runs
    after them, whatever they write. No cut-off on unchanged outputs, so that a dry run,
    which cannot know them, says exactly what runs (a dependency without outputs is a gate
    that changes nothing the task reads)."""
    return [d for d in task.deps if d in ran and by_id[d].outputs]


def load_state(state_dir: Path) -> dict:
    """The recorded tasks; anything unreadable or of the wrong shape counts as nothing
    recorded (those tasks rebuild, and the file is rewritten whole), never a traceback."""
    try:
        doc = json.loads((state_dir / "state.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError, IsADirectoryError):
        return {}
    if not isinstance(doc, dict) or doc.get("version") != STATE_VERSION:
        return {}
    tasks = doc.get("tasks")
    if not isinstance(tasks, dict):
        return {}
    return {tid: entry for tid, entry in tasks.items() if _well_formed(entry)}


def _well_formed(entry) -> bool:
    outputs = entry.get("outputs") if isinstance(entry, dict) else None
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("key"), str)
        and isinstance(entry.get("reads", {}), dict)
        and isinstance(outputs, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in outputs.items())
    )


def save_state(state_dir: Path, tasks: dict) -> None:
    doc = {"version": STATE_VERSION, "tasks": tasks}
    write_text(state_dir / "state.json", json.dumps(doc, indent=1, sort_keys=True) + "\n")


def sweep_temp(tasks: list[Task], root: Path) -> None:
    """Remove temp files helpers.engine.atomic left beside declared outputs (after a kill)."""
    for t in tasks:
        for pat in t.outputs:
            folder = (root / pat).parent
            while is_glob(folder.name):
                folder = folder.parent
            names = None if is_glob(pat) else Path(pat).name
            it = folder.rglob(".*.tmp") if names is None else folder.glob(f".{names}.*.tmp")
            for tmp in it if folder.is_dir() else ():
                tmp.unlink(missing_ok=True)


def remove_outputs(task: Task, root: Path) -> list[str]:
    """Remove what an earlier build left at a failed or blocked task's outputs (plain paths;
    globs are left alone): they no longer follow from the task's inputs, and a task that runs
    after failures (the index) must not list them as current. Nothing is removed at or through
    a link (the write would refuse it, naming it). The next build that succeeds writes them
    again. Returns the paths removed."""
    removed = []
    for pat in task.outputs:
        parts = Path(pat).parts
        linked = any(root.joinpath(*parts[: i + 1]).is_symlink() for i in range(len(parts)))
        if is_glob(pat) or linked:
            continue
        if (root / pat).is_file():
            (root / pat).unlink(missing_ok=True)
            removed.append(pat)
    return removed
