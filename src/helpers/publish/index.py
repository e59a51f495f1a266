"""reports/index.html (zh) and reports/index.en.html: the readers' entry pages.

One page per language, each linking to the other; a line per year report in the page's
language — the report's own title (issue #23: not its first main point); the ten-year report
linked by its title, with its summary (<meta name="description">) below. The title's
year range is the range of the year reports listed. Relative links only, so the pages work
from file:// and from any static host. The page is a Jinja template beside nbconvert's.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from helpers import paths
from helpers.engine.atomic import write_text
from helpers.publish import fonts
from helpers.publish.i18n import HTML_LANG, t

TEMPLATES = Path(__file__).resolve().parent / "templates" / "page"
PAGE = {"zh": "index.html", "en": "index.en.html"}
CSS = """
body{font-family:"JJJ Noto Sans CJK SC","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",
"PingFang SC","Microsoft YaHei",system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;
line-height:1.6;color:#222}
h1{font-size:1.6rem;line-height:1.3}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
header{display:flex;justify-content:space-between;align-items:baseline;color:#555}
.kicker{margin:0;font-size:.9rem}
ul.years{list-style:none;padding:0}
ul.years li{padding:.5rem 0;border-bottom:1px solid #eee}
ul.years a:first-child{font-weight:bold}
.summary{display:block;color:#333}
.size{color:#666;font-size:.85rem;white-space:nowrap}
a{color:#0058a3}
footer{margin-top:2rem;font-size:.85rem;color:#666}
"""
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
_TITLE = re.compile(r"<title>([^<]*)</title>")


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _head_match(page: Path, pattern: re.Pattern) -> str:
    """`pattern`'s first group in the page's head (its first 20,000 characters), unescaped."""
    try:
        head = page.read_text(encoding="utf-8")[:20000]
    except OSError:
        return ""
    m = pattern.search(head)
    return html.unescape(m.group(1)).strip() if m else ""


def _summary(page: Path) -> str:
    """The report's own one-line summary: its meta description."""
    return _head_match(page, _DESCRIPTION)


def report_title(page: Path) -> str:
    """The report's own title (its page's first <title>: the notebook's heading)."""
    return _head_match(page, _TITLE)


def _entry(folder: Path, lang: str, reports: Path, label: str, line: str = "title") -> dict | None:
    """A report's index entry: link text `label` (the report's title when it has one) and its
    line: the title (`line="title"`) or the report's summary (`"summary"`)."""
    page, pdf = folder / f"report.{lang}.html", folder / f"report.{lang}.pdf"
    if not page.exists() and not pdf.exists():
        return None
    name = report_title(page) if page.exists() else ""
    text = (name if line == "title" else _summary(page)) if page.exists() else ""
    # Every key the template reads, always (it is strict): a report without a PDF is listed.
    entry = {"label": label, "summary": text, "pdf": ""}
    entry["href"] = (page if page.exists() else pdf).relative_to(reports).as_posix()
    if pdf.exists():
        entry["pdf"], entry["pdf_size"] = pdf.relative_to(reports).as_posix(), _size(pdf)
    return entry


def title(lang: str, years: list[int]) -> str:
    """The project's title with the range of the year reports listed."""
    base = t("project_title", lang)
    if not years:
        return base
    span = str(years[0]) if years[0] == years[-1] else f"{years[0]}—{years[-1]}"
    return f"{base}（{span}）" if lang == "zh" else f"{base}, {span.replace('—', '–')}"


def render_index(reports: Path, lang: str = "zh") -> str:
    """The index page in `lang` for whatever reports exist under `reports`."""
    import jinja2

    found = reports.iterdir() if reports.is_dir() else ()
    year_dirs = sorted(int(p.name) for p in found if p.is_dir() and p.name.isdigit())
    entries = []
    for y in year_dirs:
        e = _entry(reports / str(y), lang, reports, t("year_word", lang, year=y))
        if e:
            entries.append({**e, "year": y})
    listed = [e["year"] for e in entries]
    ten = _entry(reports / "ten-year", lang, reports, t("ten_year_title", lang), "summary")
    if ten and (name := report_title(reports / "ten-year" / f"report.{lang}.html")):
        ten["label"] = name  # the link text is the report's own title
    if ten:
        ten["heading"] = t("ten_year", lang)
    other = "en" if lang == "zh" else "zh"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    page_title = title(lang, listed)
    # The project font, cut to the page's characters: readable without a Chinese system font.
    return fonts.embed_html_font(
        env.get_template("index.html.j2").render(
            html_lang=HTML_LANG[lang],
            title=page_title,
            description=(ten or {}).get("summary") or page_title,
            css=CSS,
            nav_label=t("nav_label", lang),
            other_href=PAGE[other],
            other_html_lang=HTML_LANG[other],
            other_label=t("other_language", lang),
            ten_year=ten,
            years=entries,
            years_heading=t("years_heading", lang),
            footer=t("index_footer", lang),
        )
    )


def write_index(reports_dir: Path | None = None) -> Path:
    """Both index pages; returns the Chinese one (reports/index.html)."""
    reports = Path(reports_dir or paths.REPORTS)
    out = None
    for lang in paths.LANGS:
        path = write_text(reports / PAGE[lang], render_index(reports, lang))
        out = out or path
    return out
