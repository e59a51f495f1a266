"""Chart style: Chinese renders with no missing glyph, SVG is byte-stable and accessible."""

import logging
import re
import warnings

import matplotlib
import pytest

matplotlib.use("agg")
import matplotlib.pyplot as plt

from helpers.errors import JJJError
from helpers.publish import charts, fonts

EVENTS = {2014: "协同发展上升为国家战略", 2015: "《纲要》印发", 2017: "雄安新区设立"}


def _chart():
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6.4, 6))
    charts.bar_with_bounds(
        ax1,
        ["北京市", "天津市", "河北省", "三地合计"],
        [1200, None, None, None],
        [None, 800, None, 2000],
        [None, None, 600, 2600],
        lang="zh",
    )
    ax1.set_title("社会组织数量（家）—— 超过、近、约")
    ax1.set_xlabel("数量 −10 ％")
    charts.timeline(ax2, highlight_year=2019, events=EVENTS)
    return fig


@pytest.fixture(autouse=True)
def _style():
    charts.use_style()
    yield
    plt.close("all")


def test_chinese_chart_has_no_missing_glyph_and_no_font_warning(caplog):
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing" is a UserWarning: now an error
        fig = _chart()
        svg = charts.figure_svg(fig)
    assert "<svg" in svg
    assert not [r for r in caplog.records if r.name.startswith("matplotlib")], caplog.text


def test_a_missing_glyph_fails_loudly():
    fig, ax = plt.subplots()
    ax.set_title("缺字 \U0001f600")  # an emoji: in neither Noto Sans CJK nor DejaVu Sans
    with pytest.raises(JJJError, match="missing from the project font"):
        charts.figure_svg(fig)


def test_svg_is_byte_stable_inline_and_its_text_is_text_in_the_page_font():
    a = charts.figure_svg(_chart())
    b = charts.figure_svg(_chart())
    assert a == b
    assert a.startswith("<svg")
    for drift in ("<?xml", "<!DOCTYPE", "<metadata", "dc:date"):
        assert drift not in a  # no prolog, no render date
    texts = re.findall(r"<text\b([^>]*)>([^<]*)</text>", a)
    assert texts, "labels are <text>: selectable, searchable, read aloud"
    stacks = {re.search(r"font-family: ([^;\"]*)", attrs)[1] for attrs, _ in texts}
    # The page's embedded subset first; never a machine font (DejaVu is matplotlib's fallback).
    assert stacks == {f"'{fonts.PDF_FAMILY}', '{fonts.FAMILY}'"}
    ids = re.findall(r'\bid="([^"]+)"', a)
    prefix = ids[0].split("-")[0] + "-"
    assert ids and all(i.startswith(prefix) for i in ids)
    refs = re.findall(r'href="#([^"]+)"', a) + re.findall(r"url\(#([^)]+)\)", a)
    assert refs and set(refs) <= set(ids)


def test_chart_html_escapes_alt_text_and_names_the_svg():
    html = charts.chart_html(_chart(), alt='A <b>"bold"</b> & 天津')
    assert 'aria-label="A &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; 天津"' in html
    assert "<title>A &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; 天津</title>" in html
    assert 'role="img"' in html and html.startswith('<figure class="chart">')
    with pytest.raises(JJJError, match="alt text"):
        charts.chart_html(_chart(), alt="  ")


def test_show_publishes_html_and_closes_the_figure(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    fig = _chart()
    charts.show(fig, alt="三地示例")
    assert not plt.fignum_exists(fig.number)
    (bundle,) = shown
    assert bundle["text/plain"] == "[chart] 三地示例"
    assert "<svg" in bundle["text/html"]


def test_bar_with_bounds_draws_bounds_differently():
    fig, ax = plt.subplots()
    charts.bar_with_bounds(ax, ["a", "b", "c"], [5, None, None], [None, 3, None], [None, None, 4])
    hatches = [p.get_hatch() for p in ax.patches]
    assert hatches.count("///") == 1  # only the "more than" bar is hatched
    texts = [t.get_text() for t in ax.texts if t.get_text()]  # "" is the arrow
    assert texts == ["5", ">3", "<4"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["确数", "下限（“超过”）", "上限（“近”）"]
    with pytest.raises(JJJError):
        charts.bar_with_bounds(ax, ["a"], [None])
    with pytest.raises(JJJError):
        charts.bar_with_bounds(ax, ["a", "b"], [1])


def test_bar_with_bounds_survives_a_log_axis():
    fig, ax = plt.subplots()
    charts.bar_with_bounds(ax, ["甲", "乙"], [12, None], [None, 30000], None, lang="en")
    ax.set_xscale("log")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "non-positive values" warning from the log axis
        svg = charts.figure_svg(fig)
    # both bars drawn to their printed number, the bound labelled as a bound, axis positive
    assert [p.get_width() for p in ax.patches] == [12, 30000]
    assert [t.get_text() for t in ax.texts if t.get_text()] == ["12", ">30,000"]
    low, high = ax.get_xlim()
    assert 0 < low < 12 and high > 30000
    assert svg.count("<path") >= 2


def test_timeline_labels_never_overlap():
    """Labels measured and stacked: same-year events and long labels in adjacent years."""
    fig, ax = plt.subplots(figsize=(7.0, 2.2))
    events = [(2017, "助力脱贫行动启动"), (2018, "张北对接会"), (2018, "中辉投资兴隆"),
              (2018, "津冀精准扶贫帮扶平台启动"), (2019, "大名扶贫济老机构调研"),
              (2020, "行动成果发布"), (2020, "河北结对通知")]  # fmt: skip
    charts.timeline(ax, highlight_year=2019, events=events)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == len(events)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    plt.close(fig)


def test_timeline_highlights_one_year_and_rejects_outside_years():
    fig, ax = plt.subplots()
    charts.timeline(ax, highlight_year=2019, events=EVENTS)
    labels = {t.get_text(): t.get_color() for t in ax.get_xticklabels()}
    assert list(labels) == [str(y) for y in range(2014, 2025)]
    assert labels["2019"] == charts.HIGHLIGHT and labels["2018"] != charts.HIGHLIGHT
    with pytest.raises(JJJError):
        charts.timeline(ax, events={2030: "x"})
    with pytest.raises(JJJError):
        charts.timeline(ax, highlight_year=2013)
