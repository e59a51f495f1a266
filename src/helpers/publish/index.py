"""reports/index.html: the readers' entry page — every report, both formats, sizes, a line
per year. Relative links only, so it works from file:// and from any static host."""

from __future__ import annotations

import html
from pathlib import Path

from helpers import paths
from helpers.engine.atomic import write_text
from helpers.errors import JJJError
from helpers.publish.i18n import HTML_LANG, t

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC",
"Microsoft YaHei",system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;
line-height:1.55;color:#222}
h1{font-size:1.5rem;line-height:1.3}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #999}
td.size{color:#666;font-size:.85rem;white-space:nowrap}
@media (max-width:40rem){table{min-width:34rem}td.summary{min-width:12rem}}
a{color:#0058a3}
footer{margin-top:2rem;font-size:.85rem;color:#666}
"""


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _summaries(years: list[int]) -> dict[tuple[int, str], str]:
    """The one-line summary of each year, from the processed tables (empty if not built)."""
    try:
        from helpers.analyze import years as years_mod
        from helpers.clean import tables

        data = tables.load()
    except JJJError:  # nothing processed yet (a benchmark's bare folder): links only
        return {}
    out = {}
    for y in years:
        v = years_mod.view(data.figures, data.events, data.citations, y)
        for lang in paths.LANGS:
            out[(y, lang)] = years_mod.summary(v, lang)
    return out


def _links(folder: Path, lang: str, reports: Path) -> str:
    cells = []
    for ext in ("html", "pdf"):
        f = folder / f"report.{lang}.{ext}"
        if f.exists():
            rel = html.escape(f.relative_to(reports).as_posix(), quote=True)
            label = html.escape(t(ext, lang))
            cells.append(f'<a href="{rel}" hreflang="{HTML_LANG[lang]}">{label}</a> ({_size(f)})')
    return " · ".join(cells)


def render_index(reports: Path) -> str:
    """The page, for whatever reports exist under `reports`."""
    found = reports.iterdir() if reports.is_dir() else ()
    years = sorted(int(p.name) for p in found if p.is_dir() and p.name.isdigit())
    summaries = _summaries(years)
    rows = []
    folders = [("ten-year", reports / "ten-year")] + [(str(y), reports / str(y)) for y in years]
    for name, folder in folders:
        if not folder.is_dir():
            continue
        for lang in paths.LANGS:
            links = _links(folder, lang, reports)
            if not links:
                continue
            label = t("ten_year", lang) if name == "ten-year" else t("year_word", lang, year=name)
            summary = (
                t("ten_year_description", lang)
                if name == "ten-year"
                else summaries.get((int(name), lang), "")
            )
            rows.append(
                f'<tr lang="{HTML_LANG[lang]}"><td>{html.escape(label)}</td>'
                f'<td class="size">{links}</td><td class="summary">{html.escape(summary)}</td></tr>'
            )
    head = "".join(
        f"<th scope='col'>{html.escape(t(k, 'zh'))} / {html.escape(t(k, 'en'))}</th>"
        for k in ("col_report", "col_source", "col_summary")
    )
    head = head.replace(
        html.escape(t("col_source", "zh")) + " / " + html.escape(t("col_source", "en")),
        "HTML · PDF",
    )
    title = f"{t('project_title', 'zh')} · {t('project_title', 'en')}"
    description = html.escape(t("ten_year_description", "en"), quote=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<meta name="description" content="{description}">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(t('project_title', 'zh'))}<br>"
        f'<span lang="en">{html.escape(t("project_title", "en"))}</span></h1>\n'
        f"<div class='table-wrap'><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>\n"
        "<footer>jjj-report · 数据与方法见各报告末尾的来源与版本说明 / sources and versions at "
        "the end of every report</footer>\n</body>\n</html>\n"
    )


def write_index(reports_dir: Path | None = None) -> Path:
    reports = Path(reports_dir or paths.REPORTS)
    return write_text(reports / "index.html", render_index(reports))
