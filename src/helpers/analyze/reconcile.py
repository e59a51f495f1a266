"""The seed article's headline totals against the public record's figures of the same measure.

The public figures' most complete cumulative period (for the campaign measures, the 2017-12 →
2020-10 poverty-relief campaign) is the one compared for equality; other periods are
`different_period`, never equal.
"""

from __future__ import annotations

import pandas as pd

from helpers.analyze.consistency import CUMULATIVE
from helpers.analyze.intervals import Interval, num
from helpers.analyze.record_years import with_citations
from helpers.clean import schema
from helpers.clean.periods import blank as _blank
from helpers.clean.quantities import same_value

CAMPAIGN_MEASURES = (
    "orgs_participating",
    "projects_landed",
    "funds_yuan",
    "counties_covered",
    "beneficiaries_person_times",
)
MATCHING = ("exact_match", "consistent_bound")


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


def _relation(seed, pub, ref) -> str:
    """exact_match, consistent_bound, different_period or inconsistent (see the docs)."""
    same_period = ref is not None and (str(pub["period_start"]), str(pub["period_end"])) == ref
    if not same_period:
        return "different_period"
    s, p = Interval.of(seed), Interval.of(pub)
    sqf, pqf = seed["qualifier"], pub["qualifier"]
    if same_value(seed["value"], pub["value"]) and (sqf == pqf or {sqf, pqf} <= {"exact", "about"}):
        return "exact_match"
    if s.floor <= p.ceiling and p.floor <= s.ceiling:
        return "consistent_bound"
    return "inconsistent"


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
        pub = with_citations(pub, citations)
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
            rel = _relation(s, p, ref)
            rows.append(
                {
                    "pair_id": f"{s['figure_id']}|{p['figure_id']}",
                    "measure": s["measure"],
                    **_side("seed", s),
                    **_side("public", p),
                    "public_source_id": p["source_id"],
                    "public_period_start": None
                    if _blank(p["period_start"])
                    else str(p["period_start"]),
                    "public_period_end": None if _blank(p["period_end"]) else str(p["period_end"]),
                    "public_date_published": None
                    if _blank(p["date_published"])
                    else str(p["date_published"]),
                    "relation": rel,
                }
            )
    return schema.validate(
        pd.DataFrame(rows, columns=schema.RECONCILIATION.names), schema.RECONCILIATION
    )


def _side(prefix: str, r) -> dict:
    """One figure's columns of a reconciliation row (seed_… or public_…; the schema's
    _figure_columns)."""
    return {
        f"{prefix}_figure_id": r["figure_id"],
        f"{prefix}_quote": r["quote"],
        f"{prefix}_value": float(r["value"]),
        f"{prefix}_low": num(r["value_low"]),
        f"{prefix}_high": num(r["value_high"]),
        f"{prefix}_qualifier": r["qualifier"],
    }


def check_seed_bounds(seed_figures: pd.DataFrame, public_figures: pd.DataFrame) -> list[str]:
    """Each seed headline figure must be compatible with the public total of the same period."""
    rec = reconcile(seed_figures, public_figures)
    bad = rec[rec["relation"] == "inconsistent"]
    return [
        f"{r['seed_figure_id']} vs {r['public_figure_id']}: same period but «{r['seed_quote']}» "
        f"{_span(r['seed_low'], r['seed_high'], r['seed_value'])} and «{r['public_quote']}» "
        f"{_span(r['public_low'], r['public_high'], r['public_value'])} do not overlap"
        for _, r in bad.iterrows()
    ]


def _span(low, high, value) -> str:
    lo = float("-inf") if _blank(low) else float(low)
    hi = float("inf") if _blank(high) else float(high)
    if _blank(low) and _blank(high):
        lo = hi = float(value)  # about: reasoned with as its value
    return f"[{_fmt_bound(lo)}, {_fmt_bound(hi)}]"
