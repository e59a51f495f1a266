"""Numbers in prose: glue, conditions and placeholders at export, the notes they link to."""

import re
from pathlib import Path

import nbformat
import pytest
from test_formatting import FUNDS, PROJECTS  # the article's values, defined once

from helpers import lint
from helpers.errors import JJJError
from helpers.publish import prose, render

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def test_glue_round_trips_through_the_output():
    out = prose.bundle({"a.b": FUNDS, "flag": True, "who": "皮磊"})
    cell = nbformat.v4.new_code_cell("", outputs=[nbformat.from_dict(out)])
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert prose.collect(nb) == {"a.b": FUNDS, "flag": True, "who": "皮磊"}
    with pytest.raises(JJJError, match="not a name"):
        prose.bundle({"1x": FUNDS})
    with pytest.raises(JJJError, match="cannot be glued"):
        prose.bundle({"x": 3.5})


def _md(text, *tags):
    return nbformat.v4.new_markdown_cell(text, metadata={"tags": list(tags)})


def story(**values) -> nbformat.NotebookNode:
    """A small executed report: glue outputs, prose in both languages, one condition."""
    values = {"projects": PROJECTS, "funds": FUNDS, "has_events": False, **values}
    glue = nbformat.v4.new_code_cell(
        "prose.glue(...)", outputs=[nbformat.from_dict(prose.bundle(values))]
    )
    params = nbformat.v4.new_code_cell("lang = 'en'", metadata={"tags": ["injected-parameters"]})
    return nbformat.v4.new_notebook(
        cells=[
            params,
            glue,
            _md("# 主要发现\n\n共落地{{ projects }}，资金{{funds}}。", "lang-zh"),
            _md("# Main points\n\n{{ projects }} landed, with {{ funds }}.", "lang-en"),
            _md("Events happened in 2019.", "lang-en", "if-has_events"),
            _md("No event is recorded for 2019.", "lang-en", "unless-has_events"),
            _md("Analyst's note, not published.", "remove-cell"),
        ]
    )


def _shown(nb, lang):
    out, notes = prose.prepare(nb, lang, drop_tags=render.REMOVE_CELL_TAGS)
    text = "\n".join(c.source for c in out.cells if c.cell_type == "markdown")
    return out, notes, text


def test_prepare_keeps_one_language_and_fills_with_links():
    nb, notes, text = _shown(story(), "en")
    assert "主要发现" not in text and "Analyst" not in text and "lang = " not in str(nb.cells)
    assert "Events happened" not in text and "No event is recorded for 2019." in text
    assert "{{" not in text  # placeholders are tokens until the markdown is rendered
    filled = notes.substitute(text)
    assert '<span class="value">5,367 projects</span>' in filled
    assert '<span class="value">about 2.188 billion yuan</span>' in filled
    assert 'href="#note-1"' in filled and 'href="#note-2"' in filled
    assert notes.plain(text).startswith("# Main points\n\n5,367 projects landed, with about")
    assert not any(prose.MIMETYPE in str(c.get("outputs", "")) for c in nb.cells)
    html = notes.html()
    assert '<li id="note-1">“扶贫项目5367个”' in html and "China Philanthropy Times" in html
    assert "publisher most likely" in html
    _, zh_notes, zh_text = _shown(story(), "zh")
    assert "Main points" not in zh_text
    assert '<span class="value">约21.88亿元</span>' in zh_notes.substitute(zh_text)
    assert "公益时报" in zh_notes.html()
    assert "《十年来社会组织助力京津冀协同发展成效显著》" in zh_notes.html()


def test_a_value_used_twice_has_one_note():
    nb = story()
    nb.cells[3].source += " Again: {{ projects }}."
    _, notes = prose.prepare(nb, "en")
    assert notes.html().count("<li ") == 2


def test_unknown_name_names_notebook_cell_and_name():
    nb = story()
    nb.cells[3].source = "Main points: {{ projects_typo }}"
    named = r"03_year_report.ipynb: cell 3 `Main points: \{\{ projects_typo \}\}`: .*projects_typo"
    with pytest.raises(JJJError, match=named):
        prose.prepare(nb, "en", notebook="notebooks/03_year_report.ipynb")
    # The other language's cell is dropped before filling: its names are not needed.
    prose.prepare(nb, "zh")


def test_condition_must_be_a_glued_bool():
    nb = story()
    nb.cells[4].metadata["tags"] = ["lang-en", "if-nothing_glued"]
    named = "cell 4 `Events happened in 2019.`: .*no value 'nothing_glued'"
    with pytest.raises(JJJError, match=named):
        prose.prepare(nb, "en")
    nb = story(has_events="yes")
    with pytest.raises(JJJError, match="not a bool"):
        prose.prepare(nb, "en")


@pytest.mark.slow  # runs a notebook and renders it
def test_export_html_has_prose_notes_and_no_other_language():
    nb = story()
    nb.cells[3].metadata["tags"].append("description")
    page = render.notebook_to_html(nb, lang="en", title="T", description="D")
    assert "主要发现" not in page and "Main points" in page
    assert "JJJVALUE" not in page
    assert '<span class="value">5,367 projects</span><sup class="note-ref">' in page
    assert '<meta name="description" content="Main points 5,367 projects landed' in page
    refs = re.findall(r'href="#(note-\d+)"', page)
    assert refs and all(f'id="{r}"' in page for r in refs)
    assert "<main>" in page and page.index('id="note-1"') < page.index("</main>")


def test_lint_rejects_digits_typed_into_prose():
    found = lint.prose_problems(FIXTURES / "typed_digit.ipynb")
    assert len(found) == 1, found
    assert "cell 2 `" in found[0] and "'5367'" in found[0] and "'21.88'" in found[0]


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("From 2014 to 2024-04-19, and in 2017年12月 or 4月19日: {{ x }}.", []),
        ("2014—2024", []),
        ("5367 projects", ["5367"]),
        ("约21.88亿元", ["21.88"]),
        ("2000多家", ["2000"]),
        ("增长１２%", ["１２%"]),
        ("see [the page](https://example.org/2020/11/10/3.htm)", []),
    ],
)
def test_typed_numbers(text, typed):
    assert lint.typed_numbers(text) == typed


def test_project_notebooks_have_no_typed_numbers():
    root = Path(__file__).resolve().parents[1]
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        assert lint.prose_problems(nb, root) == []


def test_a_value_in_a_heading_is_plain_text_and_is_the_page_title():
    nb = story()
    nb.cells[3].source = "# {{ projects }} landed\n\nThey were {{ projects }}."
    _, notes, text = _shown(nb, "en")
    filled = notes.substitute(text)
    head, body = filled.split("\n", 1)
    assert head == "# 5,367 projects landed"  # no note marker: it is also the <title>
    assert '<span class="value">5,367 projects</span><sup class="note-ref">' in body
    out, notes = prose.prepare(nb, "en", drop_tags=render.REMOVE_CELL_TAGS)
    assert prose.title(out, notes) == "5,367 projects landed"
    assert prose.title(nbformat.v4.new_notebook(cells=[_md("## Only a section")]), notes) == ""
