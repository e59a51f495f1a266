"""data/processed/datapackage.json: the processed tables as a Frictionless Data Package.

Profile: Data Package v2 (`$schema` https://datapackage.org/profiles/2.0/…), which the
released `frictionless` 5 validates: metadata, types, keys, foreign keys, hashes. One source
of truth: each field's type and
whether it is required come from helpers.clean.schema, its description from
docs/data-dictionary.md (the column tables there); a column the one names and the other does
not stops the build with one line, so the two cannot drift apart.

Also written here: data/processed/sources.csv, every source a row of the tables can name
(the manifest's full texts and the public record's pages), which the package's foreign keys
(`source_id` → sources) point to.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd

from helpers import __version__, paths
from helpers.clean import schema
from helpers.engine.atomic import write_text
from helpers.errors import JJJError

DICTIONARY = paths.ROOT / "docs" / "data-dictionary.md"
PROFILES = "https://datapackage.org/profiles/2.0/"
ENCODING = "utf-8"  # data/processed is plain UTF-8; readers' copies beside the reports have a BOM
TYPES = {"str": "string", "float": "number", "int": "integer", "bool": "boolean", "date": "date"}
LICENSES = [
    {
        "name": "MIT",
        "path": "https://opensource.org/licenses/MIT",
        "title": "MIT License (the project's compilation; quoted text stays its publishers')",
    }
]
# Dates kept at the precision a page gives (YYYY, YYYY-MM or YYYY-MM-DD) are text to a reader.
AS_STRING = {("citations", "date_published"), ("sources", "date_published")}

SOURCES = schema.Schema(
    "sources",
    (
        schema.Column("source_id", "str"),
        schema.Column("kind", "str", allowed=("article", "page")),
        schema.Column("publisher", "str", required=False),
        schema.Column("date_published", "date", required=False),
        schema.Column("title", "str", required=False),
        schema.Column("url", "str", required=False),
    ),
    key="source_id",
    sort_by=("source_id",),
)


def dictionary_columns(text: str) -> dict[str, dict[str, dict[str, str]]]:
    """{file name: {column: {type, required, meaning}}} from the dictionary's `## x.csv` tables."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            m = re.match(r"## (\w+)\.csv\b", line)
            current = m[1] if m else None
            continue
        if current is None or not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name = cells[0].strip("`")
        if len(cells) == 4:  # column | type | required | meaning
            kind, required, meaning = cells[1], cells[2], cells[3]
        else:  # column | type | meaning (candidates: not schema-checked)
            kind, required, meaning = cells[1], "", cells[-1]
        out.setdefault(current, {})[name] = {"type": kind, "required": required, "meaning": meaning}
    return out


