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
    # 2013–2015, 2020 and 2021 stay empty: nothing interpolated
    assert years == [2012, 2016, 2017, 2018, 2019, 2022, 2025]
    assert set(pts["series"]) == {"ministry", "platform"}
    over = pts[pts["lower_bound"]]
    # 超过84万, 超过89万, 突破41万 …: lower bounds
    assert {840000.0, 890000.0, 410000.0, 460000.0} <= set(over["value"])
    assert 320000.0 not in set(over["value"])  # 只有32万: exact
    assert set(over["series"]) == {"platform"}


def test_position_is_a_decimal_year():
    assert national.position("2018-01-01") == 2018.0
    assert round(national.position("2018-12-31"), 3) == 2018.997
    assert round(national.position("2018-02-07"), 2) == 2018.1


@pytest.mark.parametrize(
    "year, values",
    [
        (2016, [702000.0]),
        (2017, [762000.0]),
        (2018, [816000.0, 817400.0]),
        (2019, [866300.0]),
        (2022, [891300.0]),
    ],
)
def test_years_with_a_ministry_figure(real, year, values):
    nat = national.for_year(real.figures, year)
    assert nat.found and sorted(nat.total["value"]) == values
    assert nat.disagree == (len(values) > 1)


@pytest.mark.parametrize(
    "year, near, dated",
    [
        (2014, 499000.0, "2012-12-31"),  # 2012 and 2016 equally near: the earlier
        (2015, 702000.0, "2016-12-31"),
        (2020, 866300.0, "2019-12-31"),
        (2021, 891300.0, "2022-12-31"),
        (2023, 891300.0, "2022-12-31"),
        (2024, 865000.0, "2025-10-31"),
        (2025, 865000.0, "2025-10-31"),  # counted during the year, not at its end
    ],
)
def test_years_without_a_year_end_total_take_the_nearest_with_its_date(real, year, near, dated):
    nat = national.for_year(real.figures, year)
    assert not nat.found and nat.low is None
    assert nat.near_found
    assert list(nat.near["value"]) == [near]
    assert list(nat.near["period_end"].astype(str)) == [dated]


@pytest.mark.parametrize("year", range(2014, 2026))
def test_every_report_year_has_a_national_count(real, year):
    nat = national.for_year(real.figures, year)
    assert nat.found or nat.near_found


@pytest.mark.parametrize(
    "year, values",
    [
        (2014, [460000.0, 560000.0]),
        (2015, [530000.0, 630000.0]),
        (2016, [610000.0, 720000.0]),
        (2017, [690000.0, 800000.0]),
        (2018, [760000.0]),
        (2019, [840000.0]),
        (2020, [890000.0]),
    ],
)
def test_the_platforms_year_counts_keep_both_pages(real, year, values):
    nat = national.for_year(real.figures, year)
    assert sorted(nat.platform_year["value"]) == values
    assert nat.platform_disagree == (len(values) > 1)
    if len(values) > 1:
        assert set(nat.platform_year["source_id"]) == {"cpt-2018-02-13", "cpt-2021-01-22"}


def test_one_count_printed_at_two_precisions_is_one_figure(real):
    # 37.11万 (pishu-2023-11) and 371110 (ucass-2022-11): the same count, the precise one kept
    nat = national.for_year(real.figures, 2021)
    assert list(nat.components["social_associations"]["value"]) == [371110.0]
    # 2016's private non-enterprise units, printed by two pages alike: one figure
    assert (
        len(national.for_year(real.figures, 2016).components["private_non_enterprise_units"]) == 1
    )


def test_a_change_uses_one_pages_pair(real):
    ch = national.changes(real.figures, national.FALL_YEAR).set_index("measure")
    assert ch.loc["social_associations", "old"]["source_id"] == "pishu-2023-11"
    assert ch.loc["social_associations", "new"]["source_id"] == "pishu-2023-11"


def test_2018_is_a_range_of_both_sources(real):
    nat = national.for_year(real.figures, 2018)
    assert (nat.low["value"], nat.low["source_id"]) == (816000.0, "cpt-2019-07-16")
    assert (nat.high["value"], nat.high["source_id"]) == (817400.0, "chinanpo-2020-11-02")
    assert list(nat.platform["value"]) == [805190.0, 760000.0]  # the other series, apart


def test_components_and_the_2022_fall_by_type(real):
    nat = national.for_year(real.figures, 2021)
    assert {m: list(df["value"]) for m, df in nat.components.items()} == {
        "social_associations": [371110.0],
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
