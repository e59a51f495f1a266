"""National context: China's registered social organizations, by series, for a year and 2012–2024.

Two series (schema.SERIES) are kept apart everywhere: points are drawn per series, a year's
figure is the ministry's, and any computation goes through analyze.consistency, which refuses
to combine the two. Nothing is interpolated: a year without a figure stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from helpers.analyze import consistency
from helpers.clean.periods import blank

NATIONAL = "national"
TOTAL = "social_orgs"
# The ministry's three legal forms of social organization, in the bulletins' order.
COMPONENTS = ("social_associations", "private_non_enterprise_units", "foundations")
AXIS = (2012, 2025)  # the chart's years; a report year outside it widens the axis
FALL_YEAR = 2022  # the first year-on-year fall of the total (pishu-2023-11): drawn by type


def position(iso: str) -> float:
    """A date as a decimal year: 2018-02-07 → 2018.10; a year-end count sits at the year's end."""
    d = date.fromisoformat(str(iso)[:10])
    days = (date(d.year + 1, 1, 1) - date(d.year, 1, 1)).days
    return d.year + (d - date(d.year, 1, 1)).days / days


def _national(figures: pd.DataFrame, measures) -> pd.DataFrame:
    f = figures[figures["measure"].isin(measures) & (figures["region"] == NATIONAL)]
    if "series" not in f.columns:
        return f.iloc[0:0]
    return f[f["series"].map(lambda s: not blank(s))]  # on the few national rows only


def points(figures: pd.DataFrame) -> pd.DataFrame:
    """China's total by series, one row per figure, with its place on the year axis.

    `year_end` marks a count at 31 December; `lower_bound` a figure stated as 超过 (over).
    """
    f = _national(figures, (TOTAL,)).copy()
    f = f[f["period_end"].map(lambda v: not blank(v))]
    f["x"] = f["period_end"].map(position)
    f["year_end"] = f["period_end"].map(lambda v: str(v)[5:10] == "12-31")
    f["lower_bound"] = f["value_high"].map(blank) & ~f["value_low"].map(blank)
    cols = ["series", "figure_id", "source_id", "x", "value", "qualifier", "quote"]
    return (
        f[[*cols, "period_end", "year_end", "lower_bound"]]
        .sort_values(["series", "x", "figure_id"], kind="stable")
        .reset_index(drop=True)
    )


# Two pages' figures for one count that differ by less than this are the same count printed
# at different precision (37.11万 and 371110): one figure, the more precise, not a range.
SAME_COUNT = 0.001


def _digits(v: float) -> int:
    return len(str(int(round(v))).rstrip("0"))


def one_count(rows: pd.DataFrame) -> pd.DataFrame:
    """Several pages' figures for one count: one row (the most precise) when they are the same
    count printed at different precision; every row, unchanged, when they disagree."""
    if len(rows) < 2:
        return rows
    lo, hi = rows["value"].min(), rows["value"].max()
    if lo <= 0 or hi / lo - 1 >= SAME_COUNT:
        return rows
    best = rows["value"].map(_digits).astype(int).idxmax()
    return rows.loc[[best]].reset_index(drop=True)


def at_year_end(figures: pd.DataFrame, year: int, measure: str = TOTAL, series="ministry"):
    """The series' national figures counted at the end of `year` (several if sources differ)."""
    f = _national(figures, (measure,))
    f = f[(f["series"] == series) & (f["period_end"].astype(str) == f"{year}-12-31")]
    return one_count(f.sort_values("figure_id", kind="stable").reset_index(drop=True))


def nearest(figures: pd.DataFrame, year: int, measure: str = TOTAL, series="ministry"):
    """The series' figures dated nearest to the end of `year` (the earlier on a tie), when none
    is counted at its end: a count during the year (2025-10) or another year's, with its date."""
    f = _national(figures, (measure,))
    f = f[(f["series"] == series) & f["period_end"].map(lambda v: not blank(v))]
    if f.empty:
        return f.reset_index(drop=True)
    end = position(f"{year}-12-31")
    dist = f["period_end"].map(lambda v: round(abs(position(v) - end), 6))
    best = f[dist == dist.min()]
    best = best[best["period_end"].astype(str) == min(best["period_end"].astype(str))]
    return one_count(best.sort_values("figure_id", kind="stable").reset_index(drop=True))


