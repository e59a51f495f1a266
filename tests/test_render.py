"""Notebook → HTML → PDF: nothing private or executable leaks, fonts embed, bytes are stable."""

import base64
import copy
import html as html_lib
import io
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import html_text, ligature_words, pdf_fonts, pdf_text
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from helpers.engine.state import file_sha256
from helpers.errors import JJJError
from helpers.publish import fonts, render

FIXTURE = Path(__file__).parent / "fixtures" / "notebooks" / "tiny_report.ipynb"
EPOCH = "1712000000"  # 2024-04-01T19:33:20Z
TITLE = "京津冀十年 <测试> & 报告"
DESCRIPTION = '描述 "quoted" <i>not markup</i>'
HEADER = "京津冀社会组织 · 2024年报告"
COLOPHON = {
    "commit": "0123abc",
    "source sha256": "<script>alert(2)</script>",
    "parameters": {"year": 2024, "lang": "zh"},
    "packages": {"weasyprint": "70.0", "nbconvert": "7.17.2"},
}
PHRASE = "京津冀协同发展十年来"
KW = dict(lang="zh", title=TITLE, description=DESCRIPTION, header=HEADER, colophon=COLOPHON)


@pytest.fixture(scope="module", autouse=True)
def _source_date():
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    yield
    if old is None:
        os.environ.pop("SOURCE_DATE_EPOCH")
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The fixture notebook run the way the build runs notebooks: papermill, parameters, a
    kernel over IPC (engine.kernels.run_notebook)."""
    from helpers.engine import kernels

    cwd = tmp_path_factory.mktemp("kernel")
    nb = kernels.run_notebook(FIXTURE, {"marker": "INJECTED-7f3a"}, cwd=cwd)
    return nbformat.from_dict(nb)


@pytest.fixture(scope="module")
def page(executed):
    return render.notebook_to_html(executed, **KW)


@pytest.fixture(scope="module")
def pdf(page):
    return render.html_to_pdf(page, lang="zh", title=TITLE, header=HEADER)


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.refs += [(tag, k, v or "") for k, v in attrs if k in {"src", "href", "srcset", "data"}]


# --- HTML ---------------------------------------------------------------------------------------


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_no_code_prompts_or_parameters_in_html(page):
    for leak in ("INJECTED-7f3a", "INJECTED-OLD", "PARAM-DEFAULT", "hidden output"):
        assert leak not in page
    for code in ("charts.use_style", "import html", "plt.subplots", "In&nbsp;[", "Out["):
        assert code not in page
    assert "input_prompt" not in page and 'class="input"' not in page


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_lang_title_description_and_metadata(page, executed):
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
    assert "<title>京津冀社会组织十年</title>" in page  # the notebook's own title (its H1)
    untitled = copy.deepcopy(executed)
    for cell in untitled.cells:
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace("# 京津冀社会组织十年", "京津冀社会组织十年")
    other = render.notebook_to_html(untitled, **KW)
    assert f"<title>{html_lib.escape(TITLE)}</title>" in other  # no H1: the given title
    assert f'<meta name="description" content="{html_lib.escape(DESCRIPTION)}">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<meta name="dcterms.modified" content="2024-04-01T19:33:20Z">' in page
    en = render.notebook_to_html(executed, lang="en", title="T", description="D")
    assert '<html lang="en">' in en
    with pytest.raises(JJJError, match="language"):
        render.notebook_to_html(executed, lang="fr", title="T", description="D")


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_body_is_the_notebook_text_and_chart(page):
    assert "<h1" in page and PHRASE in page
    assert re.search(r'<svg[^>]*role="img"', page) and "<title>三地社会组织数量示例" in page


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_script_in_a_quote_arrives_escaped_and_inert(page):
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page  # colophon values are escaped too
    assert "&amp;lt;" not in page  # ...but nothing is escaped twice


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_nothing_is_loaded_from_anywhere(page):
    parser = _Refs()
    parser.feed(page)
    assert not {"link", "script", "iframe", "base"} & set(parser.tags)
    for tag, attr, value in parser.refs:
        if attr == "href" and tag == "a":
            continue  # a link a reader may follow, not a load
        assert value.startswith(("data:", "#")), (tag, attr, value[:80])
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page)
    assert "url(http" not in page and "@import" not in page
    assert "file:" not in page  # no path of the build machine


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_html_embeds_the_project_font_subset_as_woff2(page):
    assert page.count("@font-face") == 1
    match = re.search(r'url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\) format\("woff2"\)', page)
    font = TTFont(io.BytesIO(base64.b64decode(match[1])))
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    shown = set(html_text(page)) - set(" \n\t\r")
    assert shown and [ch for ch in sorted(shown) if ord(ch) not in cmap] == []
    css = (render.TEMPLATES / "report.css").read_text(encoding="utf-8")
    assert re.search(r'html \{\s*font-family: "' + fonts.PDF_FAMILY + '"', css)
    # The same subset the PDF embeds: one file, two encodings.
    otf = TTFont(io.BytesIO(fonts.subset_otf(render._page_chars(fonts.without_html_font(page)))))
    assert otf.getGlyphOrder() == font.getGlyphOrder()


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_colophon_is_a_definition_list(page):
    foot = page[page.index('<footer class="colophon">') :]
    assert "<dt>commit</dt><dd>0123abc</dd>" in foot
    assert "<dt>lang</dt><dd>zh</dd><dt>year</dt><dd>2024</dd>" in foot  # sorted


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_html_is_byte_stable(executed, page):
    assert render.notebook_to_html(executed, **KW) == page


VALID_DATA_URIS = (
    '<img alt="No description has been provided" src="data:image/png;base64,iVBORw0KGgo=">',
    "<img alt='x' src='data:image/svg+xml;base64,PHN2Zz4='>",
    "<img alt=x src=data:image/png;base64,AAAA>",
    '<img alt="x" src = " data:image/png;base64,AAAA">',
    '<object data="data:image/svg+xml,%3Csvg%3E"></object>',
    '<svg><use xlink:href="#c1-p"/><image href="data:image/png;base64,AAAA"/></svg>',
    '<style>@font-face { src: url("data:font/woff2;base64,d09GMgAB") format("woff2"); }</style>',
    "<p style=\"background: url('data:image/png;base64,AAAA')\">x</p>",
    '<a href="https://example.org/page">a link a reader may follow</a>',
)


@pytest.mark.parametrize("page", VALID_DATA_URIS)
@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_guard_accepts_quoted_and_bare_data_uris(page):
    render.check_self_contained(page)


def test_guard_rejects_scripts_and_remote_loads():
    ok = "<p>data = 5, src = x, url(a)</p>"
    render.check_self_contained(ok)
    for bad in (
        "<script>1</script>",
        '<img alt="" src="https://example.org/a.png">',
        '<img alt="" src="local.png">',
        "<img alt='' src='local.png'>",
        "<img alt='' src=local.png>",
        '<img alt="" src="">',
        '<img alt="" src="data:image/png;base64,AA" srcset="https://e.org/b.png 2x">',
        '<video poster="poster.jpg"></video>',
        '<object data="movie.swf"></object>',
        '<svg><image href="https://e.org/x.png"/></svg>',
        '<svg><use xlink:href="sprite.svg#a"/></svg>',
        '<link rel="stylesheet" href="x.css">',
        "<style>p { background: url(http://e/x.png) }</style>",
        "<style>p { background: url('x.png') }</style>",
        '<style>@font-face { src: url("https://e.org/f.woff2") }</style>',
        '<p style="background: url(//e/x.png)">x</p>',
    ):
        with pytest.raises(JJJError):
            render.check_self_contained(bad)


@pytest.mark.slow  # runs a notebook on a kernel and renders it
def test_error_outputs_are_refused_and_stderr_dropped(executed):
    nb = nbformat.from_dict(executed)
    code = next(c for c in nb.cells if c.cell_type == "code" and c.outputs)
    code.outputs.append(nbformat.v4.new_output("stream", name="stderr", text="/home/me/x.py: W"))
    assert "/home/me" not in render.notebook_to_html(nb, lang="zh", title="T", description="D")
    code.outputs.append(
        nbformat.v4.new_output("error", ename="ValueError", evalue="", traceback=[])
    )
    with pytest.raises(JJJError, match="error output"):
        render.notebook_to_html(nb, lang="zh", title="T", description="D")


def test_running_header_is_a_safe_css_string():
    css = render._css_string('a"b\\c\n</style>{}京津冀 · 2024')
    assert css.startswith('"') and css.endswith('"')
    inner = css[1:-1]
    assert not set('"\n<>{}') & set(inner.replace("\\", ""))
    assert "京津冀 · 2024" in inner


# --- PDF ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_embeds_only_the_project_cjk_font(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    found = pdf_fonts(reader)
    assert found and all(found.values()), found
    assert all("Noto-Sans-CJK-SC" in name for name in found), found
    assert len(found) == 1, found  # one face: no duplicate "-Bold"/"-Oblique" embedding


@pytest.mark.slow
def test_pdf_text_metadata_and_tags(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    assert PHRASE in text and "alert(1)" in text
    assert "INJECTED" not in text
    info = reader.metadata
    assert info.title == TITLE
    assert info["/CreationDate"] == info["/ModDate"] == "D:20240401193320Z"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-Hans"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged PDF
    assert "/Metadata" in root and "/OutputIntents" in root  # PDF/A-3b parts
    assert reader.pdf_header == "%PDF-1.7"


@pytest.mark.slow
def test_pdf_lang_en_and_no_date_without_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    page = "<!DOCTYPE html><html lang='en'><body><p>Ten years 十年</p></body></html>"
    a = render.html_to_pdf(page, lang="en", title="T", header="H · 2024")
    reader = PdfReader(io.BytesIO(a))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/CreationDate" not in reader.metadata
    assert render.html_to_pdf(page, lang="en", title="T", header="H · 2024") == a


LIGATURE_PAGE = (
    "<!DOCTYPE html><html lang='en'><body><h1>Public figures in 30 fields</h1>"
    "<p>Official flows of efficient, fluffy offices; fjords, affluent, baffling ﬁ; "
    "十年——社会组织……</p></body></html>"
)


@pytest.mark.slow
def test_pdf_text_reads_back_ligatures_and_paired_dashes():
    pdf = render.html_to_pdf(LIGATURE_PAGE, lang="en", title="T", header="H")
    text = pdf_text(pdf)
    words = ligature_words(LIGATURE_PAGE)
    assert {"figures", "fields", "Official", "flows", "fluffy", "baffling"} <= words
    assert [w for w in words if w not in text] == []
    assert "十年——社会组织……" in text  # ccmp joins the dash pair into one glyph


@pytest.mark.slow
def test_pdf_refuses_to_fetch_anything():
    page = '<html lang="en"><body><img alt="x" src="http://127.0.0.1:9/x.png"></body></html>'
    with pytest.raises(JJJError, match="refusing to fetch"):
        render.html_to_pdf(page, lang="en", title="T", header="H")


_EXPORT = """
import sys, nbformat
from pathlib import Path
from helpers.publish import render
nb = nbformat.read(sys.argv[1], as_version=4)
render.export(nb, Path("out/report.zh.html"), Path("out/report.zh.pdf"), lang="zh",
              title=sys.argv[2], description=sys.argv[3], header=sys.argv[4])
