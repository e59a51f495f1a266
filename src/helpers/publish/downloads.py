"""The data behind each chart and table, for readers: CSV + .metadata.json beside the report.

Two halves. In the notebook's kernel, present.table and charts.show put a marker after the
table or chart they display (an HTML comment holding the rows it shows, as the data files
hold them, and the sources they name). At export, render hands the page body to link():
each marker becomes the links under its chart or table, the files' bytes are made here, and
the report's "About the data" section gets the list of files and the suggested citation.

The reader's CSV is UTF-8 *with* a byte-order mark, so Excel opens the Chinese text correctly;
data/processed stays plain UTF-8 (the data package says so). Headers are in the report's
language; the metadata maps each header to its column in data/processed and the data
dictionary's description of it.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import dataclass

import pandas as pd

from helpers import __version__, paths
from helpers.errors import JJJError
from helpers.provenance import source_date

FOLDER = "data"  # beside the report: reports/<slug>/data/
COLOPHON_KEY = "data files (in data/, embedded in the PDF)"
_FILE = re.compile(r"(table|chart)-[0-9]+\.(zh|en)\.(csv|metadata\.json)")
BOM = "\ufeff"
_MARK = re.compile(r"<!--jjj-data:([A-Za-z0-9+/=]*)-->")
# Columns a table adds for display (helpers.publish.sections): never in the reader's CSV,
# which holds the values as the data files do.
DISPLAY = frozenset(
    "value_text bounds_text period_label subject said_by label basis printed_text "
    "reproduced_text check relation_text measure_text cite region_label event date item "
    "kind_text date_shown".split()
)
# Headers a reader sees (zh, en). Kept here, not in i18n: they name data columns, not prose.
HEADERS = {
    "figure_id": ("数据编号", "Figure id"),
    "event_id": ("事件编号", "Event id"),
    "item_id": ("条目编号", "Item id"),
    "source_id": ("来源编号", "Source id"),
    "quote": ("原文", "As printed"),
    "value": ("数值", "Value"),
    "value_low": ("下限", "Lower bound"),
    "value_high": ("上限", "Upper bound"),
    "qualifier": ("限定", "Qualifier"),
    "unit": ("单位（英文）", "Unit"),
    "unit_zh": ("单位", "Unit (Chinese)"),
    "unit_en": ("英文单位", "Unit (English)"),
    "subject_zh": ("指标", "Subject (Chinese)"),
    "subject_en": ("指标（英文）", "Subject"),
    "measure": ("度量编号", "Measure id"),
    "region": ("地区", "Region"),
    "series": ("口径", "Series"),
    "expr_lang": ("原文语言", "Language as printed"),
    "source_label": ("来源", "Source"),
    "period_start": ("时期起", "Period start"),
    "period_end": ("时期止", "Period end"),
    "period_text": ("时期原文", "Period as printed"),
    "period_ambiguous": ("时期有歧义", "Period ambiguous"),
    "period_type": ("时期类型", "Period type"),
    "category": ("类别", "Category"),
    "organization": ("组织", "Organization"),
    "attribution": ("说明者", "Who said it"),
    "alt_period_start": ("另一读法起", "Other reading: start"),
    "alt_period_end": ("另一读法止", "Other reading: end"),
    "date_start": ("日期起", "Date start"),
    "date_end": ("日期止", "Date end"),
    "date_text": ("日期原文", "Date as printed"),
    "text_zh": ("事件", "Event (Chinese)"),
    "text_en": ("事件（英文）", "Event"),
    "span": ("跨度", "Span"),
    "kind": ("种类", "Kind"),
    "url": ("网址", "URL"),
    "publisher": ("发布者", "Publisher"),
    "date_published": ("发布日期", "Published"),
    "relation": ("关系", "Relation"),
    "year_alone": ("仅此一年", "This year alone"),
    "ratio_id": ("比率编号", "Ratio id"),
    "label_zh": ("比率", "Ratio (Chinese)"),
    "label_en": ("比率（英文）", "Ratio"),
    "bound": ("区间", "Bound"),
    "sig": ("有效位数", "Significant digits"),
    "numerator": ("分子", "Numerator"),
    "numerator_quote": ("分子原文", "Numerator as printed"),
    "denominator": ("分母", "Denominator"),
    "denominator_quote": ("分母原文", "Denominator as printed"),
    "in_text": ("见于原文", "In the text"),
    "printed": ("原文数值", "Printed"),
    "reproduced": ("复现值", "Reproduced"),
    "ok": ("一致", "Agrees"),
    "x": ("年份（小数）", "Year (decimal)"),
    "year_end": ("年末数", "Year-end count"),
    "lower_bound": ("仅为下限", "Lower bound only"),
    "rule": ("规则", "Rule"),
    "quotes": ("原文", "As printed"),
    "sources": ("来源", "Sources"),
    "pair_id": ("配对编号", "Pair id"),
    "conflict_id": ("冲突编号", "Conflict id"),
    "period": ("时期", "Period"),
    "also_in": ("亦见于", "Also in"),
}
_PAIRED = {
    "figure_id": ("数据编号", "figure id"),
    "quote": ("原文", "as printed"),
    "value": ("数值", "value"),
    "low": ("下限", "lower bound"),
    "high": ("上限", "upper bound"),
    "qualifier": ("限定", "qualifier"),
}
for _side in ("seed", "public"):
    for _col, (_zh, _en) in _PAIRED.items():
        _who = ("文章", "Article") if _side == "seed" else ("公开记录", "Public record")
        HEADERS[f"{_side}_{_col}"] = (_who[0] + _zh, f"{_who[1]}: {_en}")
HEADERS |= {
    "public_source_id": ("公开记录来源", "Public record: source id"),
    "public_period_start": ("公开记录时期起", "Public record: period start"),
    "public_period_end": ("公开记录时期止", "Public record: period end"),
    "public_date_published": ("公开记录发布日期", "Public record: published"),
}
for _side in ("a", "b"):
    for _col in ("figure_id", "source", "quote", "value", "qualifier"):
        _zh, _en = HEADERS.get(_col, HEADERS.get(f"{_col}_id", (_col, _col)))
        HEADERS[f"{_col}_{_side}"] = (f"{_zh}{_side.upper()}", f"{_en} {_side.upper()}")

LABELS = {
    "table": {"zh": "表{n}", "en": "Table {n}"},
    "chart": {"zh": "图{n}", "en": "Chart {n}"},
    "csv": {"zh": "{what}数据（CSV）", "en": "{what} data (CSV)"},
    "meta": {"zh": "{what}元数据（JSON）", "en": "{what} metadata (JSON)"},
    "about": {"zh": "关于数据", "en": "About the data"},
    "files": {"zh": "数据文件", "en": "Data files"},
    "files_note": {
        "zh": "每张图表的数据另存为CSV文件（UTF-8，Excel可直接打开），并附元数据文件（标题、单位、"
        "来源及引用、处理说明）；文件在本报告旁的data文件夹中，也嵌入在PDF版内。",
        "en": "The data of every chart and table is a CSV file (UTF-8, opens in Excel) with a "
        "metadata file (title, units, sources with citation, processing note), in the data "
        "folder beside this report and embedded in its PDF.",
    },
    "rows": {"zh": "（{n}行）：", "en": " ({n} rows):"},
    "row": {"zh": "（{n}行）：", "en": " ({n} row):"},
    "cite": {"zh": "建议引用", "en": "Suggested citation"},
    "citation": {
        "zh": "jjj-report（{year}）。{title}。版本{version}，构建于{date}。",
        "en": "jjj-report ({year}). {title}. Version {version}, built {date}.",
    },
}
PROCESSING = (
    "Rows as jjj-report {version} holds them in data/processed (values in base units, scale "
    "applied: 21.88亿 -> 2188000000.0; an empty cell means not given). Cleaned from the "
    "sources' text by a hand-checked codebook and parsed again from the text; see "
    "docs/methodology.md and docs/data-dictionary.md."
)


# --------------------------------------------------------------------- in the kernel


def data_frame(df: pd.DataFrame, data: pd.DataFrame | None = None) -> pd.DataFrame:
    """What a table's download holds: `data` if given, else `df` without display columns."""
    return data if data is not None else df[[c for c in df.columns if c not in DISPLAY]]


