"""helpers.publish.formatting: a value as each language writes it."""

import pytest

from helpers.errors import JJJError
from helpers.publish.formatting import Citation, Value, format_value, number

CPT = Citation(
    publisher={"zh": "公益时报", "en": "China Philanthropy Times"},
    title="十年来社会组织助力京津冀协同发展成效显著",
    note={"zh": "发布者为推断", "en": "publisher most likely"},
)
PROJECTS = Value(5367, "projects", unit_zh="个", quote="扶贫项目5367个", citation=CPT)
FUNDS = Value(2188000000, "yuan", "about", unit_zh="元", quote="约21.88亿元", citation=CPT)
ORGS = Value(6300, "organizations", "more_than", low=6300, unit_zh="家", quote="6300多家")


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (PROJECTS, "5367个", "5,367 projects"),
        (FUNDS, "约21.88亿元", "about 2.188 billion yuan"),  # printed precision kept
        (ORGS, "6300多家", "more than 6,300 organizations"),
        (Value(30, "fields", "nearly", unit_zh="个"), "近30个", "nearly 30 fields"),
        (Value(80000, "elders", unit_zh="名"), "8万名", "80,000 elders"),
        (Value(2800000, "person-times", "more_than", unit_zh="人次"), "280多万人次", None),
        (
            Value(9000000, "yuan", "more_than", unit_zh="元"),
            "900多万元",
            "more than 9 million yuan",
        ),
        (Value(1, "projects", unit_zh="个"), "1个", "1 project"),
        (Value(1, "person-times", unit_zh="人次"), "1人次", "1 person-time"),
        (Value(116877, "students", unit_zh="人"), "116877人", "116,877 students"),
        # Chinese statistics print whole hundreds from 10万 in 万: 89.13万个, 51.19万个.
        (Value(891300, "organizations", unit_zh="个"), "89.13万个", "891,300 organizations"),
        (Value(35000, "person-times", unit_zh="人次"), "35000人次", "35,000 person-times"),
        (Value(805190, "organizations", unit_zh="个"), "805190个", "805,190 organizations"),
    ],
)
def test_format_value_per_language(value, zh, en):
    assert format_value(value, "zh") == zh
    if en:
        assert format_value(value, "en") == en


def test_rounding_is_decimal_and_bounds_round_outward():
    # 0.78125 is exact in binary; float formatting rounds it half-to-even to 0.7812.
    assert number(0.78125, "en", sig=4) == "0.7813"
    assert number(0.78125, "en") == "0.7813"
    assert number(0.78125, "en", sig=2) == "0.78"
    upper = Value(437600, "yuan", "at_most_about", unit_zh="元", sig=2)
    assert format_value(upper, "en") == "at most about 440,000 yuan"
    assert format_value(upper, "zh") == "至多约44万元"
    rng = Value(88, "projects", "range", low=80.645, high=96.774, unit_zh="个", sig=2)
    assert format_value(rng, "en") == "between 80 and 97 projects"
    assert format_value(rng, "zh") == "80至97个"


def test_sig_digits_of_printed_figures():
    from helpers.analyze.outcomes import sig_digits

    assert [sig_digits(v) for v in (5000, 6300, 2188000000, 369, 80000)] == [1, 2, 4, 3, 1]


def test_unknown_qualifier_is_named():
    with pytest.raises(JJJError, match="unknown qualifier 'roughly'"):
        format_value(Value(1, qualifier="roughly"), "en")


def test_negative_numbers_keep_their_sign():
    """int("-0") is 0: the sign of a small negative number must not be lost when grouping."""
    assert number(-0.2695, "en", sig=3) == "-0.27"
    assert number(-5367, "en") == "-5,367"
    assert number(-0.5, "zh") == "-0.5"
