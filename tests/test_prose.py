"""Numbers in prose: formatting per language, glue, conditions, placeholders, notes, export."""

import re
from pathlib import Path

import nbformat
import pytest

from helpers import lint
from helpers.errors import JJJError
from helpers.publish import prose, render
from helpers.publish.prose import Citation, Value

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
CPT = Citation(
    publisher={"zh": "公益时报", "en": "China Philanthropy Times"},
    title="十年来社会组织助力京津冀协同发展成效显著",
    note={"zh": "发布者为推断", "en": "publisher most likely"},
)
PROJECTS = Value(5367, "projects", unit_zh="个", quote="扶贫项目5367个", citation=CPT)
FUNDS = Value(2188000000, "yuan", "about", unit_zh="元", quote="约21.88亿元", citation=CPT)
ORGS = Value(6300, "organizations", "more_than", low=6300, unit_zh="家", quote="6300多家")


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (PROJECTS, "5367个", "5,367 projects"),
        (FUNDS, "约21.88亿元", "about 2.188 billion yuan"),  # printed precision kept
        (ORGS, "6300多家", "more than 6,300 organizations"),
        (Value(30, "fields", "nearly", unit_zh="个"), "近30个", "nearly 30 fields"),
        (Value(80000, "elders", unit_zh="名"), "8万名", "80,000 elders"),
        (Value(2800000, "person-times", "more_than", unit_zh="人次"), "280多万人次", None),
        (
            Value(9000000, "yuan", "more_than", unit_zh="元"),
            "900多万元",
            "more than 9 million yuan",
        ),
        (Value(1, "projects", unit_zh="个"), "1个", "1 project"),
        (Value(1, "person-times", unit_zh="人次"), "1人次", "1 person-time"),
        (Value(116877, "students", unit_zh="人"), "116877人", "116,877 students"),
        # Chinese statistics print whole hundreds from 10万 in 万: 89.13万个, 51.19万个.
        (Value(891300, "organizations", unit_zh="个"), "89.13万个", "891,300 organizations"),
        (Value(35000, "person-times", unit_zh="人次"), "35000人次", "35,000 person-times"),
        (Value(805190, "organizations", unit_zh="个"), "805190个", "805,190 organizations"),
    ],
)
def test_format_value_per_language(value, zh, en):
    assert prose.format_value(value, "zh") == zh
    if en:
        assert prose.format_value(value, "en") == en


def test_rounding_is_decimal_and_bounds_round_outward():
    # 0.78125 is exact in binary; float formatting rounds it half-to-even to 0.7812.
    assert prose.number(0.78125, "en", sig=4) == "0.7813"
    assert prose.number(0.78125, "en") == "0.7813"
    assert prose.number(0.78125, "en", sig=2) == "0.78"
    upper = Value(437600, "yuan", "at_most_about", unit_zh="元", sig=2)
    assert prose.format_value(upper, "en") == "at most about 440,000 yuan"
    assert prose.format_value(upper, "zh") == "至多约44万元"
    rng = Value(88, "projects", "range", low=80.645, high=96.774, unit_zh="个", sig=2)
    assert prose.format_value(rng, "en") == "between 80 and 97 projects"
    assert prose.format_value(rng, "zh") == "80至97个"


def test_sig_digits_of_printed_figures():
    from helpers.analyze.outcomes import sig_digits

    assert [sig_digits(v) for v in (5000, 6300, 2188000000, 369, 80000)] == [1, 2, 4, 3, 1]


def test_unknown_qualifier_is_named():
    with pytest.raises(JJJError, match="unknown qualifier 'roughly'"):
        prose.format_value(Value(1, qualifier="roughly"), "en")


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


def test_derived_value_note_lists_its_terms():
    ratio = Value(437600, "yuan", "at_most_about", sig=2, basis=(FUNDS, ORGS), operation="÷")
    note = prose.note_html(ratio, "en")
    assert "derived: “约21.88亿元” ÷ “6300多家”" in note and "China Philanthropy Times" in note


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


def test_negative_numbers_keep_their_sign():
    """int("-0") is 0: the sign of a small negative number must not be lost when grouping."""
    assert prose.number(-0.2695, "en", sig=3) == "-0.27"
    assert prose.number(-5367, "en") == "-5,367"
    assert prose.number(-0.5, "zh") == "-0.5"


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
