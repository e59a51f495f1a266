"""What a careful reading of the reports found (issue #10, section 3): one test per defect,
on the real sources cleaned into a temporary folder."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import cells, year_view

from helpers.analyze import outcomes, years
from helpers.publish import conditions, formatting, i18n, named, notes, present, prose, sections

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data(processed):
    """The real sources cleaned into a temporary folder (conftest's `processed`)."""
    return processed


def view(data, ref, year):
    return year_view(data, year, ref)


# ------------------------------------------------------------------ counts and year alone


def test_2024_counts_every_row_of_its_table(data, ref):
    v = view(data, ref, 2024)
    # The point-in-time 9个 was left out of the count that the index and intro printed.
    assert v.known["covering"] == len(v.covering)
    assert "9个" in set(v.covering["quote"])
    # The count the year's prose prints (and the old index line repeated) is the table's.
    n = named.year_values(data, v)["n_covering"]
    assert n.number == len(v.covering)
    assert formatting.format_value(n, "en") == f"{len(v.covering)} figures"


def test_figures_for_the_year_alone_are_found(data, ref):
    alone = view(data, ref, 2024).covering.query("year_alone")
    assert set(alone["quote"]) == {"144家", "184个", "9个"}
    assert view(data, ref, 2019).known["alone"] == 0
    values = named.year_values(data, view(data, ref, 2024))
    assert conditions.year_report(data, view(data, ref, 2024))["three_alone"] is True
    assert values["alone_en"] == (
        "144 organizations, 184 project intentions, 9 projects"
        " (as is understood, no speaker named (据了解))"
    )


# ------------------------------------------------------------------------------ ratios


@pytest.fixture(scope="module")
def ratio_values(data):
    values = named.figures(data)
    return named.ratios(outcomes.ratios(data.figures), values)


@pytest.mark.parametrize(
    ("ratio", "en", "zh"),
    [
        # 约21.88亿元 ÷ 5000多个 (5000–6000): an approximate range, not 437,600 flat.
        ("yuan_per_project", "about 360,000 to 440,000 yuan", "约36万至44万元"),
        # 5000多个 ÷ 62个 is 80.65–96.77, not 80.65.
        ("projects_per_county", "between 80 and 97 projects", "80至97个"),
        # 8万名 ÷ 369家: one significant digit in, no 216.8 out.
        ("elders_per_institution", "about 220 elders", "约220名"),
        # 5000–6000 ÷ 6300–6400: the low end is 0.78125, never printed 0.7812.
        ("projects_per_org", "between 0.78 and 0.96 projects", "0.78至0.96个"),
    ],
)
def test_ratios_print_bound_qualifier_and_supported_digits(ratio_values, ratio, en, zh):
    value = ratio_values[f"ratio.{ratio}"]
    assert formatting.format_value(value, "en") == en
    assert formatting.format_value(value, "zh") == zh


def test_ratio_bounds_round_half_up_not_half_even(data):
    row = outcomes.ratios(data.figures).set_index("ratio_id").loc["projects_per_org"]
    assert row["value_low"] == 0.78125
    # Outward at four digits: the low bound rounds down, the high one up.
    assert present.bounds_text(row["value_low"], row["value_high"], "en", sig=4) == (
        "0.7812 – 0.9524"
    )
    # Half-up elsewhere: 0.78125 is 0.7813 at four digits, as a reader would round it.
    assert present.number(0.78125, "en", sig=4) == "0.7813"


def test_ratio_precision_is_uniform(ratio_values):
    # Every ratio keeps two or three significant digits, never four decimals.
    for name, value in ratio_values.items():
        text = formatting.format_value(value, "en")
        assert not re.search(r"\d\.\d{3,}", text), (name, text)


# ------------------------------------------------------------------------- attribution


@pytest.mark.parametrize(
    ("figure_id", "who"),
    [
        ("jjj_tech_orgs", "据记者了解"),
        ("jjj_foundations_research_3y", "据记者了解"),
        ("jjj_foundation_research_projects_3y", "据记者了解"),
        ("cihong_schools", "赵静"),
        ("cihong_funds", "赵静"),
        ("xiongan_national_orgs_settled", "张晓妍"),
    ],
)
def test_attribution_is_kept_in_table_and_notes(data, figure_id, who):
    row = data.figures.set_index("figure_id").loc[figure_id]
    assert who in row["attribution"]
    rows = sections.figure_rows(data.figures[data.figures["figure_id"] == figure_id], "en")
    assert who in rows["said_by"].iloc[0]
    value = named.figures(data)[f"fig.{figure_id}"]
    assert who in notes.note_html(value, "zh")


# --------------------------------------------------------------------- publisher, date


def test_publisher_is_most_likely_and_no_date_is_printed(data):
    cite = named.seed_citation(data)
    assert cite.date == ""
    assert "most likely" in notes.citation_html(cite, "en")
    assert "很可能" in notes.citation_html(cite, "zh")
    text = (ROOT / "notebooks" / "02_ten_year_outcomes.py").read_text(encoding="utf-8")
    assert "April 2024 article" not in text
    assert all("April 2024 article" not in v["en"] for v in i18n.STRINGS.values())


# -------------------------------------------------------------------- 近三年 / 近两年


def test_recent_years_show_both_readings_where_placed(data, ref):
    for year in (2021, 2024):
        cov = view(data, ref, year).covering.set_index("figure_id")
        assert "jjj_foundations_active_3y" in cov.index, year
    row = view(data, ref, 2024).covering.set_index("figure_id").loc["jjj_foundations_active_3y"]
    en, zh = present.period_text(row, "en"), present.period_text(row, "zh")
    assert "2021-01 → 2023-12" in en and "2022-01 → 2024-04" in en
    assert "2021-01 → 2023-12" in zh and "若计入2024年" in zh
    # 近两年: 2022–2023, or 2023 to April 2024.
    assert "jjj_industry_fields_2y" in set(view(data, ref, 2024).covering["figure_id"])


def test_ten_year_totals_are_only_ten_year_figures(data):
    ten = sections.headline_group(data.figures, "ten_year")
    assert set(ten["period_text"]) == {"十年来"}
    assert {"144家", "184个", "9个", "1000多家"}.isdisjoint(ten["quote"])
    assert "1000多家" in set(sections.headline_group(data.figures, "recent")["quote"])
    assert {"144家", "184个", "9个"} <= set(
        sections.headline_group(data.figures, "meeting")["quote"]
    )


# ------------------------------------------------------------------- language, labels


def test_public_record_period_words_in_english_stay_out_of_zh(data, ref):
    pub = data.figures[data.figures["source_id"] == "bjyouth-2024-04-19"]
    for _, row in pub.iterrows():
        assert not re.search(r"[A-Za-z]{3,}", present.period_text(row, "zh")), row["figure_id"]


def test_conflicts_and_reconciliation_name_measures_not_ids(data, shown):
    assert i18n.measure_label("funds_yuan", "en") == "funds"
    assert i18n.measure_label("funds_yuan", "zh") == "资金"
    assert i18n.t("col_public_quote", "zh") == "公开记录原文"
    # "Where sources differ" as shown: each row starts with what is measured, never an id.
    for lang in ("en", "zh"):
        shown.clear()
        sections.conflicts(data, lang)
        first = [r[0] for r in cells("".join(shown))[1:]]
        assert first and not any(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", f) for f in first), first
        assert lang == "en" or all(re.search(r"[\u4e00-\u9fff]", f) for f in first), first
    # The zh reconciliation: the public record's expression under 公开记录原文, not 原文数值.
    shown.clear()
    sections.reconciliation(data, "zh")
    head, *rows = cells("".join(shown))
    assert "原文数值" not in head
    col = head.index("公开记录原文")
    public = set(data.figures[data.figures["source_id"] != present_seed()]["quote"])
    assert rows and all(r[col] in public for r in rows)


def test_units_read_as_english(data):
    row = data.figures.set_index("figure_id").loc["taikang_provinces_covered"]
    assert present.value_text(row, "en") == "31 provincial-level regions"


def test_one_translation_of_key_counties(data):
    # 扶贫开发重点县: the public record's gloss and the reports' label are the same words.
    pub = data.figures[data.figures["quote"].str.contains("扶贫开发重点县")]
    label = i18n.measure_label("counties_covered", "en")
    assert len(pub) and all(s.startswith(label) for s in pub["subject_en"])


def test_rows_restating_the_campaign_are_labelled_by_measure(data, ref, shown):
    rows = data.figures[data.figures["subject_en"].fillna("").str.startswith("restates")]
    for m in rows["measure"]:
        assert not i18n.measure_label(m, "en").startswith("restates")
    # The 2022 report's public-record table, as shown: each row named by its measure.
    sections.public_record(view(data, ref, 2022), data, "en")
    figures = [r[0] for r in cells("".join(shown))[1:]]
    assert {"projects landed", "funds"} <= set(figures)
    assert not any(f.startswith("restates") for f in figures), figures


def test_counts_are_real_plurals():
    one = named.count(1, "event", "note_counted_events")
    two = named.count(2, "event", "note_counted_events")
    assert formatting.format_value(one, "en") == "1 event"
    assert formatting.format_value(two, "en") == "2 events"
    assert formatting.format_value(two, "zh") == "2项"
    assert "(s)" not in " ".join(v["en"] for v in i18n.STRINGS.values())


# ------------------------------------------------------------------------- duplicates


def test_each_event_once(data, ref):
    assert len(view(data, ref, 2014).events) == 1  # was the article's and a page's copy
    ev = view(data, ref, 2024).events
    assert len(ev) == 1  # the meeting and the initiative signed at it: one occasion
    assert "举行" in ev.iloc[0]["text_zh"] and "倡议书" in ev.iloc[0]["text_zh"]


def test_a_figure_repeated_by_a_public_page_is_one_row(data, ref):
    v = view(data, ref, 2024)
    quotes = list(v.covering["quote"]) + list(v.public_record["quote"])
    assert sum("144家" in q for q in quotes) == 1 and sum("184个" in q for q in quotes) == 1
    row = v.covering.set_index("figure_id").loc["jjj_orgs_planning_projects_2024"]
    assert row["also_in"] == ["bjyouth-2024-04-19"]


def test_campaign_sentence_is_the_notebooks_and_names_the_year():
    text = (ROOT / "notebooks" / "03_year_report.py").read_text(encoding="utf-8")
    cells = text.split("# %%")
    campaign = [c for c in cells if '"if-in_campaign_not_lead"' in c]
    assert len(campaign) == 2 and all("{{ year }}" in c for c in campaign)
    src = (ROOT / "src" / "helpers" / "publish" / "sections.py").read_text(encoding="utf-8")
    assert "headline_statement" not in src


def present_seed() -> str:
    return sections.SEED


# ------------------------------------------------------- language of what the reports show


def _page(lang: str, body: str) -> str:
    return f'<html lang="{i18n.HTML_LANG[lang]}"><body><main>{body}</main></body></html>'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_and_list_is_in_the_report_language(data, ref, shown, lang):
    """The tables, lists and sources of every year report and the ten-year report, through
    the end-to-end language checker: no English in zh (event glosses, period texts, the
    Sources), every Chinese expression glossed in en."""
    import language

    from helpers.analyze import outcomes

    found = []
    for year in range(2014, 2026):
        v = view(data, ref, year)
        shown.clear()
        sections.events(v, lang)
        sections.covering(v, lang)
        sections.public_record(v, data, lang)
        sections.sources(data, lang, source_ids=years.source_ids(v))
        found += [f"{year}: {p}" for p in language.problems(_page(lang, "".join(shown)), lang)]
    shown.clear()
    values = named.ten_year_values(data)
    for group in ("ten_year", "recent", "meeting"):
        sections.headline_table(data.figures, group, lang, ref)
    sections.cases(data.figures, lang, ref)
    sections.full_figure_table(data.figures, lang, ref)
    sections.ratios(outcomes.ratios(data.figures), values, lang)
    sections.reconciliation(data, lang)
    sections.conflicts(data, lang)
    sections.sources(data, lang)
    found += [f"ten-year: {p}" for p in language.problems(_page(lang, "".join(shown)), lang)]
    assert found == []


@pytest.mark.parametrize("notebook", ["02_ten_year_outcomes.py", "03_year_report.py"])
def test_notebook_prose_is_in_its_language(notebook):
    """Each prose cell through the same checker, its placeholders left out: the title, the byline
    (皮磊 → Pi Lei) and the period words are glossed in en; a zh cell has no English phrase."""
    import jupytext
    import language
    import mistune

    found = []
    for index, cell in enumerate(jupytext.read(ROOT / "notebooks" / notebook).cells, start=1):
        tags = cell.metadata.get("tags", [])
        for lang in ("zh", "en"):
            if cell.cell_type == "markdown" and f"lang-{lang}" in tags:
                body = mistune.html(prose.PLACEHOLDER.sub(" ", cell.source))
                found += [f"cell {index}: {p}" for p in language.problems(_page(lang, body), lang)]
    assert found == []


def test_the_articles_title_is_glossed_in_en(data):
    """The checker takes a quoted Chinese title as glossed; the article's title must also be
    given in English wherever an en text shows it (notebook prose, the Sources)."""
    import jupytext

    seed = data.sources[sections.SEED]

    def norm(text: str) -> str:
        return re.sub(r"[–—-]", "-", text)

    zh, en = seed["title_zh"], norm(seed["title_en"])
    texts = [notes.citation_html(named.seed_citation(data), "en")]
    for notebook in ("02_ten_year_outcomes.py", "03_year_report.py"):
        for cell in jupytext.read(ROOT / "notebooks" / notebook).cells:
            if cell.cell_type == "markdown" and "lang-en" in cell.metadata.get("tags", []):
                texts.append(cell.source)
    shown = [html.unescape(t) for t in texts if zh in t]
    assert shown and all(en in norm(t) for t in shown), [t[:120] for t in shown]
