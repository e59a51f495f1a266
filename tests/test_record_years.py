"""helpers.analyze.record_years: what the public record said in a year."""

from __future__ import annotations

import pandas as pd
import pytest
import record_data
from record_data import SEED, seed

from helpers.analyze import record_years as c

real = pytest.fixture(scope="module", name="real")(record_data.load_real)


def test_years_with_data(real):
    years = c.years_with_data(real.figures, real.events, real.citations)
    assert years == [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2022, 2024, 2025]


def test_public_record_for_year(real):
    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2014)
    assert figs.empty and list(evs["date_text"]) == ["2014-02"]
    assert evs.iloc[0]["url"].startswith("https://app.bjtitle.com/")

    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2019)
    assert set(figs["source_id"]) == {"hebei-2019-annual"} and set(figs["basis"]) == {"period"}
    assert set(figs["date_published"]) == {"2020"} and evs.empty

    figs, _ = c.public_record_for_year(real.figures, real.events, real.citations, 2020)
    assert set(figs["source_id"]) == {"cpt-2020-11-10", "hebei-2019-annual"}
    assert set(figs["basis"]) == {"published"}
    assert {"url", "publisher", "date_published"} <= set(figs.columns)

    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2021)
    assert figs.empty and evs.empty


def test_public_record_ignores_seed_rows(real):
    figures = pd.concat([real.figures, seed()], ignore_index=True)
    figs, _ = c.public_record_for_year(figures, real.events, real.citations, 2024)
    assert SEED not in set(figs["source_id"])
