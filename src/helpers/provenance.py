"""What a report was built from: the colophon (sources' sha256, parameters, versions, commit)
and the build's timestamp, SOURCE_DATE_EPOCH, taken from the last commit so rebuilds agree."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime

from helpers import __version__, paths
from helpers.clean.sources import load_manifest
from helpers.errors import JJJError

PACKAGES = ("pandas", "matplotlib", "papermill", "nbconvert", "weasyprint")
FALLBACK_EPOCH = 1713484800  # 2024-04-19, the meeting the article reports: outside git only


def _git(*args: str, root=None) -> str | None:
    try:
        p = subprocess.run(
            ["git", *args], cwd=root or paths.ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return p.stdout.strip() if p.returncode == 0 else None


DIRTY = " (with uncommitted changes)"


def head_commit(root=None) -> str:
    """The checkout's commit (JJJ_COMMIT or "unknown" outside git): what decides a rebuild."""
    return _git("rev-parse", "--short=12", "HEAD", root=root) or os.environ.get(
        "JJJ_COMMIT", "unknown"
    )


def mark_uncommitted(commit: str, root=None) -> str:
    """`commit`, marked when tracked files differ from it. Asked when a report is exported,
    never when tasks are planned: an edit elsewhere must not make every export run again."""
    dirty = _git("status", "--porcelain", "--untracked-files=no", root=root)
    return commit + DIRTY if dirty else commit


def git_commit(root=None) -> str:
    """The checkout's commit, marked when tracked files differ from it (the colophon's line)."""
    return mark_uncommitted(head_commit(root), root)


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C UTC timestamp, or None when unset."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        stamp = datetime.fromtimestamp(int(raw), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise JJJError(f"SOURCE_DATE_EPOCH={raw!r} is not a Unix timestamp") from None
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def source_date_epoch(root=None) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else a fixed date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    ct = _git("log", "-1", "--format=%ct", root=root)
    return int(ct) if ct and ct.isdigit() else FALLBACK_EPOCH


def versions() -> dict[str, str]:
    from importlib import metadata  # here: planning a build needs only head_commit

    out = {"jjj-report": __version__}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def colophon(parameters: dict, commit: str | None = None) -> dict[str, str]:
    """Ordered key → text pairs printed at the end of every report.

    `commit` is the one the build planned with, marked if the tree is dirty (helpers.pipeline
    puts the commit, and the manifest holding the sha256 printed here, among what decides an
    export's rebuild; the mark is not, see mark_uncommitted)."""
    out = {"jjj-report": __version__, "git commit": commit or git_commit()}
    for src in load_manifest().values():
        out[f"sha256 {src.file.name}"] = src.sha256
        if src.translation:
            out[f"sha256 {src.translation[0].name}"] = src.translation[1]
    out["parameters"] = ", ".join(f"{k}={v}" for k, v in parameters.items())
    out["packages"] = ", ".join(f"{k} {v}" for k, v in versions().items() if k != "jjj-report")
    return out
