"""What is known for one year: events, figures whose period covers it, the year's public record.

Multi-year totals are shown as whole-period totals: they are never split evenly across years,
because the text says nothing about how they were spread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from helpers import paths
from helpers.clean.periods import blank

SEED = paths.SEED_SOURCE_ID


@dataclass
class YearView:
    year: int
    events: pd.DataFrame  # events dated in the year, one row per event
    covering: pd.DataFrame  # seed figures whose period contains the year (with `relation`)
    public_record: pd.DataFrame  # other sources' figures published in, or about, the year
    undated: pd.DataFrame  # seed figures without a period: cannot be placed in any year

    @property
    def known(self) -> dict[str, int]:
        c = self.covering
        rel = c["relation"] if len(c) else pd.Series(dtype=object)
        return {
            "events": len(self.events),
            "covering": len(c),  # every row of the covering table, point figures included
            "covering_total": int((rel == "total").sum()),
            "as_of": int((rel == "as_of").sum()),
            "annual": int((rel == "annual").sum()),
            "alone": int(c["year_alone"].sum()) if len(c) else 0,
            "ambiguous": int(c["period_ambiguous"].sum()) if len(c) else 0,
            "public_record": len(self.public_record),
            "undated": len(self.undated),
        }


def _years(start, end) -> tuple[int | None, int | None]:
    s = pd.Timestamp(start).year if isinstance(start, str) and start else None
    e = pd.Timestamp(end).year if isinstance(end, str) and end else None
    return s, e


# 近三年 / 近两年 in a text of April 2024: the last full years (the codebook's dates) or the
# years counting 2024. The second reading starts a year later and ends on the reference date.
_RECENT = re.compile(r"^近[一二两三四五六七八九十\d]+年")


def other_reading(row, reference: str | None) -> tuple[str | None, str | None]:
    """The second reading of an ambiguous 近N年 period, or (None, None)."""
    text = row.get("period_text") or ""
    if not (row.get("period_ambiguous") and reference and _RECENT.match(str(text))):
        return None, None
    s, e = row.get("period_start"), row.get("period_end")
    if not (isinstance(s, str) and s and isinstance(e, str) and e):
        return None, None
    start = pd.Timestamp(s) + pd.DateOffset(years=1)
    return start.strftime("%Y-%m-%d"), reference


def with_readings(figures: pd.DataFrame, reference: str | None) -> pd.DataFrame:
    """`figures` with alt_period_start / alt_period_end: the other reading of 近N年, if any."""
    alt = [other_reading(r, reference) for _, r in figures.iterrows()]
    return figures.assign(
        alt_period_start=[a for a, _ in alt] if alt else [],
        alt_period_end=[b for _, b in alt] if alt else [],
    )


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


def _relation_any(row, year: int) -> str | None:
    """relation() under the figure's period, or under its other reading when that covers it."""
    rel = relation(row, year)
    if rel is None and isinstance(row.get("alt_period_start"), str):
        alt = {**row, "period_start": row["alt_period_start"], "period_end": row["alt_period_end"]}
        rel = relation(alt, year)
    return rel


def _alone(row, year: int) -> bool:
    """The figure's whole period lies in the year: a figure for this year alone."""
    s, e = _years(row["period_start"], row["period_end"])
    return s is not None and s == e == year and not isinstance(row.get("alt_period_start"), str)


def events_in(events: pd.DataFrame, year: int) -> pd.DataFrame:
    s = events["date_start"].map(lambda d: pd.Timestamp(d).year)
    e = events["date_end"].map(lambda d: pd.Timestamp(d).year)
    return events[(s <= year) & (year <= e)].reset_index(drop=True)


def join_en(texts) -> str:
    """English event texts as one run of clauses: a later clause's leading article is lowercased
    ("…held in Beijing; the three regions' …"), names keep their capitals."""
    parts = [str(x) for x in texts if isinstance(x, str) and x]
    return "; ".join(
        [parts[0], *(re.sub(r"^(The|A|An) ", lambda m: m[1].lower() + " ", x) for x in parts[1:])]
        if parts
        else []
    )


