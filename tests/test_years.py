"""analyze.years: a multi-year total is shown whole in every year it covers, never split;
an as-of figure belongs to its own year only."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import paths
from helpers.analyze import years
from helpers.clean import schema

CAMPAIGN_TOTAL = {"figure_id": "projects", "value": 1200.0, "period_type": "total",
                  "period_start": "2017-12-01", "period_end": "2020-10-31"}  # fmt: skip
AS_OF = {"figure_id": "orgs", "value": 6300.0, "period_type": "as_of",
         "period_start": None, "period_end": "2019-06-30"}  # fmt: skip


def _figures(*rows) -> pd.DataFrame:
    full = [{**dict.fromkeys(schema.FIGURES.names), "source_id": paths.SEED_SOURCE_ID,
             "period_ambiguous": False, **r} for r in rows]  # fmt: skip
    return pd.DataFrame(full, columns=schema.FIGURES.names)


def _view(figures: pd.DataFrame, year: int) -> years.YearView:
    events = pd.DataFrame(columns=schema.EVENTS.names)
    citations = pd.DataFrame(columns=schema.CITATIONS.names)
    return years.view(figures, events, citations, year)


@pytest.mark.parametrize("year", [2018, 2019, 2020])
def test_a_campaign_total_shows_whole_in_each_year_it_covers(year):
    v = _view(_figures(CAMPAIGN_TOTAL), year)
    assert v.covering["figure_id"].tolist() == ["projects"]
    assert v.covering["relation"].tolist() == ["total"]
    assert v.covering["value"].tolist() == [1200.0]  # the whole total, never 1200 / 3 or 4
    assert not v.covering["year_alone"].any()
    assert v.known["covering_total"] == 1 and v.known["as_of"] == 0


@pytest.mark.parametrize("year", [2016, 2021, 2024])
def test_a_campaign_total_is_absent_outside_its_period(year):
    assert _view(_figures(CAMPAIGN_TOTAL), year).covering.empty


def test_an_as_of_figure_appears_only_in_its_year():
    shown = {y: _view(_figures(AS_OF), y).covering for y in paths.REPORT_YEARS}
    assert [y for y, c in shown.items() if len(c)] == [2019]
    assert shown[2019]["relation"].tolist() == ["as_of"]
    assert shown[2019]["value"].tolist() == [6300.0]


def test_relation_per_period_type():
    annual = {"period_type": "annual", "period_start": "2019-01-01", "period_end": "2019-12-31"}
    assert years.relation(annual, 2019) == "annual" and years.relation(annual, 2020) is None
    assert years.relation(CAMPAIGN_TOTAL, 2017) == "total"  # the campaign began 2017-12
    assert years.relation({**AS_OF, "period_start": "2014-01-01"}, 2018) is None
    undated = {"period_type": "total", "period_start": None, "period_end": None}
    assert years.relation(undated, 2019) is None
