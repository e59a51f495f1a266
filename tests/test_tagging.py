"""Chinese runs in an en page marked as Chinese; nothing else touched."""

from helpers.publish.tagging import mark_chinese


def test_chinese_runs_are_marked_with_their_numbers():
    out = mark_chinese("<p>At the end of 2019 (2019年超过84万家) it had “约21.88亿元”.</p>")
    assert out == (
        '<p>At the end of 2019 (<span lang="zh-Hans">2019年超过84万家</span>) it had '
        '“<span lang="zh-Hans">约21.88亿元</span>”.</p>'
    )


def test_markup_attributes_and_skipped_elements_are_left_alone():
    page = (
        '<a href="x" title="公益时报">公益时报</a><svg><text>北京</text></svg>'
        '<style>p::before { content: "注"; }</style><span lang="zh-Hans">已标</span>'
        "<br/><img alt='图'>天津<!-- 注释 -->"
    )
    out = mark_chinese(page)
    assert out == (
        '<a href="x" title="公益时报"><span lang="zh-Hans">公益时报</span></a>'
        "<svg><text>北京</text></svg>"
        '<style>p::before { content: "注"; }</style><span lang="zh-Hans">已标</span>'
        "<br/><img alt='图'><span lang=\"zh-Hans\">天津</span><!-- 注释 -->"
    )
    assert mark_chinese("no Chinese, 2019 & 2020") == "no Chinese, 2019 & 2020"
