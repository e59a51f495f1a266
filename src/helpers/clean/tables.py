"""The processed tables: clean one source, combine all sources, load them back.

Each source is cleaned into data/processed/sources/<id>/; the combined figures.csv, events.csv
and citations.csv are the union, rebuilt from those folders, so sources can be cleaned in any
order and a build step needs only its own source.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.clean import schema, sources
from helpers.engine.atomic import write_text
from helpers.errors import JJJError

TABLES = {"figures": schema.FIGURES, "events": schema.EVENTS}


def clean_source(source_id: str, out_root: Path | None = None):
    """Verify, parse and check one raw source into its processed folder."""
    src = sources.get(source_id)
    out_dir = (Path(out_root) if out_root else paths.PROCESSED / "sources") / src.id
    if src.kind == "full_text":
        from helpers.clean.codebook import clean_full_text

        codebook = src.meta.get("codebook")
        if not codebook:
            raise JJJError(
                f"{paths.SOURCES_MANIFEST}: full-text source {src.id!r} names no codebook"
            )
        book = sources.inside(paths.RAW, codebook, f"{paths.SOURCES_MANIFEST}: source {src.id}")
        return clean_full_text(src, out_dir=out_dir, codebook_path=book)
    if src.kind == "citation_only":
        from helpers.clean.record import clean_citations

        return clean_citations(src, out_dir=out_dir)
    raise JJJError(f"{paths.SOURCES_MANIFEST}: source {src.id!r} has unknown kind {src.kind!r}")


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


@dataclass
class Tables:
    figures: pd.DataFrame
    events: pd.DataFrame
    citations: pd.DataFrame
    article_text: str
    sources: dict


def load(processed: Path | None = None, seed_id: str = paths.SEED_SOURCE_ID) -> Tables:
    """The combined tables and the seed's reflowed text: everything the reports read."""
    processed = Path(processed or paths.PROCESSED)
    figures = schema.read_csv(processed / "figures.csv", schema.FIGURES)
    events = schema.read_csv(processed / "events.csv", schema.EVENTS)
    if hasattr(schema, "CITATIONS"):
        citations = schema.read_csv(processed / "citations.csv", schema.CITATIONS)
    else:
        citations = pd.DataFrame()
    article = processed / "sources" / seed_id / "article.json"
    try:
        doc = json.loads(article.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JJJError(f"{article}: not found — run notebook 01 first") from None
    text = doc.get("text") or "\n\n".join(b["text"] for b in doc.get("blocks", []))
    try:
        described = json.loads((processed / "sources.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JJJError(f"{processed / 'sources.json'}: not found — run notebook 01 first") from None
    return Tables(figures, events, citations, text, described)
