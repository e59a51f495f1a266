"""Back-test: the seed article's 28 statistics, cleaned end to end, equal the printed values.

The table below is the ground truth read off the page by hand — quote as printed, the value it
states (scale applied) and its qualifier — written out here, independently of figures.yml and
of helpers.clean.quantities.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers import paths
from helpers.clean import codebook, sources

# quote (as printed) → (value, qualifier)
PRINTED = {
    # ten-year headline figures (pull quote)
    "近30个": (30, "nearly"),
    "6300多家": (6_300, "more_than"),
    "5000多个": (5_000, "more_than"),
    "约21.88亿元": (2_188_000_000, "about"),
    "62个": (62, "exact"),
    "280多万人次": (2_800_000, "more_than"),
    "1000多家#foundations": (1_000, "more_than"),
    # 2024, at the meeting
    "144家": (144, "exact"),
    "184个": (184, "exact"),
    "9个": (9, "exact"),
    # Beijing Cihong Charity Foundation
    "280所": (280, "exact"),
    "3086个": (3_086, "exact"),
    "50余场": (50, "more_than"),
    "116877人": (116_877, "exact"),
    "800余万元": (8_000_000, "more_than"),
    # science and technology organizations, foundations
    "1000多家#tech": (1_000, "more_than"),
    "约有300家": (300, "about"),
    "600多个": (600, "more_than"),
    # Taikang Yicai Public Welfare Foundation
    "369家": (369, "exact"),
    "31个": (31, "exact"),
    "8万名": (80_000, "exact"),
    "39家": (39, "exact"),
    "22家": (22, "exact"),
    "超35000人次": (35_000, "over"),
    # Zhonghui (Tianjin) Energy Technology Group
    "1.4亿元": (140_000_000, "exact"),
    # industry associations and chambers
    "150多家": (150, "more_than"),
    "50多个": (50, "more_than"),
    # Xiong'an
    "六家": (6, "exact"),
}

# Mentions that are numbers on the page but not statistics; none may become a figure.
NOT_FIGURES = ("一家", "2014年2月", "4月19日", "2023年", "2021年", "2018年", "2017年", "2024年")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, codebook.CleanResult]:
    out = tmp_path_factory.mktemp("seed")
    return out, codebook.clean_full_text(sources.get(paths.SEED_SOURCE_ID), out_dir=out)


def test_exactly_the_printed_statistics(run):
    out, res = run
    figures = pd.read_csv(out / "figures.csv", dtype={"quote": str})
    assert len(figures) == 28
    got = sorted(zip(figures["quote"], figures["value"], figures["qualifier"], strict=True))
    want = sorted((q.split("#")[0], float(v), ql) for q, (v, ql) in PRINTED.items())
    assert got == want


def test_the_two_1000_duo_jia_are_told_apart(run):
    _, res = run
    by_id = res.figures.set_index("figure_id")
    assert by_id.loc["jjj_tech_orgs", "unit"] == "organizations"
    assert by_id.loc["jjj_foundations_active_3y", "unit"] == "foundations"


def test_no_excluded_or_non_statistic_in_figures(run):
    out, res = run
    quotes = set(pd.read_csv(out / "figures.csv", dtype=str)["quote"])
    assert not quotes & set(NOT_FIGURES)
    cands = res.candidates
    others = cands[~cands["status"].astype(str).str.startswith("in_codebook:")]
    assert not quotes & set(others["quote"]) - {"1000多家"}  # the only quote printed twice
    excluded = set(c["quote"] for c in codebook.load_codebook().get("excluded") or [])
    assert not quotes & excluded


def test_two_runs_are_byte_identical(run, tmp_path: Path):
    out, _ = run
    again = tmp_path / "again"
    codebook.clean_full_text(sources.get(paths.SEED_SOURCE_ID), out_dir=again)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name
