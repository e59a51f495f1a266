"""The citation-only public record (data/raw/corroborating.yml): load, check, write.

The file holds facts only (figures with the short Chinese expression that carries them, events,
and where each was published). Each entry is checked, mapped onto the FIGURES / EVENTS /
CITATIONS schemas and, once the record's internal consistency rules pass
(helpers.analyze.consistency), written to data/processed/sources/<id>/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from helpers import paths

# The record's own consistency rules gate the write: a page contradicting another is refused
# here, before anything reaches data/processed.
from helpers.analyze.consistency import check_all, same_value
from helpers.clean import schema, sources
from helpers.clean.periods import DateText, parse_date, parse_period
from helpers.errors import JJJError

REGIONS = schema.REGIONS

# (entry id, expr) → (measure, region). Figures that are the same quantity as a seed headline
# figure share its measure id. Regions: where the campaign's projects landed (Hebei), where
# projects came from (Beijing/Tianjin/Hebei), or the three regions together
# (Beijing-Tianjin-Hebei) when the
# page gives no narrower scope. A figure missing here is refused, never guessed.
MEASURES: dict[tuple[str, str], tuple[str, str]] = {
    ("bjyouth-2024-04-19", "144家社会组织"): (
        "orgs_planning_projects_2024",
        "Beijing-Tianjin-Hebei",
    ),
    ("bjyouth-2024-04-19", "项目意向184个"): ("project_intentions_2024", "Beijing-Tianjin-Hebei"),
    ("bjyouth-2024-04-19", "9个项目"): ("projects_signed_on_site", "Beijing-Tianjin-Hebei"),
    ("cpt-2020-11-10", "6300多家"): ("orgs_participating", "Hebei"),
    ("cpt-2020-11-10", "扶贫项目5367个"): ("projects_landed", "Hebei"),
    ("cpt-2020-11-10", "约21.88亿元"): ("funds_yuan", "Hebei"),
    ("cpt-2020-11-10", "62个扶贫开发重点县"): ("counties_covered", "Hebei"),
    ("cpt-2020-11-10", "280多万人次"): ("beneficiaries_person_times", "Hebei"),
    ("hebei-2018-08-23", "扶贫项目403个"): ("projects_landed", "Hebei"),
    ("hebei-2018-08-23", "42个贫困县"): ("counties_covered", "Hebei"),
    ("hebei-2018-08-23", "8个设区市"): ("cities_covered", "Hebei"),
    ("hebei-2018-08-23", "4.46亿元以上"): ("funds_yuan", "Hebei"),
    ("hebei-2018-08-23", "北京市…75个"): ("projects_from_beijing", "Beijing"),
    ("hebei-2018-08-23", "约1.13亿元"): ("funds_from_beijing_yuan", "Beijing"),
    ("hebei-2018-08-23", "天津市35个项目"): ("projects_from_tianjin", "Tianjin"),
    ("hebei-2018-08-23", "900余万元"): ("funds_from_tianjin_yuan", "Tianjin"),
    ("hebei-2018-08-23", "我省…275个"): ("projects_from_hebei", "Hebei"),
    ("hebei-2018-08-23", "约2.75亿元"): ("funds_from_hebei_yuan", "Hebei"),
    ("hebei-2018-08-23", "100余家社会组织"): ("matchmaking_signing_orgs", "Hebei"),
    ("hebei-2019-annual", "3150家社会组织"): ("orgs_participating", "Hebei"),
    ("hebei-2019-annual", "扶贫项目2393个"): ("projects_landed", "Hebei"),
    ("hebei-2019-annual", "5.73亿元"): ("funds_yuan", "Hebei"),
    ("civil-affairs-2022-08-04", "近7000名"): ("elders_in_hebei_care", "Hebei"),
    ("civil-affairs-2022-08-04", "30余份专项合作协议"): (
        "cooperation_agreements",
        "Beijing-Tianjin-Hebei",
    ),
    ("civil-affairs-2022-08-04", "40余场次"): ("exchange_events", "Beijing-Tianjin-Hebei"),
    ("civil-affairs-2022-08-04", "扶贫项目5367个"): ("projects_landed", "Hebei"),
    ("civil-affairs-2022-08-04", "21.88亿元"): ("funds_yuan", "Hebei"),
    ("civil-affairs-2022-08-04", "280余万人次"): ("beneficiaries_person_times", "Hebei"),
    ("xinhua-2015-11-06", "10个方面"): ("cooperation_areas_framework", "Beijing-Tianjin-Hebei"),
    ("cpt-2016-09-20", "150家慈善组织"): ("charity_fair_orgs", "Beijing-Tianjin-Hebei"),
    ("cpt-2016-09-20", "超过3.2万家"): ("beijing_registered_orgs", "Beijing"),
    ("chinanpo-2025-12-30", "16条意见"): ("policy_articles", "Beijing-Tianjin-Hebei"),
    ("chinanpo-2025-12-30", "34家社会组织"): ("xiongan_visit_orgs", "Beijing-Tianjin-Hebei"),
    ("chinanpo-2025-12-30", "16家社会组织"): ("xiongan_project_orgs", "Beijing-Tianjin-Hebei"),
}

# Regional parts that a page reports beside its total (same page, same period end).

# ----------------------------------------------------------------------------------- bounds


def _step(value: float) -> Decimal:
    """One unit of the last significant digit place: 6300 → 100, 2.8e6 → 1e5."""
    exp = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return Decimal(1).scaleb(exp)


def _bounds(value: float, qualifier: str) -> tuple[float | None, float | None]:
    """Fallback for the project-wide bounds convention, used only without clean.quantities."""
    v = float(value)
    if qualifier == "exact":
        return v, v
    if qualifier == "more_than":
        return v, float(Decimal(repr(v)) + _step(v))
    if qualifier in ("over", "at_least"):
        return v, None
    if qualifier == "nearly":
        return None, v
    return None, None  # about: no bounds


def _quantities():
    try:
        from helpers.clean import (
            quantities,  # lazily: this module must load even before quantities exists
        )
    except ImportError:
        return None
    return quantities


def bounds(value: float, qualifier: str) -> tuple[float | None, float | None]:
    """(low, high) of a figure under the project convention (helpers.clean.quantities.bounds)."""
    q = _quantities()
    if q is None:
        return _bounds(value, qualifier)
    low, high = q.bounds(Decimal(str(value)), qualifier)
    return (None if low is None else float(low)), (None if high is None else float(high))


_NUMBER_START = re.compile(r"(?:约有|约为|大约|约|超过|超|逾|将近|接近|近|不少于|至少)?\d")


def _crosscheck(expr: str, value, qualifier: str, where: str) -> None:
    """The YAML value and qualifier must say what the Chinese expression says, where it parses."""
    q = _quantities()
    m = _NUMBER_START.search(expr)
    if q is None or not m:
        return
    try:
        parsed = q.parse_quantity(expr[m.start() :])
    except JJJError:
        return  # e.g. 62个扶贫开发重点县: a noun too long for a unit; nothing to compare
    if not same_value(parsed.value, value):
        raise JJJError(f"{where}: field 'value'={value!r} but the expression says {parsed.value:g}")
    if parsed.qualifier != qualifier:
        raise JJJError(
            f"{where}: field 'qualifier'={qualifier!r} but the expression says {parsed.qualifier!r}"
        )


_UNIT_ZH = re.compile(
    r"\d+(?:\.\d+)?\s*[多余]?\s*[万亿]?\s*(人次|场次|家|个|名|份|条|元|人|项|次|场)"
)


def unit_zh(expr: str) -> str:
    """The measure word after the number (magnitude 万/亿 dropped: values are in base units)."""
    m = _UNIT_ZH.search(expr)
    return m.group(1) if m else ""


# ------------------------------------------------------------------------------------- load


@dataclass
class Corroboration:
    source: sources.Source
    figures: pd.DataFrame  # schema.FIGURES
    events: pd.DataFrame  # schema.EVENTS
    citations: pd.DataFrame  # schema.CITATIONS

    @property
    def cited_figures(self) -> pd.DataFrame:
        """Figures with their page's url, publisher and date_published."""
        return with_citations(self.figures, self.citations)


