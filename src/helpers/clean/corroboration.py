"""The citation-only public record (data/raw/corroborating.yml): load, check, reconcile.

The file holds facts only (figures with the short Chinese expression that carries them, events,
and where each was published). It is mapped onto the FIGURES / EVENTS / CITATIONS schemas, checked
for internal consistency, and set against the seed article's headline totals, which turn out to
be the 2017-12 → 2020-10 poverty-relief campaign's totals.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from helpers import paths
from helpers.clean import schema, sources
from helpers.errors import JJJError

# Launched 2017-12 (hebei-2018-08-23 event), results presented 2020-10-28 (cpt-2020-11-10):
# the period a bare "the poverty campaign" refers to.
CAMPAIGN = ("2017-12", "2020-10")
CAMPAIGN_NAME = {
    "en": "campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief",
    "zh": "京津冀社会组织助力河北脱贫攻坚行动",
}
CAMPAIGN_MEASURES = (
    "orgs_participating",
    "projects_landed",
    "funds_yuan",
    "counties_covered",
    "beneficiaries_person_times",
)
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
SUBTOTALS = {
    "projects_landed": ("projects_from_beijing", "projects_from_tianjin", "projects_from_hebei"),
    "funds_yuan": ("funds_from_beijing_yuan", "funds_from_tianjin_yuan", "funds_from_hebei_yuan"),
}
CUMULATIVE = ("total", "as_of")
MATCHING = ("exact_match", "consistent_bound")

# ---------------------------------------------------------------------------- dates, periods

_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"


def _span(token: str) -> tuple[date, date, str]:
    """First and last day of YYYY / YYYY-MM / YYYY-MM-DD, and its precision."""
    parts = [int(p) for p in token.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31), "year"
    y, m = parts[0], parts[1]
    if not 1 <= m <= 12:
        raise ValueError(f"{token!r} has no month {m}")
    if len(parts) == 2:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month"
    try:
        d = date(y, m, parts[2])
    except ValueError:
        raise ValueError(f"{token!r} is not a calendar date") from None
    return d, d, "day"


@dataclass(frozen=True)
class DateText:
    iso: str  # at the precision given: YYYY, YYYY-MM or YYYY-MM-DD
    start: date
    end: date
    precision: str  # day | month | year
    note: str  # what followed the date in parentheses, e.g. "spring; …"
    text: str


def parse_date(value) -> DateText:
    """A YAML date or a string like "2014-02" or "2020 (spring; …)"; raises ValueError."""
    if isinstance(value, date):
        return DateText(value.isoformat(), value, value, "day", "", value.isoformat())
    text = str(value or "").strip()
    m = re.fullmatch(rf"({_DATE})(?:\s*\((.*)\))?", text)
    if not m:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    start, end, precision = _span(m.group(1))
    return DateText(m.group(1), start, end, precision, (m.group(2) or "").strip(), text)


@dataclass(frozen=True)
class Period:
    start: str | None
    end: str | None
    type: str  # schema.PERIOD_TYPES
    ambiguous: bool
    text: str


def parse_period(text: str, published: date | None = None) -> Period:
    """Period strings of the corroborating file → dates; raises ValueError on anything else.

    `published` (the citing page's date) closes a "year to date" period.
    """
    raw = str(text or "").strip()
    if "poverty campaign" in raw.lower():
        # "three consecutive years of the poverty campaign": the page names no dates.
        s, _, _ = _span(CAMPAIGN[0])
        _, e, _ = _span(CAMPAIGN[1])
        note = f"{raw} (read as the campaign {CAMPAIGN[0]} to {CAMPAIGN[1]})"
        return Period(s.isoformat(), e.isoformat(), "total", True, note)
    m = re.fullmatch(r"(.*?)\s*(?:\((.*)\))?", raw)
    core, note = m.group(1), (m.group(2) or "").lower()
    try:
        if m2 := re.fullmatch(rf"(?:as of|by)\s+({_DATE})", core):
            _, e, _ = _span(m2.group(1))
            return Period(None, e.isoformat(), "as_of", False, raw)
        if m2 := re.fullmatch(rf"(?:[A-Za-z][A-Za-z ]*\s)?({_DATE})\s+to\s+({_DATE})", core):
            s, _, _ = _span(m2.group(1))
            _, e, _ = _span(m2.group(2))
            return _ordered(s, e, "total", raw)
        if m2 := re.fullmatch(r"(?:[A-Za-z][A-Za-z ]*\s)?(\d{4})-(\d{4})", core):
            s, _, _ = _span(m2.group(1))
            _, e, _ = _span(m2.group(2))
            return _ordered(s, e, "total", raw)
        if m2 := re.fullmatch(rf"(?:[A-Za-z][A-Za-z ]*\s)?({_DATE})", core):
            s, e, precision = _span(m2.group(1))
            if "year to date" in note:
                if published is None or published.year != s.year:
                    return Period(s.isoformat(), None, "as_of", True, raw)
                return Period(
                    s.isoformat(),
                    published.isoformat(),
                    "as_of",
                    True,  # the end is the page's date, not stated
                    f"{raw}; end taken as the page date {published.isoformat()}",
                )
            kind = {"year": "annual", "day": "point", "month": "total"}[precision]
            return Period(s.isoformat(), e.isoformat(), kind, False, raw)
    except ValueError as e:
        raise ValueError(f"period {raw!r}: {e}") from None
    raise ValueError(f"period {raw!r} not understood")


def _ordered(s: date, e: date, kind: str, raw: str) -> Period:
    if e < s:
        raise ValueError(f"period {raw!r} ends before it starts")
    return Period(s.isoformat(), e.isoformat(), kind, False, raw)


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
    if not _same_value(parsed.value, value):
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
        return _with_citations(self.figures, self.citations)


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
        raise JJJError(f"{where}: no measure id — add {key!r} to corroboration.MEASURES")
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


# ------------------------------------------------------------------------------ per year


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or v == ""


def _year(v) -> int | None:
    return None if _blank(v) else pd.Timestamp(str(v)).year


_CITED = ("url", "publisher", "date_published")


def _with_citations(df: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=[c for c in _CITED if c in df.columns]).reset_index(drop=True)
    if citations is None or not len(citations) or "source_id" not in citations.columns:
        return df.assign(**{c: None for c in _CITED})
    cols = citations[["source_id", *_CITED]].drop_duplicates("source_id")
    return df.merge(cols, on="source_id", how="left")


def _public_ids(citations: pd.DataFrame) -> set[str] | None:
    if citations is None or "source_id" not in getattr(citations, "columns", ()):
        return None
    return set(citations["source_id"])


def public_record_for_year(
    figures: pd.DataFrame, events: pd.DataFrame, citations: pd.DataFrame, year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the public record said in `year`, with url, publisher and date_published joined.

    Figures: those whose citing page was published in the year (basis `published`) and those
    whose whole period lies in the year (basis `period`, e.g. 2019 data published in 2020).
    Events: public-record events dated in the year.
    """
    ids = _public_ids(citations)
    if ids is None:
        figs = figures[figures["category"] == "public_record"]
    else:
        figs = figures[figures["source_id"].isin(ids)]
    figs = _with_citations(figs, citations)
    pub_year = figs["date_published"].map(_year)
    in_period = (
        figs.apply(
            lambda r: _year(r["period_start"]) == year and _year(r["period_end"]) == year, axis=1
        )
        if len(figs)
        else pd.Series(dtype=bool)
    )
    basis = pd.Series(
        [
            "published" if py == year else "period" if ip else None
            for py, ip in zip(pub_year, in_period, strict=True)
        ],
        index=figs.index,
        dtype=object,
    )
    figs = figs.assign(basis=basis)[basis.notna()].reset_index(drop=True)

    evs = events if ids is None else events[events["source_id"].isin(ids)]
    if len(evs):
        s = evs["date_start"].map(_year)
        e = evs["date_end"].map(_year)
        evs = evs[(s <= year) & (year <= e)]
    evs = _with_citations(evs, citations)
    return figs, evs.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)


