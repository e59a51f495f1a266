"""The union of the cleaned sources: data/processed/sources/<id>/ → data/processed/figures.csv,
events.csv, citations.csv and sources.json (the build's `combine` step, helpers.pipeline)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.clean import schema, sources
from helpers.engine.atomic import write_text
from helpers.errors import JJJError

TABLES = {"figures": schema.FIGURES, "events": schema.EVENTS}


def _schemas() -> dict[str, schema.Schema]:
    out = dict(TABLES)
    if hasattr(schema, "CITATIONS"):
        out["citations"] = schema.CITATIONS
    return out


def combine(processed: Path | None = None, manifest: Path | None = None) -> dict[str, Path]:
    """Union of the manifest's cleaned sources → data/processed/<table>.csv (schema-checked).

    Only the build's `combine` task calls this (never notebook 01), so a failing clean step
    leaves the combined tables and sources.json as they were. The folder of a source no longer
    in the manifest is removed: a removed source disappears from the tables and the reports.
    """
    processed = Path(processed or paths.PROCESSED)
    known = sources.load_manifest(manifest)
    for stale in sorted(p for p in (processed / "sources").glob("*") if p.name not in known):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    folders = [processed / "sources" / sid for sid in sorted(known)]
    missing = [f.name for f in folders if not f.is_dir()]
    if missing:
        raise JJJError(f"{processed / 'sources'}: source {missing[0]} not cleaned — run its step")
    written = {"sources": write_sources(processed / "sources.json", manifest)}
    for name, sch in _schemas().items():
        parts = [
            schema.read_csv(f / f"{name}.csv", sch) for f in folders if (f / f"{name}.csv").exists()
        ]
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=sch.names)
        written[name] = schema.write_csv(df, sch, processed / f"{name}.csv")
    return written


def write_sources(path: Path, manifest: Path | None = None) -> Path:
    """The manifest's description of every source, so reports never open data/raw."""
    described = {
        sid: {k: v for k, v in s.meta.items() if k != "file"}
        for sid, s in sorted(sources.load_manifest(manifest).items())
    }
    text = json.dumps(described, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    return write_text(path, text + "\n")
