import math

import pandas as pd
import pytest

from helpers.analyze import outcomes
from helpers.analyze.intervals import Interval
from helpers.errors import JJJError


def test_interval_division_carries_bounds():
    # "800余万元" over exactly 280 schools: [8e6, 9e6] / 280
    r = Interval(8e6, 8e6, 9e6) / Interval(280.0, 280.0, 280.0)
    assert math.isclose(r.low, 8e6 / 280) and math.isclose(r.high, 9e6 / 280)
    assert r.value == 8e6 / 280 and r.kind == "range"


def test_more_than_over_exact_is_a_lower_bound():
    r = Interval(35000.0, 35000.0, None) / Interval(22.0, 22.0, 22.0)
    assert r.high is None and math.isclose(r.low, 35000 / 22) and r.kind == "at_least"
    assert (r.floor, r.ceiling) == (r.low, float("inf"))


def test_about_has_no_bounds_and_exact_stays_exact():
    assert (Interval(None, 2.188e9, None) / Interval(5000, 5000, 6000)).kind == "about"
    assert (Interval(3086, 3086, 3086) / Interval(280, 280, 280)).kind == "exact"
    with pytest.raises(JJJError, match="zero"):
        Interval(1, 1, 1) / Interval(0, 0, 0)


def test_a_figure_row_is_one_interval():
    """约 and exact figures without bounds stand for their value; blank cells are open sides."""

    def row(low, high, qualifier):
        return {"value_low": low, "value_high": high, "value": 10.0, "qualifier": qualifier}

    assert Interval.of(row(float("nan"), "", "about")) == Interval(10.0, 10.0, 10.0)
    assert Interval.of(row(None, None, "exact")) == Interval(10.0, 10.0, 10.0)
    over = Interval.of(row(10.0, None, "over"))
    assert over == Interval(10.0, 10.0, None) and (over.floor, over.ceiling) == (10.0, math.inf)
    nearly = Interval.of(row(" ", 10.0, "nearly"))
    assert (nearly.floor, nearly.ceiling, nearly.kind) == (-math.inf, 10.0, "at_most")


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


def test_headline_follows_the_articles_lead_and_leaves_out_cases():
    figs = pd.DataFrame(
        {
            "figure_id": ["x", "b", "a", "c"],
            "source_id": [outcomes.SEED] * 4,
            "category": ["case_study", "headline", "headline", "headline"],
            "measure": ["students_benefiting", "funds_yuan", "orgs_participating", "new_measure"],
        }
    )
    assert outcomes.headline(figs)["figure_id"].tolist() == ["a", "b", "c"]


@pytest.fixture(scope="module")
def seed_figs(tmp_path_factory):
    from helpers.clean import codebook, sources

    src = sources.get(outcomes.SEED)
    out = tmp_path_factory.mktemp("seed")
    return codebook.clean_full_text(src, out_dir=out, codebook_path=src.file.parent / "figures.yml")


def test_ratios_on_the_seed_carry_the_printed_qualifiers(seed_figs):
    r = outcomes.ratios(seed_figs.figures).set_index("ratio_id")
    # 116877人 over 280所: both exact, so the ratio is exact.
    assert r.loc["students_per_school", "value"] == 116877 / 280
    assert r.loc["students_per_school", "bound"] == "exact"
    # 800余万元 over 116877人: [8e6, 9e6] / 116877.
    assert r.loc["yuan_per_student", "value_low"] == 8e6 / 116877
    assert r.loc["yuan_per_student", "value_high"] == 9e6 / 116877
    # 5000多个 over 62个: a range, never the point 5000/62 alone.
    assert (
        r.loc["projects_per_county", "value_low"],
        r.loc["projects_per_county", "value_high"],
    ) == (
        5000 / 62,
        6000 / 62,
    )
    # 约21.88亿元 over 5000多个 (5000–6000): an approximate range whose top is 21.88亿/5000,
    # never the flat point 437,600.
    assert r.loc["yuan_per_project", "bound"] == "range"
    assert r.loc["yuan_per_project", "qualifier"] == "range_about"
    assert r.loc["yuan_per_project", "value_high"] == 2188000000 / 5000
    assert len(r) == len(outcomes.RATIOS)


def test_backtest_on_the_seed_passes(seed_figs):
    text = "\n\n".join(b.text for b in seed_figs.blocks)
    bt = outcomes.backtest(seed_figs.figures, text)
    outcomes.assert_backtest(bt)
    assert len(bt) == 28 and bt["ok"].all()
