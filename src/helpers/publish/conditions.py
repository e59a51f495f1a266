"""Conditions: the bools that choose a report's sentences, computed here and only here, and
the cell tags that use them.

A prose cell tagged `if-<name>` is kept only when the glued bool `<name>` holds,
`unless-<name>` only when it does not (helpers.publish.prose.prepare asks `holds`). Each
notebook glues its conditions in one cell near its top, which lists them: `year_report` for
notebooks/03_year_report.py, `ten_year` for notebooks/02_ten_year_outcomes.py. A sentence with
several alternatives has one condition per alternative, so a cell carries one condition tag.
No year is written here: the campaign's years, the article's year and the national series'
first fall come from the data and from helpers.analyze.

helpers.analyze is imported where a condition is computed: the export, which only reads the
tags, does not load it.
"""

from __future__ import annotations

import re

from helpers import paths
from helpers.errors import JJJError

TAG = re.compile(r"^(if|unless)-(.+)$")


# ------------------------------------------------------------------------------- the tags


def names(tags) -> list[str]:
    """The conditions a cell's tags name, in order."""
    return [m.group(2) for t in tags if (m := TAG.match(t))]


def holds(tags, values: dict, where: str) -> bool:
    """Whether every condition tag among `tags` holds under the glued `values`; a condition on
    a name never glued, or glued as something other than a bool, is named with `where`."""
    for tag in tags:
        m = TAG.match(tag)
        if not m:
            continue
        kind, name = m.groups()
        if name not in values:
            raise JJJError(f"{where}: condition {tag!r}: no value {name!r}")
        flag = values[name]
        if not isinstance(flag, bool):
            raise JJJError(f"{where}: condition {tag!r}: not a bool")
        if flag != (kind == "if"):
            return False
    return True


# ------------------------------------------------------------------ what they are computed from


def article_year(data) -> int:
    """The year the article was published: its printed date, else that of the meeting it
    reports (the page prints no date; it was published after the meeting)."""
    source = data.sources[paths.SEED_SOURCE_ID]
    when = source.get("date_published") or source.get("event_date")
    if not when:
        raise JJJError(f"{paths.SEED_SOURCE_ID}: neither date_published nor event_date is known")
    return int(str(when)[:4])


def lead(data, view) -> dict:
    """Which finding leads the year's title (helpers.analyze.years.lead): `kind`, and for an
    event its `event_id` and the organizations counted at it (`figure_id`). The national
    series' first fall leads only where the year has one ministry count."""
    from helpers.analyze import national, years

    nat = national.for_year(data.figures, view.year)
    fall = view.year == national.FALL_YEAR and nat.found and not nat.disagree
    return years.lead(view, national_fall=fall)


def national_context(nat) -> dict[str, bool]:
    """The national-context conditions of `nat` (helpers.analyze.national.NationalYear)."""
    from helpers.analyze.national import COMPONENTS

    whole = nat.platform_year if nat.platform_year is not None else nat.platform.iloc[0:0]
    return {
        "nat_single": nat.found and not nat.disagree,
        "nat_range": nat.found and nat.disagree,
        "nat_near": nat.near_found,
        "nat_missing": not nat.found and not nat.near_found,
        "nat_components": all(len(nat.components.get(m, ())) == 1 for m in COMPONENTS),
        "nat_changes": len(nat.changes) == len(COMPONENTS),
        "plat_range": nat.platform_disagree,
        "plat_found": not nat.platform_disagree and bool(len(whole) or len(nat.platform)),
    }


# ----------------------------------------------------------------------- each notebook's


def year_report(data, view) -> dict[str, bool]:
    """Every condition of notebooks/03_year_report.py for the year of `view`
    (helpers.analyze.years.view): the title's, the main points', the sections'."""
    from helpers.analyze import campaign_record, national, years

    k = view.known
    led = lead(data, view)
    kind = led["kind"]
    nat = national_context(national.for_year(data.figures, view.year))
    covered = k["covering"] > 0
    none_uncovered = kind == "none" and not covered
    after_article = view.year > article_year(data)
    in_campaign = view.year in campaign_record.campaign_years()
    keys = len(years.key_figures(view, led["figure_id"]))  # the main point lists up to three
    alone = k["alone"]  # the article's figures for the year alone, listed up to three
    public = view.public_record
    basis = set(public["basis"]) if len(public) and "basis" in public.columns else set()
    return {
        # the title: exactly one holds
        "lead_counties_exit": kind == "counties_exit",
        "lead_campaign_end": kind == "campaign_end",
        "lead_national_fall": kind == "national_fall",
        "lead_event_counted": kind == "event" and led["figure_id"] is not None,
        "lead_event_uncounted": kind == "event" and led["figure_id"] is None,
        "lead_none_covered": kind == "none" and covered,
        "lead_none_after_article": none_uncovered and after_article,
        "lead_none_uncovered": none_uncovered and not after_article,
        # main points
        "has_events": k["events"] > 0,
        "nat_single_not_lead": nat["nat_single"] and kind != "national_fall",
        "one_key": keys == 1,
        "two_keys": keys == 2,
        "three_keys": keys >= 3,
        "one_alone": alone == 1,
        "two_alone": alone == 2,
        "three_alone": alone >= 3,
        "in_campaign": in_campaign,
        "in_campaign_not_lead": in_campaign and kind != "campaign_end",
        # sections
        "has_covering": covered,
        "has_public_period": "period" in basis,
        "has_public_published": "published" in basis,
        **nat,
    }


def ten_year(data) -> dict[str, bool]:
    """Every condition of notebooks/02_ten_year_outcomes.py."""
    from helpers.analyze import consistency

    return {
        "consistent": not consistency.check_all(data.figures),
        "has_conflicts": not consistency.conflicts(data.figures).empty,
    }
