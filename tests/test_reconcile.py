"""helpers.analyze.reconcile: the article's headline totals against the public record."""

from __future__ import annotations

import pytest
import record_data
from record_data import seed

from helpers.analyze import reconcile as c
from helpers.clean import schema

real = pytest.fixture(scope="module", name="real")(record_data.load_real)


@pytest.fixture(scope="module")
def rec(real):
    return c.reconcile(seed(), real.figures, real.citations)


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


def test_reconcile_takes_dates_from_citations(real):
    rec = c.reconcile(seed(), real.figures, citations=real.citations)
    assert set(rec["public_date_published"]) >= {"2020-11-10", "2018-08-23", "2020"}


def test_reconcile_other_measures_on_request(real):
    rec = c.reconcile(
        seed(), real.figures, real.citations, measures=("orgs_planning_projects_2024",)
    )
    assert list(rec["relation"]) == ["exact_match"]
