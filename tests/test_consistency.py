"""helpers.analyze.consistency: the public record's rules and conflicts."""

from __future__ import annotations

import pytest
import record_data
from record_data import seed

from helpers.analyze import consistency as c
from helpers.analyze.reconcile import check_seed_bounds
from helpers.errors import JJJError

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
    assert "hebei-2018-08-23/projects_landed" in str(sub[0]) and "485" in str(sub[0])
    assert sub[0].rule == "regional_subtotals"
    assert sub[0].figures[0] == ("hebei-2018-08-23/projects_landed", "扶贫项目403个")
    annual = c.check_annual_within_totals(tampered.figures)
    assert any("hebei-2019-annual/projects_landed" in str(v) for v in annual)
    mono = c.check_cumulative_non_decreasing(tampered.figures)
    assert any("cpt-2020-11-10/counties_covered" in str(v) and "72" in str(v) for v in mono)


def test_the_gate_refuses_a_record_that_contradicts_itself_in_one_line(real, tampered):
    c.gate(real.figures, "corroborating.yml")  # the real record passes
    with pytest.raises(JJJError) as e:
        c.gate(tampered.figures, "tampered.yml")
    (line,) = str(e.value).splitlines()
    n = len(c.check_all(tampered.figures))
    assert line.startswith("tampered.yml: consistency check failed: ")
    assert line.endswith(f" (and {n - 1} more)") and n > 1


def test_seed_bound_must_contain_the_campaign_total(real):
    bad = check_seed_bounds(seed(projects=("4000多个", 4000)), real.figures)
    assert len(bad) == 2  # against the 2020 page and the 2022 restatement
    assert "4000多个" in bad[0] and "5367" in bad[0]


def test_conflicts_on_real_data(real):
    con = c.conflicts(real.figures)
    # the campaign's funds (qualifier), the ministry's 2018 total; since v3 the platform's two
    # pages for 2012 and 2014–2017, and 37.11万 vs 371110 (one count, two precisions)
    assert len(con) == 8
    assert set(con.loc[con["series"] == "platform", "period"]) == {
        "2012", "2014", "2015", "2016", "2017"
    }  # fmt: skip
    row = con[con["measure"] == "funds_yuan"].iloc[0]
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


# ------------------------------------------------------------------------ never mix series


def _fig(real, figure_id):
    return real.figures.set_index("figure_id").loc[figure_id].to_dict() | {"figure_id": figure_id}


@pytest.mark.parametrize("operation", [c.growth, c.difference, c.share])
def test_a_computation_across_series_is_refused(real, operation):
    ministry = _fig(real, "cpt-2019-07-16/social_orgs")  # 81.6万, end of 2018
    platform = _fig(real, "cpt-2018-02-13/social_orgs")  # 80.5190万, 2018-02-07
    with pytest.raises(JJJError, match="across series refused") as err:
        operation(ministry, platform)
    assert "ministry: cpt-2019-07-16/social_orgs" in str(err.value)
    assert "platform: cpt-2018-02-13/social_orgs" in str(err.value)


def test_a_national_figure_and_a_campaign_figure_do_not_mix_either(real):
    with pytest.raises(JJJError, match="never mix series"):
        c.share(
            _fig(real, "cri-2020-05-30/poor_counties_exited"),
            _fig(real, "pishu-2023-11/social_orgs"),
        )


def test_within_one_series_the_computation_runs(real):
    old = _fig(real, "pishu-2023-11/private_non_enterprise_units-2")  # 52.19万, 2021
    new = _fig(real, "pishu-2023-11/private_non_enterprise_units")  # 51.19万, 2022
    assert round(c.growth(old, new), 4) == -0.0192
    assert c.difference(new, old) == -10000


def test_the_2018_ministry_disagreement_is_a_conflict_with_both_sources(real):
    con = c.conflicts(real.figures)
    row = con[(con["measure"] == "social_orgs") & (con["series"] == "ministry")].iloc[0]
    assert (row["series"], row["region"], row["kind"]) == ("ministry", "national", "value_differs")
    assert {row["source_a"], row["source_b"]} == {"cpt-2019-07-16", "chinanpo-2020-11-02"}
    assert {row["value_a"], row["value_b"]} == {816000.0, 817400.0}
    # The platform's counts never conflict with the ministry's: they are another series
    # (its two pages conflict with each other, within the platform series).
    assert set(con["series"]) <= {"", "ministry", "platform"}
    assert all(con["source_a"].str.startswith("cpt-20") | con["series"].ne("platform"))


def test_stocks_may_fall_running_totals_may_not(real):
    # Social associations 37.11万 (2021) → 37.01万 (2022): a real fall, not a violation.
    assert c.check_cumulative_non_decreasing(real.figures) == []
    falling = real.figures.copy()
    falling.loc[falling["figure_id"] == "cpt-2020-11-10/projects_landed", "value_high"] = 300.0
    assert c.check_cumulative_non_decreasing(falling)
