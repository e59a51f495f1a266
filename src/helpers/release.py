"""`make release`: dist/jjj-report-<version>.zip, byte-reproducible from a commit.

The zip holds one folder, jjj-report-<version>/, with reports/, data/processed/ (the data
package among them), CITATION.cff, README.md and SHA256SUMS (`sha256sum -c SHA256SUMS` inside
the folder checks every other file). Same commit, same bytes: entries sorted, every entry
dated SOURCE_DATE_EPOCH (the commit's time), mode 0644, no extra fields, one compression level.
The version is helpers.__version__; CITATION.cff must say the same.
"""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from helpers import __version__, paths
from helpers.engine.atomic import atomic_path
from helpers.errors import JJJError

TOP_FILES = ("CITATION.cff", "README.md")
FOLDERS = ("reports", "data/processed")
SKIP = {".gitkeep"}


def cff_version(text: str) -> str | None:
    m = re.search(r'^version:\s*"?([^"\n]+?)"?\s*$', text, flags=re.M)
    return m[1] if m else None


def members(root: Path) -> list[tuple[str, Path]]:
    """(name inside the release folder, file) for everything released, sorted by name."""
    out = []
    for name in TOP_FILES:
        if not (root / name).is_file():
            raise JJJError(f"{root / name}: missing; a release carries it")
        out.append((name, root / name))
    for folder in FOLDERS:
        files = [p for p in sorted((root / folder).rglob("*")) if p.is_file()]
        files = [p for p in files if p.name not in SKIP and not p.name.endswith(".tmp")]
        if not files:
            raise JJJError(f"{root / folder}: empty; run `make reports` before `make release`")
        out += [(p.relative_to(root).as_posix(), p) for p in files]
    for _name, p in out:
        if p.is_symlink():
            raise JJJError(f"{p}: a symlink; a release holds files only")
    return sorted(out)


def sha256sums(entries: list[tuple[str, bytes]]) -> bytes:
    """The lines `sha256sum` writes and `sha256sum -c` checks: hash, two spaces, name."""
    return "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in entries).encode()


def _stamp(epoch: int) -> tuple[int, int, int, int, int, int]:
    t = datetime.fromtimestamp(max(epoch, 315532800), tz=UTC)  # zip dates start in 1980
    return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)


def write_zip(root: Path, out: Path, epoch: int, version: str = __version__) -> Path:
    """The release zip of `root`'s built reports and data, at `out`."""
    cff = (
        (root / "CITATION.cff").read_text(encoding="utf-8")
        if (root / "CITATION.cff").is_file()
        else ""
    )
    if cff_version(cff) != version:
        raise JJJError(f"{root / 'CITATION.cff'}: version {cff_version(cff)!r}, but jjj-report "
                       f"is {version!r} (helpers/__init__.py); make them agree")  # fmt: skip
    entries = [(name, p.read_bytes()) for name, p in members(root)]
    entries.append(("SHA256SUMS", sha256sums(entries)))
    top = f"jjj-report-{version}"
    stamp = _stamp(epoch)
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w") as z:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is read the same everywhere
            info.external_attr = 0o100644 << 16
            z.writestr(info, data, compresslevel=9)
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m helpers.release [ROOT]`: write ROOT/dist/jjj-report-<version>.zip."""
    from helpers.provenance import git_commit, source_date_epoch

    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]) if args else paths.ROOT
    commit = git_commit(root)
    if commit.endswith(")"):
        print(f"jjj-report release: warning: tracked files differ from {commit}", file=sys.stderr)
    out = root / "dist" / f"jjj-report-{__version__}.zip"
    try:
        write_zip(root, out, source_date_epoch(root))
    except JJJError as e:
        print(f"jjj-report release: {e}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{digest}  {out.relative_to(root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
