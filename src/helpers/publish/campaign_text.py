"""The statement that the article's headline totals are the campaign's, in zh and en.

Formats a reconciliation table (helpers.analyze.reconcile) for the reports; computes nothing.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from helpers.analyze.reconcile import CAMPAIGN_MEASURES, MATCHING
from helpers.clean.periods import blank as _blank
from helpers.errors import JJJError

CAMPAIGN_NAME = {
    "en": "campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief",
    "zh": "京津冀社会组织助力河北脱贫攻坚行动",
}

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
