"""Column schemas of the processed tables, checked on every write.

A light, dependency-free equivalent of pandera: columns present and in order, required
values present, vocabularies respected, ids unique. Failures name the file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from .errors import JJJError

QUALIFIERS = ("exact", "more_than", "about", "nearly", "over", "at_least")
PERIOD_TYPES = ("total", "as_of", "annual", "point")
CATEGORIES = ("headline", "case_study", "public_record")


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
        Column("region", "str"),
        Column("period_start", "date", required=False),
        Column("period_end", "date", required=False),
        Column("period_text", "str", required=False),
        Column("period_ambiguous", "bool"),
        Column("period_type", "str", allowed=PERIOD_TYPES),
        Column("category", "str", allowed=CATEGORIES),
        Column("organization", "str", required=False),
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


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and v == "")


def validate(df: pd.DataFrame, schema: Schema, where: str = "") -> pd.DataFrame:
    """Return `df` with the schema's column order and row order, or raise naming the problem."""
    where = where or schema.name
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
    for col in schema.columns:
        for i, v in enumerate(df[col.name].tolist()):
            rid = df[schema.key].iloc[i]
            if _blank(v):
                if col.required:
                    raise JJJError(f"{where}: row {rid!r} has no {col.name}")
                continue
            if col.allowed and v not in col.allowed:
                raise JJJError(
                    f"{where}: row {rid!r} {col.name}={v!r} not in {', '.join(col.allowed)}"
                )
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
        if c.kind in ("str", "date"):
            df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), None)
        if c.kind == "bool":
            df[c.name] = df[c.name].astype(bool)
    return validate(df, schema, where=str(path))