def _need(d: dict, key: str, where: str, kind=str):
    v = d.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        raise JJJError(f"{where}: missing field {key!r}")
    if kind is str and not isinstance(v, str):
        raise JJJError(f"{where}: field {key!r}={v!r} is not text")
    return v


class _Loader(yaml.SafeLoader):
    """Dates stay text, so a bad one (2020-13-10) is reported by entry and field, not by PyYAML."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def load(source: sources.Source, measures: dict | None = None) -> Corroboration:
    """Verify (sha256), parse and check the citation-only file; map it onto the schemas.

    `measures` replaces MEASURES (the (entry id, expr) → (measure, region) map), for fixtures.
    """
    measures = MEASURES if measures is None else measures
    if source.kind != "citation_only":
        raise JJJError(f"{source.file}: source {source.id!r} is {source.kind}, not citation_only")
    text = sources.read_text(source)
    f = source.file
    try:
        doc = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader: no arbitrary objects
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark else ""
        raise JJJError(f"{f}:{at} not valid YAML ({getattr(e, 'problem', e)})") from None
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise JJJError(f"{f}: no 'sources' list")
    figs, evs, cits, seen = [], [], [], set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise JJJError(f"{f}: entry #{n} is not a mapping")
        eid = _need(entry, "id", f"{f}: entry #{n}")
        where = f"{f}: entry {eid!r}"
        if eid in seen:
            raise JJJError(f"{where}: duplicate entry id")
        seen.add(eid)
        cits.append(_citation(entry, where))
        published = parse_date(entry["date_published"])
        for i, fig in enumerate(entry.get("figures") or [], 1):
            figs.append(_figure(fig, eid, published, f"{where} figure {i}"))
        for i, ev in enumerate(entry.get("events") or [], 1):
            evs.append(_event(ev, eid, i, f"{where} event {i}"))
    # Measure ids last: a structural error anywhere in the file is reported first.
    figs = [_assign_measure(row, where, measures) for row, where in figs]
    figures = schema.validate(
        _dedupe_ids(pd.DataFrame(figs, columns=schema.FIGURES.names)), schema.FIGURES, str(f)
    )
    events = schema.validate(pd.DataFrame(evs, columns=schema.EVENTS.names), schema.EVENTS, str(f))
    citations = schema.validate(
        pd.DataFrame(cits, columns=schema.CITATIONS.names), schema.CITATIONS, str(f)
    )
    return Corroboration(source, figures, events, citations)


def _assign_measure(row: dict, where: str, measures: dict) -> dict:
    key = (row["source_id"], row["quote"])
    if key not in measures:
        raise JJJError(f"{where}: no measure id — add {key!r} to helpers.clean.record.MEASURES")
    measure, region = measures[key]
    return {
        **row,
        "figure_id": f"{row['source_id']}/{measure}",
        "measure": measure,
        "region": region,
    }


def _citation(entry: dict, where: str) -> dict:
    publisher = _need(entry, "publisher", where)
    url = _need(entry, "url", where)
    if not re.match(r"https?://\S+$", url):
        raise JJJError(f"{where}: field 'url'={url!r} is not an http(s) URL")
    raw = _need(entry, "date_published", where, kind=None)
    try:
        d = parse_date(raw)
    except ValueError as e:
        raise JJJError(f"{where}: field 'date_published': {e}") from None
    return {
        "source_id": entry["id"],
        "publisher": publisher,
        "date_published": d.iso,
        "date_published_text": d.text,
        "date_precision": d.precision,
        "year": d.start.year,
        "url": url,
        "url_note": str(entry.get("url_note") or ""),
        "about": str(entry.get("about") or ""),
    }


def _figure(fig, eid: str, published: DateText, where: str) -> tuple[dict, str]:
    """The figure's row (measure and region still to assign) and where it is, for messages."""
    if not isinstance(fig, dict):
        raise JJJError(f"{where}: not a mapping")
    expr = _need(fig, "expr", where)
    where = f"{where} ({expr})"
    value = _need(fig, "value", where, kind=None)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise JJJError(f"{where}: field 'value'={value!r} is not a non-negative number")
    unit = _need(fig, "unit", where)
    q = _need(fig, "qualifier", where)
    if q not in schema.QUALIFIERS:
        raise JJJError(f"{where}: field 'qualifier'={q!r} not in {', '.join(schema.QUALIFIERS)}")
    period_raw = _need(fig, "period", where, kind=None)
    gloss = _need(fig, "gloss", where)
    try:
        # Only a day-precise page date can close a "year to date" period.
        p = parse_period(str(period_raw), published.start if published.precision == "day" else None)
    except ValueError as e:
        raise JJJError(f"{where}: field 'period': {e}") from None
    _crosscheck(expr, value, q, where)
    low, high = bounds(value, q)
    row = {
        "figure_id": "",
        "source_id": eid,
        "quote": expr,
        "value": float(value),
        "value_low": low,
        "value_high": high,
        "qualifier": q,
        "unit": unit,
        "unit_zh": unit_zh(expr),
        "subject_zh": expr,
        "subject_en": gloss,
        "measure": "",
        "region": "",
        "period_start": p.start,
        "period_end": p.end,
        "period_text": p.text,
        "period_ambiguous": p.ambiguous,
        "period_type": p.type,
        "category": "public_record",
        "organization": "",
    }
    return row, where


