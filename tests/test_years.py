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


# ------------------------------------------------------------------------ the title's lead


def _pub(fid, measure, start, end, unit="organizations", region="Hebei", source="page"):
    row = {"figure_id": fid, "measure": measure, "period_start": start, "period_end": end,
           "unit": unit, "region": region, "source_id": source, "value": 1.0}  # fmt: skip
    return _figures(row).iloc[0].to_dict()


def _event(eid, start, end, source="page"):
    return {**dict.fromkeys(schema.EVENTS.names), "event_id": eid, "source_id": source,
            "date_start": start, "date_end": end}  # fmt: skip


def _year(year, events=(), public=(), covering=()) -> years.YearView:
    ev = pd.DataFrame(list(events), columns=schema.EVENTS.names)
    pub = pd.DataFrame(list(public), columns=schema.FIGURES.names)
    cov = pd.DataFrame(list(covering), columns=schema.FIGURES.names)
    return years.YearView(year, ev, cov, pub, pub.iloc[0:0])


FAIR = _event("fair", "2016-09-04", "2016-09-06")
FAIR_ORGS = _pub("page/fair_orgs", "charity_fair_orgs", "2016-09-04", "2016-09-06")
BEIJING = _pub("page/beijing", "beijing_registered_orgs", None, "2016-09-30", region="Beijing")


def test_an_event_leads_with_the_organizations_counted_on_its_dates():
    launch = _event("launch", "2016-01-01", "2016-12-31", source="article")  # a year, not a day
    lead = years.lead(_year(2016, [launch, FAIR], [BEIJING, FAIR_ORGS]))
    assert lead == {"kind": "event", "event_id": "fair", "figure_id": "page/fair_orgs"}
    alone = years.lead(_year(2016, [launch]))
    assert alone == {"kind": "event", "event_id": "launch", "figure_id": None}


def test_the_campaign_milestones_and_the_national_fall_lead_before_any_event():
    exit_ = _pub("p/exit", "poor_counties_exited", "2019-01-01", "2019-12-31", unit="counties")
    assert years.lead(_year(2019, [FAIR], [exit_]))["kind"] == "counties_exit"
    final = _pub("p/projects", "projects_landed", "2017-12-01", "2020-10-31", unit="projects")
    interim = _pub("p/projects", "projects_landed", "2017-12-01", "2018-08-18", unit="projects")
    assert years.lead(_year(2020, [FAIR], [final]))["kind"] == "campaign_end"
    assert years.lead(_year(2018, [FAIR], [interim]))["kind"] == "event"  # not the final total
    assert years.lead(_year(2022), national_fall=True)["kind"] == "national_fall"
    assert years.lead(_year(2023, public=[BEIJING]))["kind"] == "none"


def test_key_figures_put_the_titles_figure_first_then_the_campaign_measures():
    funds = _pub("p/funds", "funds_yuan", "2016-01-01", "2016-12-31", unit="yuan")
    nat = _pub("p/nat", "social_orgs", None, "2016-12-31", region="national")
    old = _pub("p/old", "projects_landed", None, "2015-12-31", unit="projects")
    keys = years.key_figures(_year(2016, public=[BEIJING, nat, old, funds, FAIR_ORGS]),
                             first="page/fair_orgs")  # fmt: skip
    assert keys["figure_id"].tolist() == ["page/fair_orgs", "p/funds", "page/beijing"]
    assert years.key_figures(_year(2016, public=[nat])).empty  # national: its own section
    assert len(years.key_figures(_year(2016, public=[BEIJING, funds, FAIR_ORGS]), n=2)) == 2


def test_joined_event_clauses_read_as_one_sentence():
    joined = years.join_en(["Meeting held in Beijing", "The three regions sign an initiative", ""])
    assert joined == "Meeting held in Beijing; the three regions sign an initiative"
    # A name keeps its capital; one text stays as it is; nothing gives nothing.
    assert years.join_en(["A", "Taikang Yicai Foundation funds a complex"]).endswith(
        "; Taikang Yicai Foundation funds a complex"
    )
    assert years.join_en(["The meeting"]) == "The meeting"
    assert years.join_en([]) == ""
