"""The article's ten-year outcome statistics, derived ratios with bounds, and the back-test.

Reads data/processed only (through helpers.clean.processed). Bounds follow the qualifier
convention of helpers.clean.quantities: a ratio of two bounded figures is an interval, computed
end to end — a "more than" total over an exact count is a lower bound, never a point value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from helpers import paths
from helpers.analyze.intervals import Interval
from helpers.errors import JJJError

SEED = paths.SEED_SOURCE_ID


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator, both figure ids of the codebook."""

    ratio_id: str
    numerator: str
    denominator: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str


# Ratios the text supports: both terms come from the same organization's case or the same
# headline set and cover the same period, so dividing them means something.
RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "yuan_per_project",
        "jjj_funds_in_hebei_poverty_relief",
        "jjj_projects_in_hebei_poverty_relief",
        "每个项目的资金",
        "funds per project",
        "元",
        "yuan",
    ),
    Ratio(
        "beneficiaries_per_project",
        "jjj_beneficiaries_in_hebei_poverty_relief",
        "jjj_projects_in_hebei_poverty_relief",
        "每个项目的受益人次",
        "beneficiaries per project",
        "人次",
        "person-times",
    ),
    Ratio(
        "projects_per_county",
        "jjj_projects_in_hebei_poverty_relief",
        "jjj_counties_in_hebei_poverty_relief",
        "每个重点县的项目数",
        "projects per county",
        "个",
        "projects",
    ),
    Ratio(
        "projects_per_org",
        "jjj_projects_in_hebei_poverty_relief",
        "jjj_orgs_in_hebei_poverty_relief",
        "每家组织的项目数",
        "projects per organization",
        "个",
        "projects",
    ),
    Ratio(
        "students_per_school",
        "cihong_students",
        "cihong_schools",
        "每所学校的受益学生",
        "students per school",
        "人",
        "students",
    ),
    Ratio(
        "book_corners_per_school",
        "cihong_book_corners",
        "cihong_schools",
        "每所学校的班级图书角",
        "book corners per school",
        "个",
        "book corners",
    ),
    Ratio(
        "yuan_per_student",
        "cihong_funds",
        "cihong_students",
        "每名学生的公益资金",
        "funds per student",
        "元",
        "yuan",
    ),
    Ratio(
        "elders_per_institution",
        "taikang_elders_benefiting",
        "taikang_elder_care_institutions",
        "每家养老机构惠及老人",
        "elders per institution",
        "名",
        "elders",
    ),
    Ratio(
        "research_projects_per_foundation",
        "jjj_foundation_research_projects_3y",
        "jjj_foundations_research_3y",
        "每家基金会的科研项目",
        "research projects per foundation",
        "个",
        "projects",
    ),
    Ratio(
        "intentions_per_org_2024",
        "jjj_project_intentions_2024",
        "jjj_orgs_planning_projects_2024",
        "每家组织的项目意向（2024年）",
        "project intentions per organization (2024)",
        "个",
        "intentions",
    ),
)


def sig_digits(v: float) -> int:
    """Significant digits of a printed figure: 5000 → 1, 6300 → 2, 21.88亿 → 4, 369 → 3."""
    d = Decimal(repr(float(v))).normalize()
    return max(1, len(d.as_tuple().digits))


def ratio_qualifier(bound: str, approx: bool) -> str:
    """How a ratio reads: the bound it is, "about" when a term was approximate."""
    if bound == "exact":
        return "about" if approx else "exact"
    if bound in ("range", "at_least", "at_most"):
        return f"{bound}_about" if approx else bound
    return "about"


