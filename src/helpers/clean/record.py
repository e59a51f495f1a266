"""The citation-only public record (data/raw/corroborating.yml): load, check, write.

The file holds facts only (figures with the short Chinese expression that carries them, events,
and where each was published). Each entry is checked, mapped onto the FIGURES / EVENTS /
CITATIONS schemas and written to data/processed/sources/<id>/. The record's internal consistency
rules (helpers.analyze.consistency) are checked by the build's combine step (helpers.pipeline):
a page contradicting another stops the build before the reports' tables change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.clean import quantities, record_zh, schema, sources
from helpers.clean import record_models as models
from helpers.clean.periods import parse_period
from helpers.clean.record_measures import MEASURES
from helpers.clean.record_models import Entry, Event, Figure, parse_entry
from helpers.errors import JJJError

REGIONS = schema.REGIONS


# ----------------------------------------------------------------------------------- bounds


def bounds(value: float, qualifier: str) -> tuple[float | None, float | None]:
    """(low, high) of a figure under the project convention (helpers.clean.quantities.bounds)."""
    low, high = quantities.bounds(Decimal(str(value)), qualifier)
    return (None if low is None else float(low)), (None if high is None else float(high))


# Where a number starts: after a qualifier word, or at a digit that does not continue a number.
_NUMBER_START = re.compile(
    r"(?:约有|约为|大约|约|超过|超|逾|突破|将近|接近|近|不少于|至少|(?<![\d.]))\d"
)
_UNIT_ZH = re.compile(
    r"\d+(?:\.\d+)?\s*[多余]?\s*[万亿]?\s*(人次|场次|家|个|名|份|条|元|人|项|次|场)"
)


def _quantities_in(expr: str) -> list[tuple[int, quantities.Quantity]]:
    """Each number of the expression with its start: the longest text from there that parses."""
    found = []
    for m in _NUMBER_START.finditer(expr):
        for end in range(len(expr), m.end() - 1, -1):
            try:
                found.append((m.start(), quantities.parse_quantity(expr[m.start() : end])))
                break
            except JJJError:
                continue
    return found


def _crosscheck(expr: str, value, qualifier: str, where: str) -> int:
    """The YAML value and qualifier must say what one number of the expression says.

    Returns where that number starts (0 when no number parses: nothing to compare).
    """
    found = _quantities_in(expr)
    for start, q in found:
        if quantities.same_value(q.value, value):
            if q.qualifier != qualifier:
                raise JJJError(
                    f"{where}: field 'qualifier'={qualifier!r} but the expression says "
                    f"{q.qualifier!r}"
                )
            return start
    if found:
        said = found[0][1].value
        raise JJJError(f"{where}: field 'value'={value!r} but the expression says {said:g}")
    return 0


_EN_NUMBER = re.compile(
    r"(?:\b(about|around|approximately|nearly|almost|over|more than)\s+)?"
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\d)"
)
_EN_QUALIFIER = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "over": "over",
    "more than": "over",
}


def _crosscheck_en(expr: str, value, qualifier: str, where: str) -> None:
    """As _crosscheck, for an expression the page prints in English (`expr_lang: en`)."""
    found = [
        (float(m.group(2).replace(",", "")), _EN_QUALIFIER.get(m.group(1) or "", "exact"))
        for m in _EN_NUMBER.finditer(expr)
    ]
    for v, q in found:
        if quantities.same_value(v, value):
            if q != qualifier:
                raise JJJError(
                    f"{where}: field 'qualifier'={qualifier!r} but the expression says {q!r}"
                )
            return
    if found:
        raise JJJError(f"{where}: field 'value'={value!r} but the expression says {found[0][0]:g}")


def unit_zh(expr: str, start: int = 0) -> str:
    """The measure word after the number at `start` (magnitude 万/亿 dropped: base units)."""
    m = _UNIT_ZH.search(expr, start)
    return m.group(1) if m else ""


# ------------------------------------------------------------------------------------- load


@dataclass
class Corroboration:
    source: sources.Source
    figures: pd.DataFrame  # schema.FIGURES
    events: pd.DataFrame  # schema.EVENTS
    citations: pd.DataFrame  # schema.CITATIONS


def _entries(source: sources.Source) -> list[Entry]:
    """The verified file's entries, each validated (models.parse_entry), ids unique."""
    f = source.file
    doc = sources.parse_yaml(sources.read_text(source), f)
    raw = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(raw, list) or not raw:
        raise JJJError(f"{f}: no 'sources' list")
    entries, seen = [], set()
    for n, item in enumerate(raw, 1):
        entry = parse_entry(item, n, f)
        if entry.id in seen:
            raise JJJError(f"{models.where(f, entry.id)}: duplicate entry id")
        seen.add(entry.id)
        entries.append(entry)
    return entries


