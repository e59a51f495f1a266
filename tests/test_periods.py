"""helpers.clean.periods: dates and period strings of the public record."""

from __future__ import annotations

from datetime import date

import pytest

from helpers.clean import periods as c


@pytest.mark.parametrize(
    "text, start, end, kind, ambiguous",
    [
        ("2017-12 to 2020-10 (3年来)", "2017-12-01", "2020-10-31", "total", False),
        ("2017-12 to 2018-08-18", "2017-12-01", "2018-08-18", "total", False),
        ("as of 2018-08-18", None, "2018-08-18", "as_of", False),
        ("2019", "2019-01-01", "2019-12-31", "annual", False),
        ("2024 (year to date)", "2024-01-01", "2024-04-19", "as_of", True),
        ("2024-04-19", "2024-04-19", "2024-04-19", "point", False),
        ("by 2022-08", None, "2022-08-31", "as_of", False),
        ("2015 to 2022-08", "2015-01-01", "2022-08-31", "total", False),
        ("2016-09-04 to 2016-09-06", "2016-09-04", "2016-09-06", "total", False),
        (
            "three consecutive years of the poverty campaign",
            "2017-12-01",
            "2020-10-31",
            "total",
            True,
        ),
        ("framework agreement 2015-2020", "2015-01-01", "2020-12-31", "total", False),
        ("2025", "2025-01-01", "2025-12-31", "annual", False),
        ("as of 2016-09", None, "2016-09-30", "as_of", False),
        ("2024-02", "2024-02-01", "2024-02-29", "total", False),
    ],
)
def test_period_parsing(text, start, end, kind, ambiguous):
    p = c.parse_period(text, published=date(2024, 4, 19))
    assert (p.start, p.end, p.type, p.ambiguous) == (start, end, kind, ambiguous)
    assert p.text.startswith(text)


def test_campaign_reading_is_said_in_period_text():
    assert (
        "read as the campaign 2017-12 to 2020-10"
        in c.parse_period("three consecutive years of the poverty campaign").text
    )


@pytest.mark.parametrize("text", ["recently", "2020-13", "2020-02-30", "2020 to 2019", ""])
def test_bad_periods_raise(text):
    with pytest.raises(ValueError):
        c.parse_period(text)
