"""Charts made the usual way in a notebook reach the HTML and the PDF: plt.show(), a figure
left as a cell's result, a PNG and an SVG an analyst made (fixture plain_charts.ipynb)."""

import io
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt
import nbformat
import pytest
from pypdf import PdfReader

from helpers.errors import JJJError
from helpers.publish import charts, fonts, notebook_figures, render

FIXTURE = Path(__file__).parent / "fixtures" / "notebooks" / "plain_charts.ipynb"
TITLES = ["Organizations grew from 3 to 8 (plt.show)", "三地示例：河北最多 (cell result)"]
IMAGES = ["A PNG chart: one falling line", "An SVG chart: one rising line"]


# Every test here runs the fixture notebook on a kernel: end-to-end, `make test-slow`.
pytestmark = pytest.mark.slow


def _run(tmp_path) -> nbformat.NotebookNode:
    from helpers.engine import kernels

    nb = kernels.run_notebook(FIXTURE, cwd=tmp_path)  # as the build runs it: IPC, not TCP
    return nbformat.from_dict(nb)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("kernel"))


def _page(nb) -> str:
    # The date is set only while rendering: a build later in the session must not inherit it
    # (seen as a byte difference in its dcterms date).
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", "1712000000"))
        return render.notebook_to_html(nb, lang="en", title="Charts", description="d")


@pytest.fixture(scope="module")
def page(executed):
    return _page(executed)


def test_each_chart_is_shown_once_as_html_or_an_image_with_alt(executed):
    kinds = [
        sorted(set(o.get("data", {})) - {"text/plain"})
        for c in executed.cells
        for o in c.get("outputs", [])
    ]
    assert kinds == [["text/html"], ["text/html"], ["image/png"], ["image/svg+xml"]]


def test_plain_charts_are_inline_svg_in_the_project_font_with_alt_text(page):
    for title in TITLES:
        tag = re.search(rf'<svg\b[^>]*aria-label="{re.escape(title)}"[^>]*>', page)
        assert tag and ' role="img"' in tag.group(), title
        assert f"<title>{title}</title>" in page
    # Text is text, in the page's embedded font first: the chart shows the project font
    # whatever the reader's machine has, and its words can be found and read aloud.
    charts_ = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    families = set(re.findall(r"font-family: ([^;\"]*)", "".join(charts_)))
    assert "<text" in page and families == {f"'{fonts.PDF_FAMILY}', '{fonts.FAMILY}'"}
    for alt in IMAGES:
        assert f'alt="{alt}"' in page
    assert 'src="data:image/png;base64,' in page and 'src="data:image/svg+xml;base64,' in page
    render.check_self_contained(page)  # the quoted data: URIs pass


def test_charts_are_byte_stable_across_kernels(page, tmp_path):
    assert _page(_run(tmp_path)) == page


@pytest.mark.slow
def test_every_chart_is_a_tagged_figure_in_the_pdf(page):
    pdf = render.html_to_pdf(page, lang="en", title="Charts", header="Charts")
    reader = PdfReader(io.BytesIO(pdf))
    alts = []

    def walk(node):
        node = node.get_object()
        if "/Alt" in node:
            alts.append((str(node.get("/S")), str(node["/Alt"])))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid.get_object(), "get"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert alts == [("/Figure", alt) for alt in TITLES + IMAGES]
    images = [
        x.get_object()
        for p in reader.pages
        for x in (p["/Resources"].get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    ]
    assert images  # the PNG is in the PDF as an image


def test_alt_text_comes_from_the_figures_own_words():
    fig, ax = plt.subplots()
    try:
        with pytest.raises(JJJError, match="title"):
            notebook_figures.alt_text(fig)
        ax.set_title("Left", loc="left")
        ax.set_title("Centre", loc="center")
        assert notebook_figures.alt_text(fig) == "Left; Centre"
        fig.suptitle("Whole figure")
        assert notebook_figures.alt_text(fig) == "Whole figure"
        fig.set_label("Explicit alt")
        assert notebook_figures.alt_text(fig) == "Explicit alt"
    finally:
        plt.close(fig)


def test_figure_html_closes_the_figure():
    fig, ax = plt.subplots()
    ax.set_title("A")
    html = notebook_figures.figure_html(fig, charts.chart_html)
    assert html.startswith('<figure class="chart">') and 'aria-label="A"' in html
    assert not plt.fignum_exists(fig.number)


def test_configure_is_a_no_op_outside_ipython():
    assert notebook_figures.configure(charts.chart_html) is False


def test_an_image_without_alt_text_is_refused():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(Image(png))")
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    cell.outputs = [png]
    nb.cells = [cell]
    named = r"notebook: cell 1 `display\(Image\(png\)\)` shows an image without alt text"
    with pytest.raises(JJJError, match=named):
        render.notebook_to_html(nb, lang="en", title="T", description="D")
    png.metadata = {"image/png": {"alt": "what it shows"}}
    assert 'alt="what it shows"' in render.notebook_to_html(
        nb, lang="en", title="T", description="D"
    )
