"""publish.named: the values a year's title and main points name (what leads: conditions)."""

import pytest
from conftest import year_view

from helpers.analyze import years
from helpers.publish import conditions, formatting, named


def test_an_events_text_as_a_title_says_it():
    fair = "first Beijing-Tianjin-Hebei charity fair (to 09-06)"
    assert named.title_text(fair, "en") == "First Beijing–Tianjin–Hebei charity fair"
    fair_zh = "首届京津冀慈善博览会举办（至9月6日）"
    assert named.title_text(fair_zh, "zh") == "首届京津冀慈善博览会举办"
    assert named.title_text("会议举行；签署倡议书", "zh") == "会议举行"


def _view(data, year):
    return year_view(data, year, named.reference_date(data))


def _values(data, year):
    return named.lead_values(data, _view(data, year))


@pytest.mark.parametrize(
    "year, kind",
    [
        (2016, "event"),
        (2019, "counties_exit"),
        (2020, "campaign_end"),
        (2022, "national_fall"),
        (2023, "none"),
        (2025, "event"),  # the first joint policy and the Xiong'an visit (record v3)
    ],  # fmt: skip
)
def test_one_lead_holds_per_year(processed, year, kind):
    assert conditions.lead(processed, _view(processed, year))["kind"] == kind


def test_the_2016_title_and_main_points_name_the_fair_and_its_figures(processed):
    v = _values(processed, 2016)
    assert v["lead_event_zh"] == "首届京津冀慈善博览会举办"
    assert formatting.format_value(v["lead_figure"], "en") == "150 organizations"
    assert formatting.format_value(v["key_1"], "zh") == "150家"
    assert v["key_1_what_zh"].endswith("慈善组织")
    assert formatting.format_value(v["key_2"], "en") == "over 32,000 organizations"
    assert "key_2" in v and "key_3" not in v
    assert conditions.year_report(processed, _view(processed, 2016))["two_keys"]


def test_the_2019_lead_counts_the_campaign_year(processed):
    v = _values(processed, 2019)
    assert (v["camp_ordinal_en"], v["camp_ordinal_zh"]) == ("second", "第二")
    assert [formatting.format_value(v[f"key_{i}"], "en") for i in (1, 2, 3)] == [
        "3,150 organizations", "2,393 projects", "573 million yuan"]  # fmt: skip


def test_exactly_one_title_cell_is_kept_per_year_and_language(processed):
    """The year notebook's H1 cells, under each year's conditions: one per language."""
    import jupytext

    from helpers import paths

    book = jupytext.read(paths.ROOT / "notebooks/03_year_report.py")
    titles = [c for c in book.cells if c.cell_type == "markdown" and c.source.startswith("# ")]
    for year in paths.REPORT_YEARS:
        view = years.view(processed.figures, processed.events, processed.citations, year)
        flags = conditions.year_report(processed, view)
        for lang in ("zh", "en"):
            kept = [c for c in titles if f"lang-{lang}" in c.metadata["tags"] and all(
                flags[t.split("-", 1)[1]] == t.startswith("if-")
                for t in c.metadata["tags"] if t.startswith(("if-", "unless-")))]  # fmt: skip
            assert len(kept) == 1, (year, lang, [c.source for c in kept])
