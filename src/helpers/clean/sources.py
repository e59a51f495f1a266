"""The raw-source manifest (data/raw/sources.yml): sha256 check first, then loading."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import yaml

from helpers import paths
from helpers.engine.state import file_sha256
from helpers.errors import JJJError

# Raw inputs are text files of a few hundred kB; a limit keeps /dev/zero-like inputs bounded.
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    id: str
    kind: str  # full_text | citation_only
    file: Path
    sha256: str
    meta: dict
    # Our Chinese renderings of the source's English glosses: (file, sha256), or None.
    translation: tuple[Path, str] | None = None


def inside(folder: Path, rel, what: str) -> Path:
    """`folder/rel`, refused unless `rel` is a relative path that stays inside `folder` and
    crosses no symlink (so `../x`, `/etc/passwd` and links to elsewhere never get read)."""
    if not isinstance(rel, str) or not rel.strip():
        raise JJJError(f"{what}: must be a file name relative to {folder}, got {rel!r}")
    if os.path.isabs(rel) or "\\" in rel or ".." in Path(rel).parts:
        raise JJJError(f"{what}: {rel!r} is outside {folder} (relative paths inside it only)")
    path = folder
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            raise JJJError(f"{what}: {path} is a symlink; raw inputs must be regular files")
    return path


def open_regular(path: Path) -> BinaryIO:
    """A regular file (not a FIFO, device or folder; at most MAX_BYTES), open for binary
    reading, or one line saying why not."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: no final symlink.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise JJJError(f"{path}: file not found") from None
    except OSError as e:
        raise JJJError(f"{path}: cannot open ({e.strerror})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
        os.close(fd)
        if not stat.S_ISREG(st.st_mode):
            raise JJJError(f"{path}: not a regular file ({_file_type(st.st_mode)})")
        raise JJJError(f"{path}: {st.st_size} bytes, over the {MAX_BYTES}-byte limit")
    return os.fdopen(fd, "rb")


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes (see open_regular), or one line."""
    with open_regular(path) as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # grew while read
        raise JJJError(f"{path}: over the {MAX_BYTES}-byte limit")
    return data


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


def sha256_of(path: Path) -> str:
    """A raw file's sha256, opened as read_bytes opens it (engine.state.file_sha256)."""
    with open_regular(path) as f:
        return file_sha256(f)


def load_manifest(manifest: Path | None = None) -> dict[str, Source]:
    manifest = Path(manifest or paths.SOURCES_MANIFEST)
    if not manifest.exists():
        raise JJJError(f"{manifest}: source manifest not found")
    try:
        doc = yaml.safe_load(read_bytes(manifest).decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        raise JJJError(f"{manifest}: unreadable manifest ({type(e).__name__})") from None
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise JJJError(f"{manifest}: must be a mapping with a `sources:` list")
    out: dict[str, Source] = {}
    for i, entry in enumerate(entries):
        src = _entry(manifest, i, entry)
        if src.id in out:
            raise JJJError(f"{manifest}: duplicate source id {src.id!r}")
        out[src.id] = src
    return out


def _entry(manifest: Path, i: int, entry) -> Source:
    """One manifest entry (models.SourceEntry), its files confined to the manifest's folder."""
    from helpers.clean import models

    sid = entry.get("id") if isinstance(entry, dict) else None
    name = repr(sid) if isinstance(sid, str) and sid.strip() else f"#{i + 1}"
    at = f"{manifest}: source {name}"
    src = models.validate(models.SourceEntry, entry, at)
    folder = manifest.parent
    for key in ("codebook", "layout"):  # other raw inputs the source names
        if getattr(src, key) is not None:
            inside(folder, getattr(src, key), f"{at}: {key}")
    zh = src.translation
    return Source(
        id=src.id,
        kind=src.kind,
        file=inside(folder, src.file, f"{at}: file"),
        sha256=src.sha256,
        meta=entry,
        translation=(inside(folder, zh.file, f"{at}: translation"), zh.sha256) if zh else None,
    )


def get(source_id: str, manifest: Path | None = None) -> Source:
    sources = load_manifest(manifest)
    if source_id not in sources:
        raise JJJError(
            f"unknown source id {source_id!r}; known: {', '.join(sorted(sources)) or 'none'}"
        )
    return sources[source_id]


def verify(source: Source) -> None:
    """Refuse a raw file whose bytes differ from the manifest: data/raw is immutable."""
    pinned = [(source.file, source.sha256)] + ([source.translation] if source.translation else [])
    for path, sha in pinned:
        if not path.exists() and not path.is_symlink():
            raise JJJError(f"{path}: raw file missing (source {source.id})")
        actual = sha256_of(path)
        if actual != sha:
            raise JJJError(
                f"{path}: sha256 mismatch, expected {sha}, got {actual}; "
                "data/raw is immutable — restore the file or register a new source"
            )


def verify_all(manifest: Path | None = None) -> dict[str, Source]:
    sources = load_manifest(manifest)
    for s in sources.values():
        verify(s)
    return sources


class _DatesAsText(yaml.SafeLoader):
    """Dates stay text, so a bad one (2020-13-10) is reported by entry and field, not by PyYAML."""


_DatesAsText.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def parse_yaml(text: str, path) -> object:
    """A raw YAML text with its dates kept as text (a SafeLoader: no objects); a syntax error
    is one line naming the file and line."""
    try:
        return yaml.load(text, Loader=_DatesAsText)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark else ""
        raise JJJError(f"{path}:{at} not valid YAML ({getattr(e, 'problem', e)})") from None


def read_text(source: Source) -> str:
    """Verified UTF-8 text of a source; empty or non-UTF-8 files are refused by name."""
    verify(source)
    return decode_text(source.file)


def decode_text(path: Path) -> str:
    data = read_bytes(path)
    if not data.strip():
        raise JJJError(f"{path}: file is empty")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise JJJError(
            f"{path}: not UTF-8 (byte {e.start}: {data[e.start : e.start + 1]!r})"
        ) from None