@dataclass
class NationalYear:
    """What the record says about China's total for one year."""

    year: int
    total: pd.DataFrame  # the ministry's figures at the year's end: 0, 1, or 2 that disagree
    components: dict[str, pd.DataFrame]  # measure → the ministry's figures at the year's end
    platform: pd.DataFrame  # the platform's national counts dated in the year (another series)
    changes: pd.DataFrame  # per component: change from the year before, when both are given
    # Without a count at the year's end: the ministry's count dated nearest to it, with its date.
    near: pd.DataFrame = None  # type: ignore[assignment]
    # The platform's count for the year as a whole ("2014年…"): 1 row, or 2 pages disagreeing.
    platform_year: pd.DataFrame = None  # type: ignore[assignment]

    @property
    def near_found(self) -> bool:
        return not self.found and self.near is not None and len(self.near) > 0

    @property
    def platform_disagree(self) -> bool:
        return self.platform_year is not None and self.platform_year["value"].nunique() > 1

    @property
    def found(self) -> bool:
        return len(self.total) > 0

    @property
    def disagree(self) -> bool:
        return self.total["value"].nunique() > 1

    @property
    def low(self) -> pd.Series | None:
        return None if self.total.empty else self.total.loc[self.total["value"].idxmin()]

    @property
    def high(self) -> pd.Series | None:
        return None if self.total.empty else self.total.loc[self.total["value"].idxmax()]


def changes(figures: pd.DataFrame, year: int, measures=COMPONENTS) -> pd.DataFrame:
    """Per measure, the ministry's change from the end of `year`-1 to the end of `year`.

    Computed through consistency.growth, so two figures of different series are refused.
    """
    rows = []
    for m in measures:
        old, new = at_year_end(figures, year - 1, m), at_year_end(figures, year, m)
        # A page giving both years compares its own counts: that pair, not two pages' figures.
        both = _same_page(figures, year, m)
        if both is not None:
            old, new = both
        if len(old) == 1 and len(new) == 1:
            o, n = old.iloc[0], new.iloc[0]
            g = consistency.growth(o, n)
            lo, hi = growth_bounds(o["value"], n["value"])
            rows.append({"measure": m, "old": o, "new": n, "growth": g,
                         "growth_low": lo, "growth_high": hi})  # fmt: skip
    return pd.DataFrame(rows, columns=["measure", "old", "new", "growth", "growth_low",
                                       "growth_high"])  # fmt: skip


def printed_step(v: float) -> int:
    """The unit of a count's last printed digit: 370100 (37.01万) → 100; 8877 → 1."""
    n, step = int(round(v)), 1
    while n and n % 10 == 0:
        n, step = n // 10, step * 10
    return step


def growth_bounds(old: float, new: float) -> tuple[float, float]:
    """The growth old → new over what the printed counts allow (each ± half its last digit):
    37.11万 → 37.01万 is −0.30 % to −0.24 %, not −0.269 %."""
    ho, hn = printed_step(old) / 2, printed_step(new) / 2
    if ho == 0.5 and hn == 0.5:  # both counted to the unit: exact
        g = (new - old) / old
        return g, g
    a, b = (new - hn) / (old + ho) - 1, (new + hn) / (old - ho) - 1
    return min(a, b), max(a, b)


def supported_sig(low: float, high: float, most: int = 3) -> int:
    """The most significant digits (≤ most) on which both bounds round alike; 0 if none."""
    from decimal import ROUND_HALF_UP, Decimal

    def sig_round(x: float, k: int) -> Decimal:
        d = Decimal(repr(abs(x)))
        if d == 0:
            return d
        q = Decimal(1).scaleb(d.adjusted() - k + 1)
        return d.quantize(q, rounding=ROUND_HALF_UP)

    for k in range(most, 0, -1):
        if sig_round(low, k) == sig_round(high, k):
            return k
    return 0


def _same_page(figures: pd.DataFrame, year: int, measure: str):
    """(old, new) one-row frames from the one page that gives `measure` at both years' ends."""
    f = _national(figures, (measure,))
    f = f[f["series"] == "ministry"]
    ends = f["period_end"].astype(str)
    old, new = f[ends == f"{year - 1}-12-31"], f[ends == f"{year}-12-31"]
    for sid in sorted(set(old["source_id"]) & set(new["source_id"])):
        o, n = old[old["source_id"] == sid], new[new["source_id"] == sid]
        if len(o) == 1 and len(n) == 1:
            return o.reset_index(drop=True), n.reset_index(drop=True)
    return None


def for_year(figures: pd.DataFrame, year: int) -> NationalYear:
    """The national context of one year's report."""
    # Every step below keeps only national figures of these measures: the same rows, found
    # once rather than in each of its ~20 lookups.
    figures = _national(figures, (TOTAL, *COMPONENTS))
    plat = _national(figures, (TOTAL,))
    plat = plat[plat["series"] == "platform"]
    plat = plat[plat["period_end"].map(lambda v: not blank(v) and str(v)[:4] == str(year))]
    plat = plat.sort_values(["period_end", "figure_id"], kind="stable").reset_index(drop=True)
    # The year as a whole (period "2014"): both pages' counts kept, never one picked.
    whole = plat[
        (plat["period_start"].astype(str) == f"{year}-01-01")
        & (plat["period_end"].astype(str) == f"{year}-12-31")
    ].reset_index(drop=True)
    total = at_year_end(figures, year)
    return NationalYear(
        year,
        total,
        {m: at_year_end(figures, year, m) for m in COMPONENTS},
        plat,
        changes(figures, year),
        near=nearest(figures, year) if total.empty else total.iloc[0:0],
        platform_year=whole,
    )
