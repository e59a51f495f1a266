"""Our Chinese texts of the public record (data/raw/record-zh.yml, helpers.clean.record_zh)."""

import re
import shutil

import pytest
import record_data

from helpers.clean import record, record_zh, sources
from helpers.errors import JJJError

real = pytest.fixture(scope="module", name="real")(record_data.load_real)
LATIN = re.compile(r"[A-Za-z]{2,}")


def test_every_record_figure_event_and_page_has_chinese_text(real):
    assert real.events["text_zh"].map(bool).all()
    assert real.citations["publisher_zh"].map(bool).all()
    rows = [*real.events["text_zh"], *real.figures["subject_zh"], *real.citations["publisher_zh"]]
    assert [t for t in rows if LATIN.search(t)] == []
    ev = real.events.set_index("event_id")
    assert ev.loc["cpt-2016-09-20/e01", "text_zh"] == "首届京津冀慈善博览会举办（至9月6日）"
    cit = real.citations.set_index("source_id")
    assert cit.loc["hebei-2019-annual", "date_published_text_zh"].startswith("2020年春")
    assert cit.loc["cpt-2016-09-20", "date_published_text_zh"] == ""  # a plain date needs none


def _tampered(raw_copy, old: str, new: str) -> sources.Source:
    """The real record with record-zh.yml edited, registered under its new sha256."""
    path = raw_copy / "record-zh.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    src = sources.get("corroborating", raw_copy / "sources.yml")
    return sources.Source(src.id, src.kind, src.file, src.sha256, src.meta,
                          (path, sources.sha256_of(path)))  # fmt: skip


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            '      "2016-09-04": 首届京津冀慈善博览会举办（至9月6日）\n',
            "",
            "record-zh.yml: entry 'cpt-2016-09-20': event '2016-09-04' has no Chinese text",
        ),
        (
            '      "9个项目": 交流会现场签约的项目\n',
            "",
            "record-zh.yml: entry 'bjyouth-2024-04-19': figure '9个项目' has no Chinese text",
        ),
        (
            '"9个项目"',
            '"19个项目"',
            "entry 'bjyouth-2024-04-19': figure '19个项目' matches no figure of the record",
        ),
        (
            '"2019-08-10"',
            '"2019-08-11"',
            "entry 'cswm-2019-08-14': event '2019-08-11' matches no event of the record",
        ),
        (
            "  cpt-2016-09-20:\n",
            "  cpt-2016-09-21:\n",
            "entry 'cpt-2016-09-21' matches no entry of the record",
        ),
        (
            "    date_published: 2020年春（该页引用2020年3月10日的新闻发布会）\n",
            "",
            "entry 'hebei-2019-annual': missing field 'date_published'",
        ),
        (
            "    publisher: 中国社会工作杂志\n",
            "",
            "entry 'cswm-2019-08-14': missing field 'publisher'",
        ),
        (
            "    publisher: 中国社会工作杂志\n",
            "    publisher: 中国社会工作杂志\n    title: x\n",
            "entry 'cswm-2019-08-14': unknown field 'title'",
        ),
    ],
)
def test_a_missing_or_unmatched_text_stops_the_clean_step_in_one_line(raw_copy, old, new,
                                                                     message):  # fmt: skip
    with pytest.raises(JJJError) as e:
        record.load(_tampered(raw_copy, old, new))
    assert message in str(e.value) and "\n" not in str(e.value)


def test_the_chinese_texts_are_sha256_pinned(raw_copy):
    path = raw_copy / "record-zh.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    src = sources.get("corroborating", raw_copy / "sources.yml")
    with pytest.raises(JJJError, match="record-zh.yml: sha256 mismatch"):
        sources.verify(src)


def test_a_source_without_chinese_texts_keeps_the_expression(tmp_path):
    shutil.copy(record_data.FIX.parent.parent.parent / "data/raw/corroborating.yml", tmp_path)
    src = record_data.src(tmp_path / "corroborating.yml")
    assert record_zh.for_source(src, []) is None
    corr = record.load(src)
    assert (corr.figures["subject_zh"] == corr.figures["quote"]).all()
    assert not corr.events["text_zh"].map(bool).any()


def test_two_events_on_one_date_each_have_their_text(real):
    ev = real.events[real.events["source_id"] == "chinanpo-2025-12-30"].set_index("event_id")
    assert list(ev["text_zh"]) == [
        "三地首个协同发展社会组织联合政策（16条）出台",
        "京津冀社会组织赴雄安考察",
    ]
    assert ev["text_en"].str.contains("joint policy").tolist() == [True, False]


def test_too_few_texts_for_one_date_are_refused(raw_copy):
    src = _tampered(raw_copy, "        - 京津冀社会组织赴雄安考察\n", "")
    with pytest.raises(JJJError, match=r"chinanpo-2025-12-30'.*event '2025': 1 Chinese text"):
        record.load(src)