def years_with_data(
    figures: pd.DataFrame, events: pd.DataFrame, citations: pd.DataFrame
) -> list[int]:
    """Every year for which the public record has a figure or an event."""
    candidates: set[int] = set()
    if citations is not None and "year" in getattr(citations, "columns", ()):
        candidates |= {int(y) for y in citations["year"]}
    for col in ("period_start", "period_end"):
        # Not Series.map: a None among the years would turn them all into floats.
        candidates |= {y for y in (_year(v) for v in figures[col].tolist()) if y is not None}
    for _, r in events.iterrows():
        candidates |= set(range(_year(r["date_start"]), _year(r["date_end"]) + 1))
    out = []
    for y in sorted(candidates):
        f, e = public_record_for_year(figures, events, citations, y)
        if len(f) or len(e):
            out.append(y)
    return out


# -------------------------------------------------------------------------- consistency


def _num(v) -> float | None:
    return None if _blank(v) else float(v)


def interval(row) -> tuple[float, float]:
    """Bounds to reason with: open sides are ±inf, and 约 (no bounds) counts as its value."""
    lo, hi, v, q = (
        _num(row["value_low"]),
        _num(row["value_high"]),
        float(row["value"]),
        row["qualifier"],
    )
    if lo is None and hi is None and q in ("exact", "about"):
        return v, v
    return (float("-inf") if lo is None else lo), (float("inf") if hi is None else hi)


