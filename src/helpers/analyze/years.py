"""What is known for one year: events, figures whose period covers it, the year's public record.

Multi-year totals are shown as whole-period totals: they are never split evenly across years,
because the text says nothing about how they were spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

SEED = "cpt-2024-04-jjj-ten-years"


@dataclass
class YearView:
    year: int
    events: pd.DataFrame  # events dated in the year
    covering: pd.DataFrame  # seed figures whose period contains the year (with `relation`)
    public_record: pd.DataFrame  # other sources' figures published in, or about, the year
    undated: pd.DataFrame  # seed figures without a period: cannot be placed in any year

    @property
    def known(self) -> dict[str, int]:
        return {
            "events": len(self.events),
            "covering_total": int((self.covering["relation"] == "total").sum()),
            "as_of": int((self.covering["relation"] == "as_of").sum()),
            "annual": int((self.covering["relation"] == "annual").sum()),
            "ambiguous": int(self.covering["period_ambiguous"].sum()) if len(self.covering) else 0,
            "public_record": len(self.public_record),
            "undated": len(self.undated),
        }


def _years(start, end) -> tuple[int | None, int | None]:
    s = pd.Timestamp(start).year if isinstance(start, str) and start else None
    e = pd.Timestamp(end).year if isinstance(end, str) and end else None
    return s, e


def relation(row, year: int) -> str | None:
    """How a figure relates to `year`: total / as_of / annual / point, or None if unrelated."""
    s, e = _years(row["period_start"], row["period_end"])
    if s is None and e is None:
        return None
    s = e if s is None else s
    e = s if e is None else e
    kind = row["period_type"]
    if kind == "as_of":
        return "as_of" if e == year else None
    if not (s <= year <= e):
        return None
    if kind == "annual" or (kind == "point" and s == e):
        return kind if s == e else "total"
    return "total"


def events_in(events: pd.DataFrame, year: int) -> pd.DataFrame:
    s = events["date_start"].map(lambda d: pd.Timestamp(d).year)
    e = events["date_end"].map(lambda d: pd.Timestamp(d).year)
    return events[(s <= year) & (year <= e)].reset_index(drop=True)


def view(
    figures: pd.DataFrame, events: pd.DataFrame, citations: pd.DataFrame, year: int
) -> YearView:
    """Everything the reports know about `year`."""
    seed = figures[figures["source_id"] == SEED].copy()
    rel = seed.apply(lambda r: relation(r, year), axis=1) if len(seed) else pd.Series(dtype=object)
    covering = seed.assign(relation=rel)[rel.notna()].reset_index(drop=True)
    undated = seed[seed["period_start"].isna() & seed["period_end"].isna()].reset_index(drop=True)

    from helpers.analyze.record_years import public_record_for_year

    others = figures[figures["source_id"] != SEED]
    pub_figs, pub_events = public_record_for_year(others, events, citations, year)
    ev = events_in(events, year)
    if len(pub_events):
        ev = (
            pd.concat([ev, pub_events[[c for c in ev.columns if c in pub_events.columns]]])
            .drop_duplicates("event_id")
            .sort_values(["date_start", "event_id"], kind="stable")
            .reset_index(drop=True)
        )
    return YearView(year, ev, covering, pub_figs.reset_index(drop=True), undated)


def summary(v: YearView, lang: str) -> str:
    """One line for the index page."""
    from helpers.publish.i18n import t

    k = v.known
    covering = k["covering_total"] + k["as_of"] + k["annual"]
    return t("year_summary", lang, events=k["events"], covering=covering, public=k["public_record"])


def source_ids(v: YearView) -> list[str]:
    """Every source a year's report cites, the article first."""
    ids = [SEED]
    for df in (v.events, v.covering, v.public_record):
        if len(df):
            ids += df["source_id"].tolist()
    return list(dict.fromkeys(ids))
