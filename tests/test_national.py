"""helpers.analyze.national: China's total by series, a year's figures, changes within a series."""

from __future__ import annotations

import pytest
import record_data

from helpers.analyze import national
from helpers.errors import JJJError

real = pytest.fixture(scope="module", name="real")(record_data.load_real)


def test_points_keep_the_two_series_apart_and_never_fill_gaps(real):
    pts = national.points(real.figures)
    ministry = pts[pts["series"] == "ministry"]
    years = sorted({int(x) for x in ministry["x"]})
    assert years == [2017, 2018, 2019, 2022]  # 2020 and 2021 stay empty: nothing interpolated
    assert set(pts["series"]) == {"ministry", "platform"}
    over = pts[pts["lower_bound"]]
    assert set(over["value"]) == {840000.0, 890000.0}  # 超过84万, 超过89万: lower bounds
    assert set(over["series"]) == {"platform"}


def test_position_is_a_decimal_year():
    assert national.position("2018-01-01") == 2018.0
    assert round(national.position("2018-12-31"), 3) == 2018.997
    assert round(national.position("2018-02-07"), 2) == 2018.1


@pytest.mark.parametrize(
    "year, values",
    [(2017, [762000.0]), (2018, [816000.0, 817400.0]), (2019, [866300.0]), (2022, [891300.0])],
)
def test_years_with_a_ministry_figure(real, year, values):
    nat = national.for_year(real.figures, year)
    assert nat.found and sorted(nat.total["value"]) == values
    assert nat.disagree == (len(values) > 1)


@pytest.mark.parametrize("year", [2014, 2015, 2016, 2020, 2021, 2023, 2024, 2025])
def test_years_without_a_ministry_total(real, year):
    nat = national.for_year(real.figures, year)
    assert not nat.found and nat.low is None


def test_2018_is_a_range_of_both_sources(real):
    nat = national.for_year(real.figures, 2018)
    assert (nat.low["value"], nat.low["source_id"]) == (816000.0, "cpt-2019-07-16")
    assert (nat.high["value"], nat.high["source_id"]) == (817400.0, "chinanpo-2020-11-02")
    assert list(nat.platform["value"]) == [805190.0]  # the other series, shown apart


def test_components_and_the_2022_fall_by_type(real):
    nat = national.for_year(real.figures, 2021)
    assert {m: list(df["value"]) for m, df in nat.components.items()} == {
        "social_associations": [371100.0],
        "private_non_enterprise_units": [521900.0],
        "foundations": [8877.0],
    }
    ch = national.changes(real.figures, national.FALL_YEAR).set_index("measure")["growth"]
    assert ch["private_non_enterprise_units"] < 0 and ch["social_associations"] < 0
    assert ch["foundations"] > 0


def test_every_change_goes_through_the_series_guard(real, monkeypatch):
    from helpers.analyze import consistency

    seen = []

    def guarded(old, new):
        seen.append((old["series"], new["series"]))
        raise JJJError("growth across series refused (never mix series): planted")

    monkeypatch.setattr(consistency, "growth", guarded)
    with pytest.raises(JJJError, match="never mix series"):
        national.changes(real.figures, national.FALL_YEAR)
    assert seen == [("ministry", "ministry")]
