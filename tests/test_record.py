"""helpers.clean.record on the real data/raw/corroborating.yml and on broken fixtures."""

from __future__ import annotations

import pytest
import record_data
from record_data import FIX, SEED, TAMPERED_MEASURES, src

from helpers.analyze import consistency, record_years
from helpers.analyze.reconcile import CAMPAIGN_MEASURES
from helpers.clean import record as c
from helpers.clean import schema, sources
from helpers.errors import JJJError

real = pytest.fixture(scope="module", name="real")(record_data.load_real)
tampered = pytest.fixture(scope="module", name="tampered")(record_data.load_tampered)


def test_real_file_loads_onto_the_schemas(real):
    assert len(real.citations) == 20
    assert len(real.figures) == 86
    assert len(real.events) == 12
    schema.validate(real.figures, schema.FIGURES)
    schema.validate(real.events, schema.EVENTS)
    schema.validate(real.citations, schema.CITATIONS)
    assert set(real.figures["category"]) == {"public_record"}
    assert set(real.figures["region"]) <= set(c.REGIONS)
    assert set(real.figures["source_id"]) == set(real.citations["source_id"])


def test_campaign_figures_carry_the_seed_measure_ids(real):
    f = real.figures.set_index("figure_id")
    camp = f[f["source_id"] == "cpt-2020-11-10"]
    assert sorted(camp["measure"]) == sorted(CAMPAIGN_MEASURES)
    assert f.loc["hebei-2018-08-23/projects_landed", "value"] == 403
    assert f.loc["hebei-2018-08-23/funds_yuan", "qualifier"] == "at_least"
    assert f.loc["hebei-2018-08-23/counties_covered", "value"] == 42
    assert f.loc["hebei-2019-annual/projects_landed", "value"] == 2393
    row = f.loc["cpt-2020-11-10/funds_yuan"]
    assert (row["quote"], row["subject_zh"], row["unit"], row["unit_zh"]) == (
        "约21.88亿元",
        "涉及资金",  # our Chinese text of the gloss "funds involved" (data/raw/record-zh.yml)
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
    bad = src._replace(sha256="0" * 64)
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
        ("bad_series.yml", ["entry 'bad-series-2019'", "field 'series'='government'", "ministry"]),
        (
            "bad_region.yml",
            [
                "entry 'bad-region-2019' figure 2 (2017年的76.2万个)",
                "field 'region'='PRC'",
                "China",
            ],
        ),
        ("unknown_field.yml", ["entry 'unknown-field-2019'", "unknown field 'serie'"]),
    ],
)
def test_broken_fixtures_fail_with_one_line_naming_entry_and_field(fixture, needles):
    path = FIX / fixture
    with pytest.raises(JJJError) as err:
        c.load(src(path))
    msg = str(err.value)
    assert "\n" not in msg
    assert str(path) in msg
    for needle in needles:
        assert needle in msg


def test_unmapped_figure_is_refused_not_guessed():
    with pytest.raises(JJJError, match="no measure id"):
        c.load(src(FIX / "tampered.yml"))  # without the fixture's extra measure ids


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


def test_clean_citations_writes_after_checks(tmp_path):
    out = c.clean_citations(sources.get("corroborating"), out_dir=tmp_path / "corroborating")
    assert sorted(out) == ["citations", "events", "figures"]
    figs = schema.read_csv(out["figures"], schema.FIGURES)
    evs = schema.read_csv(out["events"], schema.EVENTS)
    cits = schema.read_csv(out["citations"], schema.CITATIONS)
    assert len(figs) == 86 and len(evs) == 12 and len(cits) == 20
    # The read-back tables (None for blanks, strings for dates) work the same.
    assert record_years.years_with_data(figs, evs, cits)[0] == 2012  # the ministry since v3
    # 2 before v3; then the platform's two pages for 2012, 2014–2017 and 37.11万 vs 371110
    assert len(consistency.conflicts(figs)) == 8


def test_clean_citations_leaves_the_consistency_rules_to_the_build(tmp_path):
    """Clean writes a record that contradicts itself (every entry is well formed); the build's
    combine step refuses it (test_combine.py): the rules are analyze's."""
    out = c.clean_citations(src(FIX / "tampered.yml"), tmp_path / "x", TAMPERED_MEASURES)
    assert consistency.check_all(schema.read_csv(out["figures"], schema.FIGURES))


def test_default_out_dir_is_the_source_folder():
    from helpers import paths

    assert paths.source_dir("corroborating") == paths.PROCESSED / "sources" / "corroborating"


# ------------------------------------------------------------------ the record's version 2

NEW_ENTRIES = {
    "cpt-2019-07-16": "ministry",
    "chinanpo-2020-11-02": "ministry",
    "pishu-2023-11": "ministry",
    "cpt-2018-02-13": "platform",
    "cpt-2021-01-22": "platform",
    "cri-2020-05-30": None,
    "cswm-2019-08-14": None,
}


def test_manifest_pins_the_new_version():
    src = sources.get("corroborating")
    assert src.sha256 == "ecbf3f25a2029ee65751714f8c98f3851b86b9451960dab9010dc3964f694f1d"
    text = src.file.read_text(encoding="utf-8")
    assert "Added 2026-11-27" in text and "Added 2026-12-04" in text


