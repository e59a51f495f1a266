"""publish.sections: the reports' tables, lists and charts as a reader gets them — each helper
called on the real sources cleaned into a temporary folder (conftest's `processed`), its
notebook output captured and read back: headings in the report's language, which rows, the
qualifiers, source text escaped, an empty section saying so."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import pytest
from conftest import cells, year_view

from helpers.analyze import outcomes, years
from helpers.publish import i18n, named, sections

PLANT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def view(data, ref, year: int):
    return year_view(data, year, ref)


def out(shown: list[str]) -> str:
    """Everything displayed so far, then forgotten (the next call starts afresh)."""
    text = "".join(shown)
    shown.clear()
    return text


def table(shown: list[str]) -> tuple[list[str], list[list[str]]]:
    """The one table displayed: its headings and its rows."""
    head, *rows = cells(out(shown))
    return head, rows


def column(head: list[str], rows: list[list[str]], name: str) -> list[str]:
    return [r[head.index(name)] for r in rows]


def planted(data, **where):
    """`data` with PLANT in the quote of the figures matching `where` (its tables copied)."""
    figures = data.figures.copy()
    hit = figures["figure_id"].isin(where["figure_ids"])
    assert hit.sum() == len(where["figure_ids"])
    figures.loc[hit, "quote"] = PLANT + figures.loc[hit, "quote"]
    return dataclasses.replace(data, figures=figures)


# ------------------------------------------------------------------------ figure rows, table


def test_figure_rows_keep_the_qualifier_and_speak_the_language(processed):
    one = processed.figures[processed.figures["figure_id"] == "jjj_orgs_in_hebei_poverty_relief"]
    en, zh = sections.figure_rows(one, "en").iloc[0], sections.figure_rows(one, "zh").iloc[0]
    assert (en["value_text"], zh["value_text"]) == ("more than 6,300 organizations", "6300多家")
    assert en["bounds_text"] == "6,300 – 6,400"
    assert en["subject"].startswith("national and Beijing-Tianjin-Hebei social organizations")
    assert re.search(r"[\u4e00-\u9fff]", zh["subject"]) and zh["subject"] != en["subject"]
    assert "“十年来”" in en["period_label"]
    said = processed.figures[processed.figures["figure_id"] == "cihong_schools"]
    assert sections.figure_rows(said, "en").iloc[0]["said_by"].startswith("according to Zhao")
    zh_said = sections.figure_rows(said, "zh").iloc[0]["said_by"]
    assert zh_said == "据北京慈弘慈善基金会理事长赵静介绍"


@pytest.mark.parametrize(
    ("lang", "headings", "values"),
    [
        ("zh", ["指标", "原文", "数值", "时期", "说明者"], ["144家", "184个", "9个"]),
        ("en", ["Figure", "As printed", "Value", "Period", "Who said it"],
         ["144 organizations", "184 project intentions", "9 projects"]),
    ],
)  # fmt: skip
def test_the_meetings_figures_as_a_table(processed, ref, shown, lang, headings, values):
    sections.headline_table(processed.figures, "meeting", lang, ref)
    head, rows = table(shown)
    # The article prints 据了解 before these three (issue #23: it was lost before).
    assert head == headings
    assert set(column(head, rows, headings[4])) == {i18n.attribution("据了解", lang)}
    assert column(head, rows, headings[1]) == ["144家", "184个", "9个"]
    assert column(head, rows, headings[2]) == values


def test_a_figure_table_shows_who_said_it_when_someone_did(processed, shown):
    cihong = processed.figures[processed.figures["organization"] == "北京慈弘慈善基金会"]
    sections.figure_table(cihong, "en", quote=False)
    head, rows = table(shown)
    assert head == ["Figure", "Value", "Period", "Who said it"]
    assert len(rows) == len(cihong) == 5
    assert all(r[-1].startswith("according to Zhao Jing") for r in rows)


@pytest.mark.parametrize(("lang", "word"), [("zh", "无"), ("en", "none")])
def test_an_empty_table_says_none_in_the_language(processed, shown, lang, word):
    sections.figure_table(processed.figures.iloc[0:0], lang)
    sections.ratios(outcomes.ratios(processed.figures).iloc[0:0], {}, lang)
    assert out(shown) == f"<p>{word}</p>" * 2


def test_headline_groups_split_the_articles_headlines(processed):
    groups = {g: sections.headline_group(processed.figures, g) for g in
              ("ten_year", "recent", "meeting")}  # fmt: skip
    assert set(groups["ten_year"]["quote"]) >= {"6300多家", "5000多个", "约21.88亿元", "62个"}
    assert list(groups["recent"]["quote"]) == ["1000多家"]
    assert list(groups["meeting"]["quote"]) == ["144家", "184个", "9个"]
    ids = [i for g in groups.values() for i in g["figure_id"]]
    assert len(ids) == len(set(ids))  # no headline in two groups


# ---------------------------------------------------------------------------- ten-year report


@pytest.mark.parametrize(
    ("lang", "first", "other"),
    [("zh", "<h3>北京慈弘慈善基金会</h3>", "<h3>其他</h3>"),
     ("en", "<h3>Beijing Cihong Charity Foundation (北京慈弘慈善基金会)</h3>", "<h3>Other</h3>")],
)  # fmt: skip
def test_cases_one_heading_and_table_per_organization(processed, ref, shown, lang, first, other):
    sections.cases(processed.figures, lang, ref)
    text = out(shown)
    assert text.startswith(first) and other in text
    assert text.count("<h3>") == text.count("<table") == len(outcomes.cases(processed.figures))
    assert "369家" in text and "1.4亿元" in text


def test_a_case_heading_is_escaped(processed, ref, shown):
    figures = processed.figures.copy()
    figures.loc[figures["figure_id"] == "zhonghui_investment_xinglong", "organization"] = PLANT
    sections.cases(figures, "zh", ref)
    text = out(shown)
    assert f"<h3>{ESCAPED}</h3>" in text and "<script" not in text


def test_the_appendix_lists_every_figure_of_the_article_with_bounds_no_ids(processed, ref, shown):
    sections.full_figure_table(processed.figures, "en", ref)
    head, rows = table(shown)
    # No data id: a reader's page never shows one (issue #23); what is counted instead.
    assert head == ["Figure", "As printed", "Value", "Bounds", "Period", "Who said it"]
    seed = outcomes.seed_figures(processed.figures)
    assert column(head, rows, "As printed") == list(seed["quote"]) and len(rows) == 28
    by_quote = {r[1]: r for r in rows}
    assert by_quote["6300多家"][3] == "6,300 – 6,400"
    assert by_quote["近30个"][2:4] == ["nearly 30 fields", "≤ 30"]
    assert not any("jjj_" in c for r in rows for c in r)
    assert by_quote["超35000人次"][3] == "≥ 35,000"
    assert set(by_quote) == set(seed["quote"])  # the article's only


@pytest.mark.parametrize(
    ("lang", "headings", "basis"),
    [("zh", ["比率", "数值", "区间", "依据"], "约21.88亿元 ÷ 5000多个"),
     ("en", ["Ratio", "Value", "Bounds", "Basis"],
      "about 2.188 billion yuan ÷ more than 5,000 projects (约21.88亿元 ÷ 5000多个)")],
)  # fmt: skip
def test_ratios_with_their_terms_as_printed(processed, shown, lang, headings, basis):
    ratios = outcomes.ratios(processed.figures)
    sections.ratios(ratios, named.ten_year_values(processed), lang)
    head, rows = table(shown)
    assert head == headings and len(rows) == len(ratios)
    first = dict(zip(head, rows[0], strict=True))
    assert first[headings[3]] == basis
    value = {"zh": "约36万至44万元", "en": "about 360,000 to 440,000 yuan"}[lang]
    assert first[headings[1]] == value


@pytest.mark.parametrize(
    ("lang", "ok", "bad"), [("zh", "一致", "不一致"), ("en", "equal", "differs")]
)
def test_the_backtest_table_says_equal_or_differs(processed, shown, lang, ok, bad):
    bt = outcomes.backtest(processed.figures, processed.article_text)
    sections.backtest(bt, lang)
    head, rows = table(shown)
    assert len(rows) == 28 and {r[-1] for r in rows} == {ok}
    bt.loc[bt["quote"] == "6300多家", ["reproduced", "ok"]] = [6400.0, False]
    sections.backtest(bt, lang)
    head, rows = table(shown)
    wrong = [r for r in rows if r[-1] == bad]
    assert [r[0] for r in wrong] == ["6300多家"]
    assert wrong[0][1:3] == (["6300", "6400"] if lang == "zh" else ["6,300", "6,400"])


def test_reconciliation_pairs_each_headline_with_the_public_record(processed, shown):
    sections.reconciliation(processed, "en")
    head, rows = table(shown)
    assert head == ["Figure", "As printed", "Public record, as printed", "Source", "Relation"]
    pairs = {(r[1], r[2], r[4]) for r in rows}
    assert ("5000多个", "扶贫项目5367个", "consistent bound") in pairs
    assert ("约21.88亿元", "约21.88亿元", "same value") in pairs
    assert ("6300多家", "3150家社会组织", "different period") in pairs
    # The source as a reader's label (publisher, date), never the data's id.
    assert (
        "copy of China Philanthropy Times (公益时报) e-paper on newcairotravel.com (a mirror), "
        "2020-11-10" in column(head, rows, "Source")
    )
    assert not any(re.fullmatch(r"[a-z0-9-]+", s) for s in column(head, rows, "Source"))
    sections.reconciliation(processed, "zh")
    head, rows = table(shown)
    assert head == ["指标", "原文", "公开记录原文", "来源", "关系"]
    assert {"数值相同", "区间相容", "时期不同"} == set(column(head, rows, "关系"))


def test_conflicts_name_both_sources_and_the_kind(processed, shown):
    sections.conflicts(processed, "zh")
    head, rows = table(shown)
    assert head == ["指标", "原文", "来源", "公开记录原文", "来源", "关系"]
    assert {(r[1], r[3], r[5]) for r in rows} == {
        ("21.88亿元", "约21.88亿元", "限定词不同"),
        ("2018年的81.74万个", "全国共有社会组织81.6万个", "数值不同"),
        # the platform's two pages, and one count printed at two precisions
        ("2012年突破41万个", "2012年我国社会组织总量只有32万家", "数值不同"),
        ("2014年突破56万个", "2014年超过46万家", "数值不同"),
        ("2015年突破63万个", "2015年超过53万家", "数值不同"),
        ("2016年突破72万个", "2016年达到61万家", "数值不同"),
        ("2017年突破80万个", "2017年达到69万家", "数值不同"),
        ("2021年的37.11万个", "全国社会团体总量为371110个", "数值不同"),
    }
    one = processed.figures[processed.figures["source_id"] == sections.SEED]
    sections.conflicts(dataclasses.replace(processed, figures=one), "en")
    assert out(shown) == "<p>none</p>"


@pytest.mark.parametrize(
    ("lang", "headings", "rule", "source"),
    [("zh", ["规则", "原文", "来源"], "各地分项之和超过总量",
      "河北省媒体（转载页），m.bm463.com上的副本（镜像），2018-08-23"),
     ("en", ["Rule", "As printed", "Source"], "regional parts above their total",
      "copy of Hebei provincial press")],
)  # fmt: skip
def test_a_rule_that_fails_is_shown_in_the_report_language(
    processed, shown, lang, headings, rule, source
):
    import language

    sections.consistency(processed, lang)
    assert out(shown) == ""  # the rules hold: the notebook's sentence says so, no table
    # The Hebei page's own part made larger than the page's total of 403 projects.
    figures = processed.figures.copy()
    part = figures["figure_id"] == "hebei-2018-08-23/projects_from_hebei"
    figures.loc[part, ["value", "value_low", "value_high"]] = 5000.0
    figures.loc[part, "quote"] = PLANT + "我省…5000个"
    sections.consistency(dataclasses.replace(processed, figures=figures), lang)
    text = out(shown)
    assert ESCAPED in text and "<script" not in text
    (head, *rows) = cells(text)
    assert head == headings and len(rows) == 1
    assert rows[0][0] == rule
    assert rows[0][1].startswith("扶贫项目403个") and PLANT + "我省…5000个" in rows[0][1]
    assert rows[0][2].startswith(source)
    assert "hebei-2018-08-23" not in text  # the reader gets sources, not the data's ids
    page = f'<html lang="{"zh-Hans" if lang == "zh" else "en"}"><body>{text}</body></html>'
    assert language.problems(page, lang) == []


@pytest.mark.parametrize(
    ("section", "figure_ids", "args"),
    [
        ("full_figure_table", ["jjj_orgs_in_hebei_poverty_relief"], "figures_lang_ref"),
        ("headline_table", ["jjj_orgs_in_hebei_poverty_relief"], "figures_group_lang_ref"),
        ("reconciliation", ["cpt-2020-11-10/projects_landed"], "data_lang"),
        ("conflicts", ["cpt-2019-07-16/social_orgs"], "data_lang"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_source_text_is_escaped(processed, ref, shown, section, figure_ids, args, lang):
    data = planted(processed, figure_ids=figure_ids)
    call = {
        "figures_lang_ref": lambda: sections.full_figure_table(data.figures, lang, ref),
        "figures_group_lang_ref": lambda: sections.headline_table(
            data.figures, "ten_year", lang, ref
        ),
        "data_lang": lambda: getattr(sections, section)(data, lang),
    }[args]
    call()
    text = out(shown)
    assert ESCAPED in text and "<script" not in text


# ------------------------------------------------------------------------------ year reports


@pytest.mark.parametrize(
    ("lang", "headings", "alone"),
    [("zh", ["指标", "原文", "数值", "时期", "性质", "说明者"], "仅属本年"),
     ("en", ["Figure", "As printed", "Value", "Period", "Kind", "Who said it"],
      "this year alone")],
)  # fmt: skip
def test_2024_lists_the_meetings_figures_as_its_own(processed, ref, shown, lang, headings, alone):
    sections.covering(view(processed, ref, 2024), lang)
    head, rows = table(shown)
    assert head == headings
    kinds = dict(zip(column(head, rows, headings[1]), column(head, rows, headings[4]),
                     strict=True))  # fmt: skip
    assert [q for q, k in kinds.items() if k == alone] == ["144家", "184个", "9个"]
    # The campaign's whole-period totals are never "this year's".
    total = {"zh": "全期合计（不按年拆分）", "en": "whole-period total (never split by year)"}
    assert kinds["1.4亿元"] == total[lang]


def test_an_as_of_figure_shows_only_in_its_year(processed, ref, shown):
    found: dict[str, list[int]] = {"369家": [], "3086个": [], "1.4亿元": []}
    for year in range(2014, 2026):
        sections.covering(view(processed, ref, year), "en")
        quotes = {r[1] for r in cells(out(shown))[1:]}
        for q in found:
            if q in quotes:
                found[q].append(year)
    assert found["369家"] == [2023]  # as of the end of 2023
    assert found["3086个"] == [2024]  # as of the article
    assert found["1.4亿元"] == list(range(2018, 2025))  # 2018 to now: a total, in every year


@pytest.mark.parametrize(("lang", "word"), [("zh", "无"), ("en", "none")])
def test_a_year_without_anything_says_so(processed, ref, shown, lang, word):
    sections.events(view(processed, ref, 2023), lang)
    sections.covering(view(processed, ref, 2014), lang)
    sections.public_record(view(processed, ref, 2024), processed, lang)
    assert out(shown) == f"<p>{word}</p>" * 3


@pytest.mark.parametrize(("lang", "date"), [("zh", "4月19日"), ("en", "2024-04-19")])
def test_events_are_dated_as_the_language_writes_it(processed, ref, shown, lang, date):
    sections.events(view(processed, ref, 2024), lang)
    head, rows = table(shown)
    assert head == {"zh": ["日期", "事件"], "en": ["Date", "Event"]}[lang]
    assert len(rows) == 1 and rows[0][0] == date
    event = rows[0][1]
    if lang == "zh":
        assert "倡议书" in event and not re.search(r"[A-Za-z]{3,}", event)
    else:
        assert event.startswith("Exchange meeting") and not re.search(r"[\u4e00-\u9fff]", event)


def test_an_event_text_is_escaped(processed, ref, shown):
    v = view(processed, ref, 2024)
    v = dataclasses.replace(v, events=v.events.assign(text_en=PLANT))
    sections.events(v, "en")
    text = out(shown)
    assert ESCAPED in text and "<script" not in text


def test_the_public_record_names_region_and_source(processed, ref, shown):
    v = view(processed, ref, 2023)
    sections.public_record(v, processed, "zh")
    head, rows = table(shown)
    assert head == ["指标", "原文", "数值", "地区", "时期", "来源"]
    assert len(rows) == len(v.public_record) == 8
    row = dict(zip(head, rows[column(head, rows, "原文").index("北京市社会团体数量为4346个")],
                   strict=True))  # fmt: skip
    assert row["地区"] == "北京" and row["来源"].startswith("皮书网")
    assert column(head, rows, "地区").count("全国") == 7
    sections.public_record(v, processed, "en")
    head, rows = table(shown)
    assert head == ["Figure", "As printed", "Value", "Region", "Period", "Source"]
    assert set(column(head, rows, "Region")) == {"China", "Beijing"}


def test_a_public_quote_is_escaped(processed, ref, shown):
    v = view(processed, ref, 2023)
    v = dataclasses.replace(v, public_record=v.public_record.assign(quote=PLANT))
    sections.public_record(v, processed, "zh")
    text = out(shown)
    assert text.count(ESCAPED) == len(v.public_record) and "<script" not in text


# --------------------------------------------------------------------------- sources, charts


def test_sources_numbered_the_article_first_then_the_years_own(processed, ref, shown):
    v = view(processed, ref, 2023)
    sections.sources(processed, "zh", source_ids=years.source_ids(v))
    text = out(shown)
    ids = re.findall(r"<li id='src-([^']+)'>", text)
    assert ids == [sections.SEED, "pishu-2023-11"]
    # the id names the item's anchor only, never its text (issue #23)
    assert text.startswith("<ol class='sources'>") and "[pishu-2023-11]" not in text
    sections.sources(processed, "en")
    ids = re.findall(r"<li id='src-([^']+)'>", out(shown))
    assert ids[0] == sections.SEED and len(ids) == len(set(ids)) == 1 + len(processed.citations)


def test_a_citation_is_escaped(processed, shown):
    citations = processed.citations.copy()
    citations["publisher"] = PLANT
    sections.sources(dataclasses.replace(processed, citations=citations), "en")
    text = out(shown)
    assert ESCAPED in text and "<script" not in text


def test_a_charts_source_line_is_in_the_language(processed):
    # The article (no date printed), then each public page once, publisher and date.
    ids = [sections.SEED, "cpt-2020-11-10", "cpt-2020-11-10", "civil-affairs-2022-08-04"]
    assert sections.sources_line(processed, ids, "zh") == (
        "来源：很可能是公益时报；公益时报，newcairotravel.com上的副本（镜像），2020-11-10；"
        "报道三地民政部门第六次联席会议的新闻网页（记者赵泽众），wap.newstx.cn上的副本（镜像），"
        "2022-08-04"
    )
    assert sections.sources_line(processed, ids, "en") == (
        "Source: most likely China Philanthropy Times; copy of China Philanthropy Times (公益时报) "
        "e-paper on newcairotravel.com (a mirror), 2020-11-10; copy of news page, on the 6th "
        "joint meeting of the three regions' civil-affairs departments on wap.newstx.cn "
        "(a mirror), 2022-08-04"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_timeline_and_campaign_charts_carry_alt_text_and_source(processed, ref, shown, lang):
    sections.timeline(processed.events, view(processed, ref, 2018), processed, lang)
    sections.campaign_chart(processed, lang)
    timeline, campaign = shown
    alt = {"zh": "突出显示2018年", "en": "with 2018 highlighted"}[lang]
    source = {"zh": '<figcaption class="chart-source">来源：',
              "en": '<figcaption class="chart-source">Source: '}[lang]  # fmt: skip
    assert "<svg" in timeline and alt in timeline and source in timeline
    assert "<svg" in campaign and source in campaign and "aria-label=" in campaign


def test_notebook_01_shows_a_sources_figures_and_coverage(processed, shown):
    seed = processed.figures[processed.figures["source_id"] == sections.SEED]
    sections.cleaned(sections.SEED, SimpleNamespace(figures=seed, coverage=0.925))
    text = out(shown)
    assert text.startswith(f"<h2>{sections.SEED}: 28 figures</h2>")
    assert "<th scope='col'>Qualifier</th>" in text and "6300多家" in text
    assert text.endswith("<p>codebook coverage of candidate statistics: 92%</p>")
