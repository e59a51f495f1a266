"""The raw-source manifest (data/raw/sources.yml): sha256 check first, then loading; what an
entry says of its source (layout map, reference date)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import stat
from collections import namedtuple
from pathlib import Path

from helpers import paths
from helpers.engine.state import file_sha256, read_checked, write_checked
from helpers.errors import JJJError

# Raw inputs are text files of a few hundred kB; a limit keeps /dev/zero-like inputs bounded.
MAX_BYTES = 64 * 1024 * 1024


class Source(namedtuple("Source", "id kind file sha256 meta translation", defaults=(None,))):
    """A manifest entry: kind full_text | citation_only; file a Path; meta the entry as
    written; translation: our Chinese renderings of the source's English glosses, (file,
    sha256), or None. A named tuple: importing dataclasses would cost a no-op build time."""

    __slots__ = ()


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


def open_regular(path: Path) -> io.BufferedReader:
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
    return {src.id: src for src, _ in _load(manifest)}


def _load(manifest: Path | None) -> list[tuple[Source, dict]]:
    """Each valid entry as (Source, the raw file names it gives, validated: see _entry)."""
    import yaml  # here, not at the top: a no-op build plans from manifest_files' cache

    manifest = Path(manifest or paths.SOURCES_MANIFEST)
    if not manifest.exists():
        raise JJJError(f"{manifest}: source manifest not found")
    try:
        doc = load_yaml(read_bytes(manifest).decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        raise JJJError(f"{manifest}: unreadable manifest ({type(e).__name__})") from None
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise JJJError(f"{manifest}: must be a mapping with a `sources:` list")
    out: list[tuple[Source, dict]] = []
    for i, entry in enumerate(entries):
        src, names = _entry(manifest, i, entry)
        if any(src.id == seen.id for seen, _ in out):
            raise JJJError(f"{manifest}: duplicate source id {src.id!r}")
        out.append((src, names))
    return out


def _entry(manifest: Path, i: int, entry) -> tuple[Source, dict]:
    """One manifest entry (models.SourceEntry), its files confined to the manifest's folder;
    and the names of those files, as validated."""
    from helpers.clean import models

    sid = entry.get("id") if isinstance(entry, dict) else None
    name = repr(sid) if isinstance(sid, str) and sid.strip() else f"#{i + 1}"
    at = f"{manifest}: source {name}"
    src = models.validate(models.SourceEntry, entry, at)
    zh = src.translation
    names = {"codebook": src.codebook, "layout": src.layout, "file": src.file,
             "translation": zh.file if zh else None}  # fmt: skip
    placed = _place(manifest, src.id, names)
    source = Source(
        id=src.id,
        kind=src.kind,
        file=placed["file"],
        sha256=src.sha256,
        meta=entry,
        translation=(placed["translation"], zh.sha256) if zh else None,
    )
    return source, names


NAMED = ("codebook", "layout", "file", "translation")  # the raw files an entry names


def _place(manifest: Path, sid: str, names: dict) -> dict[str, Path]:
    """The raw files a valid entry names, each confined to the manifest's folder by inside(),
    checked in NAMED's order: {key: path}."""
    at = f"{manifest}: source {sid!r}"
    return {
        k: inside(manifest.parent, names[k], f"{at}: {k}") for k in NAMED if names[k] is not None
    }


# ---------------------------------------------------------------- the manifest, remembered

CACHE_VERSION = 1
# The code that decides whether a manifest is valid: a change there invalidates the cache.
_VALIDATORS = ("sources.py", "models.py")


def manifest_files(manifest: Path, cache: Path) -> dict[str, tuple[Path, Path | None]]:
    """{source id: (its raw file, its translation's file or None)}, as load_manifest gives them.

    The validated names are remembered in `cache` (JSON, written atomically), keyed by the
    sha256 of the manifest's bytes and of the code that validates it, so that a no-op build
    need not load YAML and pydantic: a manifest whose bytes were found valid is valid. A cache
    whose key or checksum differs, or that is unreadable, is ignored and rewritten. The files
    are confined to the manifest's folder (inside()) on every call: that depends on the disk."""
    manifest = Path(manifest)
    if not manifest.exists():
        raise JJJError(f"{manifest}: source manifest not found")
    key = _manifest_key(manifest)
    entries = _cached(cache, key)
    if entries is None:
        entries = [(src.id, names) for src, names in _load(manifest)]
        _remember(cache, key, entries)
    out = {}
    for sid, names in entries:
        placed = _place(manifest, sid, names)
        out[sid] = (placed["file"], placed.get("translation"))
    return out


