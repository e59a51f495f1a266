"""Column schemas of the processed tables, checked on every write.

A light, dependency-free equivalent of pandera: columns present and in order, required
values present, vocabularies respected, ids unique. Failures name the file, row and column.

pandera or this module, measured (benchmarks/schema_vs_pandera.py, best of 5, 2 shared cores):
on the tables as built (8–62 rows) both take under 0.1 s (figures: this 0.096 s, pandera
0.047 s; citations 0.017 s vs 0.028 s); at 100× the rows pandera is ~10× faster (figures
10.6 s vs 0.97 s); importing pandera adds ~28 % to importing pandas. This module is not faster
by a wide margin, so by issue #11's rule pandera should replace it (with these one-line
messages kept); until that change lands it stays, and it is not in the lock yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.clean.periods import blank

# The vocabularies live in a module without pandas, so validating YAML (clean.models) does not
# import pandas and a no-op build stays fast; they are re-exported here for the tables' users.
from helpers.clean.vocab import (
    CATEGORIES,
    EXPR_LANGS,
    PERIOD_TYPES,
    QUALIFIERS,
    REGIONS,
    SERIES,
)
from helpers.engine.atomic import atomic_path
from helpers.errors import JJJError


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str | float | int | bool | date
    required: bool = True
    allowed: tuple = ()


@dataclass(frozen=True)
class Schema:
    name: str
    columns: tuple[Column, ...]
    key: str
    sort_by: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


FIGURES = Schema(
    "figures",
    (
        Column("figure_id", "str"),
        Column("source_id", "str"),
        Column("quote", "str"),
        Column("value", "float"),
        Column("value_low", "float", required=False),
        Column("value_high", "float", required=False),
        Column("qualifier", "str", allowed=QUALIFIERS),
        Column("unit", "str"),
        Column("unit_zh", "str"),
        Column("subject_zh", "str"),
        Column("subject_en", "str"),
        Column("measure", "str"),
        Column("region", "str", allowed=REGIONS),
        Column("series", "str", required=False, allowed=SERIES),
        Column("period_start", "date", required=False),
        Column("period_end", "date", required=False),
        Column("period_text", "str", required=False),
        Column("period_ambiguous", "bool"),
        Column("period_type", "str", allowed=PERIOD_TYPES),
        Column("category", "str", allowed=CATEGORIES),
        Column("organization", "str", required=False),
        # Who the source says gave the figure, verbatim (据记者了解); empty: the source's voice.
        Column("attribution", "str", required=False),
        # The language the source prints the quote in (public record: zh, or en where the
        # page prints its figures in English); blank for the article (Chinese).
        Column("expr_lang", "str", required=False, allowed=EXPR_LANGS),
    ),
    key="figure_id",
    sort_by=("source_id", "figure_id"),
)

EVENTS = Schema(
    "events",
    (
        Column("event_id", "str"),
        Column("source_id", "str"),
        Column("date_start", "date"),
        Column("date_end", "date"),
        Column("date_text", "str"),
        Column("quote", "str", required=False),
        Column("text_zh", "str", required=False),
        Column("text_en", "str"),
    ),
    key="event_id",
    sort_by=("date_start", "event_id"),
)


def unprintable(text: str) -> str | None:
    """The first character of `text` no report can print, described; None when all can.

    The report font covers the Basic Multilingual Plane's scripts; invisible format characters
    (U+200B), controls, private-use and unassigned code points and anything beyond U+FFFF
    (emoji, CJK Extension B) would fail the PDF far from the field that brought them in.
    """
    import unicodedata

    if text.isprintable() and max(text, default="") <= "\uffff":
        return None  # no control, format, private-use, unassigned or surrogate character
    for ch in text:
        cat = unicodedata.category(ch)
        if (
            ord(ch) > 0xFFFF
            or cat in ("Cf", "Co", "Cn", "Cs")
            or (cat == "Cc" and ch not in "\n\t")
        ):
            name = unicodedata.name(ch, "unnamed")
            return f"character U+{ord(ch):04X} ({name}) cannot be printed in the reports"
    return None


def validate(df: pd.DataFrame, schema: Schema, where: str = "") -> pd.DataFrame:
    """Return `df` with the schema's column order and row order, or raise naming the problem."""
    where = where or schema.name
    # An optional column added later (figures.attribution) may be absent from older frames.
    absent = [c.name for c in schema.columns if not c.required and c.name not in df.columns]
    if absent:
        df = df.assign(**dict.fromkeys(absent, None))
    missing = [c for c in schema.names if c not in df.columns]
    if missing:
        raise JJJError(f"{where}: missing column(s) {', '.join(missing)}")
    extra = [c for c in df.columns if c not in schema.names]
    if extra:
        raise JJJError(f"{where}: unexpected column(s) {', '.join(extra)}")
    df = df[schema.names].copy()
    dup = df[schema.key][df[schema.key].duplicated()].tolist()
    if dup:
        raise JJJError(f"{where}: duplicate {schema.key} {dup[0]!r}")
    keys = df[schema.key].tolist()
    for col in schema.columns:
        for rid, v in zip(keys, df[col.name].tolist(), strict=True):
            if blank(v):
                if col.required:
                    raise JJJError(f"{where}: row {rid!r} has no {col.name}")
                continue
            if col.allowed and v not in col.allowed:
                raise JJJError(
                    f"{where}: row {rid!r} {col.name}={v!r} not in {', '.join(col.allowed)}"
                )
            bad = unprintable(v) if isinstance(v, str) else None
            if bad:
                raise JJJError(f"{where}: row {rid!r} {col.name}: {bad}")
            if col.kind == "float" and not isinstance(v, int | float):
                raise JJJError(f"{where}: row {rid!r} {col.name}={v!r} is not a number")
            if col.kind == "bool" and not isinstance(v, bool):
                raise JJJError(f"{where}: row {rid!r} {col.name}={v!r} is not true/false")
            if col.kind == "date":
                try:
                    pd.Timestamp(str(v))
                except ValueError:
                    raise JJJError(f"{where}: row {rid!r} {col.name}={v!r} is not a date") from None
    if schema.sort_by:
        df = df.sort_values(list(schema.sort_by), kind="stable").reset_index(drop=True)
    return df


