"""helpers.publish.conditions: the bools that choose a report's sentences, and their tags."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import year_view

from helpers import paths
from helpers.analyze import campaign_record
from helpers.errors import JJJError
from helpers.publish import conditions, named


def test_a_cell_is_kept_when_each_of_its_condition_tags_holds():
    values = {"has_events": True, "nat_range": False}
    assert conditions.holds(["lang-en"], values, "cell 1")  # no condition: always
    assert conditions.holds(["lang-en", "if-has_events"], values, "cell 1")
    assert not conditions.holds(["if-nat_range"], values, "cell 1")
    assert conditions.holds(["unless-nat_range", "description"], values, "cell 1")
    assert not conditions.holds(["if-has_events", "if-nat_range"], values, "cell 1")
    assert conditions.names(["lang-zh", "if-has_events", "unless-nat_range"]) == [
        "has_events", "nat_range"]  # fmt: skip


def test_a_condition_on_no_glued_bool_is_named_with_its_cell():
    with pytest.raises(JJJError, match="cell 4 `x`: condition 'if-nothing': no value 'nothing'"):
        conditions.holds(["if-nothing"], {}, "cell 4 `x`")
    with pytest.raises(JJJError, match="condition 'unless-year': not a bool"):
        conditions.holds(["unless-year"], {"year": "2019"}, "cell 4 `x`")


# ------------------------------------------------------------- computed from the real data

ROOT = Path(__file__).resolve().parents[1]
TITLES = ("lead_counties_exit", "lead_campaign_end", "lead_national_fall", "lead_event_counted",
          "lead_event_uncounted", "lead_none_covered", "lead_none_after_article",
          "lead_none_uncovered")  # fmt: skip


@pytest.fixture(scope="module")
def every_year(processed):
    ref = named.reference_date(processed)
    return {y: conditions.year_report(processed, year_view(processed, y, ref))
            for y in paths.REPORT_YEARS}  # fmt: skip


def test_each_year_has_one_title_and_exclusive_alternatives(every_year):
    for year, c in every_year.items():
        assert all(isinstance(v, bool) for v in c.values()), year
        assert [t for t in TITLES if c[t]] != [] and sum(c[t] for t in TITLES) == 1, year
        for group in (("one_key", "two_keys", "three_keys"),
                      ("one_alone", "two_alone", "three_alone"),
                      ("nat_single", "nat_range", "nat_near", "nat_missing")):  # fmt: skip
            assert sum(c[n] for n in group) <= 1, (year, group)
        assert c["nat_single_not_lead"] == (c["nat_single"] and not c["lead_national_fall"])
        assert c["in_campaign_not_lead"] == (c["in_campaign"] and not c["lead_campaign_end"])


def test_the_campaign_and_the_article_give_the_years_not_the_code(every_year, processed):
    campaign = [y for y, c in every_year.items() if c["in_campaign"]]
    assert campaign == list(campaign_record.campaign_years()) == [2017, 2018, 2019, 2020]
    source = processed.sources[paths.SEED_SOURCE_ID]
    assert source["date_published"] is None  # not printed: the meeting's year stands for it
    assert conditions.article_year(processed) == int(source["event_date"][:4]) == 2024
    printed = SimpleNamespace(
        sources={paths.SEED_SOURCE_ID: {**source, "date_published": "2025-01-03"}}
    )
    assert conditions.article_year(printed) == 2025


def test_a_year_without_event_or_figure_says_whether_it_is_after_the_article(
    processed, monkeypatch
):
    view = year_view(processed, 2025, named.reference_date(processed))
    monkeypatch.setattr(conditions, "lead", lambda data, v: {"kind": "none", "figure_id": None})
    assert conditions.year_report(processed, view)["lead_none_after_article"]
    monkeypatch.setattr(conditions, "article_year", lambda data: 2025)
    c = conditions.year_report(processed, view)
    assert c["lead_none_uncovered"] and not c["lead_none_after_article"]


def test_ten_year_conditions(processed):
    assert conditions.ten_year(processed) == {"consistent": True, "has_conflicts": True}


# ------------------------------------------------------------------------ in the notebooks


def _cells(name: str):
    import jupytext

    return jupytext.read(ROOT / "notebooks" / name).cells


@pytest.mark.parametrize(
    ("name", "computed"),
    [("03_year_report.py", "year_report"), ("02_ten_year_outcomes.py", "ten_year")],
)
def test_one_conditions_cell_lists_and_glues_every_condition_the_cells_use(
    name, computed, every_year, processed
):
    cells = _cells(name)
    glued = set(every_year[2019] if computed == "year_report" else conditions.ten_year(processed))
    tagged = [conditions.names(c.metadata.get("tags", [])) for c in cells]
    assert all(len(t) <= 1 for t in tagged)  # one condition a cell, nothing combined unseen
    assert {n for t in tagged for n in t} == glued  # every condition used, none unglued
    where = [c.source for c in cells if f"conditions.{computed}(" in c.source]
    assert len(where) == 1  # one cell glues them, and its comment lists each
    assert set(re.findall(r"^#\s+([a-z_]+)\s{2,}\S", where[0], re.M)) == glued


def test_the_values_are_glued_before_the_first_sentence():
    cells = _cells("03_year_report.py")
    first = next(i for i, c in enumerate(cells) if "lang-zh" in c.metadata.get("tags", []))
    assert [i for i, c in enumerate(cells) if "prose.glue(" in c.source][-1] < first


def test_no_year_is_typed_into_a_comparison_in_publish():
    """A condition (or any publish logic) compares years the data gives, never a typed one."""
    found = []
    for path in sorted((ROOT / "src" / "helpers" / "publish").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                for side in (node.left, *node.comparators):
                    if isinstance(side, ast.Constant) and type(side.value) is int:
                        if 1900 <= side.value <= 2100:
                            found.append(f"{path.name}:{node.lineno}: {side.value}")
    assert found == []