def load(source: sources.Source, measures: dict | None = None) -> Corroboration:
    """Verify (sha256), parse and check the citation-only file; map it onto the schemas.

    `measures` replaces MEASURES (the (entry id, expr) → (measure, region) map), for fixtures.
    """
    measures = MEASURES if measures is None else measures
    if source.kind != "citation_only":
        raise JJJError(f"{source.file}: source {source.id!r} is {source.kind}, not citation_only")
    f = source.file
    entries = _entries(source)
    zh = record_zh.for_source(source, entries) or {}
    figs, evs = [], []
    for e in entries:
        z = zh.get(e.id)
        figs += [_figure(e, i, fig, f, z) for i, fig in enumerate(e.figures, 1)]
        dates = [ev.date.text for ev in e.events]
        evs += [
            _event(e, i, ev, f, z, dates[: i - 1].count(ev.date.text))
            for i, ev in enumerate(e.events, 1)
        ]
    # Measure ids last: a problem anywhere else in the file is reported first.
    figs = _page_units([_assign_measure(row, at, measures) for row, at in figs])
    figures = schema.validate(
        _dedupe_ids(pd.DataFrame(figs, columns=schema.FIGURES.names)), schema.FIGURES, str(f)
    )
    events = schema.validate(pd.DataFrame(evs, columns=schema.EVENTS.names), schema.EVENTS, str(f))
    cits = [_citation(e, figures, zh.get(e.id)) for e in entries]
    citations = schema.validate(
        pd.DataFrame(cits, columns=schema.CITATIONS.names), schema.CITATIONS, str(f)
    )
    return Corroboration(source, figures, events, citations)


def _page_units(rows: list[dict]) -> list[dict]:
    """A bare number (河北(3.2483万)) takes the measure word its page prints for the same unit;
    a page printing in English (`expr_lang: en`) the one the record's Chinese pages print."""
    words = {(r["source_id"], r["unit"]): r["unit_zh"] for r in reversed(rows) if r["unit_zh"]}
    anywhere = {r["unit"]: r["unit_zh"] for r in reversed(rows) if r["unit_zh"]}
    return [
        {
            **r,
            "unit_zh": r["unit_zh"]
            or words.get((r["source_id"], r["unit"]))
            or anywhere.get(r["unit"], ""),
        }
        for r in rows
    ]


def _assign_measure(row: dict, where: str, measures: dict) -> dict:
    key = (row["source_id"], row["quote"])
    if key not in measures:
        raise JJJError(f"{where}: no measure id — add {key!r} to helpers.clean.record.MEASURES")
    measure, region = measures[key]
    # The figure's own region (the file's `region:`) wins; the map's must then agree with it.
    if row["region"] and region and region != row["region"]:
        raise JJJError(f"{where}: field 'region' is {row['region']}, MEASURES says {region}")
    return {
        **row,
        "figure_id": f"{row['source_id']}/{measure}",
        "measure": measure,
        "region": row["region"] or region,
    }


def _citation(e: Entry, figures: pd.DataFrame, zh=None) -> dict:
    d = e.date_published
    regions = set(figures.loc[figures["source_id"] == e.id, "region"])
    return {
        "source_id": e.id,
        "publisher": e.publisher,
        "date_published": d.iso,
        "date_published_text": d.text,
        "date_precision": d.precision,
        "year": d.start.year,
        "series": e.series,
        "region": "; ".join(r for r in REGIONS if r in regions),
        "url": e.url,
        "url_note": e.url_note,
        "about": e.about,
        "publisher_zh": zh.publisher if zh else "",
        "date_published_text_zh": (zh.date_published or "") if zh else "",
        "expr_lang": e.expr_lang,
    }