def one_row_per_event(events: pd.DataFrame) -> pd.DataFrame:
    """Events as a reader counts them: a public page restating the article's event on the same
    dates is dropped, and the article's events of one day (a meeting, what was signed at it)
    are one event with their texts joined."""
    if events.empty:
        return events
    seed = events[events["source_id"] == SEED]
    dates = set(zip(seed["date_start"], seed["date_end"], strict=True))
    keep = events[
        (events["source_id"] == SEED)
        | ~pd.Series(
            list(zip(events["date_start"], events["date_end"], strict=True)), index=events.index
        ).isin(dates)
    ]
    rows = []
    for _, group in keep.groupby(["source_id", "date_start", "date_end"], sort=False):
        first = group.iloc[0].to_dict()
        if len(group) > 1:
            # The meeting first: the event that says something was held (举行) leads.
            group = group.assign(_m=~group["text_zh"].fillna("").str.contains("举行|召开"))
            group = group.sort_values(["_m", "event_id"], kind="stable")
            first = group.iloc[0].drop("_m").to_dict()
            first["text_zh"] = "；".join(t for t in group["text_zh"].fillna("") if t) or None
            first["text_en"] = join_en(group["text_en"].fillna(""))
            first["quote"] = first.get("quote")
        rows.append(first)
    out = pd.DataFrame(rows, columns=events.columns)
    return out.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)


def view(
    figures: pd.DataFrame,
    events: pd.DataFrame,
    citations: pd.DataFrame,
    year: int,
    reference: str | None = None,
) -> YearView:
    """Everything the reports know about `year`; `reference` is the article's date (the end of
    the second reading of 近N年)."""
    seed = with_readings(figures[figures["source_id"] == SEED].copy(), reference)
    rel = (
        seed.apply(lambda r: _relation_any(r, year), axis=1)
        if len(seed)
        else pd.Series(dtype=object)
    )
    covering = seed.assign(relation=rel)[rel.notna()].reset_index(drop=True)
    covering = covering.assign(
        year_alone=[_alone(r, year) for _, r in covering.iterrows()] if len(covering) else []
    )
    undated = seed[seed["period_start"].isna() & seed["period_end"].isna()].reset_index(drop=True)

    from helpers.analyze.record_years import public_record_for_year

    others = figures[figures["source_id"] != SEED]
    pub_figs, pub_events = public_record_for_year(others, events, citations, year)
    pub_figs, covering = _restated(pub_figs.reset_index(drop=True), covering)
    ev = events_in(events, year)
    if len(pub_events):
        ev = (
            pd.concat([ev, pub_events[[c for c in ev.columns if c in pub_events.columns]]])
            .drop_duplicates("event_id")
            .sort_values(["date_start", "event_id"], kind="stable")
            .reset_index(drop=True)
        )
    return YearView(year, one_row_per_event(ev), covering, pub_figs, undated)


def _restated(public: pd.DataFrame, covering: pd.DataFrame):
    """A public figure that repeats an article figure of the year (same measure, same value)
    is shown once, as the article's, with the page that repeats it in `also_in`."""
    also = {fid: [] for fid in covering["figure_id"]}
    keep = []
    for _, p in public.iterrows():
        same = covering[(covering["measure"] == p["measure"]) & (covering["value"] == p["value"])]
        if len(same):
            also[same.iloc[0]["figure_id"]].append(p["source_id"])
        else:
            keep.append(True)
            continue
        keep.append(False)
    covering = covering.assign(also_in=[also[f] for f in covering["figure_id"]])
    kept = public[pd.Series(keep, index=public.index, dtype=bool)] if len(public) else public
    return kept.reset_index(drop=True), covering


