"""Issue #23: every sentence true for every year it is printed in. One test per defect, on the
real sources cleaned into a temporary folder (conftest's `processed`); docs/defect-tests.md
says how each was seen failing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import cells, year_view

from helpers.publish import i18n, named, prose, sections

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SEED = sections.SEED


@pytest.fixture(scope="module")
def data(processed):
    return processed


@pytest.fixture(scope="module")
def ref(data):
    return named.reference_date(data)


def prose_cells(name: str, lang: str) -> list[str]:
    """The prose cells of a py:percent notebook in one language, in reading order."""
    out = []
    for chunk in (NOTEBOOKS / name).read_text(encoding="utf-8").split("\n# %%")[1:]:
        head, _, body = chunk.partition("\n")
        if f'"lang-{lang}"' in head:
            out.append("\n".join(line.removeprefix("# ").removeprefix("#") for line in
                                 body.splitlines()))  # fmt: skip
    return out


# ------------------------------------------------------------------------ attribution 28/28

# What the article prints before each figure; who, when it names someone.
ATTRIBUTED = {
    **dict.fromkeys(
        [
            "jjj_cooperation_fields",
            "jjj_orgs_in_hebei_poverty_relief",
            "jjj_projects_in_hebei_poverty_relief",
            "jjj_funds_in_hebei_poverty_relief",
            "jjj_counties_in_hebei_poverty_relief",
            "jjj_beneficiaries_in_hebei_poverty_relief",
            "jjj_foundations_active_3y",
        ],
        "会上透露了上述数据",
    ),
    **dict.fromkeys(
        [
            "jjj_orgs_planning_projects_2024",
            "jjj_project_intentions_2024",
            "jjj_projects_signed_2024_04_19",
        ],
        "据了解",
    ),
    "zhonghui_investment_xinglong": "据介绍",
    **dict.fromkeys(
        ["jjj_tech_orgs", "jjj_foundations_research_3y", "jjj_foundation_research_projects_3y"],
        "据记者了解",
    ),
    **dict.fromkeys(
        ["cihong_schools", "cihong_book_corners", "cihong_teacher_trainings", "cihong_students",
         "cihong_funds"],
        "据北京慈弘慈善基金会理事长赵静介绍",
    ),  # fmt: skip
    "xiongan_national_orgs_settled": "河北省民政厅党组成员、副厅长张晓妍谈道",
}
# How prose names each attribution: (zh, en) words it must hold where it uses the figure.
SAID_IN_PROSE = {
    "会上透露了上述数据": ("会上透露", "会上透露了上述数据"),
    "据了解": ("据了解", "据了解"),
    "据介绍": ("据介绍", "据介绍"),
    "据记者了解": ("据记者了解", "as the reporter learned"),
    "据北京慈弘慈善基金会理事长赵静介绍": ("赵静", "Zhao Jing"),
    "河北省民政厅党组成员、副厅长张晓妍谈道": ("张晓妍", "Zhang Xiaoyan"),
}


def test_every_article_figure_keeps_who_said_it(data):
    seed = data.figures[data.figures["source_id"] == SEED].set_index("figure_id")
    assert len(seed) == 28
    given = {fid: a for fid, a in seed["attribution"].items() if isinstance(a, str) and a}
    assert given == {f"{SEED}/{k}" if "/" in next(iter(given)) else k: v
                     for k, v in ATTRIBUTED.items()}  # fmt: skip
    for lang in ("zh", "en"):
        rows = sections.figure_rows(seed.reset_index(), lang)
        assert rows["said_by"].map(bool).all(), lang  # 28/28: the reporter where none is named
        for fid, who in ATTRIBUTED.items():
            said = rows.loc[rows["figure_id"].str.endswith(fid), "said_by"].iloc[0]
            assert said == i18n.attribution(who, lang)
            if lang == "en":
                assert i18n.ATTRIBUTIONS_EN[who] in said  # glossed, never bare Chinese


def test_every_note_of_an_attributed_figure_carries_it(data):
    values = named.figures(data)
    for fid, who in ATTRIBUTED.items():
        v = values[f"fig.{fid}"]
        assert who in prose.note_html(v, "zh")
        assert i18n.ATTRIBUTIONS_EN[who] in prose.note_html(v, "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_prose_first_using_a_figure_says_who_gave_it(lang):
    cells_ = prose_cells("02_ten_year_outcomes.py", lang)
    for fid, who in ATTRIBUTED.items():
        first = next((c for c in cells_ if f"fig.{fid} " in c or f"fig.{fid}}}" in c), None)
        if first is None:
            continue  # the prose does not use it: its table row and note say who
        words = SAID_IN_PROSE[who][0 if lang == "zh" else 1]
        assert words.lower() in first.lower(), (fid, first[:120])


def test_the_2024_main_point_says_as_is_understood(data, ref):
    v = named.year_values(data, year_view(data, 2024, ref))
    assert v["alone_zh"] == "144家、184个、9个（据了解）"
    assert v["alone_en"].endswith("(as is understood, no speaker named (据了解))")