def _fid(rows) -> str:
    return ", ".join(rows["figure_id"])


def check_regional_subtotals(figures: pd.DataFrame) -> list[str]:
    """A page's regional parts must fit in its total: sum of lower bounds ≤ total's upper bound."""
    out = []
    for total_measure, parts in SUBTOTALS.items():
        for _, t in figures[figures["measure"] == total_measure].iterrows():
            comp = figures[
                figures["measure"].isin(parts)
                & (figures["source_id"] == t["source_id"])
                & (figures["period_end"] == t["period_end"])
            ]
            if not len(comp):
                continue
            lo_sum = sum(max(interval(r)[0], 0.0) for _, r in comp.iterrows())
            hi = interval(t)[1]
            if lo_sum > hi:
                out.append(
                    f"{t['figure_id']}: regional parts ({_fid(comp)}) sum to at least {lo_sum:g}, "
                    f"above the total's upper bound {hi:g}"
                )
    return out


def _within(inner_start, inner_end, outer_start, outer_end) -> bool:
    if _blank(outer_start) or _blank(inner_start) or _blank(inner_end) or _blank(outer_end):
        return False
    return str(outer_start) <= str(inner_start) and str(inner_end) <= str(outer_end)


def check_annual_within_totals(figures: pd.DataFrame) -> list[str]:
    """An annual figure cannot exceed a cumulative total whose period contains that year."""
    out = []
    annual = figures[figures["period_type"] == "annual"]
    totals = figures[figures["period_type"].isin(CUMULATIVE)]
    for _, a in annual.iterrows():
        same = totals[(totals["measure"] == a["measure"]) & (totals["region"] == a["region"])]
        for _, t in same.iterrows():
            if not _within(a["period_start"], a["period_end"], t["period_start"], t["period_end"]):
                continue
            if interval(a)[0] > interval(t)[1]:
                out.append(
                    f"{a['figure_id']} ({a['quote']}, {a['period_text']}) exceeds the total "
                    f"{t['figure_id']} ({t['quote']}) of a period containing it"
                )
    return out


