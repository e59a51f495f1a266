"""Readers' downloads: each chart's and table's data as CSV + metadata beside the report."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from helpers.errors import JJJError
from helpers.publish import downloads, present

ROWS = pd.DataFrame(
    {
        "figure_id": ["a", "b"],
        "source_id": ["no-such-page", "no-such-page"],
        "quote": ["约21.88亿元", '6300多家 "<b>"'],
        "value": [2188000000.0, 6300.0],
        "value_low": [None, 6300.0],
        "value_high": [None, 6400.0],
        "qualifier": ["about", "more_than"],
        "unit": ["yuan", "organizations"],
        "value_text": ["about 2.188 billion yuan", "over 6,300 organizations"],
    }
)
COLS = {"quote": "col_quote", "value_text": "col_value"}
PAGES = {
    sid: {"source_id": sid, "kind": "page", "publisher": "A <paper>", "date_published": "2019",
          "title": "", "url": f"https://example.org/{sid}"}
    for sid in ("no-such-page", "p1", "p2")
}  # fmt: skip


@pytest.fixture(autouse=True)
def pages(monkeypatch):
    """The sources the rows name, as data/processed/sources.csv would list them."""
    monkeypatch.setattr(downloads, "_sources", lambda: PAGES)


def page_body(fragment: str) -> str:
    return f"<h2>Headline &amp; totals</h2>\n{fragment}\n"


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode()), "the reader's CSV starts with a BOM (Excel)"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_table_carries_its_rows_as_the_data_files_hold_them():
    fragment = present.table(ROWS, COLS, "en")
    body, [ds] = downloads.link(page_body(fragment), "en", title="A report")
    assert "jjj-data" not in body
    rows = read_csv(ds.csv)
    assert rows[0][:4] == ["Figure id", "Source id", "As printed", "Value"]
    assert "value_text" not in str(rows) and "about 2.188" not in str(rows)  # display only
    assert rows[1][3] == "2188000000.0" and rows[1][4] == ""  # empty: not given
    assert rows[2][2] == '6300多家 "<b>"'  # source text is data: as is in the CSV
    assert (ds.csv_name, ds.meta_name) == ("table-1.en.csv", "table-1.en.metadata.json")
    meta = json.loads(ds.metadata)
    assert meta["title"] == "Table 1: Headline & totals"
    assert meta["units"] == ["yuan", "organizations"]
    assert meta["fields"][3] == {
        "name": "Value",
        "column": "value",
        "description": "the stated number, scale applied (约21.88亿元 → 2188000000)",
    }
    assert meta["encoding"] == "utf-8-sig" and meta["rows"] == 2
    assert "Version" in meta["citation"]


def test_links_sit_under_the_table_and_escape_nothing_twice():
    body, [ds] = downloads.link(page_body(present.table(ROWS, COLS, "zh")), "zh", title="报告")
    after = body[body.index("</table></div>") :]
    assert after.startswith('</table></div><p class="download"><a href="data/table-1.zh.csv"')
    assert "表1数据（CSV）" in after and "data/table-1.zh.metadata.json" in after
    assert read_csv(ds.csv)[0][:3] == ["数据编号", "来源编号", "原文"]
    assert "&quot;&lt;b&gt;&quot;" in body  # the table cell, escaped once


def test_a_chart_with_data_is_numbered_apart_from_tables():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.publish import charts

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    chart = charts.chart_html(fig, "two points", "Source: here", data=ROWS[["figure_id", "value"]])
    plt.close(fig)
    body = page_body(chart + present.table(ROWS, COLS, "en"))
    body, sets = downloads.link(body, "en", title="T")
    assert [d.csv_name for d in sets] == ["chart-1.en.csv", "table-1.en.csv"]
    figure = body[body.index("<figure") : body.index("</figure>")]
    assert 'href="data/chart-1.en.csv"' in figure  # under the chart, inside its figure


def test_sources_are_described_with_a_citation_and_an_unknown_one_is_named(monkeypatch):
    _, [ds] = downloads.link(present.table(ROWS, COLS, "en"), "en", title="T")
    [page] = json.loads(ds.metadata)["sources"]
    assert page["citation"] == "A <paper>. 2019. https://example.org/no-such-page."
    monkeypatch.setattr(downloads, "_sources", dict)
    with pytest.raises(JJJError, match="source 'no-such-page' is not in data/processed/sources"):
        downloads.link(present.table(ROWS, COLS, "en"), "en", title="T")


def test_a_column_without_a_readers_header_is_named():
    with pytest.raises(JJJError, match="no reader's header for column 'colour'"):
        downloads.link(present.table(ROWS.assign(colour=1), COLS, "en"), "en", title="T")


def test_list_cells_are_joined_and_their_sources_listed():
    rows = ROWS.assign(also_in=[["p1", "p2"], []])
    _, [ds] = downloads.link(present.table(rows, COLS, "en"), "en", title="T")
    assert read_csv(ds.csv)[1][-1] == "p1; p2"
    ids = [s["source_id"] for s in json.loads(ds.metadata)["sources"]]
    assert ids == ["no-such-page", "p1", "p2"]


@pytest.mark.parametrize("cell", [
    '<div class="cell border-box-sizing text_cell">',
    '<div id="cell-id=cell-3" class="cell border-box-sizing text_cell">',  # nbconvert's order
])  # fmt: skip
def test_about_goes_to_the_end_of_the_notebooks_section(cell):
    body = (f"{cell}<h2>About the data</h2><p>words</p></div>\n"
            f"{cell}<p>more</p></div>\n{cell}<h2>Appendix: sources</h2></div>")  # fmt: skip
    out = downloads.insert_about(body, "<div class='about-data'></div>", "en")
    assert out.index("more") < out.index("about-data") < out.index("Appendix")
    alone = downloads.insert_about("<h2>Other</h2>", "<div class='about-data'></div>", "en")
    assert alone.endswith("<h2>About the data</h2>\n<div class='about-data'></div></section>\n")


def test_citation_says_version_and_build_date(monkeypatch):
    from helpers import __version__

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1713484800")
    want = f"jjj-report (2024). T. Version {__version__}, built 2024-04-19."
    assert downloads.citation("T", "en") == want
    assert downloads.citation("题", "zh").startswith("jjj-report（2024）。题。版本")


def test_stale_files_of_the_language_are_removed(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("table-1.en.csv", "table-2.en.csv", "table-2.zh.csv", "notes.en.txt"):
        (folder / name).write_text("x")
    gone = downloads.remove_stale(tmp_path, "en", keep={folder / "table-1.en.csv"})
    assert [p.name for p in gone] == ["table-2.en.csv"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.en.txt",
        "table-1.en.csv",
        "table-2.zh.csv",
    ]


# ----------------------------------------------------------------- the built reports (slow)


class _Links(HTMLParser):
    """Every table and chart of a page, each with the links that follow it, and every href."""

    def __init__(self):
        super().__init__()
        self.blocks: list[dict] = []  # {"kind", "rows": [[cell text]], "links": [href]}
        self.hrefs: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.blocks.append({"kind": "table", "rows": [], "links": []})
        elif tag == "figure" and "chart" in (a.get("class") or ""):
            self.blocks.append({"kind": "chart", "rows": [], "links": []})
        elif tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if a["href"].startswith("data/") and self.blocks and not self.blocks[-1]["links"]:
                self.blocks[-1]["links"].append(a["href"])

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row:
            self.blocks[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def check_reports(reports: Path) -> dict[str, int]:
    """Walk every report page: each table and chart has a CSV link that opens, the CSV has the
    table's rows (its figures' values read back as the table shows them), every relative
    link resolves, and the PDF embeds the same files. Returns counts."""
    from helpers.clean.periods import blank

    counts = {"pages": 0, "tables": 0, "charts": 0, "values": 0, "pdf_files": 0}
    for page in sorted(reports.glob("*/report.*.html")):
        lang = page.name.split(".")[1]
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        counts["pages"] += 1
        for href in parser.hrefs:
            if not re.match(r"[a-z]+:|#", href):
                assert (page.parent / href).is_file(), f"{page}: {href} does not open"
        for block in parser.blocks:
            counts[block["kind"] + "s"] += 1
            assert block["links"], f"{page}: a {block['kind']} without its CSV link"
            data = (page.parent / block["links"][0]).read_bytes()
            rows = read_csv(data)
            if block["kind"] == "table":
                assert len(rows) - 1 == len(block["rows"]), f"{page}: {block['links'][0]}"
                meta_path = page.parent / block["links"][0].replace(".csv", ".metadata.json")
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                counts["values"] += _same_values(rows, block["rows"], meta, lang, blank)
        pdf = PdfReader(page.with_suffix(".pdf"))
        embedded = {name: blobs[0] for name, blobs in pdf.attachments.items()}
        beside = {p.name: p.read_bytes() for p in (page.parent / "data").glob(f"*.{lang}.*")}
        assert embedded == beside and embedded, f"{page.with_suffix('.pdf')}"
        counts["pdf_files"] += len(embedded)
    return counts


def _same_values(csv_rows, table_rows, meta: dict, lang, blank) -> int:
    """Where the CSV holds figures (value, bounds, qualifier, unit), the table's rows show
    those values as the reports write them."""
    where = {f["column"]: k for k, f in enumerate(meta["fields"])}
    wanted = ("value", "value_low", "value_high", "qualifier", "unit", "unit_zh")
    if not set(wanted) <= set(where):
        return 0
    compared = 0
    for got, shown in zip(csv_rows[1:], table_rows, strict=True):
        row = {c: got[where[c]] for c in wanted}
        if blank(row["value"]):  # an event among dated figures: no value to show
            continue
        for c in ("value", "value_low", "value_high"):
            row[c] = None if blank(row[c]) else float(row[c])
        assert present.value_text(row, lang) in shown, (got, shown)
        compared += 1
    return compared


@pytest.mark.slow  # reads the reports of the shared build
def test_every_table_and_chart_of_every_report_has_its_data(built):
    counts = check_reports(built / "reports")
    assert counts["pages"] == 6 and counts["tables"] > 20 and counts["charts"] >= 6, counts
    assert counts["values"] > 50 and counts["pdf_files"] > 40, counts
