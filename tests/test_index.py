"""publish.index: the readers' entry pages, zh and en, over a small reports/ tree made here (a
report page needs only its <meta name="description">, which is what the index reads), and over
the real build in the slow suite."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import language
import pytest

from helpers.publish import index

ZH = "本年记录了1项事件，文章有3个数字涉及本年。"
EN = "One event is recorded this year; 3 of the article's figures cover it."


def report(folder: Path, lang: str, summary: str | None = None, pdf: int | None = None) -> None:
    """A report as the index sees it: an HTML page with its summary, and/or a PDF of `pdf` bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    if summary is not None:
        # The report's title as its <title> (what the index's year line shows, issue #23).
        page = (f'<!DOCTYPE html><html><head><meta charset="utf-8">'
                f"<title>{html.escape(summary)}</title>"
                f'<meta name="description" content="{html.escape(summary)}"></head>'
                f"<body><p>{html.escape(summary)}</p></body></html>")  # fmt: skip
        (folder / f"report.{lang}.html").write_text(page, encoding="utf-8")
    if pdf is not None:
        (folder / f"report.{lang}.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * (pdf - 9))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """zh: 2018 (page and PDF), 2020 (a PDF only) and the ten-year report; en: 2018 and 2019
    (a page only); 2017 has an empty folder; other folders and files are not reports."""
    root = tmp_path_factory.mktemp("tree") / "reports"
    report(root / "2018", "zh", ZH, pdf=2048)
    report(root / "2018", "en", EN, pdf=3 * 1024)
    report(root / "2019", "en", EN.replace("One event is", "No event is"))
    report(root / "2020", "zh", pdf=int(1.5 * 1024 * 1024))
    report(root / "ten-year", "zh", "十年来社会组织助力京津冀协同发展的成果。", pdf=4096)
    report(root / "ten-year", "en", "What ten years of social organizations achieved.", pdf=5120)
    (root / "2017").mkdir()
    (root / "fonts").mkdir()
    (root / "notes.txt").write_text("not a report", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def pages(tree) -> dict[str, str]:
    """Both index pages of the tree, rendered once (the project font's subset takes a while)."""
    return {lang: index.render_index(tree, lang) for lang in ("zh", "en")}


@pytest.fixture
def reports(tree, tmp_path) -> Path:
    """A copy of the tree, for a test that changes it."""
    return Path(shutil.copytree(tree, tmp_path / "reports"))


def lines(page: str) -> list[str]:
    """The year list's lines, as HTML."""
    return re.findall(r"<li>(.*?)</li>", page, flags=re.S)


def links(fragment: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', fragment)


def test_one_page_per_language_each_linking_to_the_other(pages):
    zh, en = pages["zh"], pages["en"]
    assert '<html lang="zh-Hans">' in zh and '<html lang="en">' in en
    assert '<a href="index.en.html" hreflang="en" lang="en">English</a>' in zh
    assert '<a href="index.html" hreflang="zh-Hans" lang="zh-Hans">中文</a>' in en
    assert index.PAGE == {"zh": "index.html", "en": "index.en.html"}


def test_each_page_lists_its_languages_reports_only(pages):
    zh, en = pages["zh"], pages["en"]
    assert [links(x) for x in lines(zh)] == [
        ["2018/report.zh.html", "2018/report.zh.pdf"],
        ["2020/report.zh.pdf", "2020/report.zh.pdf"],  # no page: the PDF is the report's link
    ]
    assert [links(x) for x in lines(en)] == [
        ["2018/report.en.html", "2018/report.en.pdf"],
        ["2019/report.en.html"],
    ]
    assert links(zh.split('id="ten-year"')[1].split("</section>")[0]) == [
        "ten-year/report.zh.html", "ten-year/report.zh.pdf"]  # fmt: skip
    # Relative links only: the pages work from file:// and from any host.
    assert not [x for x in links(zh) + links(en) if re.match(r"^[a-z]+:|/", x)]


def test_the_titles_year_range_is_the_years_listed(pages):
    zh, en = pages["zh"], pages["en"]
    assert "<h1>京津冀协同发展中的社会组织（2018—2020）</h1>" in zh
    assert f"<h1>{index.title('en', [2018, 2019])}</h1>" in en
    assert index.title("en", [2018, 2019]).endswith("development, 2018–2019")
    assert index.title("zh", [2024]) == "京津冀协同发展中的社会组织（2024）"
    assert index.title("en", []) == index.t("project_title", "en")
    for y in (2017, 2021):  # an empty folder is no report; nothing claims a year not listed
        assert str(y) not in zh and str(y) not in en


def test_each_year_is_one_line_in_the_pages_language(pages):
    zh, en = pages["zh"], pages["en"]
    first_zh, pdf_only = lines(zh)
    assert ">2018年</a>" in first_zh and f'<span class="summary">{ZH}</span>' in first_zh
    assert ">2020年</a>" in pdf_only and "summary" not in pdf_only
    first_en = html.unescape(lines(en)[0])
    assert ">2018</a>" in first_en and f'<span class="summary">{EN}</span>' in first_en
    assert '<h2 id="years">年度报告</h2>' in zh and '<h2 id="years">Year reports</h2>' in en
    assert "十年报告" in zh and "Ten-year report" in en
    for page in (zh, en):
        assert "(s)" not in page
    assert language.problems(zh, "zh") == [] and language.problems(en, "en") == []


def test_pdf_sizes_are_shown(pages):
    zh, en = pages["zh"], pages["en"]
    first, pdf_only = lines(zh)
    assert '(<a href="2018/report.zh.pdf">PDF</a>, 2 KB)' in first
    assert '(<a href="2020/report.zh.pdf">PDF</a>, 1.5 MB)' in pdf_only
    assert '(<a href="2018/report.en.pdf">PDF</a>, 3 KB)' in lines(en)[0]
    assert '(<a href="ten-year/report.en.pdf">PDF</a>, 5 KB)' in en


def test_a_summary_is_shown_escaped_once(reports):
    report(reports / "2018", "en", "Beijing & Hebei <script>alert(1)</script> “quoted”")
    page = index.render_index(reports, "en")
    line = lines(page)[0]
    assert "<script" not in page
    assert "Beijing &amp; Hebei &lt;script&gt;alert(1)&lt;/script&gt; “quoted”" in line
    assert "&amp;amp;" not in page and "&amp;lt;" not in page


def test_the_ten_year_summary_is_the_pages_description(pages, reports):
    zh = pages["zh"]
    assert '<meta name="description" content="十年来社会组织助力京津冀协同发展的成果。">' in zh
    (reports / "ten-year" / "report.zh.html").unlink()
    (reports / "ten-year" / "report.zh.pdf").unlink()
    zh = index.render_index(reports, "zh")
    assert 'id="ten-year"' not in zh
    assert f'<meta name="description" content="{index.title("zh", [2018, 2020])}">' in zh


def test_no_reports_gives_a_page_with_the_title_only(tmp_path):
    page = index.render_index(tmp_path / "missing", "en")
    assert f"<h1>{index.t('project_title', 'en')}</h1>" in page
    assert "<li>" not in page and 'id="ten-year"' not in page


def test_write_index_replaces_both_pages_atomically(pages, reports):
    old = reports / "index.html"
    old.write_text("old index", encoding="utf-8")
    before = os.stat(old).st_ino
    keep = open(old, encoding="utf-8")  # a reader who opened the old page
    try:
        assert index.write_index(reports) == old
        # Replaced by rename, not rewritten in place: the open reader still has the old page.
        assert keep.read() == "old index"
    finally:
        keep.close()
    assert os.stat(old).st_ino != before
    # The same pages as rendered from the tree elsewhere: nothing of the path or the time.
    assert old.read_text(encoding="utf-8") == pages["zh"]
    assert (reports / "index.en.html").read_text(encoding="utf-8") == pages["en"]
    assert sorted(p.name for p in reports.iterdir() if p.is_file()) == [
        "index.en.html", "index.html", "notes.txt"]  # fmt: skip


@pytest.mark.slow
def test_the_built_index_pages_read_in_their_language(built):
    """The real build's index pages: the title's years, and each year's line the report's own
    title (issue #23: not its first main point), in the page's language."""
    from conftest import BUILD_YEARS as YEARS

    zh = (built / "reports/index.html").read_text(encoding="utf-8")
    en = (built / "reports/index.en.html").read_text(encoding="utf-8")
    assert f"（{YEARS[0]}—{YEARS[-1]}）</h1>" in zh and f", {YEARS[0]}–{YEARS[-1]}</h1>" in en
    for page, lang in ((zh, "zh"), (en, "en")):
        assert language.problems(page, lang) == [], lang
        summaries = re.findall(r'<span class="summary">([^<]+)</span>', page)
        assert len(summaries) == len(lines(page)) == len(YEARS), lang
        titles = [index.report_title(built / f"reports/{y}/report.{lang}.html") for y in YEARS]
        assert [html.unescape(s) for s in summaries] == titles, lang
        assert "(s)" not in page


def test_a_year_line_is_the_reports_title_and_the_ten_year_link_too(reports):
    page = (reports / "2018" / "report.en.html").read_text(encoding="utf-8")
    page = page.replace("<title>", "<title>2018: the campaign's first full year", 1)
    page = page.replace('content="', 'content="Main point one. ', 1)
    (reports / "2018" / "report.en.html").write_text(page, encoding="utf-8")
    ten = (reports / "ten-year" / "report.en.html").read_text(encoding="utf-8")
    ten = ten.replace("<title>", "<title>Ten years: the totals match the campaign. ", 1)
    (reports / "ten-year" / "report.en.html").write_text(ten, encoding="utf-8")
    out = html.unescape(index.render_index(reports, "en"))
    line = lines(index.render_index(reports, "en"))[0]
    assert "2018: the campaign's first full year" in html.unescape(line)
    assert "Main point one." not in line  # the description's first point is not the line
    assert ">Ten years: the totals match the campaign. " in out  # the link text is the title
