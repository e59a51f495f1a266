"""Issue #23 over every built year report, both languages (slow: conftest.every_report builds
the years the shared build lacks, in a copy of it): little boilerplate, no bookkeeping main
points, national context in every year, no internal id in zh, Chinese glossed in en."""

from __future__ import annotations

import html
import re
from pathlib import Path

import boilerplate
import language
import pytest

from helpers import paths

pytestmark = pytest.mark.slow
YEARS = list(paths.REPORT_YEARS)
LANGS = ("zh", "en")
LIMIT = 0.25  # at most a quarter of a year report's prose sentences repeat another's
ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+(?:-[a-z0-9]+)*-(?:19|20)\d\d(?:-\d\d)*\b")


def _page(reports: Path, year, lang: str) -> str:
    return (reports / str(year) / f"report.{lang}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_at_most_a_quarter_of_a_years_sentences_repeat_another_year(every_report, lang):
    shares = boilerplate.shares({y: _page(every_report, y, lang) for y in YEARS})
    over = {y: round(s, 3) for y, s in shares.items() if s > LIMIT}
    assert over == {}, shares


def _main_points(page: str, lang: str) -> list[str]:
    head = "主要发现" if lang == "zh" else "Main points"
    part = page.split(f">{head}</h2>", 1)[1].split("<h2", 1)[0]
    return re.findall(r"<li>(.*?)</li>", part, flags=re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_every_main_point_holds_a_fact_of_its_year(every_report, lang):
    for y in YEARS:
        page = _page(every_report, y, lang)
        points = _main_points(page, lang)
        assert len(points) >= 2, (y, points)
        for p in points:
            assert str(y) in p or 'class="value"' in p, (y, p)
            assert "未知之处" not in p and "Not known" not in p, (y, p)


@pytest.mark.parametrize("lang", LANGS)
def test_national_context_gives_a_cited_count_in_every_year(every_report, lang):
    head = "全国背景" if lang == "zh" else "National context"
    for y in YEARS:
        part = _page(every_report, y, lang).split(f">{head}</h2>", 1)[1].split("<figure", 1)[0]
        assert 'class="value"' in part and 'href="#note-' in part, y


def test_zh_pages_show_no_internal_id_and_en_pages_gloss_their_chinese(every_report):
    found = []
    for y in [*YEARS, "ten-year"]:
        zh = _page(every_report, y, "zh")
        body = zh.split("<body", 1)[1].split('<footer class="colophon"', 1)[0]
        body = re.sub(r"<style.*?</style>|<script.*?</script>", " ", body, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", body))
        text = re.sub(r"https?://\S+", " ", text)
        found += [f"{y} zh: id {m!r}" for m in ID.findall(text)]
        found += [f"{y} en: {p}" for p in language.problems(_page(every_report, y, "en"), "en")]
        found += [f"{y} zh: {p}" for p in language.problems(zh, "zh")]
    assert found == []
