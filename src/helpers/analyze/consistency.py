"""Consistency rules of the public record, and conflicts between its sources.

Rules refuse a record that contradicts itself (regional parts above their total, a year above
the multi-year total containing it, a cumulative count that falls); conflicts only flag two
sources that disagree on one measure, region and period, keeping both rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.analyze.intervals import Interval
from helpers.clean import schema
from helpers.clean.periods import blank as _blank
from helpers.clean.periods import period_label
from helpers.clean.quantities import same_value
from helpers.errors import JJJError

# Regional parts that a page reports beside its total (same page, same period end).
SUBTOTALS = {
    "projects_landed": ("projects_from_beijing", "projects_from_tianjin", "projects_from_hebei"),
    "funds_yuan": ("funds_from_beijing_yuan", "funds_from_tianjin_yuan", "funds_from_hebei_yuan"),
}
CUMULATIVE = ("total", "as_of")
# Counts of registered organizations at a date (stocks): registrations are also cancelled, so
# they can fall — the national total did in 2022. "Cumulative counts never fall" is a rule for a
# campaign's running totals, not for stocks.
STOCKS = (
    "social_orgs",
    "social_associations",
    "private_non_enterprise_units",
    "foundations",
    "beijing_registered_orgs",
)
# What "never mix series" refuses: any computation combining two figures.
OPERATIONS = ("growth", "difference", "share")


def _series(figures: pd.DataFrame) -> pd.Series:
    """Each figure's series, "" when it has none (the article, campaign pages)."""
    if "series" not in figures.columns:
        return pd.Series("", index=figures.index, dtype=object)
    return figures["series"].map(lambda v: "" if _blank(v) else str(v))


@dataclass(frozen=True)
class Violation:
    """A rule that does not hold: which rule, the figures it concerns as (figure_id, quote),
    the offending one first, and the sentence for the build's error (str() gives it)."""

    rule: str  # a function's name below, less its "check_"
    figures: tuple[tuple[str, str], ...]
    message: str

    def __str__(self) -> str:
        return self.message


def _pairs(*rows) -> tuple[tuple[str, str], ...]:
    return tuple((str(r["figure_id"]), str(r["quote"])) for r in rows)


def _fid(rows) -> str:
    return ", ".join(rows["figure_id"])


def check_regional_subtotals(figures: pd.DataFrame) -> list[Violation]:
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
            lo_sum = sum(max(Interval.of(r).floor, 0.0) for _, r in comp.iterrows())
            hi = Interval.of(t).ceiling
            if lo_sum > hi:
                message = (
                    f"{t['figure_id']}: regional parts ({_fid(comp)}) sum to at least {lo_sum:g}, "
                    f"above the total's upper bound {hi:g}"
                )
                parts_rows = [r for _, r in comp.iterrows()]
                out.append(Violation("regional_subtotals", _pairs(t, *parts_rows), message))
    return out


def _within(inner_start, inner_end, outer_start, outer_end) -> bool:
    if _blank(outer_start) or _blank(inner_start) or _blank(inner_end) or _blank(outer_end):
        return False
    return str(outer_start) <= str(inner_start) and str(inner_end) <= str(outer_end)


def check_annual_within_totals(figures: pd.DataFrame) -> list[Violation]:
    """An annual figure cannot exceed a cumulative total whose period contains that year."""
    out = []
    annual = figures[figures["period_type"] == "annual"]
    totals = figures[figures["period_type"].isin(CUMULATIVE)]
    for _, a in annual.iterrows():
        same = totals[(totals["measure"] == a["measure"]) & (totals["region"] == a["region"])]
        for _, t in same.iterrows():
            if not _within(a["period_start"], a["period_end"], t["period_start"], t["period_end"]):
                continue
            if Interval.of(a).floor > Interval.of(t).ceiling:
                message = (
                    f"{a['figure_id']} ({a['quote']}, {a['period_text']}) exceeds the total "
                    f"{t['figure_id']} ({t['quote']}) of a period containing it"
                )
                out.append(Violation("annual_within_totals", _pairs(a, t), message))
    return out


