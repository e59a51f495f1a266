"""helpers.analyze.consistency: the public record's rules and conflicts."""

from __future__ import annotations

import pytest
import record_data
from record_data import seed

from helpers.analyze import consistency as c
from helpers.analyze.reconcile import check_seed_bounds

real = pytest.fixture(scope="module", name="real")(record_data.load_real)
tampered = pytest.fixture(scope="module", name="tampered")(record_data.load_tampered)


def test_consistency_rules_pass_on_real_data(real):
    assert c.check_regional_subtotals(real.figures) == []
    assert c.check_annual_within_totals(real.figures) == []
    assert c.check_cumulative_non_decreasing(real.figures) == []
    assert check_seed_bounds(seed(), real.figures) == []
    assert c.check_all(real.figures) == []


def test_consistency_rules_fail_on_tampered_fixture(tampered):
    sub = c.check_regional_subtotals(tampered.figures)
    assert len(sub) == 1  # projects 485 > 403; funds pass: 4.46亿元以上 has no upper bound
    assert "hebei-2018-08-23/projects_landed" in sub[0] and "485" in sub[0]
    annual = c.check_annual_within_totals(tampered.figures)
    assert any("hebei-2019-annual/projects_landed" in v for v in annual)
    mono = c.check_cumulative_non_decreasing(tampered.figures)
    assert any("cpt-2020-11-10/counties_covered" in v and "72" in v for v in mono)


def test_seed_bound_must_contain_the_campaign_total(real):
    bad = check_seed_bounds(seed(projects=("4000多个", 4000)), real.figures)
    assert len(bad) == 2  # against the 2020 page and the 2022 restatement
    assert "4000多个" in bad[0] and "5367" in bad[0]


def test_conflicts_on_real_data(real):
    con = c.conflicts(real.figures)
    assert len(con) == 1
    row = con.iloc[0]
    assert row["measure"] == "funds_yuan" and row["kind"] == "qualifier_differs"
    assert {row["quote_a"], row["quote_b"]} == {"约21.88亿元", "21.88亿元"}
    assert row["period"] == "2017-12 to 2020-10"
    # 280多万 vs 280余万: both more_than, no conflict; nothing is dropped from the figures.
    assert "beneficiaries_person_times" not in set(con["measure"])
    assert {"cpt-2020-11-10/funds_yuan", "civil-affairs-2022-08-04/funds_yuan"} <= set(
        real.figures["figure_id"]
    )


def test_value_conflict_on_tampered_fixture(tampered):
    con = c.conflicts(tampered.figures).set_index("measure")
    assert con.loc["projects_landed", "kind"] == "value_differs"
    assert {con.loc["projects_landed", "value_a"], con.loc["projects_landed", "value_b"]} == {
        5367.0,
        5376.0,
    }