def _dedupe_ids(df: pd.DataFrame) -> pd.DataFrame:
    # Two figures of one page with the same measure keep readable, distinct ids.
    n = df.groupby("figure_id").cumcount()
    df["figure_id"] = [
        fid if k == 0 else f"{fid}-{k + 1}" for fid, k in zip(df["figure_id"], n, strict=True)
    ]
    return df


def _event(ev, eid: str, i: int, where: str) -> dict:
    if not isinstance(ev, dict):
        raise JJJError(f"{where}: not a mapping")
    raw = _need(ev, "date", where, kind=None)
    gloss = _need(ev, "gloss", where)
    try:
        d = parse_date(raw)
    except ValueError as e:
        raise JJJError(f"{where}: field 'date': {e}") from None
    end = d.end
    # A gloss like "first charity fair (to 09-06)" gives the event's last day.
    if m := re.search(r"\(to (\d{2})-(\d{2})\)", gloss):
        try:
            end = max(end, date(d.start.year, int(m.group(1)), int(m.group(2))))
        except ValueError:
            raise JJJError(f"{where}: field 'gloss': bad end date {m.group(0)!r}") from None
    return {
        "event_id": f"{eid}/e{i:02d}",
        "source_id": eid,
        "date_start": d.start.isoformat(),
        "date_end": end.isoformat(),
        "date_text": d.text,
        "quote": "",
        "text_zh": "",
        "text_en": gloss,
    }


def clean_citations(
    source: sources.Source, out_dir: Path | None = None, measures: dict | None = None
) -> dict[str, Path]:
    """figures.csv, events.csv, citations.csv for the source; written only if every check passes."""
    corr = load(source, measures)
    problems = check_all(corr.figures)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise JJJError(f"{source.file}: consistency check failed: {problems[0]}{more}")
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


_CITED = ("url", "publisher", "date_published")


def with_citations(df: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=[c for c in _CITED if c in df.columns]).reset_index(drop=True)
    if citations is None or not len(citations) or "source_id" not in citations.columns:
        return df.assign(**{c: None for c in _CITED})
    cols = citations[["source_id", *_CITED]].drop_duplicates("source_id")
    return df.merge(cols, on="source_id", how="left")
