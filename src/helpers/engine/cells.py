"""A cell named as the person editing the notebook finds it: "cell 7 `first line`".

The number is the cell's 1-based position in the notebook as saved — what JupyterLab's
"go to cell" and a top-to-bottom count give. Papermill's injected parameters cell exists only in
the executed copy, so it is not counted; nor are execution counts used (markdown cells have none).
Every error path that names a cell (a failing cell, a killed or overdue kernel, an export
check, a prose placeholder, lint) goes through label().
"""

from __future__ import annotations

INJECTED = "injected-parameters"
FIRST_LINE = 60  # characters of the first line quoted; enough to search for


def _injected(cell) -> bool:
    return INJECTED in (cell.get("metadata", {}).get("tags") or [])


def first_line(cell) -> str:
    """The cell's first non-blank source line, stripped, cut to FIRST_LINE characters."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else str(source)
    line = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    return line if len(line) <= FIRST_LINE else line[: FIRST_LINE - 1] + "…"


def position(cells, index: int) -> int:
    """1-based position of cells[index] in the notebook as saved (injected cell not counted)."""
    return sum(1 for c in list(cells)[: index + 1] if not _injected(c))


def label(cells, index: int) -> str:
    """The cell as "cell N `first line`"; papermill's own cell is named as what it is."""
    cells = list(cells)
    cell = cells[index]
    if _injected(cell):
        return f"the injected parameters cell (after cell {position(cells, index)})"
    return f"cell {position(cells, index)} `{first_line(cell)}`"
