"""The raw-source manifest (data/raw/sources.yml): sha256 check first, then loading."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers import paths
from helpers.errors import JJJError


@dataclass(frozen=True)
class Source:
    id: str
    kind: str  # full_text | citation_only
    file: Path
    sha256: str
    meta: dict


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_manifest(manifest: Path | None = None) -> dict[str, Source]:
    manifest = Path(manifest or paths.SOURCES_MANIFEST)
    try:
        doc = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JJJError(f"{manifest}: source manifest not found") from None
    out: dict[str, Source] = {}
    for entry in doc.get("sources") or []:
        sid = entry["id"]
        if sid in out:
            raise JJJError(f"{manifest}: duplicate source id {sid!r}")
        out[sid] = Source(
            id=sid,
            kind=entry.get("kind", "full_text"),
            file=manifest.parent / entry["file"],
            sha256=entry["sha256"],
            meta=entry,
        )
    return out


def get(source_id: str, manifest: Path | None = None) -> Source:
    sources = load_manifest(manifest)
    if source_id not in sources:
        raise JJJError(
            f"unknown source id {source_id!r}; known: {', '.join(sorted(sources)) or 'none'}"
        )
    return sources[source_id]


def verify(source: Source) -> None:
    """Refuse a raw file whose bytes differ from the manifest: data/raw is immutable."""
    if not source.file.exists():
        raise JJJError(f"{source.file}: raw file missing (source {source.id})")
    actual = sha256_of(source.file)
    if actual != source.sha256:
        raise JJJError(
            f"{source.file}: sha256 mismatch, expected {source.sha256}, got {actual}; "
            "data/raw is immutable — restore the file or register a new source"
        )


def verify_all(manifest: Path | None = None) -> dict[str, Source]:
    sources = load_manifest(manifest)
    for s in sources.values():
        verify(s)
    return sources


def read_text(source: Source) -> str:
    """Verified UTF-8 text of a source; empty or non-UTF-8 files are refused by name."""
    verify(source)
    return decode_text(source.file)


def decode_text(path: Path) -> str:
    data = Path(path).read_bytes()
    if not data.strip():
        raise JJJError(f"{path}: file is empty")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise JJJError(
            f"{path}: not UTF-8 (byte {e.start}: {data[e.start : e.start + 1]!r})"
        ) from None