def _manifest_key(manifest: Path) -> str:
    import hashlib

    h = hashlib.sha256(read_bytes(manifest))
    for name in _VALIDATORS:
        h.update(file_sha256(Path(__file__).with_name(name)).encode())
    return h.hexdigest()


def _cached(cache: Path, key: str) -> list | None:
    """The cached [[id, names], …] when the cache is intact and its key is `key`, else None."""
    doc = read_checked(cache)
    if not doc or doc.get("version") != CACHE_VERSION or doc.get("key") != key:
        return None
    return doc["sources"] if _well_formed(doc.get("sources")) else None


def _well_formed(entries) -> bool:
    return isinstance(entries, list) and all(
        isinstance(e, list)
        and len(e) == 2
        and isinstance(e[0], str)
        and isinstance(e[1], dict)
        and set(e[1]) == set(NAMED)
        and isinstance(e[1]["file"], str)
        and all(v is None or isinstance(v, str) for v in e[1].values())
        for e in entries
    )


def _remember(cache: Path, key: str, entries: list) -> None:
    write_checked(cache, {"version": CACHE_VERSION, "key": key, "sources": entries})


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


@functools.cache
def _loaders(dates_as_text: bool) -> tuple[type, type]:
    """(PyYAML's SafeLoader, the same on libyaml's parser where PyYAML has it), dates kept as
    text if asked, so a bad one (2020-13-10) is reported by entry and field, not by PyYAML
    (made on first use: importing yaml costs a no-op build time)."""
    import yaml

    pure, fast = yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if not dates_as_text:
        return pure, fast
    made = tuple(type("DatesAsText", (base,), {}) for base in (pure, fast))
    for loader in made:
        loader.add_constructor(
            "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
        )
    return made


def load_yaml(text: str, dates_as_text: bool = False) -> object:
    """yaml.safe_load(text), parsed by libyaml where PyYAML has it: the same data (the same
    Python constructors; checked on every YAML file here), about ten times faster. On any
    error the pure-Python parser runs again, so a bad file gets the message it always got."""
    import yaml

    pure, fast = _loaders(dates_as_text)
    try:
        return yaml.load(text, Loader=fast)
    except Exception:  # noqa: BLE001 — re-raised below, as PyYAML's own parser words it
        return yaml.load(text, Loader=pure)


def parse_yaml(text: str, path) -> object:
    """A raw YAML text with its dates kept as text (a SafeLoader: no objects); a syntax error
    is one line naming the file and line."""
    import yaml

    try:
        return load_yaml(text, dates_as_text=True)
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


# ---------------------------------------------------------------- what an entry says


def source_of(path) -> Source | None:
    """The registered full-text source whose raw file is `path`, or None."""
    target = Path(path).resolve()
    try:
        manifest = load_manifest()
    except JJJError:
        return None  # no usable manifest: the file is simply not a registered source
    return next(
        (s for s in manifest.values() if s.kind == "full_text" and s.file.resolve() == target),
        None,
    )


def reference_date(source: Source) -> dt.date | None:
    """The date relative periods (近三年, 目前) count from: publication, else the event."""
    for key in ("date_published", "event_date"):
        v = source.meta.get(key)
        if isinstance(v, dt.date):
            return v
        if v:
            try:
                return dt.date.fromisoformat(str(v))
            except ValueError:
                continue
    return None


def layout_path(source_id: str) -> Path | None:
    """The layout map the manifest names for a source (its `layout:` key), or None."""
    try:
        source = get(source_id)
    except JJJError:
        return None  # not a registered source (extract on any file): no map
    rel = source.meta.get("layout")
    where = f"{paths.SOURCES_MANIFEST}: source {source_id!r}: layout"
    return inside(paths.SOURCES_MANIFEST.parent, rel, where) if rel else None


def load_layout(source_id: str, path: Path | None = None) -> dict | None:
    """The layout map of a source (checked by models.LayoutMap), or None when it has none."""
    import yaml

    from helpers.clean import models

    path = Path(path) if path else layout_path(source_id)
    if path is None or not path.exists():
        return None
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        raise JJJError(f"{path}: unreadable layout map ({type(e).__name__})") from None
    if not isinstance(doc, dict):
        raise JJJError(f"{path}: layout map must be a mapping")
    for i, block in enumerate(doc.get("blocks") or []):
        start = block.get("starts") if isinstance(block, dict) else None
        models.validate(models.LayoutBlock, block, f"{path}: block {i + 1} ({start!r})")
    layout = models.validate(models.LayoutMap, doc, f"{path}: layout map")
    return {**layout.model_dump(exclude_none=True), "_path": str(path)}
