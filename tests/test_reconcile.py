"""helpers.analyze.reconcile and the headline statement built from it."""

from __future__ import annotations

import pytest
import record_data
from record_data import seed

from helpers.analyze import reconcile as c
from helpers.clean import schema
from helpers.errors import JJJError
from helpers.publish.campaign_text import headline_statement

real = pytest.fixture(scope="module", name="real")(record_data.load_real)


@pytest.fixture(scope="module")
def rec(real):
    return c.reconcile(seed(), real.cited_figures)


def _rel(rec, seed_quote, public_figure_id):
    hit = rec[(rec["seed_quote"] == seed_quote) & (rec["public_figure_id"] == public_figure_id)]
    assert len(hit) == 1, (seed_quote, public_figure_id)
    return hit.iloc[0]["relation"]


def test_reconcile_relations(rec):
    schema.validate(rec, schema.RECONCILIATION)
    assert set(rec["measure"]) == set(c.CAMPAIGN_MEASURES)  # headline campaign measures only
    assert _rel(rec, "5000多个", "cpt-2020-11-10/projects_landed") == "consistent_bound"
    assert _rel(rec, "5000多个", "civil-affairs-2022-08-04/projects_landed") == "consistent_bound"
    assert _rel(rec, "6300多家", "cpt-2020-11-10/orgs_participating") == "exact_match"
    assert _rel(rec, "5000多个", "hebei-2018-08-23/projects_landed") == "different_period"
    assert _rel(rec, "5000多个", "hebei-2019-annual/projects_landed") == "different_period"
    assert _rel(rec, "约21.88亿元", "hebei-2018-08-23/funds_yuan") == "different_period"
    assert _rel(rec, "约21.88亿元", "civil-affairs-2022-08-04/funds_yuan") == "exact_match"
    assert _rel(rec, "62个", "hebei-2018-08-23/counties_covered") == "different_period"
    assert _rel(rec, "280多万人次", "civil-affairs-2022-08-04/beneficiaries_person_times") == (
        "exact_match"
    )
    assert "inconsistent" not in set(rec["relation"])
    row = rec[rec["public_figure_id"] == "cpt-2020-11-10/projects_landed"].iloc[0]
    assert (row["public_date_published"], row["seed_low"], row["seed_high"]) == (
        "2020-11-10",
        5000.0,
        6000.0,
    )
    assert "contains" in row["explanation_en"] and "包含" in row["explanation_zh"]


def test_reconcile_takes_dates_from_citations(real):
    rec = c.reconcile(seed(), real.figures, citations=real.citations)
    assert set(rec["public_date_published"]) >= {"2020-11-10", "2018-08-23", "2020"}


def test_reconcile_other_measures_on_request(real):
    rec = c.reconcile(seed(), real.cited_figures, measures=("orgs_planning_projects_2024",))
    assert list(rec["relation"]) == ["exact_match"]


def test_headline_statement(rec):
    en = headline_statement(rec, "en")
    zh = headline_statement(rec, "zh")
    for part in ("2017-12 → 2020-10", "5,367 projects", "6300多家", "约21.88亿元", "62 counties"):
        assert part in en
    assert "280多万人次" in en and "5000多个" in en
    for part in (
        "2017年12月至2020年10月",
        "扶贫项目5367个",
        "6300多家",
        "约21.88亿元",
        "280多万人次",
    ):
        assert part in zh
    assert "\n" not in en and "\n" not in zh


def test_headline_statement_is_generated_from_the_table(rec):
    changed = rec.copy()
    mask = changed["public_figure_id"] == "cpt-2020-11-10/projects_landed"
    changed.loc[mask, "public_value"] = 5368.0
    changed.loc[mask, "public_quote"] = "扶贫项目5368个"
    assert "5,368 projects" in headline_statement(changed, "en")
    assert "扶贫项目5368个" in headline_statement(changed, "zh")
    with pytest.raises(JJJError, match="no seed headline figure matches"):
        headline_statement(rec[rec["relation"] == "different_period"], "en")
