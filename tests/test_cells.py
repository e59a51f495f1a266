"""Cells are named by their place in the notebook as saved and by their first line."""

from __future__ import annotations

import nbformat

from helpers.engine import cells


def _executed():
    v4 = nbformat.v4
    return [
        v4.new_markdown_cell("# Title"),
        v4.new_code_cell("year = 2014", metadata={"tags": ["parameters"]}),
        v4.new_code_cell("year = 2019\n", metadata={"tags": ["injected-parameters"]}),
        v4.new_markdown_cell("\n\nSome {{ prose }}"),
        v4.new_code_cell("\n   raise ValueError('x')  \nmore"),
    ]


def test_position_skips_papermills_cell_and_counts_markdown():
    nb = _executed()
    assert [cells.position(nb, i) for i in (0, 1, 3, 4)] == [1, 2, 3, 4]
    assert cells.label(nb, 4) == "cell 4 `raise ValueError('x')`"
    assert cells.label(nb, 3) == "cell 3 `Some {{ prose }}`"


def test_the_injected_cell_is_named_as_what_it_is():
    assert cells.label(_executed(), 2) == "the injected parameters cell (after cell 2)"


def test_a_long_first_line_is_cut():
    long = nbformat.v4.new_code_cell("x = " + "1" * 200)
    found = cells.label([long], 0)
    assert found.startswith("cell 1 `x = 111") and found.endswith("…`")
    assert len(found) == len("cell 1 ``") + cells.FIRST_LINE
