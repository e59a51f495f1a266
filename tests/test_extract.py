"""Candidate extraction: the seed article, unseen fixtures, rules, and the command line."""

import datetime as dt
import re
from dataclasses import fields
from pathlib import Path

import pytest

from helpers import paths
from helpers.clean.extract import KINDS, Candidate, extract, to_frame
from helpers.clean.quantities import CN_NUMERAL_CHARS
from helpers.clean.schema import QUALIFIERS

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
SEED = paths.RAW / "cpt-2024-04-jjj-ten-years.txt"
REF = dt.date(2024, 4, 19)


def join(raw: str) -> str:
    """Undo the PDF line breaks: drop whitespace unless it separates two Latin letters."""
    return re.sub(r"(?<![A-Za-z])\s+|\s+(?![A-Za-z])", "", raw)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return join(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed(seed_text) -> list[Candidate]:
    return extract(seed_text, reference_date=REF)


def by_quote(cands, quote):
    return [c for c in cands if c.quote == quote]


def check_invariants(text: str, cands: list[Candidate]) -> None:
    """Quotes are the text at [start:end]; no overlaps; every numeral covered exactly once."""
    assert cands == sorted(cands, key=lambda c: c.start)
    for c in cands:
        assert text[c.start : c.end] == c.quote
        assert c.kind in KINDS
        if c.kind == "statistic":
            assert c.reason == "" and c.value is not None
            assert c.qualifier in QUALIFIERS
            # A statistic states a number: never a scale word or a unit alone (万元, 亿元, 家).
            assert re.search(r"[0-9０-９〇零一二两兩三四五六七八九十]", c.quote), c.quote
        else:
            assert c.kind == "statistic" or c.reason
    for a, b in zip(cands, cands[1:], strict=False):
        assert a.end <= b.start, (a.quote, b.quote)
    covered = [0] * len(text)
    for c in cands:
        for i in range(c.start, c.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        if ch.isdigit() or ch in CN_NUMERAL_CHARS:
            assert covered[i] == 1, (ch, text[max(0, i - 10) : i + 10])


# (quote, value, low, high, qualifier, unit) in reading order of the joined article.
SEED_STATISTICS = [
    ("280所", 280, 280, 280, "exact", "所"),
    ("3086个", 3086, 3086, 3086, "exact", "个"),
    ("50余场", 50, 50, 60, "more_than", "场"),
    ("116877人", 116877, 116877, 116877, "exact", "人"),
    ("800余万元", 8_000_000, 8_000_000, 9_000_000, "more_than", "元"),
    ("1000多家", 1000, 1000, 2000, "more_than", "家"),
    ("约有300家", 300, None, None, "about", "家"),
    ("600多个", 600, 600, 700, "more_than", "个"),
    ("369家", 369, 369, 369, "exact", "家"),
    ("31个", 31, 31, 31, "exact", "个"),
    ("8万名", 80_000, 80_000, 80_000, "exact", "名"),
    ("39家", 39, 39, 39, "exact", "家"),
    ("22家", 22, 22, 22, "exact", "家"),
    ("超35000人次", 35000, 35000, None, "over", "人次"),
    ("1.4亿元", 140_000_000, 140_000_000, 140_000_000, "exact", "元"),
    ("150多家", 150, 150, 160, "more_than", "家"),
    ("50多个", 50, 50, 60, "more_than", "个"),
    ("六家", 6, 6, 6, "exact", "家"),
    ("144家", 144, 144, 144, "exact", "家"),
    ("184个", 184, 184, 184, "exact", "个"),
    ("9个", 9, 9, 9, "exact", "个"),
    ("近30个", 30, None, 30, "nearly", "个"),
    ("6300多家", 6300, 6300, 6400, "more_than", "家"),
    ("5000多个", 5000, 5000, 6000, "more_than", "个"),
    ("约21.88亿元", 2_188_000_000, None, None, "about", "元"),
    ("62个", 62, 62, 62, "exact", "个"),
    ("280多万人次", 2_800_000, 2_800_000, 2_900_000, "more_than", "人次"),
    ("1000多家", 1000, 1000, 2000, "more_than", "家"),
]


def test_seed_statistics_are_the_28_figures(seed):
    stats = [c for c in seed if c.kind == "statistic"]
    got = [(c.quote, c.value, c.value_low, c.value_high, c.qualifier, c.unit_zh) for c in stats]
    assert got == SEED_STATISTICS
    assert not any(c.ambiguous for c in stats)


def test_seed_statistic_context_tells_the_two_1000_apart(seed):
    thousands = by_quote(seed, "1000多家")
    assert "科技类社会组织" in thousands[0].context
    assert "基金会" in thousands[1].context


@pytest.mark.parametrize(
    "quote",
    [
        "一家",
        "三地",
        "一是",
        "二是",
        "三是",
        "两个关键",
        "北三县",
        "五位一体",
        "一院多能",
        "一盘棋",
        "一体化",
        "百家社会组织雄安行",
        "之一",
        "一级",
        "三省市",
        "一个",
        "一批",
        "一系列",
        "一环",
        "一线",
        "新一轮",
        "下一步",
    ],
)
def test_seed_non_statistics(seed, quote):
    hits = by_quote(seed, quote)
    assert hits, quote
    assert all(c.kind == "not_statistic" and c.reason for c in hits)


def test_seed_invariants(seed_text, seed):
    check_invariants(seed_text, seed)
    counts = {k: sum(c.kind == k for c in seed) for k in KINDS}
    assert counts["statistic"] == 28
    assert counts["date"] >= 6 and counts["period"] >= 8


def test_seed_dates(seed):
    def one(q):
        (c,) = by_quote(seed, q)
        return c

    for q, start, end in (("2014年2月", "2014-02-01", "2014-02-28"),
                          ("4月19日", "2024-04-19", "2024-04-19")):  # fmt: skip
        c = one(q)
        assert (c.kind, c.period_start, c.period_end, c.ambiguous) == ("date", start, end, False)
    c = one("截至2023年年底")
    assert (c.kind, c.period_start, c.period_end) == ("date", "2023-12-31", "2023-12-31")
    assert "as-of" in c.reason
    for q in ("2020年", "2024年", "2021年"):
        c = one(q)
        assert (c.kind, c.period_start[:4], c.period_end[5:]) == ("date", q[:4], "12-31")


@pytest.mark.parametrize(
    "quote, start",
    [
        ("自2018年至今", "2018-01-01"),
        ("自2021年以来", "2021-01-01"),
        ("自2017年开始", "2017-01-01"),
    ],
)
def test_seed_periods_since(seed, quote, start):
    (c,) = by_quote(seed, quote)
    assert (c.kind, c.period_start, c.period_end, c.ambiguous) == (
        "period",
        start,
        "2024-04-19",
        False,
    )


def test_seed_relative_periods_are_ambiguous(seed):
    for quote, first, alt in (
        ("近三年来", 2021, 2022),
        ("近三年", 2021, 2022),
        ("近两年来", 2022, 2023),
    ):
        (c,) = by_quote(seed, quote)
        assert c.kind == "period" and c.ambiguous
        assert (c.period_start, c.period_end) == (f"{first}-01-01", "2023-12-31")
        assert f"{first}–2023" in c.reason and f"{alt}–2024" in c.reason
    for c in by_quote(seed, "十年来"):
        assert (c.kind, c.period_start, c.period_end, c.ambiguous) == (
            "period",
            "2014-01-01",
            "2024-04-19",
            False,
        )
    vague = by_quote(seed, "近年来")
    assert len(vague) == 2 and all(c.kind == "period" and c.ambiguous for c in vague)


def test_without_reference_date_relative_dates_are_ambiguous(seed_text):
    cands = extract(seed_text)
    (c,) = by_quote(cands, "4月19日")
    assert c.kind == "date" and c.ambiguous and c.period_start is None
    (c,) = by_quote(cands, "近三年来")
    assert c.kind == "period" and c.ambiguous and c.period_start is None
    (c,) = by_quote(cands, "2014年2月")
    assert not c.ambiguous
    assert [c.quote for c in cands if c.kind == "statistic"] == [s[0] for s in SEED_STATISTICS]


# --- unseen texts -----------------------------------------------------------------------------

FIXTURE_EXPECTED = {
    "charity-annual-report.txt": [
        ("2023年12月28日", "date", None, None),
        ("1.5億元", "statistic", 150_000_000, "exact"),
        ("上年", "date", None, None),  # 较上年: the year before the reference date
        ("12.5%", "statistic", 12.5, "exact"),
        ("超过百分之六十", "statistic", 60, "over"),
        ("截至2023年年底", "date", None, None),
        ("3.2萬家", "statistic", 32_000, "exact"),
        ("五年前", "date", None, None),
        ("近一倍", "statistic", 1, "nearly"),
        ("二十多家", "statistic", 20, "more_than"),
        ("5A", "not_statistic", None, None),
        ("一家", "not_statistic", None, None),
        ("近五年来", "period", None, None),
        ("六千余个", "statistic", 6000, "more_than"),
        ("约12万人次", "statistic", 120_000, "about"),
        ("超过3万名", "statistic", 30_000, "over"),
        ("两千万元", "statistic", 20_000_000, "exact"),
        ("1200家以上", "statistic", 1200, "at_least"),
        ("约有三分之一", "statistic", 1 / 3, "about"),  # the qualifier word belongs to it
        ("下一步", "not_statistic", None, None),
        ("一站式", "not_statistic", None, None),
        ("第三届", "not_statistic", None, None),
        ("千村万户", "not_statistic", None, None),
        ("两家", "statistic", 2, "exact"),
        ("一批", "not_statistic", None, None),
    ],
    "city-reading-program.txt": [
        ("十四五", "not_statistic", None, None),
        ("400余所", "statistic", 400, "more_than"),
        ("2000多场", "statistic", 2000, "more_than"),
        ("将近5万人", "statistic", 50_000, "nearly"),
        ("一家", "statistic", 1, "exact"),
        ("8000人次", "statistic", 8000, "exact"),
        ("一级", "not_statistic", None, None),
        ("一是", "not_statistic", None, None),
        ("二是", "not_statistic", None, None),
        ("下一步", "not_statistic", None, None),
        ("一批", "not_statistic", None, None),
        ("2025年底", "date", None, None),
        ("百分之九十以上", "statistic", 90, "at_least"),
        ("2019年至2023年", "period", None, None),
        ("30.5%", "statistic", 30.5, "exact"),
        ("近两年", "period", None, None),
        ("300名左右", "statistic", 300, "about"),
        ("自2022年3月起", "period", None, None),
        ("不少于40小时", "statistic", 40, "at_least"),
        ("超1.2万小时", "statistic", 12_000, "over"),
    ],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_EXPECTED))
def test_unseen_fixtures(name):
    text = join((FIXTURES / name).read_text(encoding="utf-8"))
    cands = extract(text, reference_date=dt.date(2024, 3, 1))
    check_invariants(text, cands)
    got = [(c.quote, c.kind, c.value, c.qualifier) for c in cands]
    assert got == FIXTURE_EXPECTED[name]


def test_fixture_dates_and_bounds():
    text = join((FIXTURES / "city-reading-program.txt").read_text(encoding="utf-8"))
    cands = {c.quote: c for c in extract(text, reference_date=dt.date(2024, 3, 1))}
    assert cands["一家"].ambiguous  # 仅一家: a count, but 一家 is usually an article
    assert (cands["2025年底"].period_start, cands["2025年底"].period_end) == (
        "2025-12-31",
        "2025-12-31",
    )
    assert (cands["2019年至2023年"].period_start, cands["2019年至2023年"].period_end) == (
        "2019-01-01",
        "2023-12-31",
    )
    assert cands["自2022年3月起"].period_start == "2022-03-01"
    assert cands["百分之九十以上"].unit_zh == "%"
    assert (cands["400余所"].value_low, cands["400余所"].value_high) == (400, 500)


@pytest.mark.parametrize(
    "text, quote, kind",
    [
        ("作为一家以养老为主的社会组织", "一家", "not_statistic"),
        ("全市仅有一家三甲医院", "一家", "statistic"),
        ("推进5G网络建设", "5G", "not_statistic"),
        ("东三省的社会组织", "东三省", "not_statistic"),
        ("中美两国签署协议", "两国", "not_statistic"),
        ("开展了一系列活动", "一系列", "not_statistic"),
        ("十分重要", "十分", "not_statistic"),
        ("几十家企业参与", "几十", "not_statistic"),
        ("第一批试点单位", "第一批", "not_statistic"),
        ("上世纪90年代以来", "90年代", "not_statistic"),
        ("建设 3086个班级", "3086个", "statistic"),
        ("增长了3个百分点", "3个百分点", "statistic"),
        ("共有二十三家", "二十三家", "statistic"),
        ("帮扶1200户", "1200户", "statistic"),
        ("编号12345", "12345", "not_statistic"),
    ],
)
def test_generic_rules(text, quote, kind):
    cands = extract(text, reference_date=REF)
    check_invariants(text, cands)
    hits = by_quote(cands, quote)
    assert [c.kind for c in hits] == [kind], cands


def test_a_four_digit_year_is_never_a_statistic():
    cands = extract("1998年成立，2000年以后发展", reference_date=REF)
    assert [c.kind for c in cands] == ["date", "date"]


# --- traditional script, full-width forms, ranges, relative years --------------------------------


@pytest.mark.parametrize(
    "text, quote, value, low, high, qualifier, unit",
    [
        ("共募集800餘萬元善款", "800餘萬元", 8e6, 8e6, 9e6, "more_than", "元"),
        ("成立了12個服務站", "12個", 12, 12, 12, "exact", "个"),
        ("資金約21.88億元", "約21.88億元", 2.188e9, None, None, "about", "元"),
        ("登記６３００多家社會組織", "６３００多家", 6300, 6300, 6400, "more_than", "家"),
        ("涉及２１．８８亿元", "２１．８８亿元", 2.188e9, 2.188e9, 2.188e9, "exact", "元"),
        ("惠及116,877人", "116,877人", 116877, 116877, 116877, "exact", "人"),
        ("覆盖300至500家机构", "300至500家", 300, 300, 500, "range", "家"),
        ("覆盖300-500家机构", "300-500家", 300, 300, 500, "range", "家"),
        ("投入1至2萬元", "1至2萬元", 1e4, 1e4, 2e4, "range", "元"),
        ("約有三百至五百家", "約有三百至五百家", 300, 300, 500, "range", "家"),
    ],
)
def test_one_candidate_per_quantity_expression(text, quote, value, low, high, qualifier, unit):
    cands = extract(text, reference_date=REF)
    check_invariants(text, cands)
    stats = [c for c in cands if c.kind == "statistic"]
    assert [
        (c.quote, c.value, c.value_low, c.value_high, c.qualifier, c.unit_zh) for c in stats
    ] == [(quote, value, low, high, qualifier, unit)]


@pytest.mark.parametrize("text", ["單位：萬元", "单位：亿元", "金额（万元）", "千万家庭", "家"])
def test_a_scale_word_or_unit_alone_is_never_a_statistic(text):
    cands = extract(text, reference_date=REF)
    check_invariants(text, cands)
    assert all(c.kind == "not_statistic" for c in cands), cands


@pytest.mark.parametrize(
    "text, quote, kind, start, end",
    [
        ("1-6月，全市新增", "1-6月", "period", "2024-01-01", "2024-06-30"),
        ("2023年1至9月份", "2023年1至9月份", "period", "2023-01-01", "2023-09-30"),
        ("获得第1-3名", "第1-3名", "not_statistic", None, None),
        ("第一至三批试点", "第一至三批", "not_statistic", None, None),
    ],
)
def test_month_and_ordinal_ranges_are_not_statistics(text, quote, kind, start, end):
    cands = extract(text, reference_date=REF)
    check_invariants(text, cands)
    assert [(c.quote, c.kind, c.period_start, c.period_end) for c in cands] == [
        (quote, kind, start, end)
    ]


def test_a_duration_range_is_a_period_with_bounds():
    (c,) = extract("用三至五年时间", reference_date=REF)
    assert (c.quote, c.kind, c.value_low, c.value_high, c.qualifier, c.unit_zh) == (
        "三至五年",
        "period",
        3,
        5,
        "range",
        "年",
    )
    assert c.ambiguous and "duration" in c.reason


@pytest.mark.parametrize(
    "text, quote, kind, start, end, ambiguous",
    [
        ("今年上半年新增", "今年上半年", "date", "2024-01-01", "2024-06-30", False),
        ("去年年底达到", "去年年底", "date", "2023-12-31", "2023-12-31", False),
        ("前年成立", "前年", "date", "2022-01-01", "2022-12-31", False),
        ("較去年增長", "去年", "date", "2023-01-01", "2023-12-31", False),
        ("比上年增长", "上年", "date", "2023-01-01", "2023-12-31", False),
        ("今年以来", "今年以来", "period", "2024-01-01", "2024-04-19", False),
        ("截至去年年底", "截至去年年底", "date", "2023-12-31", "2023-12-31", False),
        ("去年12月", "去年12月", "date", "2023-12-01", "2023-12-31", False),
        ("今年一季度", "今年一季度", "date", "2024-01-01", "2024-03-31", False),
        # No year word: the reference date's year, flagged (the text may mean another year).
        ("上半年，全市新增", "上半年", "date", "2024-01-01", "2024-06-30", True),
        ("力争年底前完成", "年底", "date", "2024-12-31", "2024-12-31", True),
        ("去年同期", "去年同期", "date", "2023-01-01", "2023-12-31", True),
    ],
)
def test_relative_years_resolved_against_the_reference_date(
    text, quote, kind, start, end, ambiguous
):
    cands = extract(text, reference_date=REF)
    check_invariants(text, cands)
    (c,) = by_quote(cands, quote)
    assert (c.kind, c.period_start, c.period_end, c.ambiguous) == (kind, start, end, ambiguous)


@pytest.mark.parametrize("text", ["今年上半年", "去年年底", "前年", "上半年", "年底", "今年以来"])
def test_relative_years_without_a_reference_date_are_ambiguous(text):
    (c,) = extract(text)
    assert c.quote == text and c.ambiguous and c.period_start is None and c.period_end is None


@pytest.mark.parametrize("text", ["以上年龄段", "成本年度", "提前年底完成", "目前年均"])
def test_words_that_only_contain_a_relative_year(text):
    assert not any(c.kind == "date" and "年" in c.quote for c in extract(text, reference_date=REF))


# Fixtures in the seed's broken layout, one per script, holding every form of issue #13; read
# through reflow as `jjj-report extract` reads a file. Reference date 2024-07-15.
# (quote, kind, value, low, high, qualifier, unit, period_start, period_end, ambiguous)
BROKEN_FIXTURES = {
    "republished-charity-page.txt": [  # traditional script, full-width digits
        ("今年上半年", "date", None, None, None, None, "", "2024-01-01", "2024-06-30", False),
        ("８００餘萬元", "statistic", 8e6, 8e6, 9e6, "more_than", "元", None, None, False),
        ("１．５億元", "statistic", 1.5e8, 1.5e8, 1.5e8, "exact", "元", None, None, False),
        ("去年同期", "date", None, None, None, None, "", "2023-01-01", "2023-12-31", True),
        ("約３０％", "statistic", 30, None, None, "about", "%", None, None, False),
        ("截至去年年底", "date", None, None, None, None, "", "2023-12-31", "2023-12-31", False),
        ("3,200個", "statistic", 3200, 3200, 3200, "exact", "个", None, None, False),
        ("前年", "date", None, None, None, None, "", "2022-01-01", "2022-12-31", False),
        ("300至500個", "statistic", 300, 300, 500, "range", "个", None, None, False),
        ("約有1.2萬個", "statistic", 12000, None, None, "about", "个", None, None, False),
        ("3000餘名", "statistic", 3000, 3000, 4000, "more_than", "名", None, None, False),
        ("三至五年", "period", 3, 3, 5, "range", "年", None, None, True),
        ("100-200家", "statistic", 100, 100, 200, "range", "家", None, None, False),
        ("年底", "date", None, None, None, None, "", "2024-12-31", "2024-12-31", True),
        ("超過116,877人次", "statistic", 116877, 116877, None, "over", "人次", None, None, False),
    ],
    "district-volunteer-report.txt": [  # simplified script
        ("今年上半年", "date", None, None, None, None, "", "2024-01-01", "2024-06-30", False),
        ("截至去年年底", "date", None, None, None, None, "", "2023-12-31", "2023-12-31", False),
        ("６３００多家", "statistic", 6300, 6300, 6400, "more_than", "家", None, None, False),
        ("前年", "date", None, None, None, None, "", "2022-01-01", "2022-12-31", False),
        ("300至500家", "statistic", 300, 300, 500, "range", "家", None, None, False),
        ("116,877人", "statistic", 116877, 116877, 116877, "exact", "人", None, None, False),
        ("约２１．８８万小时", "statistic", 218800, None, None, "about", "小时", None, None, False),
        ("今年以来", "period", None, None, None, None, "", "2024-01-01", "2024-07-15", False),
        (
            "２１．８８亿元",
            "statistic",
            2.188e9,
            2.188e9,
            2.188e9,
            "exact",
            "元",
            None,
            None,
            False,
        ),
        ("800余万元", "statistic", 8e6, 8e6, 9e6, "more_than", "元", None, None, False),
        ("下一步", "not_statistic", None, None, None, None, "", None, None, False),
        ("三至五年", "period", 3, 3, 5, "range", "年", None, None, True),
        ("300-500家", "statistic", 300, 300, 500, "range", "家", None, None, False),
        ("年底", "date", None, None, None, None, "", "2024-12-31", "2024-12-31", True),
        ("去年", "date", None, None, None, None, "", "2023-01-01", "2023-12-31", False),
        ("12个", "statistic", 12, 12, 12, "exact", "个", None, None, False),
        ("42家", "statistic", 42, 42, 42, "exact", "家", None, None, False),
    ],
}


@pytest.mark.parametrize("name", sorted(BROKEN_FIXTURES))
def test_broken_layout_fixtures_every_form_once(name):
    from helpers.clean import reflow

    raw = (FIXTURES / name).read_text(encoding="utf-8")
    assert max(len(line) for line in raw.splitlines()) <= 20  # broken every few characters
    text = reflow.plain_text(raw)
    cands = extract(text, reference_date=dt.date(2024, 7, 15))
    check_invariants(text, cands)
    got = [
        (c.quote, c.kind, c.value, c.value_low, c.value_high, c.qualifier, c.unit_zh)
        + (c.period_start, c.period_end, c.ambiguous)
        for c in cands
    ]
    assert got == BROKEN_FIXTURES[name]


# --- frame --------------------------------------------------------------------------------------


def test_to_frame_columns(seed):
    df = to_frame(seed)
    assert list(df.columns) == [f.name for f in fields(Candidate)]
    assert len(df) == len(seed)
    assert (df["kind"] == "statistic").sum() == 28
    assert list(to_frame([]).columns) == list(df.columns)
