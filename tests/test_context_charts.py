"""helpers.publish.context_charts, context_values and context_tables on the real record."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import record_data

from helpers.analyze import campaign_record, national
from helpers.publish import (
    charts,
    conditions,
    context_charts,
    context_tables,
    context_values,
    formatting,
)

real = pytest.fixture(scope="module", name="real")(record_data.load_real)


@pytest.fixture(scope="module")
def data(real):
    """What the notebooks pass as `data`: the processed tables (here, the record's)."""
    return SimpleNamespace(citations=real.citations, sources={})


def _national(real, year, lang):
    charts.use_style()
    fig = plt.figure(figsize=(7.0, 3.0))
    pts = national.points(real.figures)
    ax, side = context_charts.national(
        fig, pts, national.changes(real.figures, national.FALL_YEAR), year, lang
    )
    return fig, ax, side


def _segments(ax):
    """(x0, x1) of every drawn line of two points."""
    return [tuple(line.get_xdata()) for line in ax.get_lines() if len(line.get_xdata()) == 2]


def test_national_chart_leaves_gaps_and_highlights_the_year(real):
    fig, ax, side = _national(real, 2019, "en")
    try:
        spans = _segments(ax)
        assert spans  # 2017 → 2018 → 2019 are joined
        # Nothing joins the end of 2019 to the end of 2022: the years between have no figure.
        assert not [s for s in spans if s[0] < 2020 and s[1] > 2022]
        labels = [t.get_text() for t in ax.get_xticklabels(minor=True)]
        highlighted = [t.get_text() for t in ax.get_xticklabels(minor=True)
                       if t.get_color() == charts.HIGHLIGHT]  # fmt: skip
        assert highlighted == ["2019"] and labels[0] == "2012" and "2024" in labels
        assert fig._suptitle.get_text().startswith("China's social organizations: two series")
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["Ministry of Civil Affairs", "query platform (another series)"]
        source = context_charts.national_source(national.points(real.figures), "en")
        assert fig.texts == [fig._suptitle]  # the source line is the caption, not chart text
        # without the data, the kind of source; never the data's ids (issue #23)
        assert "pages of the public record" in source and "cpt-2019-07-16" not in source
        assert [t.get_text() for t in side.get_yticklabels()] == [
            "social associations",
            "private non-enterprise units",
            "foundations",
        ]
    finally:
        plt.close(fig)


def _drawn_boxes(fig, ax):
    """After a draw: the legend's box, every marker's centre and each shown year label's box,
    in display units."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    points = [
        xy
        for line in ax.get_lines()
        if line.get_marker() not in (None, "None", "")
        for xy in line.get_transform().transform(line.get_xydata())
    ]
    labels = [
        tick.get_window_extent(renderer)
        for tick in ax.get_xticklabels(minor=True)
        if tick.get_text()
    ]
    return legend, points, labels


@pytest.mark.parametrize("year", [2014, 2019, 2020, 2023])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_national_chart_legend_and_year_labels_run_into_nothing(real, year, lang):
    fig, ax, _ = _national(real, year, lang)
    try:
        legend, points, labels = _drawn_boxes(fig, ax)
        on_legend = [tuple(p) for p in points if legend.contains(*p)]
        assert not on_legend, f"{year} {lang}: points under the legend at {on_legend}"
        gaps = [b.x0 - a.x1 for a, b in zip(labels, labels[1:], strict=False)]
        assert min(gaps) > 0, f"{year} {lang}: year labels touch"
        shown = [t.get_text() for t in ax.get_xticklabels(minor=True) if t.get_text()]
        assert str(year) in shown
    finally:
        plt.close(fig)


def test_national_chart_in_chinese_and_for_2025(real):
    fig, ax, _ = _national(real, 2025, "zh")
    try:
        assert ax.get_xlim() == (2012, 2026)  # the report's year is always on the axis
        assert fig._suptitle.get_text().startswith("全国社会组织数量")
        # No "first fall" on the total: its 2022 point sits above the earlier ones (issue #23)
        assert "首次下降" not in [t.get_text() for t in ax.texts]
        svg = charts.figure_svg(fig)
        assert svg.startswith("<svg")
    finally:
        plt.close(fig)


def test_campaign_timeline_rows_are_regions(real):
    record = campaign_record.dated_record(real.figures, real.events, real.citations)
    charts.use_style()
    for lang, rows in (("en", ["events", "Beijing", "Tianjin", "Hebei"]),
                       ("zh", ["事件", "北京", "天津", "河北"])):  # fmt: skip
        fig, ax = plt.subplots()
        try:
            context_charts.campaign_timeline(ax, record, 2019, lang)
            assert [t.get_text() for t in ax.get_yticklabels()] == rows
            texts = [t.get_text() for t in ax.texts]
            assert ("5,367 projects" if lang == "en" else "扶贫项目5367个") in texts
            assert ("campaign launched" if lang == "en" else "行动启动") in texts
        finally:
            plt.close(fig)


def test_prose_values_of_2018_give_the_range_with_both_sources(real, data):
    nat = national.for_year(real.figures, 2018)
    v = context_values.national(nat, data, "en")
    c = conditions.national_context(nat)
    assert c["nat_range"] and not (c["nat_single"] or c["nat_near"] or c["nat_missing"])
    span = v["nat_span"]
    assert (span.qualifier, span.low, span.high) == ("range", 816000.0, 817400.0)
    assert formatting.format_value(span, "en") == (
        "between 816,000 and 817,400 registered social organizations"
    )
    assert {b.citation.url for b in span.basis} == {
        "http://www.gongyishibao.com/newdzb/html/2019-07/16/content_20750.htm?div=-1",
        "https://chinanpo.org.cn/ds/2304e23fd7.html",
    }
    assert "nat_total" not in v


@pytest.mark.parametrize("year", [2014, 2015, 2020, 2021, 2023, 2024, 2025])
def test_prose_values_give_the_nearest_count_with_its_date(real, data, year):
    nat = national.for_year(real.figures, year)
    v = context_values.national(nat, data, "zh")
    assert conditions.national_context(nat)["nat_near"] is True and v["year"] == str(year)
    assert "nat_total" not in v and v["nat_near_when"].startswith("截至")
    assert v["nat_near_value"].citation.url


def test_prose_values_of_2014_show_the_platforms_two_pages_as_a_range(real, data):
    nat = national.for_year(real.figures, 2014)
    v = context_values.national(nat, data, "en")
    c = conditions.national_context(nat)
    assert c["plat_range"] is True and c["plat_found"] is False and "plat_value" not in v
    span = v["plat_span"]
    assert (span.low, span.high) == (460000.0, 560000.0)
    assert {b.quote for b in span.basis} == {"2014年超过46万家", "2014年突破56万个"}
    assert all(b.citation.url for b in span.basis)


def test_prose_values_of_2019_cite_the_counties_exit(real, data):
    record = campaign_record.dated_record(real.figures, real.events, real.citations)
    v = context_values.campaign(campaign_record.in_year(record, 2019), data, 2019, "en")
    exited = v["counties_exited"]
    assert formatting.format_value(exited, "en") == "62 poor counties"
    assert formatting.format_value(exited, "zh") == "62个贫困县"
    assert exited.citation.url.startswith("https://hebei.cri.cn/20200530/")
    assert exited.quote == "62个贫困县已经全部脱贫摘帽"
    in_2018 = context_values.campaign(campaign_record.in_year(record, 2018), data, 2018, "en")
    assert "counties_exited" not in in_2018


def test_prose_values_of_2022_name_the_direction(real, data):
    v = context_values.national(national.for_year(real.figures, 2022), data, "zh")
    assert (v["chg_pneu_dir"], v["chg_fdn_dir"]) == ("减少", "增加")
    # 51.19万 vs 52.19万 support two digits: 约1.9%, not 1.92% (issue #23)
    assert formatting.format_value(v["chg_pneu"], "zh") == "约1.9%"


def test_facts_table_shows_region_in_both_languages(real):
    record = campaign_record.dated_record(real.figures, real.events, real.citations)
    items = campaign_record.in_year(record, 2019)
    en, zh = context_tables.facts(items, "en"), context_tables.facts(items, "zh")
    assert "<td>Hebei</td>" in en and "<td>Tianjin</td>" in en
    assert "<td>河北</td>" in zh and "<td>天津</td>" in zh
    assert "62个贫困县已经全部脱贫摘帽" in zh


NOTEBOOK = record_data.FIX.parents[2] / "notebooks" / "03_year_report.py"


def _cells(path):
    """(tags, source) of each cell of a py:percent notebook."""
    import re

    out = []
    for chunk in path.read_text(encoding="utf-8").split("\n# %%")[1:]:
        head, _, body = chunk.partition("\n")
        tags = re.findall(r'"([^"]+)"', head.partition("tags=")[2])
        out.append((tags, body))
    return out


def test_every_year_report_draws_the_national_chart_and_says_found_or_not(real, data):
    cells = _cells(NOTEBOOK)
    chart = [t for t, body in cells if "context_charts.show_national(" in body]
    assert chart == [[]]  # one code cell, no condition: every year shows it
    for lang in ("zh", "en"):
        conds = [set(t) - {f"lang-{lang}"} for t, _ in cells if f"lang-{lang}" in t]
        assert {"if-nat_single"} in conds and {"if-nat_range"} in conds
        assert {"if-nat_near"} in conds and {"if-nat_missing"} in conds
    for year in range(2014, 2026):
        c = conditions.national_context(national.for_year(real.figures, year))
        # Exactly one of the four sentences is kept, and it gives a count.
        found = [c["nat_single"], c["nat_range"], c["nat_near"], c["nat_missing"]]
        assert found.count(True) == 1 and not c["nat_missing"], year
