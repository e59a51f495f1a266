"""helpers.clean.corroboration on the real data/raw/corroborating.yml and on broken fixtures."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from helpers.clean import corroboration as c
from helpers.clean import schema, sources
from helpers.errors import JJJError

FIX = Path(__file__).parent / "fixtures" / "corroboration"
SEED = "cpt-2024-04-jjj-ten-years"

# The tampered fixture's changed expressions, so its figures still get measure ids.
TAMPERED_MEASURES = {
    **c.MEASURES,
    ("hebei-2018-08-23", "72个贫困县"): ("counties_covered", "Hebei"),
    ("hebei-2018-08-23", "我省…375个"): ("projects_from_hebei", "Hebei"),
    ("hebei-2018-08-23", "约3.75亿元"): ("funds_from_hebei_yuan", "Hebei"),
    ("hebei-2019-annual", "扶贫项目6393个"): ("projects_landed", "Hebei"),
    ("civil-affairs-2022-08-04", "扶贫项目5376个"): ("projects_landed", "Hebei"),
}


def _src(path: Path) -> sources.Source:
    return sources.Source("corroborating", "citation_only", path, sources.sha256_of(path), {})


@pytest.fixture(scope="module")
def real() -> c.Corroboration:
    return c.load(sources.get("corroborating"))


@pytest.fixture(scope="module")
def tampered() -> c.Corroboration:
    return c.load(_src(FIX / "tampered.yml"), TAMPERED_MEASURES)


def _seed_row(measure, quote, value, qualifier, unit, category="headline"):
    low, high = c.bounds(value, qualifier)
    return {
        "figure_id": f"{SEED}/{measure}",
        "source_id": SEED,
        "quote": quote,
        "value": float(value),
        "value_low": low,
        "value_high": high,
        "qualifier": qualifier,
        "unit": unit,
        "unit_zh": c.unit_zh(quote),
        "subject_zh": quote,
        "subject_en": measure.replace("_", " "),
        "measure": measure,
        "region": "Beijing-Tianjin-Hebei",
        "period_start": "2014-02-01",
        "period_end": "2024-04-30",
        "period_text": "十年来",
        "period_ambiguous": False,
        "period_type": "total",
        "category": category,
        "organization": "",
    }


def _seed(projects=("5000多个", 5000)) -> pd.DataFrame:
    rows = [
        _seed_row("orgs_participating", "6300多家", 6300, "more_than", "organizations"),
        _seed_row("projects_landed", projects[0], projects[1], "more_than", "projects"),
        _seed_row("funds_yuan", "约21.88亿元", 2188000000, "about", "yuan"),
        _seed_row("counties_covered", "62个", 62, "exact", "counties"),
        _seed_row(
            "beneficiaries_person_times", "280多万人次", 2800000, "more_than", "person-times"
        ),
        _seed_row("cooperation_fields", "近30个领域", 30, "nearly", "fields"),
        _seed_row("orgs_planning_projects_2024", "144家", 144, "exact", "organizations"),
    ]
    return schema.validate(pd.DataFrame(rows), schema.FIGURES)


# ------------------------------------------------------------------------------- loading


def test_real_file_loads_onto_the_schemas(real):
    assert len(real.citations) == 8
    assert len(real.figures) == 34
    assert len(real.events) == 7
    schema.validate(real.figures, schema.FIGURES)
    schema.validate(real.events, schema.EVENTS)
    schema.validate(real.citations, schema.CITATIONS)
    assert set(real.figures["category"]) == {"public_record"}
    assert set(real.figures["region"]) <= set(c.REGIONS)
    assert set(real.figures["source_id"]) == set(real.citations["source_id"])


def test_campaign_figures_carry_the_seed_measure_ids(real):
    f = real.figures.set_index("figure_id")
    camp = f[f["source_id"] == "cpt-2020-11-10"]
    assert sorted(camp["measure"]) == sorted(c.CAMPAIGN_MEASURES)
    assert f.loc["hebei-2018-08-23/projects_landed", "value"] == 403
    assert f.loc["hebei-2018-08-23/funds_yuan", "qualifier"] == "at_least"
    assert f.loc["hebei-2018-08-23/counties_covered", "value"] == 42
    assert f.loc["hebei-2019-annual/projects_landed", "value"] == 2393
    row = f.loc["cpt-2020-11-10/funds_yuan"]
    assert (row["quote"], row["subject_zh"], row["unit"], row["unit_zh"]) == (
        "约21.88亿元",
        "约21.88亿元",
        "yuan",
        "元",
    )
    assert f.loc["civil-affairs-2022-08-04/exchange_events", "unit_zh"] == "场次"
    assert f.loc["hebei-2018-08-23/projects_from_beijing", "region"] == "Beijing"


def test_partial_publication_date_keeps_year_and_note(real):
    row = real.citations.set_index("source_id").loc["hebei-2019-annual"]
    assert row["date_published"] == "2020"
    assert row["date_precision"] == "year"
    assert row["year"] == 2020
    assert "2020-03-10 press conference" in row["date_published_text"]


def test_events_month_dates_and_gloss_end(real):
    ev = real.events.set_index("date_text")
    assert (ev.loc["2014-02", "date_start"], ev.loc["2014-02", "date_end"]) == (
        "2014-02-01",
        "2014-02-28",
    )
    fair = real.events.set_index("event_id").loc["cpt-2016-09-20/e01"]
    assert (fair["date_start"], fair["date_end"]) == ("2016-09-04", "2016-09-06")


def test_sha256_mismatch_is_refused():
    src = sources.get("corroborating")
    bad = dataclasses.replace(src, sha256="0" * 64)
    with pytest.raises(JJJError, match="sha256 mismatch"):
        c.load(bad)


def test_full_text_source_is_refused():
    with pytest.raises(JJJError, match="not citation_only"):
        c.load(sources.get(SEED))


@pytest.mark.parametrize(
    "fixture, needles",
    [
        ("missing_url.yml", ["entry 'no-url-2018-08-23'", "missing field 'url'"]),
        ("bad_qualifier.yml", ["entry 'bad-qualifier-2020' figure 2", "'qualifier'", "approx"]),
        ("bad_date.yml", ["entry 'bad-date-2020'", "'date_published'", "month 13"]),
        ("bad_event_date.yml", ["entry 'bad-event-2018' event 1", "field 'date'"]),
        ("bad_period.yml", ["entry 'bad-period-2018' figure 1", "field 'period'", "recently"]),
        ("value_mismatch.yml", ["entry 'cpt-2020-11-10'", "field 'value'=5376", "5367"]),
    ],
)
def test_broken_fixtures_fail_with_one_line_naming_entry_and_field(fixture, needles):
    path = FIX / fixture
    with pytest.raises(JJJError) as err:
        c.load(_src(path))
    msg = str(err.value)
    assert "\n" not in msg
    assert str(path) in msg
    for needle in needles:
        assert needle in msg


def test_unmapped_figure_is_refused_not_guessed():
    with pytest.raises(JJJError, match="no measure id"):
        c.load(_src(FIX / "tampered.yml"))  # without the fixture's extra measure ids


# ----------------------------------------------------------------------- periods, bounds


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


@pytest.mark.parametrize(
    "value, qualifier, low, high",
    [
        (6300, "more_than", 6300, 6400),
        (5000, "more_than", 5000, 6000),
        (2800000, "more_than", 2.8e6, 2.9e6),
        (30, "more_than", 30, 40),
        (9000000, "more_than", 9e6, 1e7),
        (100, "more_than", 100, 200),
        (5367, "exact", 5367, 5367),
        (446000000, "at_least", 4.46e8, None),
        (32000, "over", 32000, None),
        (7000, "nearly", None, 7000),
        (2188000000, "about", None, None),
    ],
)
def test_bounds(value, qualifier, low, high):
    assert c.bounds(value, qualifier) == (low, high)
    assert c._bounds(value, qualifier) == (low, high)  # the fallback agrees


def test_unit_zh():
    assert [
        c.unit_zh(e) for e in ("6300多家", "280多万人次", "4.46亿元以上", "10个方面", "abc")
    ] == [
        "家",
        "人次",
        "元",
        "个",
        "",
    ]


# ------------------------------------------------------------------------- consistency


def test_consistency_rules_pass_on_real_data(real):
    assert c.check_regional_subtotals(real.figures) == []
    assert c.check_annual_within_totals(real.figures) == []
    assert c.check_cumulative_non_decreasing(real.figures) == []
    assert c.check_seed_bounds(_seed(), real.figures) == []
    assert c.check_all(real.figures, _seed()) == []


def test_consistency_rules_fail_on_tampered_fixture(tampered):
    sub = c.check_regional_subtotals(tampered.figures)
    assert len(sub) == 1  # projects 485 > 403; funds pass: 4.46亿元以上 has no upper bound
    assert "hebei-2018-08-23/projects_landed" in sub[0] and "485" in sub[0]
    annual = c.check_annual_within_totals(tampered.figures)
    assert any("hebei-2019-annual/projects_landed" in v for v in annual)
    mono = c.check_cumulative_non_decreasing(tampered.figures)
    assert any("cpt-2020-11-10/counties_covered" in v and "72" in v for v in mono)


def test_seed_bound_must_contain_the_campaign_total(real):
    bad = c.check_seed_bounds(_seed(projects=("4000多个", 4000)), real.figures)
    assert len(bad) == 2  # against the 2020 page and the 2022 restatement
    assert "4000多个" in bad[0] and "5367" in bad[0]


def test_clean_citations_writes_after_checks(tmp_path):
    out = c.clean_citations(sources.get("corroborating"), out_dir=tmp_path / "corroborating")
    assert sorted(out) == ["citations", "events", "figures"]
    figs = schema.read_csv(out["figures"], schema.FIGURES)
    evs = schema.read_csv(out["events"], schema.EVENTS)
    cits = schema.read_csv(out["citations"], schema.CITATIONS)
    assert len(figs) == 34 and len(evs) == 7 and len(cits) == 8
    # The read-back tables (None for blanks, strings for dates) work the same.
    assert c.years_with_data(figs, evs, cits)[0] == 2014
    assert len(c.conflicts(figs)) == 1


def test_clean_citations_writes_nothing_when_a_check_fails(tmp_path):
    with pytest.raises(JJJError, match="consistency check failed"):
        c.clean_citations(_src(FIX / "tampered.yml"), tmp_path / "x", TAMPERED_MEASURES)
    assert not (tmp_path / "x").exists()


def test_default_out_dir_is_the_source_folder():
    from helpers import paths

    assert paths.source_dir("corroborating") == paths.PROCESSED / "sources" / "corroborating"


# ---------------------------------------------------------------------------- conflicts


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


# ---------------------------------------------------------------------------- reconcile


@pytest.fixture(scope="module")
def rec(real):
    return c.reconcile(_seed(), real.cited_figures)


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
    rec = c.reconcile(_seed(), real.figures, citations=real.citations)
    assert set(rec["public_date_published"]) >= {"2020-11-10", "2018-08-23", "2020"}


def test_reconcile_other_measures_on_request(real):
    rec = c.reconcile(_seed(), real.cited_figures, measures=("orgs_planning_projects_2024",))
    assert list(rec["relation"]) == ["exact_match"]


def test_headline_statement(rec):
    en = c.headline_statement(rec, "en")
    zh = c.headline_statement(rec, "zh")
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
    assert "5,368 projects" in c.headline_statement(changed, "en")
    assert "扶贫项目5368个" in c.headline_statement(changed, "zh")
    with pytest.raises(JJJError, match="no seed headline figure matches"):
        c.headline_statement(rec[rec["relation"] == "different_period"], "en")


# ----------------------------------------------------------------------------- per year


def test_years_with_data(real):
    years = c.years_with_data(real.figures, real.events, real.citations)
    assert years == [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2022, 2024, 2025]


def test_public_record_for_year(real):
    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2014)
    assert figs.empty and list(evs["date_text"]) == ["2014-02"]
    assert evs.iloc[0]["url"].startswith("https://app.bjtitle.com/")

    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2019)
    assert set(figs["source_id"]) == {"hebei-2019-annual"} and set(figs["basis"]) == {"period"}
    assert set(figs["date_published"]) == {"2020"} and evs.empty

    figs, _ = c.public_record_for_year(real.figures, real.events, real.citations, 2020)
    assert set(figs["source_id"]) == {"cpt-2020-11-10", "hebei-2019-annual"}
    assert set(figs["basis"]) == {"published"}
    assert {"url", "publisher", "date_published"} <= set(figs.columns)

    figs, evs = c.public_record_for_year(real.figures, real.events, real.citations, 2021)
    assert figs.empty and evs.empty


def test_public_record_ignores_seed_rows(real):
    figures = pd.concat([real.figures, _seed()], ignore_index=True)
    figs, _ = c.public_record_for_year(figures, real.events, real.citations, 2024)
    assert SEED not in set(figs["source_id"])