def _plain(meaning: str) -> str:
    """A dictionary cell as plain text: backticks and markdown links dropped."""
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", meaning).replace("`", "").replace("\\|", "|")


def _field(table: str, col: schema.Column, doc: dict) -> dict:
    field = {
        "name": col.name,
        "type": "string" if (table, col.name) in AS_STRING else TYPES[col.kind],
        "description": _plain(doc["meaning"]),
    }
    if col.kind == "bool":
        field |= {"trueValues": ["True"], "falseValues": ["False"]}
    constraints = {}
    if col.required:
        constraints["required"] = True
    if col.allowed:
        constraints["enum"] = list(col.allowed)
    if constraints:
        field["constraints"] = constraints
    return field


def _check_agrees(table: str, columns, documented: dict, where: str) -> None:
    """Stop, naming the column, when schema and dictionary disagree."""
    names = [c.name for c in columns]
    for name in names:
        if name not in documented:
            raise JJJError(f"{where}: {table}.csv column {name!r} is not described")
    for name in documented:
        if name not in names:
            raise JJJError(f"{where}: {table}.csv column {name!r} is described but not written")
    for col in columns:
        doc = documented[col.name]
        if doc["type"] != col.kind:
            raise JJJError(f"{where}: {table}.csv column {col.name!r} is {doc['type']} there, "
                           f"{col.kind} in helpers.clean.schema")  # fmt: skip
        want = "yes" if col.required else "no"
        if doc["required"] and doc["required"] != want:
            raise JJJError(f"{where}: {table}.csv column {col.name!r} required={doc['required']} "
                           f"there, {want} in helpers.clean.schema")  # fmt: skip


def _candidate_columns() -> tuple[schema.Column, ...]:
    from helpers.clean.codebook import CANDIDATE_COLUMNS

    kinds = {"start": "int", "end": "int", "value": "float", "value_low": "float",
             "value_high": "float", "period_start": "date", "period_end": "date",
             "ambiguous": "bool"}  # fmt: skip
    return tuple(
        schema.Column(c, kinds.get(c, "str"), required=c in ("quote", "start", "end", "kind"))
        for c in CANDIDATE_COLUMNS
    )


def table_columns() -> dict[str, tuple[schema.Column, ...]]:
    """Each processed table's columns, by file stem."""
    return {
        "figures": schema.FIGURES.columns,
        "events": schema.EVENTS.columns,
        "citations": schema.CITATIONS.columns,
        "candidates": _candidate_columns(),
        "sources": SOURCES.columns,
    }


KEYS = {"figures": ["figure_id"], "events": ["event_id"], "citations": ["source_id"],
        "candidates": ["start", "end"], "sources": ["source_id"]}  # fmt: skip


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _resource(path: Path, processed: Path, documented: dict, where: str) -> dict:
    rel = path.relative_to(processed).as_posix()
    table = path.stem
    columns = table_columns().get(table)
    if columns is None:
        raise JJJError(f"{rel}: no schema for this table (add it to helpers.clean.datapackage)")
    _check_agrees(table, columns, documented.get(table, {}), where)
    fields = [_field(table, c, documented[table][c.name]) for c in columns]
    if table == "candidates":  # ids of a mention are its offsets: not required by the doc
        for f in fields:
            f.pop("constraints", None) if f["name"] not in KEYS["candidates"] else None
    table_schema: dict = {
        "$schema": PROFILES + "tableschema.json",
        "fields": fields,
        "primaryKey": KEYS[table],
    }
    if table in ("figures", "events", "citations") and "source_id" in [c.name for c in columns]:
        table_schema["foreignKeys"] = [
            {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}
        ]
    name = re.sub(r"[^a-z0-9._-]+", "-", rel.removesuffix(".csv").lower())
    return {
        "name": "sources" if rel == "sources.csv" else name.replace("/", "-"),
        "$schema": PROFILES + "dataresource.json",
        "path": rel,
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": ENCODING,
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
        "schema": table_schema,
    }


def source_rows(processed: Path) -> pd.DataFrame:
    """The manifest's full texts and every cited page: what a `source_id` can name."""
    described = json.loads((processed / "sources.json").read_text(encoding="utf-8"))
    rows = []
    for sid, meta in described.items():
        if meta.get("kind") != "full_text":
            continue
        rows.append({"source_id": sid, "kind": "article", "publisher": meta.get("publisher_en"),
                     "date_published": meta.get("date_published"),
                     "title": meta.get("title_en"), "url": None})  # fmt: skip
    cites = schema.read_csv(processed / "citations.csv", schema.CITATIONS)
    for r in cites.itertuples(index=False):
        rows.append({"source_id": r.source_id, "kind": "page", "publisher": r.publisher,
                     "date_published": r.date_published, "title": r.about,
                     "url": r.url})  # fmt: skip
    return pd.DataFrame(rows, columns=SOURCES.names)


def package(processed: Path, dictionary_text: str, where: str) -> dict:
    """The datapackage.json document for the CSVs now under `processed`."""
    documented = dictionary_columns(dictionary_text)
    csvs = sorted(processed.rglob("*.csv"), key=lambda p: p.relative_to(processed).as_posix())
    resources = [_resource(p, processed, documented, where) for p in csvs]
    pages = pd.read_csv(processed / "sources.csv", dtype=str, keep_default_na=False)
    return {
        "$schema": PROFILES + "datapackage.json",
        "name": "jjj-report",
        "title": "Social organizations in the Beijing-Tianjin-Hebei coordinated development, "
        "2014-2025: figures, events and sources",
        "description": "The statistics and events of one newspaper page (China Philanthropy "
        "Times, April 2024) and of the public record that corroborates it, as cleaned by "
        "jjj-report. Columns: docs/data-dictionary.md.",
        "version": __version__,
        "licenses": LICENSES,
        "sources": [
            {
                "title": f"{r.publisher}, {r.date_published}" if r.date_published else r.publisher,
                **({"path": r.url} if r.url else {}),
            }
            for r in pages.itertuples(index=False)
        ],  # fmt: skip
        "resources": resources,
    }


def write(processed: Path | None = None, dictionary: Path | None = None) -> dict[str, Path]:
    """Write sources.csv, then datapackage.json describing every CSV (the build's task)."""
    processed = Path(processed or paths.PROCESSED)
    dictionary = Path(dictionary or DICTIONARY)
    out = {"sources": schema.write_csv(source_rows(processed), SOURCES, processed / "sources.csv")}
    doc = package(processed, dictionary.read_text(encoding="utf-8"), str(dictionary))
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    out["datapackage"] = write_text(processed / "datapackage.json", text)
    return out