def seed_figures(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[figures["source_id"] == SEED].reset_index(drop=True)


# The order a reader meets the headline figures in the article's lead.
HEADLINE_ORDER = (
    "cooperation_fields",
    "orgs_participating",
    "projects_landed",
    "funds_yuan",
    "counties_covered",
    "beneficiaries_person_times",
    "foundations_active",
    "orgs_planning_projects_2024",
    "project_intentions_2024",
    "projects_signed_on_site",
)


def headline(figures: pd.DataFrame) -> pd.DataFrame:
    """The meeting's headline statistics, in the order the article's lead gives them."""
    seed = seed_figures(figures)
    head = seed[seed["category"] == "headline"]
    rank = head["measure"].map({m: i for i, m in enumerate(HEADLINE_ORDER)})
    order = rank.fillna(len(HEADLINE_ORDER)).sort_values(kind="stable").index
    return head.loc[order].reset_index(drop=True)


def cases(figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One table per organization case, organizations in order of first appearance."""
    seed = seed_figures(figures)
    seed = seed[(seed["category"] == "case_study")]
    out: dict[str, pd.DataFrame] = {}
    for org in dict.fromkeys(seed["organization"].fillna("").tolist()):
        out[org] = seed[seed["organization"].fillna("") == org].reset_index(drop=True)
    return out


def ratios(figures: pd.DataFrame, specs: tuple[Ratio, ...] = RATIOS) -> pd.DataFrame:
    """Every ratio in `specs`, with its interval and how firm it is."""
    by_id = figures.set_index("figure_id")
    rows = []
    for r in specs:
        for fid in (r.numerator, r.denominator):
            if fid not in by_id.index:
                raise JJJError(f"ratio {r.ratio_id}: figure {fid!r} is not in figures.csv")
        num, den = by_id.loc[r.numerator], by_id.loc[r.denominator]
        ratio = Interval.of(num) / Interval.of(den)
        low, value, high, bound = ratio.low, ratio.value, ratio.high, ratio.kind
        approx = "about" in (num["qualifier"], den["qualifier"])
        rows.append(
            {
                "ratio_id": r.ratio_id,
                "label_zh": r.label_zh,
                "label_en": r.label_en,
                "value": value,
                "value_low": low,
                "value_high": high,
                "bound": bound,
                # Approximate inputs make an approximate ratio; printed with its bounds.
                "qualifier": ratio_qualifier(bound, approx),
                # No more digits than the least precise term prints (two at least, so that a
                # ratio of round figures still separates its bounds).
                "sig": max(2, min(sig_digits(num["value"]), sig_digits(den["value"]))),
                "unit_zh": r.unit_zh,
                "unit_en": r.unit_en,
                "numerator": r.numerator,
                "numerator_quote": num["quote"],
                "denominator": r.denominator,
                "denominator_quote": den["quote"],
            }
        )
    return pd.DataFrame(rows)


def backtest(figures: pd.DataFrame, article_text: str) -> pd.DataFrame:
    """Each seed figure's value against the value printed in the article, re-read from its text.

    The printed value is parsed again from the quote found in the processed article text, so a
    figure edited in the table, or a quote that vanished from the text, fails here.
    """
    from helpers.clean.quantities import parse_quantity

    rows = []
    for f in seed_figures(figures).itertuples(index=False):
        found = f.quote in article_text
        printed = parse_quantity(f.quote).value if found else None
        ok = found and printed is not None and math.isclose(printed, float(f.value), rel_tol=0)
        rows.append(
            {
                "figure_id": f.figure_id,
                "quote": f.quote,
                "in_text": found,
                "printed": printed,
                "reproduced": float(f.value),
                "ok": bool(ok),
            }
        )
    return pd.DataFrame(rows)


def assert_backtest(table: pd.DataFrame) -> None:
    """Fail the build, naming the first figure whose reproduced value differs from the print."""
    if table.empty:
        raise JJJError("back-test: no seed figures to check")
    bad = table[~table["ok"]]
    if not bad.empty:
        r = bad.iloc[0]
        where = "quote not in the article text" if not r["in_text"] else f"printed {r['printed']}"
        raise JJJError(
            f"back-test failed for figure {r['figure_id']} ({r['quote']}): "
            f"reproduced {r['reproduced']}, {where} ({len(bad)} of {len(table)} differ)"
        )
