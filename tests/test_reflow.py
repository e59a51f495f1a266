"""helpers.clean.reflow: paragraph rebuild of PDF-extracted text, roles and reading order."""

from __future__ import annotations

import json

import pytest

from helpers import paths
from helpers.clean import reflow, sources
from helpers.errors import JJJError


@pytest.fixture(scope="module")
def raw() -> str:
    return sources.read_text(sources.get(paths.SEED_SOURCE_ID))


@pytest.fixture(scope="module")
def blocks(raw):
    return reflow.reflow(raw, sources.load_layout(paths.SEED_SOURCE_ID))


def test_joins_broken_lines_and_pdf_spaces():
    raw = "\n党组副书\n\n记、副局长表示，\n\n建设 3086个班级\n图书角，约有 300\n家基金会。\n"
    want = "党组副书记、副局长表示，建设3086个班级图书角，约有300家基金会。"
    assert reflow.plain_text(raw) == want


@pytest.mark.parametrize(
    "raw, mention",
    [
        # A short line after a sentence's end looks like a heading (the next line is shorter
        # than the one after it, as an indented first line is), unless the break cuts a numeric
        # mention in two: 2023年12月|28日, 6300多|家, 今年上|半年.
        ("本报讯2023年12月\n28日，某会发布\n年度报告。\n", "2023年12月28日"),
        ("上一段到这里结束。\n6300多\n家社会组织\n参与了帮扶项目并取得成效\n", "6300多家"),
        ("上一段到这里结束。\n今年上\n半年新增\n三百家社会组织参与帮扶项目\n", "今年上半年"),
        # An opening quote cannot end a paragraph, a closing one cannot start it.
        ("上一段结束。\n“\n十四五\n”以来，\n全市已建成社区书屋。\n", "“十四五”以来"),
    ],
)
def test_a_break_inside_a_mention_or_quote_is_not_a_paragraph(raw, mention):
    assert any(mention in p for p in reflow.plain_text(raw).split("\n\n"))


def test_headings_still_stand_alone():
    raw = "上一段结束。\n多元发展\n    京津冀三地社会组织协同发展取得新进展，\n成效显著。\n"
    assert reflow.plain_text(raw).split("\n\n")[1] == "多元发展"


def test_spaces_next_to_cjk_go_latin_spaces_stay():
    assert reflow._clean_line("144 家社") == "144家社"
    assert reflow._clean_line(" 2021 年，开展 “调研”") == "2021年，开展“调研”"
    assert reflow._clean_line("China Philanthropy Times 报道") == "China Philanthropy Times报道"
    assert reflow._join("Beijing", "Tianjin") == "Beijing Tianjin"
    assert reflow._join("其中9", "个项目") == "其中9个项目"


def test_seed_paragraphs(raw):
    text = reflow.plain_text(raw)
    paras = text.split("\n\n")
    assert "建设3086个班级图书角，开展50余场教师培训" in text
    assert "三地约有300家基金会支持并开展了600多个科研项目。" in text
    assert "144家社会组织计划开展京津冀协同活动项目意向184个" in text
    assert "  " not in text and "\n\n\n" not in text
    # Headings and front-matter lines stand alone.
    standalone = ["充分发挥自身优势", "积极响应社会发展需求", "助力雄安新区发展建设"]
    standalone += ["多元发展、深度融合", "十年来社会组织助力京津冀协同发展成效显著"]
    for line in standalone:
        assert line in paras
    # A paragraph start that is not a heading (短首行) stays with its paragraph.
    assert "结合自身业务及资源优势开展相关公益项目，是广大社会组织助力京津冀协同发展的" in text
    assert "\n\n结合自身业务及资源优势开展" in text
    # A sentence that ends on a full column line continues the paragraph.
    assert "\n\n养老服务协同发展，是京津冀协同发展过程中重要的一环。近年来" in text
    assert len(paras) == 35


def test_plain_text_is_idempotent(raw):
    once = reflow.plain_text(raw)
    assert reflow.plain_text(once) == once


def test_reading_order(blocks):
    roles = [b.role for b in blocks]
    assert roles[:6] == ["headline", "subheadline", "byline", "lead_quote", "lead", "lead"]
    assert [b.order for b in blocks] == list(range(1, len(blocks) + 1))
    heads = [b.text for b in blocks if b.role == "section_heading"]
    assert heads == ["充分发挥自身优势", "积极响应社会发展需求", "助力雄安新区发展建设"]
    captions = [i for i, b in enumerate(blocks) if b.role == "caption"]
    assert len(captions) == 2
    # Each caption closes the section its photo illustrates.
    assert blocks[captions[0] + 1].text == "积极响应社会发展需求"
    assert blocks[captions[1] + 1].text == "助力雄安新区发展建设"
    assert roles.count("paragraph") == 24


def test_line_spans(blocks, raw):
    lines = raw.splitlines()
    head = blocks[0]
    assert (head.role, head.line_start, head.line_end) == ("headline", 478, 478)
    for b in blocks:
        assert 1 <= b.line_start <= b.line_end <= len(lines)
        first = lines[b.line_start - 1].replace(" ", "")
        assert b.text.startswith(first[:4])


def test_without_layout_infers_roles_in_source_order(raw):
    blocks = reflow.reflow(raw)
    assert blocks[0].role == "section_heading"
    assert [b.line_start for b in blocks] == sorted(b.line_start for b in blocks)
    assert sum(b.role == "caption" for b in blocks) == 2


def test_layout_entry_must_match_one_block(raw):
    bad = {"_path": "x.yml", "blocks": [{"starts": "不存在的文字", "role": "headline"}]}
    with pytest.raises(JJJError, match=r"x.yml: block '不存在的文字' matches 0"):
        reflow.reflow(raw, bad)
    with pytest.raises(JJJError, match="unknown role"):
        reflow.reflow(raw, {"blocks": [{"starts": "■", "role": "title"}]})


def test_article_text_markdown_json(blocks):
    text = reflow.article_text(blocks)
    assert text.startswith("十年来社会组织助力京津冀协同发展成效显著\n\n多元发展、深度融合\n\n")
    md = reflow.to_markdown(blocks)
    assert md.startswith("# 十年来社会组织助力京津冀协同发展成效显著\n\n## 多元发展、深度融合\n")
    assert "\n> 4月19日，" in md and "\n### 助力雄安新区发展建设\n" in md
    src = sources.get(paths.SEED_SOURCE_ID)
    out = reflow.to_json(blocks, src)
    assert out == reflow.to_json(list(reversed(blocks)), src)
    doc = json.loads(out)
    assert doc["source_id"] == src.id and doc["sha256"] == src.sha256
    assert doc["blocks"][0]["role"] == "headline"
    assert "十年来" in out  # ensure_ascii=False