def test_tampering_with_the_new_entries_is_refused(raw_copy):
    f = raw_copy / "corroborating.yml"
    f.write_bytes(f.read_bytes().replace("81.74万".encode(), "81.75万".encode()))
    src = sources.get("corroborating", raw_copy / "sources.yml")
    with pytest.raises(JJJError, match="sha256 mismatch"):
        c.load(src)


def test_every_new_figure_is_written_with_series_and_region(tmp_path):
    out = c.clean_citations(sources.get("corroborating"), out_dir=tmp_path / "corroborating")
    figs = schema.read_csv(out["figures"], schema.FIGURES)
    cits = schema.read_csv(out["citations"], schema.CITATIONS).set_index("source_id")
    new = figs[figs["source_id"].isin(NEW_ENTRIES)]
    assert len(new) == 40  # v2's 28 and the platform's 12 year counts of v3
    for _, f in new.iterrows():
        series = NEW_ENTRIES[f["source_id"]]
        assert f["series"] == series, f["figure_id"]
        assert f["region"] in {"national", "Beijing", "Tianjin", "Hebei"}
        page = cits.loc[f["source_id"]]
        assert page["series"] == series
        assert f["region"] in page["region"].split("; ")
    assert cits.loc["cpt-2018-02-13", "region"] == "Hebei; national"
    assert figs.set_index("figure_id").loc["cpt-2018-02-13/social_orgs-2", "region"] == "Hebei"


def test_region_china_is_the_national_region(real):
    f = real.figures.set_index("figure_id")
    row = f.loc["cpt-2019-07-16/social_orgs"]
    assert (row["value"], row["region"], row["series"]) == (816000, "national", "ministry")
    assert row["period_end"] == "2018-12-31" and row["period_type"] == "as_of"
    # A number in an expression that says more than one (超过3万家的只有12个省份) is read right.
    prov = f.loc["cpt-2021-01-22/provinces_over_30000_orgs"]
    assert (prov["value"], prov["unit_zh"]) == (12, "个")
    # A bare number (河北(3.2483万)) takes the measure word its page prints.
    assert f.loc["cpt-2018-02-13/social_orgs-2", "unit_zh"] == "个"


def test_hebei_counties_exit_is_a_2019_figure(real):
    row = real.figures.set_index("figure_id").loc["cri-2020-05-30/poor_counties_exited"]
    assert (row["value"], row["region"], row["period_start"], row["period_end"]) == (
        62,
        "Hebei",
        "2019-01-01",
        "2019-12-31",
    )


# ------------------------------------------------------------------ the record's version 3

V3_ENTRIES = {
    "people-2013-06-19": 4,
    "govcn-2017-08-03": 4,
    "china-com-2017-08-04": 1,
    "ucass-2022-11": 2,
    "cctv-2025-10-10": 1,
}


def test_every_v3_figure_carries_series_region_and_expr_lang(tmp_path):
    out = c.clean_citations(sources.get("corroborating"), out_dir=tmp_path / "corroborating")
    figs = schema.read_csv(out["figures"], schema.FIGURES)
    cits = schema.read_csv(out["citations"], schema.CITATIONS).set_index("source_id")
    new = figs[figs["source_id"].isin(V3_ENTRIES)]
    assert new.groupby("source_id").size().to_dict() == V3_ENTRIES
    assert set(new["series"]) == {"ministry"} and set(new["region"]) == {"national"}
    for sid in V3_ENTRIES:
        page = cits.loc[sid]
        assert (page["series"], page["region"]) == ("ministry", "national")
        assert page["expr_lang"] == ("en" if sid == "govcn-2017-08-03" else "zh")
        langs = set(figs.loc[figs["source_id"] == sid, "expr_lang"])
        assert langs == {page["expr_lang"]}
    # The platform's year counts 2012–2018 of the two pages, and their years.
    plat = figs[figs["series"].eq("platform") & figs["period_type"].eq("annual")]
    years = plat.groupby("source_id")["period_end"].apply(lambda s: sorted(str(d)[:4] for d in s))
    assert years["cpt-2018-02-13"] == ["2012", "2014", "2015", "2016", "2017"]
    assert years["cpt-2021-01-22"][:7] == [str(y) for y in range(2012, 2019)]


def test_an_english_expression_is_kept_as_printed_and_checked_in_english(real):
    en = real.figures[real.figures["source_id"] == "govcn-2017-08-03"].set_index("measure")
    assert en.loc["social_orgs", "quote"] == (
        "about 702,000 social organizations as of the end of 2016"
    )
    assert en.loc["social_orgs", "qualifier"] == "about"
    assert en.loc["foundations", "unit_zh"] == "个"  # the Chinese pages' measure word


def test_an_english_expression_contradicting_its_value_is_refused(tmp_path):
    raw = sources.get("corroborating").file.read_text(encoding="utf-8")
    bad = raw.replace("value: 5559, unit: foundations", "value: 5558, unit: foundations")
    f = tmp_path / "corroborating.yml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(JJJError, match=r"govcn-2017-08-03' figure 3 .*5,559 foundations.*5559"):
        c.load(sources.Source("corroborating", "citation_only", f, sources.sha256_of(f), {}))


def test_tupo_is_over():
    assert c._quantities_in("2014年突破56万个")[-1][1].qualifier == "over"
