import math

import pandas as pd
import pytest

from helpers import outcomes
from helpers.errors import JJJError


def test_interval_division_carries_bounds():
    # "800余万元" over exactly 280 schools: [8e6, 9e6] / 280
    low, v, high = outcomes.divide((8e6, 8e6, 9e6), (280.0, 280.0, 280.0))
    assert math.isclose(low, 8e6 / 280) and math.isclose(high, 9e6 / 280) and v == 8e6 / 280
    assert outcomes.bound_kind(low, v, high) == "range"


def test_more_than_over_exact_is_a_lower_bound():
    low, v, high = outcomes.divide((35000.0, 35000.0, None), (22.0, 22.0, 22.0))
    assert high is None and math.isclose(low, 35000 / 22)
    assert outcomes.bound_kind(low, v, high) == "at_least"


def test_about_has_no_bounds_and_exact_stays_exact():
    assert (
        outcomes.bound_kind(*outcomes.divide((None, 2.188e9, None), (5000, 5000, 6000))) == "about"
    )
    assert outcomes.bound_kind(*outcomes.divide((3086, 3086, 3086), (280, 280, 280))) == "exact"
    with pytest.raises(JJJError, match="zero"):
        outcomes.divide((1, 1, 1), (0, 0, 0))


def test_backtest_catches_an_edited_value_and_a_vanished_quote():
    figs = pd.DataFrame(
        {
            "figure_id": ["a", "b", "c"],
            "source_id": [outcomes.SEED] * 3,
            "quote": ["6300多家", "约21.88亿元", "六家"],
            "value": [6300.0, 2188000000.0, 7.0],
        }
    )
    bt = outcomes.backtest(figs, "共6300多家…约21.88亿元")
    assert bt["ok"].tolist() == [True, True, False]
    with pytest.raises(JJJError, match="figure c .*六家.*quote not in the article text"):
        outcomes.assert_backtest(bt)
    bt2 = outcomes.backtest(figs, "6300多家 约21.88亿元 六家")
    with pytest.raises(JJJError, match=r"figure c \(六家\): reproduced 7.0, printed 6.0"):
        outcomes.assert_backtest(bt2)