def check_cumulative_non_decreasing(figures: pd.DataFrame) -> list[str]:
    """Cumulative (as-of / total) figures of one measure and region never fall over time."""
    out = []
    cum = figures[figures["period_type"].isin(CUMULATIVE) & figures["period_end"].notna()]
    for _, grp in cum.groupby(["measure", "region"]):
        rows = [r for _, r in grp.sort_values("period_end", kind="stable").iterrows()]
        for i, early in enumerate(rows):
            for late in rows[i + 1 :]:
                if str(late["period_end"]) <= str(early["period_end"]):
                    continue
                # Comparable only if the later window starts no later than the earlier one.
                if not (_blank(late["period_start"]) or _blank(early["period_start"])) and str(
                    late["period_start"]
                ) > str(early["period_start"]):
                    continue
                if interval(early)[0] > interval(late)[1]:
                    out.append(
                        f"{late['figure_id']} ({late['quote']}, to {late['period_end']}) is below "
                        f"the earlier {early['figure_id']} ({early['quote']}, to "
                        f"{early['period_end']})"
                    )
    return out


def check_seed_bounds(seed_figures: pd.DataFrame, public_figures: pd.DataFrame) -> list[str]:
    """Each seed headline figure must be compatible with the public total of the same period."""
    rec = reconcile(seed_figures, public_figures)
    bad = rec[rec["relation"] == "inconsistent"]
    return [
        f"{r['seed_figure_id']} vs {r['public_figure_id']}: {r['explanation_en']}"
        for _, r in bad.iterrows()
    ]


def check_all(figures: pd.DataFrame, seed_figures: pd.DataFrame | None = None) -> list[str]:
    """Every rule's violations, in rule order (empty list: all pass)."""
    out = (
        check_regional_subtotals(figures)
        + check_annual_within_totals(figures)
        + check_cumulative_non_decreasing(figures)
    )
    if seed_figures is not None:
        out += check_seed_bounds(seed_figures, figures)
    return out


# -------------------------------------------------------------------------------- conflicts


def _fmt_date(d: date, precision: str, lang: str) -> str:
    if lang == "zh":
        return {"year": f"{d.year}年", "month": f"{d.year}年{d.month}月"}.get(
            precision, f"{d.year}年{d.month}月{d.day}日"
        )
    return {"year": f"{d.year}", "month": f"{d.year}-{d.month:02d}"}.get(precision, d.isoformat())


def _period_label(start, end, lang: str = "en") -> str:
    """Compact period text: 2017-12 to 2020-10, 2019, as of 2018-08-18 (zh: 截至…)."""
    s = None if _blank(start) else date.fromisoformat(str(start)[:10])
    e = None if _blank(end) else date.fromisoformat(str(end)[:10])
    if s is None and e is None:
        return "时间不详" if lang == "zh" else "undated"
    if s is None or e is None:
        d = e or s
        month_end = d.day == calendar.monthrange(d.year, d.month)[1]
        txt = _fmt_date(d, "month" if (e and month_end) else "day", lang)
        if lang == "zh":
            return f"截至{txt}" if e else f"{txt}起"
        return f"as of {txt}" if e else f"from {txt}"
    precision = "day"
    if s.day == 1 and e.day == calendar.monthrange(e.year, e.month)[1]:
        precision = "year" if (s.month, e.month) == (1, 12) else "month"
    a, b = _fmt_date(s, precision, lang), _fmt_date(e, precision, lang)
    if a == b:
        return a
    return f"{a}至{b}" if lang == "zh" else f"{a} to {b}"


