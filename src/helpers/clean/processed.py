"""The processed tables: clean one source into its folder, load the combined tables back.

Each source is cleaned into data/processed/sources/<id>/ (notebook 01, one build step per
source); the combined tables are their union (helpers.clean.combine), so sources can be cleaned
in any order and a build step needs only its own source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.clean import schema, sources
from helpers.errors import JJJError


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
