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
    # national context fills 2017, 2021 and 2023; since v3 the record starts in 2012
    assert years == list(range(2012, 2026))


def test_public_record_for_year(real):
    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2014)
    # 2014: the platform's two pages' counts for the year (v3), nothing else
    assert set(figs["source_id"]) == {"cpt-2018-02-13", "cpt-2021-01-22"}
    assert list(evs["date_text"]) == ["2014-02"]
    assert evs.iloc[0]["url"].startswith("https://app.bjtitle.com/")

    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2019)
    annual = figs[figs["source_id"] == "hebei-2019-annual"]
    assert len(annual) == 3 and set(annual["basis"]) == {"period"}
    assert set(annual["date_published"]) == {"2020"}
    assert list(evs["date_start"]) == ["2019-08-10"]  # the Tianjin-Hebei relief platform
    # China's total at the end of 2019 is in 2019's record, though published in 2020.
    total = figs.set_index("figure_id").loc["chinanpo-2020-11-02/social_orgs"]
    assert (total["value"], total["basis"]) == (866300, "period")

    figs, _ = c.public_record_for_year(real.figures, real.events, real.citations, 2020)
    assert {"cpt-2020-11-10", "hebei-2019-annual", "cri-2020-05-30"} <= set(figs["source_id"])
    assert {"url", "publisher", "date_published"} <= set(figs.columns)

    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2021)
    assert set(figs["source_id"]) == {"cpt-2021-01-22", "pishu-2023-11", "ucass-2022-11"}
    assert evs.empty


def test_public_record_ignores_seed_rows(real):
    figures = pd.concat([real.figures, seed()], ignore_index=True)
    figs, _ = c.public_record_for_year(figures, real.events, real.citations, 2024)
    assert SEED not in set(figs["source_id"])
