"""The 2017-12 → 2020-10 poverty-relief campaign's dated record: what was reported when.

Figures and events of the public record dated within the campaign, from pages published
before it ended or soon after (a restatement years later is not part of the dated record),
outside the national series. A whole-period total sits at its end date, never spread; an
annual figure (the 2019 round) spans its year.
"""

from __future__ import annotations

import pandas as pd

from helpers.analyze.record_years import with_citations
from helpers.clean.periods import CAMPAIGN, blank, parse_period

# The campaign's first and last day ("2017-12" → 2017-12-01, "2020-10" → 2020-10-31).
_PERIOD = parse_period(f"{CAMPAIGN[0]} to {CAMPAIGN[1]}")
START, END = str(_PERIOD.start), str(_PERIOD.end)
LAST_PAGE_YEAR = 2020  # pages of the campaign's own time; later ones restate it
COLUMNS = [
    "item_id",
    "kind",  # figure | event
    "date_start",
    "date_end",
    "span",  # True: an annual figure drawn over its year
    "source_id",
    "region",
    "measure",
    "quote",
    "value",
    "unit",
    "unit_zh",
    "qualifier",
    "value_low",
    "value_high",
    "text_en",
    "url",
    "publisher",
    "date_published",
]


def _page_year(v) -> int | None:
    return None if blank(v) else int(str(v)[:4])


def _figures(figures: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    f = figures[figures["category"] == "public_record"]
    if "series" in f.columns:
        f = f[f["series"].map(blank)]
    f = with_citations(f, citations)
    f = f[f["date_published"].map(lambda v: (_page_year(v) or 9999) <= LAST_PAGE_YEAR)]
    f = f[f["period_end"].map(lambda v: not blank(v) and START <= str(v)[:10] <= END)]
    annual = f["period_type"] == "annual"
    start = f["period_start"].where(annual, f["period_end"])
    return pd.DataFrame(
        {
            "item_id": f["figure_id"],
            "kind": "figure",
            "date_start": start.astype(str).str[:10],
            "date_end": f["period_end"].astype(str).str[:10],
            "span": annual,
            "source_id": f["source_id"],
            "region": f["region"],
            "measure": f["measure"],
            "quote": f["quote"],
            "value": f["value"],
            "unit": f["unit"],
            "unit_zh": f["unit_zh"],
            "qualifier": f["qualifier"],
            "value_low": f["value_low"],
            "value_high": f["value_high"],
            "text_en": f["subject_en"],
            "url": f["url"],
            "publisher": f["publisher"],
            "date_published": f["date_published"],
        }
    )


def _events(events: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    ids = set(citations["source_id"]) if len(citations) else set()
    e = with_citations(events[events["source_id"].isin(ids)], citations)
    e = e[e["date_start"].map(lambda v: START[:7] <= str(v)[:7] and str(v)[:10] <= END)]
    return pd.DataFrame(
        {
            "item_id": e["event_id"],
            "kind": "event",
            "date_start": e["date_start"].astype(str),
            "date_end": e["date_end"].astype(str),
            "span": False,
            "source_id": e["source_id"],
            "region": None,
            "measure": None,
            "quote": e["text_zh"],
            "value": None,
            "unit": None,
            "unit_zh": None,
            "qualifier": None,
            "value_low": None,
            "value_high": None,
            "text_en": e["text_en"],
            "url": e["url"],
            "publisher": e["publisher"],
            "date_published": e["date_published"],
        }
    )


def dated_record(
    figures: pd.DataFrame, events: pd.DataFrame, citations: pd.DataFrame
) -> pd.DataFrame:
    """Every dated item of the campaign, oldest first (events before figures on one day)."""
    parts = [p for p in (_events(events, citations), _figures(figures, citations)) if len(p)]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)[COLUMNS]
    return out.sort_values(["date_end", "kind", "item_id"], ascending=[True, True, True],
                           kind="stable").reset_index(drop=True)  # fmt: skip


def in_year(record: pd.DataFrame, year: int) -> pd.DataFrame:
    """The items of the dated record that fall in `year` (an annual figure: its year)."""
    y = str(year)
    keep = record["date_start"].str[:4].le(y) & record["date_end"].str[:4].ge(y)
    return record[keep].reset_index(drop=True)


def campaign_years() -> range:
    """The years the campaign ran in: 2017 (launch, December) to 2020."""
    return range(int(START[:4]), int(END[:4]) + 1)