def source_ids(v: YearView) -> list[str]:
    """Every source a year's report cites, the article first."""
    ids = [SEED]
    for df in (v.events, v.covering, v.public_record):
        if len(df):
            ids += df["source_id"].tolist()
    if len(v.covering) and "also_in" in v.covering:
        ids += [s for also in v.covering["also_in"] for s in also]
    return list(dict.fromkeys(ids))


# What leads a year's title, most telling first: the campaign's dated milestones, then the
# national series' first fall, then the year's most precisely dated event.
LEADS = ("counties_exit", "campaign_end", "national_fall", "event", "none")
_PRECISION = {"day": 0, "month": 1, "year": 2}


def _span_kind(start: str, end: str) -> str:
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if (e - s).days <= 7:
        return "day"
    return "month" if (s.year, s.month) == (e.year, e.month) else "year"


def lead(v: YearView, national_fall: bool = False) -> dict:
    """Which finding leads the year's title: `kind` (one of LEADS), the event (`event_id`) and
    the organizations counted on that event's dates (`figure_id`), when the kind is "event"."""
    pub = v.public_record
    year = str(v.year)

    def alone(m: str) -> pd.DataFrame:
        f = pub[pub["measure"] == m] if len(pub) else pub
        return f[f["period_start"].astype(str).str[:4].eq(year) & f["period_end"].str[:4].eq(year)]

    def campaign_total(m: str) -> pd.DataFrame:  # the campaign's final total, if it ends now
        from helpers.analyze.campaign_record import END, START

        f = pub[pub["measure"] == m] if len(pub) else pub
        whole = f["period_start"].astype(str).str[:7].eq(START[:7]) & f["period_end"].str[:7].eq(
            END[:7]
        )
        return f[whole & f["period_end"].str[:4].eq(year)]

    out = {"kind": "none", "event_id": None, "figure_id": None}
    if len(pub) and len(alone("poor_counties_exited")):
        return out | {"kind": "counties_exit"}
    if len(pub) and len(campaign_total("projects_landed")):
        return out | {"kind": "campaign_end"}
    if national_fall:
        return out | {"kind": "national_fall"}
    if v.events.empty:
        return out
    ev = v.events.assign(
        _p=[_PRECISION[_span_kind(s, e)] for s, e in zip(v.events["date_start"],
                                                         v.events["date_end"], strict=True)]
    ).sort_values(["_p", "date_start", "event_id"], kind="stable")  # fmt: skip
    first = ev.iloc[0]
    figs = pd.concat([pub, v.covering], ignore_index=True) if len(v.covering) else pub
    same = figs[(figs["unit"] == "organizations") & (figs["period_start"] == first["date_start"])
                & (figs["period_end"] == first["date_end"])] if len(figs) else figs  # fmt: skip
    if len(same):  # the event's own page first
        same = same.sort_values("source_id", key=lambda s: s != first["source_id"], kind="stable")
    figure = same.iloc[0]["figure_id"] if len(same) else None
    return out | {"kind": "event", "event_id": first["event_id"], "figure_id": figure}


# The campaign's own measures lead a year's key figures: they say what the organizations did.
KEY_MEASURES = ("orgs_participating", "projects_landed", "funds_yuan")


def key_figures(v: YearView, first: str | None = None, n: int = 3) -> pd.DataFrame:
    """Up to `n` figures the year's main points name: the public record's figures whose period
    includes the year (the national series has its own section), `first` (the title's figure)
    leading, then the campaign's measures, then the record's order."""
    pub = v.public_record
    if pub.empty:
        return pub
    start = pub["period_start"].where(~pub["period_start"].map(blank), pub["period_end"])
    year = str(v.year)
    f = pub[start.astype(str).str[:4].le(year) & pub["period_end"].astype(str).str[:4].ge(year)
            & pub["region"].ne("national")]  # fmt: skip
    rank = [0 if fid == first else 1 + (KEY_MEASURES.index(m) if m in KEY_MEASURES else 9)
            for fid, m in zip(f["figure_id"], f["measure"], strict=True)]  # fmt: skip
    f = f.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r")
    return f.head(n).reset_index(drop=True)