def _figure(e: Entry, i: int, fig: Figure, file, zh=None) -> tuple[dict, str]:
    """The figure's row (measure still to assign) and where it is, for messages."""
    at = models.figure_where(file, e.id, i, fig.expr)
    published = e.date_published
    try:
        # Only a day-precise page date can close a "year to date" period.
        p = parse_period(fig.period, published.start if published.precision == "day" else None)
    except ValueError as err:
        raise JJJError(f"{at}: field 'period': {err}") from None
    if e.expr_lang == "en":
        _crosscheck_en(fig.expr, fig.value, fig.qualifier, at)
        start = len(fig.expr)  # no Chinese measure word to take
    else:
        start = _crosscheck(fig.expr, fig.value, fig.qualifier, at)
    low, high = bounds(fig.value, fig.qualifier)
    row = {
        "figure_id": "",
        "source_id": e.id,
        "quote": fig.expr,
        "value": float(fig.value),
        "value_low": low,
        "value_high": high,
        "qualifier": fig.qualifier,
        "unit": fig.unit,
        "unit_zh": unit_zh(fig.expr, start),
        # Our Chinese text of the gloss (data/raw/record-zh.yml); without one, the expression.
        "subject_zh": zh.figures[fig.expr] if zh else fig.expr,
        "subject_en": fig.gloss,
        "measure": "",
        "region": models.REGION[fig.region] if fig.region else "",
        "series": e.series,
        "period_start": p.start,
        "period_end": p.end,
        "period_text": p.text,
        "period_ambiguous": p.ambiguous,
        "period_type": p.type,
        "category": "public_record",
        "organization": "",
        "expr_lang": e.expr_lang,
    }
    return row, at


def _dedupe_ids(df: pd.DataFrame) -> pd.DataFrame:
    # Two figures of one page with the same measure keep readable, distinct ids.
    n = df.groupby("figure_id").cumcount()
    df["figure_id"] = [
        fid if k == 0 else f"{fid}-{k + 1}" for fid, k in zip(df["figure_id"], n, strict=True)
    ]
    return df


def _event(e: Entry, i: int, ev: Event, file, zh=None, nth: int = 0) -> dict:
    d, end = ev.date, ev.date.end
    # A gloss like "first charity fair (to 09-06)" gives the event's last day.
    if m := re.search(r"\(to (\d{2})-(\d{2})\)", ev.gloss):
        try:
            end = max(end, date(d.start.year, int(m.group(1)), int(m.group(2))))
        except ValueError:
            at = models.where(file, e.id, f"event {i}")
            raise JJJError(f"{at}: field 'gloss': bad end date {m.group(0)!r}") from None
    return {
        "event_id": f"{e.id}/e{i:02d}",
        "source_id": e.id,
        "date_start": d.start.isoformat(),
        "date_end": end.isoformat(),
        "date_text": d.text,
        "quote": "",
        "text_zh": record_zh.event_text(zh, ev.date.text, nth) if zh else "",
        "text_en": ev.gloss,
    }


def clean_citations(
    source: sources.Source, out_dir: Path | None = None, measures: dict | None = None
) -> dict[str, Path]:
    """figures.csv, events.csv, citations.csv for the source; written only if every check passes."""
    corr = load(source, measures)
    out_dir = Path(out_dir) if out_dir else paths.source_dir(source.id)
    tables = {
        "figures": (corr.figures, schema.FIGURES),
        "events": (corr.events, schema.EVENTS),
        "citations": (corr.citations, schema.CITATIONS),
    }
    for name, (df, sch) in tables.items():  # validate all before writing any
        schema.validate(df, sch, str(out_dir / f"{name}.csv"))
    return {
        name: schema.write_csv(df, sch, out_dir / f"{name}.csv")
        for name, (df, sch) in tables.items()
    }
