import pandas as pd

from helpers.publish import present


def test_table_escapes_source_text_and_translates_headers():
    df = pd.DataFrame({"quote": ["<script>alert(1)</script>约21.88亿元"], "value": [2.188e9]})
    out = present.table(df, {"quote": "col_quote", "value": "col_value"}, "en")
    assert "<script" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;约21.88亿元" in out
    assert "<th scope='col'>As printed</th>" in out


def test_value_and_bounds_text():
    row = {"qualifier": "more_than", "value": 6300.0, "unit": "organizations", "unit_zh": "家"}
    assert present.value_text(row, "en") == "more than 6,300 organizations"
    assert present.value_text(row, "zh") == "6300多家"
    assert present.bounds_text(6300.0, 6400.0, "en") == "6,300 – 6,400"
    assert present.bounds_text(35000.0, None, "en") == "≥ 35,000"
    assert present.bounds_text(None, 30.0, "en") == "≤ 30"
    assert present.bounds_text(None, None, "en") == "—"


def test_date_label_keeps_the_precision_of_the_span():
    assert present.date_label("2018-08-22", "2018-08-22") == "2018-08-22"
    assert present.date_label("2014-02-01", "2014-02-28") == "2014-02"
    assert present.date_label("2018-01-01", "2018-12-31") == "2018"
    assert present.date_label("2016-09-04", "2016-09-06") == "2016-09-04 → 2016-09-06"


def test_a_zh_period_shows_the_source_words_only_when_they_are_chinese():
    record = {"period_text": "2019 (去年)", "period_start": "2019-01-01"}
    record["period_end"] = "2019-12-31"
    assert present.period_text(record, "zh") == "2019-01 → 2019-12"
    assert present.period_text(record, "en") == "2019-01 → 2019-12 (“去年”, last year)"
    article = {**record, "period_text": "自2018年至今", "period_start": "2018-01-01",
               "period_end": "2024-04-30"}  # fmt: skip
    assert present.period_text(article, "zh") == "自2018年至今（2018-01 → 2024-04）"


def test_the_other_reading_of_recent_years_counts_the_articles_year_from_the_data():
    row = {"period_text": "近三年", "period_start": "2021-01-01", "period_end": "2023-12-31",
           "alt_period_start": "2022-01-01", "alt_period_end": "2030-05-01"}  # fmt: skip
    assert "若计入2030年，则为2022-01 → 2030-05" in present.period_text(row, "zh")
    assert "or 2022-01 → 2030-05, counting 2030" in present.period_text(row, "en")
