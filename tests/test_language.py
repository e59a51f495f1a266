"""The language checker of built pages (tests/language.py), proven on small pages."""

import language

from helpers.publish import named


def page(lang: str, body: str) -> str:
    return f'<html lang="{lang}"><body><main>{body}</main><footer class="colophon">' \
        "<p>commit abc, built with WeasyPrint</p></footer></body></html>"  # fmt: skip


def test_english_phrase_in_zh_is_found_but_urls_colophon_and_marked_text_are_not():
    assert language.problems(page("zh-Hans", "<p>项目 landed in Hebei。</p>"), "zh")
    ok = (
        "<nav><a href='report.en.html' hreflang='en' lang='en'>English</a></nav>"
        "<p>见 <a href='https://x.org/a'>https://x.org/a/b-c</a>，《Ten years on》</p>"
    )
    assert language.problems(page("zh-Hans", ok), "zh") == []


def test_english_marked_as_english_or_in_brackets_fails_a_zh_page():
    marked = "<table><tbody><tr><td lang='en'>framework agreement signed</td></tr></tbody></table>"
    assert language.problems(page("zh-Hans", marked), "zh") == [
        "text marked as another language in zh: 'framework agreement signed'"
    ]
    one_word = "<p>事件：<span lang='en'>fair</span></p>"
    assert language.problems(page("zh-Hans", one_word), "zh")
    bracketed = "<p>河北新闻网，2020（spring; the page cites a press conference）</p>"
    assert language.problems(page("zh-Hans", bracketed), "zh")


def test_unglossed_chinese_in_en_is_found_glossed_chinese_is_not():
    assert language.problems(page("en", "<p>The 十年来 totals</p>"), "en")
    ok = (
        "<p>Beijing Cihong Charity Foundation (北京慈弘慈善基金会), over ten years (“十年来”)</p>"
        "<table><thead><tr><th>Figure</th><th>As printed</th></tr></thead>"
        "<tbody><tr><td>funds</td><td>约21.88亿元</td></tr></tbody></table>"
    )
    assert language.problems(page("en", ok), "en") == []
    bad = "<table><thead><tr><th>Figure</th></tr></thead><tbody><tr><td>约21.88亿元</td></tr>"
    assert language.problems(page("en", bad + "</tbody></table>"), "en")


def test_publisher_lines_per_language():
    raw = "公益时报 (China Philanthropy Times) e-paper, reporter 王勇"
    assert named.publisher_text(raw, "http://a.org/x", "zh") == "公益时报"
    assert named.publisher_text(raw, "http://a.org/x", "en") == (
        "China Philanthropy Times (公益时报) e-paper"
    )
    assert named.publisher_text("news page, reporter 赵泽众", "http://b.net/1", "zh") == "b.net"
    xinhua = named.publisher_text("新华社 via the central government portal", "", "en")
    assert xinhua == "Xinhua News Agency (新华社) via the central government portal"