"""


@pytest.mark.slow
def test_two_builds_in_separate_processes_are_byte_identical(executed, tmp_path):
    nb_path = tmp_path / "executed.ipynb"
    nbformat.write(executed, nb_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    args = [str(nb_path), TITLE, DESCRIPTION, HEADER]
    runs = []
    for name in ("a", "b/deeper"):  # different working directories
        cwd = tmp_path / name
        cwd.mkdir(parents=True)
        cmd = [sys.executable, "-c", _EXPORT, *args]
        runs.append((cwd, subprocess.Popen(cmd, cwd=cwd, env=env, stderr=subprocess.PIPE)))
    digests = []
    for cwd, proc in runs:
        _, err = proc.communicate(timeout=600)  # two renders at once on a loaded 2-core machine
        assert proc.returncode == 0, err.decode()[-2000:]
        out = cwd / "out"
        assert sorted(p.name for p in out.iterdir()) == ["report.zh.html", "report.zh.pdf"]
        digests.append([file_sha256(out / f) for f in sorted(os.listdir(out))])
        assert str(cwd).encode() not in (out / "report.zh.pdf").read_bytes()
    assert digests[0] == digests[1]


@pytest.mark.slow
def test_export_writes_both_and_a_failed_pdf_replaces_neither(executed, tmp_path, monkeypatch):
    html_path, pdf_path = tmp_path / "r" / "report.zh.html", tmp_path / "r" / "report.zh.pdf"
    render.export(executed, html_path, pdf_path, **KW)
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    before = {p: p.read_bytes() for p in (html_path, pdf_path)}

    def broken(*args, **kwargs):
        raise JJJError("forced PDF failure")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    changed = nbformat.from_dict(executed)
    changed.cells[2].source = "# 改过的标题"
    with pytest.raises(JJJError, match="forced PDF failure"):
        render.export(changed, html_path, pdf_path, **KW)
    assert {p: p.read_bytes() for p in (html_path, pdf_path)} == before
    assert sorted(p.name for p in html_path.parent.iterdir()) == ["report.zh.html", "report.zh.pdf"]


@pytest.mark.parametrize(
    "ch, name", [("😀", "GRINNING FACE"), ("\U00020000", "CJK UNIFIED IDEOGRAPH-20000")]
)
@pytest.mark.slow  # renders a PDF
def test_character_outside_the_font_is_named_with_its_text(ch, name):
    page = f"<html lang='en'><body><p>Subject: schools{ch} in Hebei</p></body></html>"
    with pytest.raises(JJJError) as e:
        render.html_to_pdf(page, lang="en", title="T", header="H")
    msg = str(e.value)
    assert f"U+{ord(ch):04X} ({name}) is not in the report font" in msg
    assert f"'Subject: schools{ch} in Hebei'" in msg and "\n" not in msg


@pytest.mark.slow  # renders a PDF
def test_weasyprint_font_folder_is_removed(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    page = "<html lang='en'><body><p>Ten years 十年</p></body></html>"
    render.html_to_pdf(page, lang="en", title="T", header="H")
    assert list(tmp_path.glob("weasyprint-*")) == []


@pytest.mark.slow  # renders a PDF
def test_page_one_shows_the_kicker_once_and_no_running_header(pdf):
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert first.count("2024年报告") == 1, first[:200]


def test_the_pdf_draws_svg_groups_that_carry_only_an_id_as_their_children():
    svg = (
        '<p>a <b>g</b></p><svg><defs><path id="m1" d="M 0 0"/></defs>'
        '<g id="figure_1"><g id="axes_1"><g><use xlink:href="#m1" x="1"/></g>'
        '<g clip-path="url(#p1)"><g id="line"><path d="M 1 1"/></g></g>'
        '<g id="line2d_1"/><g style="x"/>'
        '<g transform="rotate(-90)"><text>&lt;g id="x"&gt;</text></g></g></g></svg>'
    )
    assert render.flat_svg_groups(svg) == (
        '<p>a <b>g</b></p><svg><defs><path id="m1" d="M 0 0"/></defs>'
        '<use xlink:href="#m1" x="1"/>'
        '<g clip-path="url(#p1)"><path d="M 1 1"/></g><g style="x"/>'
        '<g transform="rotate(-90)"><text>&lt;g id="x"&gt;</text></g></svg>'
    )


@pytest.mark.slow  # renders a PDF
def test_chinese_table_cells_keep_short_names_and_words_on_one_line(page):
    # A Chinese cell may break between any two characters: without a minimum width the region
    # column was one character wide (全/国) and four-character words split (社会组/织).
    cols = ["指标", "原文", "数值", "地区", "时期", "来源"]
    row = ["社会组织", "2014年突破56万个", "超过56万个", "全国", "2014-01 → 2014-12",
           "公益时报（中国公益新闻网转载），2021-01-22"]  # fmt: skip
    table = (
        "<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr></thead><tbody>"
        + "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr></tbody></table>"
    )  # fmt: skip
    body = page.rindex("</body>")
    pdf = render.html_to_pdf(page[:body] + table + page[body:], lang="zh", title=TITLE,
                             header=HEADER)  # fmt: skip
    lines = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).splitlines()
    for word in ("地区", "全国", "社会组织"):
        assert any(word in line for line in lines), (word, [ln for ln in lines if ln][-12:])