def check_cumulative_non_decreasing(figures: pd.DataFrame) -> list[Violation]:
    """Cumulative (as-of / total) figures of one measure, region and series never fall over
    time; stocks (STOCKS) are exempt."""
    out = []
    cum = figures[
        figures["period_type"].isin(CUMULATIVE)
        & figures["period_end"].notna()
        & ~figures["measure"].isin(STOCKS)
    ]
    cum = cum.assign(_series=_series(cum))
    for _, grp in cum.groupby(["measure", "region", "_series"]):
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
                if Interval.of(early).floor > Interval.of(late).ceiling:
                    message = (
                        f"{late['figure_id']} ({late['quote']}, to {late['period_end']}) is below "
                        f"the earlier {early['figure_id']} ({early['quote']}, to "
                        f"{early['period_end']})"
                    )
                    pairs = _pairs(late, early)
                    out.append(Violation("cumulative_non_decreasing", pairs, message))
    return out


def check_all(figures: pd.DataFrame) -> list[Violation]:
    """Every rule's violations, in rule order (empty list: all pass)."""
    return (
        check_regional_subtotals(figures)
        + check_annual_within_totals(figures)
        + check_cumulative_non_decreasing(figures)
    )


def gate(figures: pd.DataFrame, where) -> None:
    """Refuse a public record that contradicts itself, in one line naming `where` (its raw
    file): the build's combine step runs this before the reports' tables change."""
    problems = check_all(figures)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise JJJError(f"{where}: consistency check failed: {problems[0]}{more}")


def conflicts(figures: pd.DataFrame) -> pd.DataFrame:
    """Pairs of sources giving different values or qualifiers for one measure, region, series
    and period.

    Flags only: both rows stay in the figures table. 多 and 余 are both `more_than`, so
    280多万 vs 280余万 is no conflict; 约21.88亿元 vs 21.88亿元 is (`qualifier_differs`); the
    ministry's 81.6万 vs 81.74万 for 2018 is (`value_differs`). Two series never conflict: they
    count differently.
    """
    rows = []
    f = figures.assign(
        _ps=figures["period_start"].map(lambda v: "" if _blank(v) else str(v)),
        _pe=figures["period_end"].map(lambda v: "" if _blank(v) else str(v)),
        _series=_series(figures),
    )
    for _, grp in f.groupby(["measure", "region", "_series", "_ps", "_pe"], sort=True):
        recs = [r for _, r in grp.sort_values("figure_id").iterrows()]
        for i, a in enumerate(recs):
            for b in recs[i + 1 :]:
                if a["source_id"] == b["source_id"]:
                    continue
                if not same_value(a["value"], b["value"]):
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
                        "series": a["_series"],
                        "period": period_label(a["period_start"], a["period_end"]),
                        **_side(a, "a"),
                        **_side(b, "b"),
                        "kind": kind,
                    }
                )
    return schema.validate(pd.DataFrame(rows, columns=schema.CONFLICTS.names), schema.CONFLICTS)


def _side(r, suffix: str) -> dict:
    """One figure's columns of a conflict row (…_a or …_b)."""
    return {
        f"figure_id_{suffix}": r["figure_id"],
        f"source_{suffix}": r["source_id"],
        f"quote_{suffix}": r["quote"],
        f"value_{suffix}": float(r["value"]),
        f"qualifier_{suffix}": r["qualifier"],
    }


def same_series(*rows, operation: str) -> str:
    """The one series of `rows` (figures), or a JJJError: never mix series.

    The ministry's bulletins and the query platform count differently (the platform even
    disagrees with itself), so no growth, difference or share is computed across them.
    """
    if operation not in OPERATIONS:
        raise JJJError(f"unknown operation {operation!r}; known: {', '.join(OPERATIONS)}")
    found = {}
    for r in rows:
        s = r.get("series") if hasattr(r, "get") else None
        found.setdefault("" if _blank(s) else str(s), []).append(str(r["figure_id"]))
    if len(found) > 1:
        parts = "; ".join(f"{s or 'no series'}: {', '.join(ids)}" for s, ids in found.items())
        raise JJJError(f"{operation} across series refused (never mix series): {parts}")
    return next(iter(found), "")


def growth(old, new) -> float:
    """Relative change from figure `old` to figure `new`, both of one series."""
    same_series(old, new, operation="growth")
    return (float(new["value"]) - float(old["value"])) / float(old["value"])


def difference(a, b) -> float:
    """`a` minus `b`, two figures of one series."""
    same_series(a, b, operation="difference")
    return float(a["value"]) - float(b["value"])


def share(part, whole) -> float:
    """`part` as a fraction of `whole`, two figures of one series."""
    same_series(part, whole, operation="share")
    return float(part["value"]) / float(whole["value"])
