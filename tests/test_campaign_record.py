"""helpers.analyze.campaign_record: the campaign's dated record, and one year of it."""

from __future__ import annotations

import pytest
import record_data

from helpers.analyze import campaign_record as cr

real = pytest.fixture(scope="module", name="real")(record_data.load_real)


@pytest.fixture(scope="module")
def record(real):
    return cr.dated_record(real.figures, real.events, real.citations)


def test_the_dated_record_spans_the_campaign(record):
    assert (cr.START, cr.END) == ("2017-12-01", "2020-10-31")
    assert record["date_start"].min() == "2017-12-01"  # launch
    assert record["date_end"].max() == "2020-10-31"  # results
    assert list(cr.campaign_years()) == [2017, 2018, 2019, 2020]
    # Restatements of 2022 and the national series are not the campaign's dated record.
    assert "civil-affairs-2022-08-04" not in set(record["source_id"])
    assert not set(record["source_id"]) & {"cpt-2019-07-16", "cpt-2018-02-13"}


def test_the_record_holds_each_milestone(record):
    ids = set(record["item_id"])
    assert {
        "hebei-2018-08-23/e01",  # 2017-12 launch
        "hebei-2018-08-23/projects_landed",  # 2018-08 interim
        "cswm-2019-08-14/projects_claimed",  # Tianjin, 2018-08-22
        "cswm-2019-08-14/projects_claimed-2",  # Tianjin, 2019 round
        "cri-2020-05-30/poor_counties_exited",  # 2019 county exits
        "cri-2020-05-30/e01",  # 2020-05 notice
        "cpt-2020-11-10/projects_landed",  # 2020-10 results
    } <= ids
    assert list(record["date_end"]) == sorted(record["date_end"])


def test_a_year_gets_its_own_items(record):
    y2019 = cr.in_year(record, 2019)
    exits = y2019[y2019["item_id"] == "cri-2020-05-30/poor_counties_exited"].iloc[0]
    assert (exits["value"], exits["region"], bool(exits["span"])) == (62, "Hebei", True)
    assert "cpt-2020-11-10/projects_landed" not in set(y2019["item_id"])
    assert set(cr.in_year(record, 2017)["item_id"]) == {"hebei-2018-08-23/e01"}
    assert cr.in_year(record, 2021).empty
    # Every figure has a region.
    figs = record[record["kind"] == "figure"]
    assert set(figs["region"]) <= {"Beijing", "Tianjin", "Hebei"}