def write_csv(df: pd.DataFrame, schema: Schema, path: Path) -> Path:
    """Validate, then write UTF-8 CSV atomically with stable order and LF line endings."""
    df = validate(df, schema, where=str(path))
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)


def read_csv(path: Path, schema: Schema) -> pd.DataFrame:
    dtypes = {c.name: "string" for c in schema.columns if c.kind in ("str", "date")}
    try:
        df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise JJJError(f"{path}: not found — run `make reports` (or notebook 01) first") from None
    for c in schema.columns:
        if c.name not in df.columns:
            continue  # validate names a missing required column, fills an optional one
        if c.kind in ("str", "date"):
            df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), None)
        if c.kind == "bool":
            df[c.name] = df[c.name].astype(bool)
    return validate(df, schema, where=str(path))


# Written by helpers.clean.record: one row per cited page of a citation-only source.
# date_published keeps the precision the page gives (YYYY, YYYY-MM or YYYY-MM-DD);
# date_published_text is the raw string, so a note like "2020 (spring; …)" is never lost.
CITATIONS = Schema(
    "citations",
    (
        Column("source_id", "str"),
        Column("publisher", "str"),
        Column("date_published", "date"),
        Column("date_published_text", "str"),
        Column("date_precision", "str", allowed=("day", "month", "year")),
        Column("year", "int"),
        Column("series", "str", required=False, allowed=SERIES),
        # The regions of the page's figures, "; "-separated in REGIONS order (blank: none).
        Column("region", "str", required=False),
        Column("url", "str"),
        Column("url_note", "str", required=False),
        Column("about", "str", required=False),
        # Our Chinese citation of the page (data/raw/record-zh.yml); blank: none registered.
        Column("publisher_zh", "str", required=False),
        Column("date_published_text_zh", "str", required=False),
        # The language of the page's figure expressions: zh, or en (`expr_lang: en`).
        Column("expr_lang", "str", allowed=EXPR_LANGS),
    ),
    key="source_id",
    sort_by=("date_published", "source_id"),
)

RELATIONS = ("exact_match", "consistent_bound", "different_period", "inconsistent")


def _figure_columns(prefix: str) -> tuple[Column, ...]:
    """One figure's side of a row that pairs two, `<prefix>_…` (helpers.analyze.reconcile)."""
    return (
        Column(f"{prefix}_figure_id", "str"),
        Column(f"{prefix}_quote", "str"),
        Column(f"{prefix}_value", "float"),
        Column(f"{prefix}_low", "float", required=False),
        Column(f"{prefix}_high", "float", required=False),
        Column(f"{prefix}_qualifier", "str", allowed=QUALIFIERS),
    )


# Seed headline figures against the public record (helpers.analyze.reconcile).
RECONCILIATION = Schema(
    "reconciliation",
    (
        Column("pair_id", "str"),
        Column("measure", "str"),
        *_figure_columns("seed"),
        *_figure_columns("public"),
        Column("public_source_id", "str"),
        Column("public_period_start", "date", required=False),
        Column("public_period_end", "date", required=False),
        Column("public_date_published", "date", required=False),
        Column("relation", "str", allowed=RELATIONS),
    ),
    key="pair_id",
)

# Two public figures for the same measure, region and period that disagree.
CONFLICTS = Schema(
    "conflicts",
    (
        Column("conflict_id", "str"),
        Column("measure", "str"),
        Column("region", "str"),
        Column("series", "str", required=False, allowed=SERIES),
        Column("period", "str"),
        Column("figure_id_a", "str"),
        Column("source_a", "str"),
        Column("quote_a", "str"),
        Column("value_a", "float"),
        Column("qualifier_a", "str", allowed=QUALIFIERS),
        Column("figure_id_b", "str"),
        Column("source_b", "str"),
        Column("quote_b", "str"),
        Column("value_b", "float"),
        Column("qualifier_b", "str", allowed=QUALIFIERS),
        Column("kind", "str", allowed=("value_differs", "qualifier_differs")),
    ),
    key="conflict_id",
)
