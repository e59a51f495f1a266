"""Chinese quantity parser: numerals, scale words, qualifiers and the bounds conventions."""

import pytest

from helpers.clean.quantities import Quantity, parse_number, parse_quantity
from helpers.clean.schema import QUALIFIERS
from helpers.errors import JJJError


@pytest.mark.parametrize(
    "text, value",
    [
        ("六", 6),
        ("十", 10),
        ("二十三", 23),
        ("两", 2),
        ("两千", 2000),
        ("一百二十", 120),
        ("一百二", 120),
        ("百", 100),
        ("一千零五十", 1050),
        ("三万五", 35000),
        ("十万", 100000),
        ("三亿", 300000000),
        ("三十五点五", 35.5),
        ("二〇二四", 2024),
        ("1.4亿", 140000000),
        ("3.2万", 32000),
        ("3.2萬", 32000),
        ("1.5億", 150000000),
        ("1.2万亿", 1.2e12),
        ("5千万", 50000000),
        ("1,234.5", 1234.5),
        ("１２３", 123),
        ("0", 0),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_scale_words_are_exact_not_float_noise():
    assert parse_number("21.88亿") == 2188000000.0
    assert parse_number("1.13亿") == 113000000.0
    assert parse_number("0.07万") == 700.0
    assert parse_quantity("约21.88亿元").value == 2188000000.0


@pytest.mark.parametrize(
    "text, value, low, high, qualifier, unit, number_text",
    [
        ("6300多家", 6300, 6300, 6400, "more_than", "家", "6300"),
        ("5000多个", 5000, 5000, 6000, "more_than", "个", "5000"),
        ("800余万元", 8e6, 8e6, 9e6, "more_than", "元", "800余万"),
        ("280多万人次", 2.8e6, 2.8e6, 2.9e6, "more_than", "人次", "280多万"),
        ("150多家", 150, 150, 160, "more_than", "家", "150"),
        ("50余场", 50, 50, 60, "more_than", "场", "50"),
        ("30余个", 30, 30, 40, "more_than", "个", "30"),
        ("100多余家", 100, 100, 200, "more_than", "家", "100"),
        ("十余家", 10, 10, 20, "more_than", "家", "十"),
        ("二十多个", 20, 20, 30, "more_than", "个", "二十"),
        ("八百余万元", 8e6, 8e6, 9e6, "more_than", "元", "八百余万"),
        ("3.5万多人", 35000, 35000, 36000, "more_than", "人", "3.5万"),
        ("约21.88亿元", 2188000000, None, None, "about", "元", "21.88亿"),
        ("约有300家", 300, None, None, "about", "家", "300"),
        ("大约5000人", 5000, None, None, "about", "人", "5000"),
        ("300家左右", 300, None, None, "about", "家", "300"),
        ("20个上下", 20, None, None, "about", "个", "20"),
        ("超35000人次", 35000, 35000, None, "over", "人次", "35000"),
        ("超过3.2万家", 32000, 32000, None, "over", "家", "3.2万"),
        ("4.46亿元以上", 4.46e8, 4.46e8, None, "at_least", "元", "4.46亿"),
        ("不少于40小时", 40, 40, None, "at_least", "小时", "40"),
        ("至少3所", 3, 3, None, "at_least", "所", "3"),
        ("近30个", 30, None, 30, "nearly", "个", "30"),
        ("将近5万人", 50000, None, 50000, "nearly", "人", "5万"),
        ("接近1000名", 1000, None, 1000, "nearly", "名", "1000"),
        ("六家", 6, 6, 6, "exact", "家", "六"),
        ("8万名", 80000, 80000, 80000, "exact", "名", "8万"),
        ("116877人", 116877, 116877, 116877, "exact", "人", "116877"),
        ("1.4亿元", 1.4e8, 1.4e8, 1.4e8, "exact", "元", "1.4亿"),
        ("3.2萬家", 32000, 32000, 32000, "exact", "家", "3.2万"),
        ("1.5億元", 1.5e8, 1.5e8, 1.5e8, "exact", "元", "1.5亿"),
        ("两千万元", 2e7, 2e7, 2e7, "exact", "元", "两千万"),
        ("1.13亿", 1.13e8, 1.13e8, 1.13e8, "exact", "", "1.13亿"),
    ],
)
def test_parse_quantity(text, value, low, high, qualifier, unit, number_text):
    q = parse_quantity(text)
    assert q == Quantity(value, low, high, qualifier, unit, number_text, False)
    assert q.qualifier in QUALIFIERS


def test_prefix_qualifier_wins_over_more_than():
    assert parse_quantity("约300多家").qualifier == "about"
    q = parse_quantity("超过300多家")
    assert (q.qualifier, q.low, q.high) == ("over", 300, None)


@pytest.mark.parametrize(
    "text, value, qualifier, low, high",
    [
        ("50%", 50, "exact", 50, 50),
        ("30.5%", 30.5, "exact", 30.5, 30.5),
        ("３０．５％", 30.5, "exact", 30.5, 30.5),
        ("百分之三十", 30, "exact", 30, 30),
        ("百分之三十五点五", 35.5, "exact", 35.5, 35.5),
        ("超过百分之六十", 60, "over", 60, None),
        ("百分之九十以上", 90, "at_least", 90, None),
        ("近50%", 50, "nearly", None, 50),
    ],
)
def test_percentages(text, value, qualifier, low, high):
    q = parse_quantity(text)
    assert (q.value, q.qualifier, q.low, q.high) == (value, qualifier, low, high)
    assert q.unit_zh == "%" and q.is_percent


def test_spaces_from_pdf_extraction_are_ignored():
    assert parse_quantity("1.5亿 元") == parse_quantity("1.5亿元")
    assert parse_quantity(" 3086个").value == 3086


@pytest.mark.parametrize(
    "bad", ["abc", "", "1..2万", "约", "多家", "1.2.3", "十十", "二〇万", "家300", "300家%"]
)
def test_malformed_quantities_raise_naming_the_input(bad):
    with pytest.raises(JJJError) as e:
        parse_quantity(bad)
    msg = str(e.value)
    assert repr(bad) in msg and "\n" not in msg


@pytest.mark.parametrize("bad", ["abc", "", "1..2万", "约", "300家", "万万"])
def test_malformed_numbers_raise_naming_the_input(bad):
    with pytest.raises(JJJError, match="not a number") as e:
        parse_number(bad)
    assert repr(bad) in str(e.value)


# --- traditional characters, full-width forms, ranges ------------------------------------------


def test_fold_keeps_length_and_clause_punctuation():
    from helpers.clean.quantities import fold

    text = "共６３００多家，２１．８８億元；約300個①"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "共6300多家，21.88亿元；约300个①"  # ， is never a thousands separator


@pytest.mark.parametrize(
    "text, value, low, high, qualifier, unit",
    [
        ("800餘萬元", 8e6, 8e6, 9e6, "more_than", "元"),
        ("約21.88億元", 2188000000, None, None, "about", "元"),
        ("三個", 3, 3, 3, "exact", "个"),
        ("超過3萬人", 30000, 30000, None, "over", "人"),
        ("６３００多家", 6300, 6300, 6400, "more_than", "家"),
        ("２１．８８亿元", 2188000000, 2188000000, 2188000000, "exact", "元"),
        ("116,877人", 116877, 116877, 116877, "exact", "人"),
        ("1,234,567元", 1234567, 1234567, 1234567, "exact", "元"),
    ],
)
def test_traditional_and_full_width(text, value, low, high, qualifier, unit):
    q = parse_quantity(text)
    assert (q.value, q.low, q.high, q.qualifier, q.unit_zh) == (value, low, high, qualifier, unit)


@pytest.mark.parametrize(
    "text, low, high, unit",
    [
        ("300至500家", 300, 500, "家"),
        ("300-500家", 300, 500, "家"),
        ("300—500家", 300, 500, "家"),
        ("300～500家", 300, 500, "家"),
        ("300到500家", 300, 500, "家"),
        ("三至五年", 3, 5, "年"),
        ("两到三個", 2, 3, "个"),
        ("300家至500家", 300, 500, "家"),
        ("300至500多家", 300, 600, "家"),
        ("1至2万元", 10_000, 20_000, "元"),
        ("1萬至2萬元", 10_000, 20_000, "元"),
        ("500至2万元", 500, 20_000, "元"),
        ("30%-50%", 30, 50, "%"),
        ("约300至500家", 300, 500, "家"),
        ("300至500人左右", 300, 500, "人"),
        ("二三十家", 20, 30, "家"),
        ("三四百人", 300, 400, "人"),
        ("七八个", 7, 8, "个"),
    ],
)
def test_ranges(text, low, high, unit):
    q = parse_quantity(text)
    assert (q.qualifier, q.value, q.low, q.high, q.unit_zh) == ("range", low, low, high, unit)
    assert q.qualifier in QUALIFIERS


@pytest.mark.parametrize("bad", ["500至300家", "300家至500个", "5万至3万元"])
def test_bad_ranges_raise(bad):
    with pytest.raises(JJJError) as e:
        parse_quantity(bad)
    assert repr(bad) in str(e.value)


@pytest.mark.parametrize(
    "text, value, qualifier, low, high",
    [
        ("三分之一", 1 / 3, "exact", 1 / 3, 1 / 3),
        ("约有三分之一", 1 / 3, "about", None, None),
        ("超过三分之二", 2 / 3, "over", 2 / 3, None),
        ("4分之3", 0.75, "exact", 0.75, 0.75),
    ],
)
def test_fractions(text, value, qualifier, low, high):
    q = parse_quantity(text)
    assert (q.value, q.qualifier, q.low, q.high, q.unit_zh) == (value, qualifier, low, high, "分之")


def test_the_traditional_map_covers_only_the_extractors_vocabulary():
    """Every simplified character the map folds to occurs in a pattern, unit or word list of
    the extractor or the parser: the map folds vocabulary, not running text."""
    import re as _re

    from helpers.clean import extract, extract_dates, quantities

    words: list[str] = list(extract.UNITS) + list(extract.COUNT_CUES)
    words += [p for p, _ in extract.LEXICON]
    for mod in (extract, extract_dates, quantities):
        for name, v in vars(mod).items():
            if name.startswith("__") or name == "_TRAD_SIMP_PAIRS":
                continue
            if isinstance(v, _re.Pattern):
                words.append(v.pattern)
            elif isinstance(v, str):
                words.append(v)
            elif isinstance(v, dict):
                words += [k for k in v if isinstance(k, str)]
    vocabulary = "".join(words)
    # 與 ('and') is folded too: it joins counts (12個街道與42家), named in issue #13's list.
    outside = {t: s for t, s in quantities.TRAD_TO_SIMP.items() if s not in vocabulary}
    assert outside == {"與": "与"}
    assert all(len(t) == len(s) == 1 for t, s in quantities.TRAD_TO_SIMP.items())
