"""What the public record said in a given year: figures and events, with their citations.

Reads the processed tables only: figures, events, citations.
"""

from __future__ import annotations

import pandas as pd

from helpers.clean.periods import blank as _blank


def _year(v) -> int | None:
    return None if _blank(v) else pd.Timestamp(str(v)).year


_CITED = ("url", "publisher", "date_published")


def with_citations(df: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    """`df` with its page's url, publisher and date_published joined (by source_id)."""
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

    Figures: those whose whole period lies in the year (basis `period`, e.g. 2019 data
    published in 2020; an as-of figure belongs to the year of its date: China's total at the
    end of 2018), and those published in the year about another or a longer period (basis
    `published`): a report shows the two under different headings.
    Events: public-record events dated in the year.
    """
    ids = _public_ids(citations)
    if ids is None:
        figs = figures[figures["category"] == "public_record"]
    else:
        figs = figures[figures["source_id"].isin(ids)]
    figs = with_citations(figs, citations)
    pub_year = figs["date_published"].map(_year)
    in_period = (
        figs.apply(
            lambda r: _year(r["period_start"]) in (year, None) and _year(r["period_end"]) == year,
            axis=1,
        )
        if len(figs)
        else pd.Series(dtype=bool)
    )
    basis = pd.Series(
        [
            "period" if ip else "published" if py == year else None
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
    evs = with_citations(evs, citations)
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