def marker(data: pd.DataFrame, kind: str) -> str:
    """An HTML comment carrying `data` (a table's or chart's rows) for link() at export."""
    if kind not in ("table", "chart"):
        raise JJJError(f"download marker: unknown kind {kind!r}")
    # A cell holding several ids (a figure's `also_in` pages) is written as "a; b".
    data = data.map(lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v)
    body = io.StringIO()
    data.to_csv(body, index=False, header=False, lineterminator="\n")
    sids = list(dict.fromkeys(str(s) for s in data.get("source_id", pd.Series(dtype=str))))
    for col in ("source_a", "source_b", "public_source_id", "also_in"):
        for cell in data.get(col, []):
            sids += [s for s in str(cell).split("; ") if s and s not in sids]
    units = [str(u) for u in dict.fromkeys(data.get("unit", [])) if isinstance(u, str) and u]
    payload = {
        "kind": kind,
        "columns": [str(c) for c in data.columns],
        "csv": body.getvalue(),
        "rows": len(data),
        "sources": sids,  # described at export, from data/processed/sources.csv
        "units": units,
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return f"<!--jjj-data:{base64.b64encode(raw).decode('ascii')}-->"


def _sources() -> dict[str, dict]:
    """data/processed/sources.csv (the data package's task writes it; exports follow it)."""
    path = paths.PROCESSED / "sources.csv"
    try:
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise JJJError(f"{path}: not found; the build's datapackage task writes it") from None
    return {r["source_id"]: r.to_dict() for _, r in rows.iterrows()}


def _source(sid: str, known: dict[str, dict]) -> dict:
    """A source as the metadata lists it: id, publisher, date, title, URL and a citation."""
    s = known.get(sid)
    if s is None:
        raise JJJError(f"download: source {sid!r} is not in data/processed/sources.csv")
    parts = [s["publisher"], s["date_published"], s["title"], s["url"]]
    return {**s, "citation": ". ".join(str(p) for p in parts if p) + "."}


# --------------------------------------------------------------------- at export


@dataclass(frozen=True)
class Dataset:
    """One download: its file names (in data/), title, and the bytes of both files."""

    kind: str
    number: int
    csv_name: str
    meta_name: str
    title: str
    rows: int
    csv: bytes
    metadata: bytes

    def label(self, lang: str) -> str:
        return LABELS[self.kind][lang].format(n=self.number)


def _heading_before(body: str, at: int) -> str:
    heads = re.findall(r"<h[1-4]\b[^>]*>(.*?)</h[1-4]>", body[:at], flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", heads[-1])).strip() if heads else ""


def _descriptions() -> dict[str, str]:
    """Column → the data dictionary's meaning (the first table that names it). Read at each
    export, not cached: a worker may outlive an edit of the dictionary."""
    from helpers.clean.datapackage import DICTIONARY, _plain, dictionary_columns

    out: dict[str, str] = {}
    for cols in dictionary_columns(DICTIONARY.read_text(encoding="utf-8")).values():
        for name, doc in cols.items():
            out.setdefault(name, _plain(doc["meaning"]))
    return out


def header(column: str, lang: str) -> str:
    if column not in HEADERS:
        raise JJJError(f"download: no reader's header for column {column!r} (downloads.HEADERS)")
    return HEADERS[column][0 if lang == "zh" else 1]


def citation(title: str, lang: str) -> str:
    """The suggested citation of a report: version and build date (the commit's date)."""
    date = (source_date() or "")[:10] or "undated"
    return LABELS["citation"][lang].format(
        year=date[:4], title=title, version=__version__, date=date
    )


def _dataset(payload: dict, number: int, lang: str, title: str, cite: str, known, described):
    kind, columns = payload["kind"], payload["columns"]
    what = LABELS[kind][lang].format(n=number)
    stem = f"{kind}-{number}.{lang}"
    names = [header(c, lang) for c in columns]
    if len(set(names)) < len(names):
        raise JJJError(f"download {stem}: two columns share a header in {names}")
    head = ",".join(_csv_cell(n) for n in names)
    csv = (BOM + head + "\n" + payload["csv"]).encode("utf-8")
    meta = {
        "title": f"{what}{'：' if lang == 'zh' else ': '}{title}" if title else what,
        "file": f"{stem}.csv",
        "encoding": "utf-8-sig",
        "format": "csv",
        "rows": payload["rows"],
        "language": lang,
        "fields": [
            {"name": header(c, lang), "column": c, "description": described.get(c, "")}
            for c in columns
        ],
        "units": payload["units"],
        "sources": [_source(sid, known) for sid in payload["sources"]],
        "processing": PROCESSING.format(version=__version__),
        "license": "MIT (the project's compilation; quoted text stays its publishers')",
        "citation": cite,
        "version": __version__,
    }
    text = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return Dataset(kind, number, f"{stem}.csv", f"{stem}.metadata.json", meta["title"],
                   payload["rows"], csv, text.encode("utf-8"))  # fmt: skip


def _csv_cell(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if re.search(r'[",\n]', text) else text


def _links_html(ds: Dataset, lang: str) -> str:
    what = ds.label(lang)
    csv = html.escape(LABELS["csv"][lang].format(what=what))
    meta = html.escape(LABELS["meta"][lang].format(what=what))
    return (
        f'<p class="download"><a href="{FOLDER}/{ds.csv_name}" type="text/csv">{csv}</a>'
        f' · <a href="{FOLDER}/{ds.meta_name}" type="application/json">{meta}</a></p>'
    )


def link(body: str, lang: str, *, title: str) -> tuple[str, list[Dataset]]:
    """The body with each marker replaced by its links, and the datasets in page order."""
    cite = citation(title, lang)
    marked = bool(_MARK.search(body))
    known, described = (_sources(), _descriptions()) if marked else ({}, {})
    datasets: list[Dataset] = []
    counts = {"table": 0, "chart": 0}

    def one(m: re.Match) -> str:
        payload = json.loads(base64.b64decode(m[1]).decode("utf-8"))
        counts[payload["kind"]] += 1
        heading = _heading_before(body, m.start())
        ds = _dataset(payload, counts[payload["kind"]], lang, heading, cite, known, described)
        datasets.append(ds)
        return _links_html(ds, lang)

    return _MARK.sub(one, body), datasets


def _rows(n: int, lang: str) -> str:
    return LABELS["row" if n == 1 else "rows"][lang].format(n=n)


def about_html(datasets: list[Dataset], lang: str, cite: str) -> str:
    """The list of files and the suggested citation, for the "About the data" section."""
    items = "".join(
        f"<li>{html.escape(ds.title + _rows(ds.rows, lang))} "
        f'<a href="{FOLDER}/{ds.csv_name}" type="text/csv">{html.escape(ds.csv_name)}</a> · '
        f'<a href="{FOLDER}/{ds.meta_name}" type="application/json">'
        f"{html.escape(ds.meta_name)}</a></li>"
        for ds in datasets
    )
    files = (
        f"<h3>{LABELS['files'][lang]}</h3>\n<p>{html.escape(LABELS['files_note'][lang])}</p>\n"
        f'<ul class="downloads">{items}</ul>\n'
        if datasets
        else ""
    )
    return (
        f'<div class="about-data">\n{files}'
        f'<h3>{LABELS["cite"][lang]}</h3>\n<p class="citation">{html.escape(cite)}</p>\n</div>\n'
    )


def insert_about(body: str, about: str, lang: str) -> str:
    """`about` at the end of the notebook's "About the data" section; a section of its own
    at the end of the body when the notebook has none."""
    name = re.escape(html.escape(LABELS["about"][lang]))
    head = re.search(rf"<h2\b[^>]*>\s*{name}\s*</h2>", body)
    if head is None:
        return f"{body}\n<section>\n<h2>{LABELS['about'][lang]}</h2>\n{about}</section>\n"
    nxt = re.compile(r"<h2\b").search(body, head.end())
    at = _block_start(body, nxt.start()) if nxt else len(body)
    return body[:at] + about + body[at:]


_CELL = re.compile(r'<div\b[^>]*\sclass="cell ')


def _block_start(body: str, at: int) -> int:
    """Where the cell holding position `at` starts (nbconvert wraps each cell in a div, its
    attributes in the template's order)."""
    start = at
    for m in _CELL.finditer(body, 0, at):
        start = m.start()
    return start


def files(datasets: list[Dataset], report_dir) -> dict:
    """{path: bytes} of every download of a report, in its data/ folder."""
    folder = report_dir / FOLDER
    out = {}
    for ds in datasets:
        out[folder / ds.csv_name] = ds.csv
        out[folder / ds.meta_name] = ds.metadata
    return out


def remove_stale(report_dir, lang: str, keep) -> list:
    """Remove this language's downloads the report no longer links (a table removed)."""
    folder = report_dir / FOLDER
    gone = []
    for p in sorted(folder.glob(f"*.{lang}.*")) if folder.is_dir() else ():
        m = _FILE.fullmatch(p.name)
        if m and m[2] == lang and p not in keep and not p.is_symlink():
            p.unlink()
            gone.append(p)
    return gone