def _same_value(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-9 * max(abs(float(a)), abs(float(b)), 1.0)


def conflicts(figures: pd.DataFrame) -> pd.DataFrame:
    """Pairs of sources giving different values or qualifiers for one measure, region, period.

    Flags only: both rows stay in the figures table. 多 and 余 are both `more_than`, so
    280多万 vs 280余万 is no conflict; 约21.88亿元 vs 21.88亿元 is (`qualifier_differs`).
    """
    rows = []
    f = figures.assign(
        _ps=figures["period_start"].map(lambda v: "" if _blank(v) else str(v)),
        _pe=figures["period_end"].map(lambda v: "" if _blank(v) else str(v)),
    )
    for _, grp in f.groupby(["measure", "region", "_ps", "_pe"], sort=True):
        recs = [r for _, r in grp.sort_values("figure_id").iterrows()]
        for i, a in enumerate(recs):
            for b in recs[i + 1 :]:
                if a["source_id"] == b["source_id"]:
                    continue
                if not _same_value(a["value"], b["value"]):
                    kind = "value_differs"
                elif a["qualifier"] != b["qualifier"]:
                    kind = "qualifier_differs"
                else:
                    continue
                rows.append(
                    {
                        "conflict_id": f"{a['figure_id']}|{b['figure_id']}",
                        "measure": a["measure"],
                        "region": a["region"],
                        "period": _period_label(a["period_start"], a["period_end"]),
                        "figure_id_a": a["figure_id"],
                        "source_a": a["source_id"],
                        "quote_a": a["quote"],
                        "value_a": float(a["value"]),
                        "qualifier_a": a["qualifier"],
                        "figure_id_b": b["figure_id"],
                        "source_b": b["source_id"],
                        "quote_b": b["quote"],
                        "value_b": float(b["value"]),
                        "qualifier_b": b["qualifier"],
                        "kind": kind,
                    }
                )
    return schema.validate(pd.DataFrame(rows, columns=schema.CONFLICTS.names), schema.CONFLICTS)


# -------------------------------------------------------------------------------- reconcile


def _fmt_bound(v: float) -> str:
    return "∞" if v == float("inf") else "−∞" if v == float("-inf") else f"{v:,.0f}"


def _reference_period(pub: pd.DataFrame) -> tuple[str, str] | None:
    """The most complete cumulative period: latest end, then earliest start."""
    cum = pub[
        pub["period_type"].isin(CUMULATIVE)
        & pub["period_end"].notna()
        & pub["period_start"].notna()
    ]
    if not len(cum):
        return None
    best = cum.assign(_s=cum["period_start"].astype(str), _e=cum["period_end"].astype(str))
    best = best.sort_values(["_e", "_s"], ascending=[False, True], kind="stable").iloc[0]
    return best["_s"], best["_e"]


def _relation(seed, pub, ref) -> tuple[str, str, str]:
    sq, pq = seed["quote"], pub["quote"]
    period = _period_label(pub["period_start"], pub["period_end"])
    src = pub["source_id"]
    same_period = ref is not None and (str(pub["period_start"]), str(pub["period_end"])) == ref
    if not same_period:
        sub = ref is not None and (
            (_blank(pub["period_start"]) or str(pub["period_start"]) >= ref[0])
            and str(pub["period_end"]) <= ref[1]
        )
        ref_en = _period_label(*ref) if ref else "unknown"
        ref_zh = _period_label(*ref, lang="zh") if ref else "不详"
        how_en = "only part of" if sub else "not"
        how_zh = "仅为总量期间（{}）的一部分" if sub else "不同于总量期间（{}）"
        return (
            "different_period",
            f"«{pq}» ({src}; {period}) covers {how_en} the total's period ({ref_en}); "
            "not comparable as equal.",
            f"“{pq}”（{src}；{_period_label(pub['period_start'], pub['period_end'], 'zh')}）"
            f"{how_zh.format(ref_zh)}，不能视为相等。",
        )
    period_zh = _period_label(pub["period_start"], pub["period_end"], "zh")
    slo, shi = interval(seed)
    plo, phi = interval(pub)
    sqf, pqf = seed["qualifier"], pub["qualifier"]
    if _same_value(seed["value"], pub["value"]) and (
        sqf == pqf or {sqf, pqf} <= {"exact", "about"}
    ):
        en = f"Same value: the article's «{sq}» is «{pq}» ({src}, {period})."
        zh = f"数值相同：文章的“{sq}”即“{pq}”（{src}，{period_zh}）。"
        if sqf != pqf:
            en += f" Qualifiers differ ({sqf} vs {pqf}) but are compatible."
            zh += f"限定不同（{sqf}／{pqf}），但相容。"
        return "exact_match", en, zh
    if slo <= phi and plo <= shi:
        contains = slo <= plo and phi <= shi
        rng = f"[{_fmt_bound(slo)}, {_fmt_bound(shi)}]"
        verb_en, verb_zh = ("contains", "包含") if contains else ("overlaps", "与之重叠：")
        return (
            "consistent_bound",
            f"The article's «{sq}» is the range {rng}, which {verb_en} «{pq}» ({src}, {period}).",
            f"文章的“{sq}”为区间{rng}，{verb_zh}“{pq}”（{src}，{period_zh}）。",
        )
    return (
        "inconsistent",
        f"Same period ({period}) but the article's «{sq}» [{_fmt_bound(slo)}, {_fmt_bound(shi)}] "
        f"and «{pq}» [{_fmt_bound(plo)}, {_fmt_bound(phi)}] ({src}) do not overlap.",
        f"期间相同（{period_zh}），但文章的“{sq}”[{_fmt_bound(slo)}, {_fmt_bound(shi)}]与“{pq}”"
        f"[{_fmt_bound(plo)}, {_fmt_bound(phi)}]（{src}）不相容。",
    )


def reconcile(
    seed_figures: pd.DataFrame,
    public_figures: pd.DataFrame,
    citations: pd.DataFrame | None = None,
    measures: tuple[str, ...] | None = CAMPAIGN_MEASURES,
) -> pd.DataFrame:
    """Each seed headline figure against each public figure of the same measure.

    The public figures' most complete cumulative period (the campaign, for the campaign
    measures) is the one compared for equality; other periods are `different_period`.
    `public_date_published` comes from a `date_published` column or from `citations`.
    """
    seed = seed_figures[seed_figures["category"] == "headline"]
    if measures is not None:
        seed = seed[seed["measure"].isin(measures)]
    pub = public_figures[public_figures["category"] == "public_record"]
    if "date_published" not in pub.columns:
        pub = _with_citations(pub, citations)
    order = {m: i for i, m in enumerate(measures or ())}
    seed = seed.assign(_o=seed["measure"].map(lambda m: order.get(m, len(order)))).sort_values(
        ["_o", "figure_id"], kind="stable"
    )
    rows = []
    for _, s in seed.iterrows():
        same = pub[pub["measure"] == s["measure"]]
        same = same.assign(_d=same["date_published"].map(lambda v: "" if _blank(v) else str(v)))
        same = same.sort_values(["_d", "figure_id"], kind="stable")
        ref = _reference_period(same)
        for _, p in same.iterrows():
            rel, en, zh = _relation(s, p, ref)
            rows.append(
                {
                    "pair_id": f"{s['figure_id']}|{p['figure_id']}",
                    "measure": s["measure"],
                    "seed_figure_id": s["figure_id"],
                    "seed_quote": s["quote"],
                    "seed_value": float(s["value"]),
                    "seed_low": _num(s["value_low"]),
                    "seed_high": _num(s["value_high"]),
                    "seed_qualifier": s["qualifier"],
                    "public_figure_id": p["figure_id"],
                    "public_source_id": p["source_id"],
                    "public_quote": p["quote"],
                    "public_value": float(p["value"]),
                    "public_low": _num(p["value_low"]),
                    "public_high": _num(p["value_high"]),
                    "public_qualifier": p["qualifier"],
                    "public_period_start": None
                    if _blank(p["period_start"])
                    else str(p["period_start"]),
                    "public_period_end": None if _blank(p["period_end"]) else str(p["period_end"]),
                    "public_date_published": None
                    if _blank(p["date_published"])
                    else str(p["date_published"]),
                    "relation": rel,
                    "explanation_en": en,
                    "explanation_zh": zh,
                }
            )
    return schema.validate(
        pd.DataFrame(rows, columns=schema.RECONCILIATION.names), schema.RECONCILIATION
    )


# ----------------------------------------------------------------------- headline statement

_QUAL_EN = {
    "exact": "",
    "more_than": "more than ",
    "about": "about ",
    "nearly": "nearly ",
    "over": "over ",
    "at_least": "at least ",
}
_LABEL = {  # measure → (English noun, Chinese prefix, Chinese suffix) for a bare number
    "orgs_participating": ("organizations", "", "社会组织"),
    "projects_landed": ("projects", "", "项目"),
    "funds_yuan": ("yuan", "资金", ""),
    "counties_covered": ("counties", "", "县"),
    "beneficiaries_person_times": ("beneficiary person-times", "受益", ""),
}
_BARE = re.compile(r"[约近超过]*[\d.]+[多余]?[万亿]?(人次|场次|[家个名份条元人项次场])?(以上)?")


def _en_number(v: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if v >= size:
            return f"{v / size:.4g} {word}"
    return f"{v:,.0f}"


def _month_text(iso: str, lang: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月" if lang == "zh" else f"{d.year}-{d.month:02d}"


def headline_statement(reconciliation: pd.DataFrame, lang: str) -> str:
    """Short statement, from the reconciliation, that the headline totals are the campaign's."""
    if lang not in ("zh", "en"):
        raise JJJError(f"headline_statement: unknown language {lang!r} (zh or en)")
    ok = reconciliation[reconciliation["relation"].isin(MATCHING)]
    if not len(ok):
        raise JJJError("headline_statement: no seed headline figure matches the public record")
    ok = ok.assign(_d=ok["public_date_published"].map(lambda v: "" if _blank(v) else str(v)))
    # Per measure, the earliest page that reported the matching total.
    first = ok.sort_values(["_d", "public_figure_id"], kind="stable").drop_duplicates("measure")
    order = {m: i for i, m in enumerate(CAMPAIGN_MEASURES)}
    first = first.assign(_o=first["measure"].map(lambda m: order.get(m, len(order))))
    first = first.sort_values(["_o", "measure"], kind="stable")
    start = first["public_period_start"].mode().iloc[0]
    end = first["public_period_end"].mode().iloc[0]
    pages = list(dict.fromkeys(zip(first["public_source_id"], first["_d"], strict=True)))
    bounds_rows = first[first["relation"] == "consistent_bound"]
    if lang == "en":
        items = []
        for _, r in first.iterrows():
            noun = _LABEL.get(r["measure"], (r["measure"].replace("_", " "), "", ""))[0]
            item = f"{_QUAL_EN[r['public_qualifier']]}{_en_number(r['public_value'])} {noun}"
            items.append(
                item if r["public_qualifier"] == "exact" else f"{item} ({r['public_quote']})"
            )
        text = (
            f"The article's ten-year headline totals are those of the {CAMPAIGN_NAME['en']}, "
            f"{_month_text(start, 'en')} → {_month_text(end, 'en')}, as reported by "
            f"{', '.join(f'{sid} ({d})' for sid, d in pages)}: "
            f"{'; '.join(items)}."
        )
        for _, r in bounds_rows.iterrows():
            text += (
                f" The article's «{r['seed_quote']}» is the range {_en_number(r['seed_low'])}–"
                f"{_en_number(r['seed_high'])}, which contains {_en_number(r['public_value'])}."
            )
        return text
    items = []
    for _, r in first.iterrows():
        q = r["public_quote"]
        _, pre, suf = _LABEL.get(r["measure"], ("", "", ""))
        items.append(f"{pre}{q}{suf}" if _BARE.fullmatch(q) else q)
    text = (
        f"文章所列十年总量即{CAMPAIGN_NAME['zh']}（{_month_text(start, 'zh')}至"
        f"{_month_text(end, 'zh')}）的总量，见"
        f"{'、'.join(f'{sid}（{d}发布）' for sid, d in pages)}：{'、'.join(items)}。"
    )
    for _, r in bounds_rows.iterrows():
        text += (
            f"文章的“{r['seed_quote']}”是区间（{r['seed_low']:g}至{r['seed_high']:g}），"
            f"包含{r['public_value']:g}。"
        )
    return text
