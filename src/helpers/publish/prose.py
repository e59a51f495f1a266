"""Numbers in prose: named values glued in code cells, filled into markdown cells at export.

A code cell names values (`glue("nat_total", Value(...))`, a Value of helpers.publish.formatting);
a markdown cell tagged `lang-zh` or `lang-en` writes `{{ nat_total }}` where the number goes. At
export (`prepare`), the report keeps its language's cells, drops the other's, keeps a cell
tagged `if-<name>` / `unless-<name>` only when that glued bool holds
(helpers.publish.conditions), and replaces each placeholder by the value formatted for the
language, qualifier kept, linked to a numbered note that gives the quote and its source
(helpers.publish.notes). The shapes are documented in docs/editing-a-notebook.md (the prose
contract).
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import asdict

from helpers import paths
from helpers.engine import cells
from helpers.errors import JJJError
from helpers.publish import conditions
from helpers.publish.formatting import Citation, Value, format_value
from helpers.publish.notes import NOTE_LABEL, Notes

MIMETYPE = "application/vnd.jjj-report.glue+json"
LANGS = paths.LANGS
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


# ------------------------------------------------------------------------- gluing values


def _to_json(value) -> dict:
    if isinstance(value, Value):
        return {"kind": "value", **asdict(value)}
    if isinstance(value, bool):
        return {"kind": "bool", "value": value}
    if isinstance(value, str):
        return {"kind": "str", "value": value}
    raise JJJError(f"prose.glue: a {type(value).__name__} cannot be glued; use Value, bool or str")


def _value_from(d: dict) -> Value:
    d = dict(d)
    d.pop("kind", None)
    if d.get("citation"):
        d["citation"] = Citation(**d["citation"])
    d["basis"] = tuple(_value_from(b) for b in d.get("basis") or ())
    return Value(**d)


def _from_json(d: dict):
    if d.get("kind") == "value":
        return _value_from(d)
    return d["value"]


def bundle(values: dict) -> dict:
    """The display_data output that carries `values` inside the executed notebook."""
    for name in values:
        if not NAME.fullmatch(name):
            raise JJJError(f"prose.glue: {name!r} is not a name (letters, digits, _ and .)")
    data = {MIMETYPE: {name: _to_json(v) for name, v in values.items()}}
    return {"output_type": "display_data", "data": data, "metadata": {}}


def glue(name: str | dict, value=None) -> None:
    """Name a value (or a dict of them) for the prose; nothing is shown in the report."""
    from IPython.display import display

    values = name if isinstance(name, dict) else {name: value}
    display(bundle(values)["data"], raw=True)


# ------------------------------------------------------------------------------ export


def collect(nb) -> dict:
    """Every glued value of an executed notebook, later glues overriding earlier ones."""
    values: dict = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {}) if out.get("output_type") == "display_data" else {}
            for name, d in (data.get(MIMETYPE) or {}).items():
                values[name] = _from_json(d)
    return values


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _keep(cell, where: str, lang: str, values: dict) -> bool:
    tags = _tags(cell)
    langs = [t.removeprefix("lang-") for t in tags if t.startswith("lang-")]
    if langs and lang not in langs:
        return False
    return conditions.holds(tags, values, where)


def value_html(name: str, value, notes: Notes, *, heading: bool = False) -> str:
    """The filled placeholder, as a token standing for the formatted value and its note link.

    In a heading the value is plain text: a heading is also the page's <title> and the PDF's
    outline entry, where a note marker would read as "[1]". Its note comes with the same
    value in the text below."""
    if isinstance(value, bool):
        raise JJJError(f"prose: {name!r} is a condition, not a value to print")
    if isinstance(value, str):
        return notes.token(html.escape(value), value)
    if heading:
        plain = format_value(value, notes.lang)
        return notes.token(html.escape(plain), plain)
    n = notes.number(name, value)
    plain = format_value(value, notes.lang)
    label = html.escape(NOTE_LABEL[notes.lang].format(n=n), quote=True)
    return notes.token(
        f'<span class="value">{html.escape(plain)}</span><sup class="note-ref">'
        f'<a href="#note-{n}" role="doc-noteref" aria-label="{label}">[{n}]</a></sup>',
        plain,
    )


def fill(source: str, values: dict, notes: Notes, where: str) -> str:
    """Replace every {{ name }} in a markdown cell's source."""

    def sub(m: re.Match, heading: bool) -> str:
        name = m.group(1)
        if name not in values:
            raise JJJError(f"{where}: unknown name {name!r} in {{{{ {name} }}}}")
        return value_html(name, values[name], notes, heading=heading)

    out = []
    for line in source.splitlines(keepends=True):
        heading = HEADING.match(line) is not None
        out.append(PLACEHOLDER.sub(lambda m, h=heading: sub(m, h), line))
    return "".join(out)


def prepare(nb, lang: str, *, notebook: str = "notebook", drop_tags=()) -> tuple[object, Notes]:
    """The notebook as the report shows it in `lang`, and its Notes (the notes' HTML, and the
    tokens its markdown holds in place of values: `notes.substitute(rendered_html)`).

    Drops the other language's cells, cells tagged with `drop_tags`, cells whose condition does
    not hold and the glue outputs; fills the placeholders of the markdown cells kept.
    """
    if lang not in LANGS:
        raise JJJError(f"prose: unknown language {lang!r}")
    values = collect(nb)
    notes = Notes(lang)
    out = copy.deepcopy(nb)
    kept = []
    for index, cell in enumerate(out.cells):
        if set(_tags(cell)) & set(drop_tags):
            continue
        where = f"{notebook}: {cells.label(out.cells, index)}"
        if not _keep(cell, where, lang, values):
            continue
        if cell.cell_type == "markdown":
            cell.source = fill(cell.source, values, notes, where)
        elif cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.get("outputs", []) if MIMETYPE not in (o.get("data") or {})
            ]
        kept.append(cell)
    out.cells = kept
    return out, notes


def title(nb, notes: Notes) -> str:
    """Plain text of the first level-one heading of the kept markdown cells (the page's
    <title> and the PDF's title), or "" when there is none."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in notes.plain(cell.source).splitlines():
            if line.startswith("# "):
                return " ".join(re.sub(r"<[^>]+>", "", line[2:]).split())
    return ""


def description(nb, notes: Notes) -> str:
    """Plain text of the first kept markdown cell tagged `description` (for the page's
    <meta name="description"> and the index line)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "description" in _tags(cell):
            text = re.sub(r"^\s*(#+|[-*])\s+", "", notes.plain(cell.source), flags=re.M)
            return " ".join(re.sub(r"<[^>]+>", "", text).split())
    return ""
