"""Named values of the public record for the year report: the national context and the
campaign's record.

Each function returns a dict to pass to `prose.glue`: Values (number, unit, qualifier, quote,
citation) and short strings (a publisher, a date). The conditions that choose among the
sentences are helpers.publish.conditions'; the sentences themselves are in
notebooks/03_year_report.py. Nothing here is a sentence.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from helpers.clean.periods import period_label
from helpers.publish import named
from helpers.publish.formatting import Value, from_figure
from helpers.publish.i18n import t
from helpers.publish.notes import pick

# Units of the figures as the sentences name them (English plural, Chinese counter + noun).
UNITS = {
    "social_orgs": ("registered social organizations", "个"),
    "poor_counties_exited": ("poor counties", "个贫困县"),
}
COMPONENT_NAMES = {
    "social_associations": "assoc",
    "private_non_enterprise_units": "pneu",
    "foundations": "fdn",
}


def value(row, data) -> Value:
    """A figure row as a prose Value, cited as the reports cite (publish.named.citation); the
    sentence's unit where UNITS names one."""
    v = from_figure(row, named.citation(data, row["source_id"]))
    if row["measure"] in UNITS:
        unit, unit_zh = UNITS[row["measure"]]
        v = replace(v, unit=unit, unit_zh=unit_zh)
    return v


def change_value(c, old=None, new=None) -> Value:
    """A change in per cent (its size; the direction is a word) with only the digits the
    printed counts support: "about 1.9 %", or a range ("0.24 to 0.30 %") where not one digit
    is sure. `c`: a row of analyze.national.changes."""
    from helpers.analyze.national import supported_sig

    lo, hi = sorted((abs(100 * c.growth_low), abs(100 * c.growth_high)))
    basis = tuple(b for b in (old, new) if b is not None)
    k = supported_sig(lo, hi)
    if lo == hi:
        return Value(lo, "per cent", unit_zh="%", sig=3, basis=basis, operation="→")
    if k:
        return Value(abs(100 * c.growth), "per cent", qualifier="about", unit_zh="%",
                     sig=k, basis=basis, operation="→")  # fmt: skip
    return Value(abs(100 * c.growth), "per cent", qualifier="range", low=lo, high=hi,
                 unit_zh="%", sig=2, basis=basis, operation="→")  # fmt: skip


def _first(v: Value, row) -> Value:
    """A count the record calls a first fall: its note says where "first" comes from — the
    record's summary of the page, not the page's words (the record holds only the number)."""
    if "first year-on-year fall" not in str(row.get("subject_en", "")):
        return v
    return replace(
        v,
        note={
            "zh": f"“首次”一说出自公开记录对该页的说明（{row['subject_zh']}），"
            "不是原文引语：公开记录只收录了该页的数字",
            "en": f"“first” is the public record's summary of this page ({row['subject_en']}), "
            "not a quote: the record holds only the page's number",
        },
    )


def _publisher(row, data, lang: str) -> str:
    """The page's publisher as a reader of `lang` cites it (the record's line mixes languages;
    a zh reader gets our Chinese citation where the record has one)."""
    return pick(named.citation(data, row["source_id"]).publisher, lang)


def national(nat, data, lang: str) -> dict:
    """Values of the national-context sentences for `nat` (analyze.national.NationalYear)."""
    out: dict = {"year": str(nat.year), "prev_year": str(nat.year - 1)}
    if nat.found and not nat.disagree:
        row = nat.total.iloc[0]
        out |= {"nat_total": _first(value(row, data), row), "nat_via": _publisher(row, data, lang)}
    if nat.found and nat.disagree:
        lo, hi = nat.low, nat.high
        vlo, vhi = value(lo, data), value(hi, data)
        out |= {
            "nat_low": vlo,
            "nat_high": vhi,
            "nat_low_via": _publisher(lo, data, lang),
            "nat_high_via": _publisher(hi, data, lang),
            # The range itself: both sources' numbers, neither picked.
            "nat_span": _span(vlo, vhi),
        }
    if nat.near_found:
        # Not counted at the year's end: the count dated nearest to it, said with its date.
        row = nat.near.iloc[0]
        out |= {
            "nat_near_value": value(row, data),
            "nat_near_when": period_label(None, row["period_end"], lang),
            "nat_near_via": _publisher(row, data, lang),
        }
    for m, df in nat.components.items():
        if len(df) == 1:
            out[f"nat_{COMPONENT_NAMES[m]}"] = value(df.iloc[0], data)
    for c in nat.changes.itertuples(index=False):
        name = f"chg_{COMPONENT_NAMES[c.measure]}"
        # The size of the change, and its direction as a word of the report's language.
        out[name] = change_value(c, value(c.old, data), value(c.new, data))
        out[f"{name}_dir"] = t("change_fell" if c.growth < 0 else "change_rose", lang)
    out |= _platform(nat, data, lang)
    return out


def _span(lo: Value, hi: Value) -> Value:
    """Two pages' figures for one count as a range: both numbers, both cited, neither picked."""
    return replace(
        lo,
        qualifier="range",
        low=lo.number,
        high=hi.number,
        quote=f"{lo.quote}；{hi.quote}",
        citation=None,
        basis=(lo, hi),
        operation="；",
    )


def _platform(nat, data, lang: str) -> dict:
    """The query platform's counts of the year: its count for the year as a whole (a range
    where its two pages disagree), else the first count dated in the year."""
    whole = nat.platform_year if nat.platform_year is not None else nat.platform.iloc[0:0]
    out: dict = {"plat_year": str(nat.year)}
    if nat.platform_disagree:
        lo = whole.loc[whole["value"].idxmin()]
        hi = whole.loc[whole["value"].idxmax()]
        vlo, vhi = value(lo, data), value(hi, data)
        return out | {
            "plat_low": vlo,
            "plat_high": vhi,
            "plat_low_via": _publisher(lo, data, lang),
            "plat_high_via": _publisher(hi, data, lang),
            "plat_span": _span(vlo, vhi),
        }
    row = whole.iloc[0] if len(whole) else (nat.platform.iloc[0] if len(nat.platform) else None)
    if row is None:
        return out
    return out | {
        "plat_value": value(row, data),
        "plat_when": period_label(row["period_start"], row["period_end"], lang),
        "plat_via": _publisher(row, data, lang),
    }


def campaign(items: pd.DataFrame, data, year: int, lang: str) -> dict:
    """Values of the campaign sentences of `year`: the items of the year's dated record."""
    figs = items[items["kind"] == "figure"]
    exits = figs[figs["measure"] == "poor_counties_exited"]
    out: dict = {}
    if len(exits) == 1:
        row = _figure_row(exits.iloc[0])
        out |= {
            "counties_exited": value(row, data),
            "counties_via": _publisher(row, data, lang),
        }
    return out


def _figure_row(item) -> dict:
    """An item of analyze.campaign_record as the figure row from_figure reads."""
    return {
        "source_id": item["source_id"],
        "measure": item["measure"],
        "value": item["value"],
        "unit": item["unit"],
        "unit_zh": item["unit_zh"],
        "qualifier": item["qualifier"],
        "value_low": item["value_low"],
        "value_high": item["value_high"],
        "quote": item["quote"],
    }
