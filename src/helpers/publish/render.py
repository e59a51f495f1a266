"""Executed notebook → public HTML page → PDF (WeasyPrint, from that same HTML).

The HTML is self-contained (no script, nothing fetched: charts are inline SVG, images data
URIs) and byte-identical for the same notebook. The PDF embeds only the project's font, as a
subset; its dates come from SOURCE_DATE_EPOCH, so it too is byte-identical for a commit.
"""

from __future__ import annotations

import base64
import copy
import html as html_lib
import logging
import re
import shutil
import unicodedata
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import nbformat
from markupsafe import Markup

from helpers import __version__
from helpers.engine import cells
from helpers.engine.atomic import atomic_path
from helpers.errors import JJJError
from helpers.provenance import source_date
from helpers.publish import fonts, i18n, prose, tagging

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "jjj"
AUTHOR = "jjj-report"
HTML_LANG = i18n.HTML_LANG
COLOPHON_HEADING = {"zh": "版本与来源", "en": "Colophon"}
NAV_LABEL = {"zh": "报告导航", "en": "Report navigation"}
INDEX_LABEL = {"zh": "全部报告", "en": "All reports"}
OTHER_LABEL = {"zh": "English", "en": "中文"}
REMOVE_CELL_TAGS = {"injected-parameters", "parameters", "remove-cell", "remove_cell"}
REMOVE_INPUT_TAGS = {"remove-input", "remove_input"}
REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output"}
# PDF/A-3b (archival): measured byte-identical across processes and working directories (the
# /ID is an md5 of the file, XMP carries only SOURCE_DATE_EPOCH dates), +~3.4 kB for the sRGB
# output intent. Kept. Not validated with veraPDF here.
PDF_VARIANT: str | None = "pdf/a-3b"

# Anything that would make a browser fetch or run something. <a href="https://…"> is a link a
# reader may follow, not a load, so it is allowed. Patterns look inside tags and CSS only, so
# prose that merely mentions "src=" or "url(" (escaped by then) cannot trip them. A value may
# be quoted or not; the quote is consumed before the data: test, never skipped over.
_NOT_DATA = r"""(?:"(?!\s*(?:data:|#))|'(?!\s*(?:data:|#))|(?![\s"']|data:|#))"""
_FORBIDDEN_TAGS = [
    (re.compile(r"<script\b", re.I), "a <script> element"),
    (re.compile(r"<(link|base|meta\s+http-equiv)\b", re.I), "a <link>/<base>/refresh element"),
    (
        re.compile(r"<[a-z][^>]*\s(src|data|poster|action|formaction)\s*=\s*" + _NOT_DATA, re.I),
        "a src/data/poster attribute that is not a data: URI",
    ),
    # href loads in SVG (<image>, <use>) and <link>; only <a> merely links.
    (
        re.compile(r"<(?!a[\s>])[a-z][^>]*\s(?:xlink:)?href\s*=\s*" + _NOT_DATA, re.I),
        "an href outside <a> that is not a data: URI or #fragment",
    ),
    # srcset lists candidates; a data: URI may hold commas, so any srcset is refused.
    (re.compile(r"<[a-z][^>]*\ssrcset\s*=", re.I), "a srcset attribute"),
]
_FORBIDDEN_CSS = [
    (re.compile(r"@import\b", re.I), "a CSS @import"),
    (re.compile(r"url\(\s*" + _NOT_DATA, re.I), "a CSS url() that is not a data: URI"),
]
_CSS_PARTS = re.compile(r'<style\b[^>]*>(.*?)</style>|\sstyle\s*=\s*"([^"]*)"', re.I | re.S)


def _lang(lang: str) -> str:
    if lang not in HTML_LANG:
        raise JJJError(f"unknown report language {lang!r}; expected one of {sorted(HTML_LANG)}")
    return HTML_LANG[lang]


def _esc(value) -> str:
    return html_lib.escape(str(value), quote=True)


@cache  # one per worker: a fresh exporter re-reads and re-compiles its templates per report
def _exporter():
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True  # "¶" links would print into the PDF
    c.HTMLExporter.embed_images = True  # markdown images become data: URIs
    exporter = _exporter_class()
    return exporter(config=c, template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])


def _exporter_class():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Exporter(HTMLExporter):
        """HTMLExporter without its last step: re-parsing the page with BeautifulSoup to give
        <img> alt text and JupyterLab's cell wrappers a tabindex. The project's template has
        neither (alt text is checked by _check_image_alt), so that pass only re-serialised the
        page: ~0.04 CPU-s per report. The filters are registered as HTMLExporter does."""

        def from_notebook_node(self, nb, resources=None, **kw):
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            highlight = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return Exporter


def _clean_outputs(nb: nbformat.NotebookNode, notebook: str = "notebook") -> nbformat.NotebookNode:
    """Refuse errors; drop stderr (warnings carry absolute paths and differ by machine)."""
    nb = copy.deepcopy(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        kept = []
        where = f"{notebook}: {cells.label(nb.cells, index)}"
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                name = output.get("ename", "error")
                raise JJJError(f"{where} has an error output ({name}); not publishing it")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue
            _check_image_alt(output, cell, where)
            kept.append(output)
        cell.outputs = kept
    return nb


_IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")


def _check_image_alt(output, cell, where: str) -> None:
    """An image output the page will show as <img> needs alt text (HTML wins if present)."""
    data = output.get("data", {})
    mime = next((m for m in _IMAGE_MIMES if m in data), None)
    if mime is None or "text/html" in data:
        return
    alt = (output.get("metadata", {}).get(mime) or {}).get("alt") or cell.metadata.get("alt")
    if not str(alt or "").strip():
        raise JJJError(
            f"{where} shows an image without alt text: give it one "
            "(display(Image(..., alt='what it shows'))) or plt.show() a titled chart"
        )


def check_self_contained(page: str) -> None:
    """Raise if the page could run a script or fetch anything."""
    css = "\n".join(a or b for a, b in _CSS_PARTS.findall(page))
    for text, patterns in ((page, _FORBIDDEN_TAGS), (css, _FORBIDDEN_CSS)):
        for pattern, what in patterns:
            if match := pattern.search(text):
                snippet = text[match.start() : match.start() + 60]
                raise JJJError(f"report HTML contains {what}: {snippet!r}")


def _colophon_html(colophon: dict | None, lang: str) -> str:
    if not colophon:
        return ""

    def value_html(value) -> str:
        if isinstance(value, dict):
            # Sorted: parameter and package dicts must not depend on insertion order.
            items = "".join(
                f"<dt>{_esc(k)}</dt><dd>{value_html(v)}</dd>"
                for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))
            )
            return f"<dl>{items}</dl>"
        if isinstance(value, list | tuple):
            return ", ".join(_esc(v) for v in value)
        return _esc(value)

    rows = "\n".join(
        f"<dt>{_esc(key)}</dt><dd>{value_html(value)}</dd>" for key, value in colophon.items()
    )
    return (
        '<footer class="colophon">\n'
        f"<h2>{_esc(COLOPHON_HEADING[lang])}</h2>\n<dl>\n{rows}\n</dl>\n</footer>\n"
    )


def notebook_to_html(nb: nbformat.NotebookNode, **page) -> str:
    """The public HTML page for an executed notebook (body by nbconvert, page by us), with
    page_and_data's keywords.

    The report's language only: the other language's cells, removed cells and cells whose
    condition fails are dropped, and the prose's placeholders filled (helpers.publish.prose).
    """
    return page_and_data(nb, **page)[0]


def page_and_data(
    nb: nbformat.NotebookNode,
    *,
    lang: str,
    title: str,
    description: str,
    header: str = "",
    colophon: dict | None = None,
    notebook: str = "notebook",
) -> tuple[str, list]:
    """The page (notebook_to_html) and the downloads it links (helpers.publish.downloads)."""
    import nbconvert

    html_lang = _lang(lang)
    shown, notes = prose.prepare(
        _clean_outputs(nb, notebook), lang, notebook=notebook, drop_tags=REMOVE_CELL_TAGS
    )
    description = prose.description(shown, notes) or description
    title = prose.title(shown, notes) or title  # the report's own heading states its finding
    body, _resources = _exporter().from_notebook_node(shown)
    body, notes_html, colophon_html, datasets = _finish_body(
        notes.substitute(body), notes, colophon, lang, title
    )
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    other = "en" if lang == "zh" else "zh"
    page_kw = dict(
        html_lang=_safe(html_lang),
        title=_safe(title),
        description=_safe(description),
        author=_safe(AUTHOR),
        generator=_safe(f"jjj-report {__version__} (nbconvert {nbconvert.__version__})"),
        modified=_safe(source_date() or ""),  # the commit's date, never the build's
        css=css,
        header=_safe(header),
        nav_label=_safe(NAV_LABEL[lang]),
        index_href=_safe("../index.html" if lang == "zh" else "../index.en.html"),
        index_label=_safe(INDEX_LABEL[lang]),
        other_href=_safe(f"report.{other}.html"),
        other_html_lang=_safe(HTML_LANG[other]),
        other_label=_safe(OTHER_LABEL[lang]),
        # nbconvert's output is already HTML: inserted as is, never escaped again.
        body=body.strip(),
        notes=notes_html,
        colophon=colophon_html,
    )
    template = _page_template()
    # The font last: it is cut to the characters of everything else on the page.
    bare = template.render(**page_kw, font_style="")
    font = fonts.html_font_style(_page_chars(bare))
    page = template.render(**page_kw, font_style=Markup(font))
    check_self_contained(page)
    return page, datasets


def _finish_body(body: str, notes, colophon: dict | None, lang: str, title: str):
    """The body with its downloads and About the data, the notes and the colophon as HTML,
    Chinese marked as such in an en page; and the downloads (helpers.publish.downloads)."""
    from helpers.publish import downloads

    # Each chart's and table's data: links under it, the list and the citation in "About
    # the data", the files named in the colophon.
    body, datasets = downloads.link(body, lang, title=title)
    about = downloads.about_html(datasets, lang, downloads.citation(title, lang))
    body = downloads.insert_about(body, about, lang)
    if colophon and datasets:
        colophon = {**colophon, downloads.COLOPHON_KEY: [d.csv_name for d in datasets]}
    parts = (body, notes.html(), _colophon_html(colophon, lang))
    if lang == "en":  # Chinese quotes read as Chinese (tagging.py)
        parts = tuple(map(tagging.mark_chinese, parts))
    return (*parts, datasets)


def _page_chars(page: str) -> str:
    """Every character the page can show: its source and its entities decoded."""
    return page + html_lib.unescape(page)


def _safe(value):
    """Escaped with html.escape (the bytes earlier builds wrote), marked safe for Jinja."""
    return Markup(_esc(value))


def _page_template():
    """The page shell (templates/page/report.html.j2), escaping on."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "page"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2")


def _css_string(text: str) -> str:
    """A CSS string literal; every character that could end or bend it is hex-escaped."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " -–—·:,.()（）/_" or ord(ch) > 0x7F and ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return '"' + "".join(out) + '"'


def _pdf_css(header: str, font_url: str) -> str:
    family = f'"{fonts.PDF_FAMILY}"'
    return (
        fonts.font_face_css(font_url)
        # User-origin !important outranks the page's own font stack: in the PDF every box,
        # margin boxes included, uses the embedded project font and nothing from the machine.
        # One face only: the font has no Bold or Italic, and WeasyPrint would embed the same
        # glyphs again as "-Bold"/"-Oblique" without them looking any different.
        + "*, *::before, *::after, *::marker {\n"
        + f"  font-family: {family} !important;\n"
        + "  font-weight: normal !important;\n  font-style: normal !important;\n}\n"
        + "h1, h2, h3, h4, dt, th, strong, b { letter-spacing: 0.02em; }\n"
        + "@page {\n"
        + f"  font-family: {family};\n"
        + f"  @top-center {{ content: {_css_string(header)} !important; font-family: {family}; }}\n"
        + f"  @bottom-center {{ font-family: {family}; }}\n"
        + "}\n"
        # Page one shows the kicker above the title: a running header would repeat it.
        + "@page :first { @top-center { content: none !important; } }\n"
    )


def _font_data_uri(*texts: str) -> str:
    """The project font, cut to the characters these texts can show, as a data: URI.

    Subsetting here (fonts.subset_otf, hb-subset) rather than in WeasyPrint: without the
    system's libharfbuzz-subset WeasyPrint falls back to fontTools with retain_gids on all 65k
    glyphs (~4 s per face, ~200 kB per PDF) and stamps the render time into the font unless
    SOURCE_DATE_EPOCH is set.
    """
    data = fonts.subset_otf(_page_chars("".join(texts)))
    return "data:font/otf;base64," + base64.b64encode(data).decode("ascii")


class _Fetcher:
    """WeasyPrint URL fetcher that serves data: URIs and the project font, nothing else."""

    def __init__(self, font_url: str):
        from weasyprint.urls import URLFetcher

        self._inner = URLFetcher(allowed_protocols={"data", "file"}, timeout=1)
        self._font_url = font_url

    def fetch(self, url, headers=None):
        from weasyprint.urls import FatalURLFetchingError

        if url.startswith("data:") or url == self._font_url:
            return self._inner.fetch(url, headers)
        raise FatalURLFetchingError(f"refusing to fetch {url[:80]!r} while rendering a PDF")

    __call__ = fetch


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _only_project_fonts(document, pdf) -> None:
    """WeasyPrint finisher: fail if any font other than the project's got into the PDF."""
    wanted = fonts.PDF_FAMILY.replace(" ", "-")
    foreign = sorted(
        {
            str(obj.get("BaseFont"))
            for obj in pdf.objects
            if isinstance(obj, dict)
            and obj.get("Type") == "/Font"
            and "BaseFont" in obj
            and wanted not in str(obj.get("BaseFont"))
        }
    )
    if foreign:
        # Pango fell back to a machine font for a character the project font lacks.
        raise JJJError(f"PDF would embed fonts other than {fonts.PDF_FAMILY}: {foreign}")


_BFCHAR = re.compile(rb"^<([0-9a-f]{4,})> <", re.I)


def _map_shaped_glyphs(document, pdf) -> None:
    """WeasyPrint finisher: give every drawn glyph its text in the font's /ToUnicode map.

    With full_fonts WeasyPrint maps glyphs through the font's cmap only, so glyphs that
    shaping substitutes (the fi/fl ligatures, paired dashes) read back as nothing or as
    junk: "public gures". WeasyPrint recorded each drawn glyph's text cluster while
    drawing; those entries are added for the glyphs the cmap did not cover.
    """
    drawn: dict[str, dict[int, str]] = {}
    for font in document.fonts.values():
        drawn.setdefault(str(font.name), {}).update(font.to_unicode)
    for obj in list(pdf.objects):
        if not (isinstance(obj, dict) and obj.get("Type") == "/Font" and "ToUnicode" in obj):
            continue
        stream = pdf.objects[int(obj["ToUnicode"].split()[0])]
        mapped = {int(m[1], 16) for line in stream.stream if (m := _BFCHAR.match(line))}
        extra = sorted(
            (gid, text)
            for gid, text in drawn.get(str(obj.get("BaseFont")), {}).items()
            if gid not in mapped and text
        )
        lines = []
        for start in range(0, len(extra), 100):  # a bfchar block holds at most 100 entries
            batch = extra[start : start + 100]
            lines.append(f"{len(batch)} beginbfchar".encode())
            lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>".encode()
                      for gid, text in batch]  # fmt: skip
            lines.append(b"endbfchar")
        end = stream.stream.index(b"endcmap")
        stream.stream[end:end] = lines


def _unique_associated_files(document, pdf) -> None:
    """WeasyPrint finisher: list each embedded file once in the catalog's /AF (PDF/A-3).
    WeasyPrint 66 adds each twice, from the name tree and again from the file specs."""
    if "AF" in pdf.catalog:
        import pydyf

        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


def _finish(document, pdf) -> None:
    _unique_associated_files(document, pdf)
    _map_shaped_glyphs(document, pdf)
    _only_project_fonts(document, pdf)


def _check_glyphs(*texts: str) -> None:
    """Refuse, naming it and the text around it, a character the project font cannot draw."""
    for markup in texts:
        text = html_lib.unescape(
            re.sub(r"<(style|script)\b.*?</\1>|<[^>]*>", "\n", markup, flags=re.S)
        )
        absent = fonts.missing(text)
        if absent:
            ch = absent[0]
            line = next(ln for ln in text.splitlines() if ch in ln)
            at = line.index(ch)
            around = " ".join(line[max(0, at - 40) : at + 40].split())
            raise JJJError(
                f"PDF render: character U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')}) "
                f"is not in the report font {fonts.FAMILY}, in the text {around!r}"
            )


_SVG_GROUP = re.compile(r"<g(?:\s[^>]*)?>|</g>")
_BARE_GROUP = re.compile(r'<g(?:\s+id="[^"]*")?\s*/?>\Z')


def flat_svg_groups(html: str) -> str:
    """`html` with every SVG group that carries nothing but an id replaced by its children.

    matplotlib nests each drawn thing in <g id="…"> groups (about 440 in a year report's three
    charts, a third of the page's elements). Such a group draws nothing and changes nothing
    for its children, and no <use> or url(#…) points at a group, but WeasyPrint computes the
    styles of every element and draws each group as a state saved and restored: the PDF
    renders the page without them. Groups with any other attribute (a transform, clip-path,
    style) are kept; an empty one (<g id="…"/>, as matplotlib writes it) goes.
    """
    out, keep, pos = [], [], 0
    for m in _SVG_GROUP.finditer(html):
        out.append(html[pos : m.start()])
        pos = m.end()
        if m.group() == "</g>":
            if keep.pop():
                out.append("</g>")
        elif m.group().endswith("/>"):  # an empty group: nothing to unwrap, no </g> to come
            if not _BARE_GROUP.match(m.group()):
                out.append(m.group())
        else:
            keep.append(not _BARE_GROUP.match(m.group()))
            if keep[-1]:
                out.append(m.group())
    out.append(html[pos:])
    return "".join(out)


def html_to_pdf(html: str, *, lang: str, title: str, header: str, datasets=()) -> bytes:
    """Render the report HTML to PDF bytes with WeasyPrint; deterministic for the same input.
    `datasets` (helpers.publish.downloads) are embedded as PDF/A-3 associated files."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    tagging.install()  # /Lang and /Scope in the structure tree
    html_lang = _lang(lang)
    header = header or title
    html = fonts.without_html_font(html)  # the PDF embeds the same subset, as OpenType
    html = flat_svg_groups(html)
    _check_glyphs(html, header, title)
    css = _pdf_css(header, "")
    font_url = _font_data_uri(html, css, header, title)
    font_config = FontConfiguration()
    fetcher = _Fetcher(font_url)
    errors = _Errors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(errors)
    try:
        stylesheet = weasyprint.CSS(
            string=_pdf_css(header, font_url), font_config=font_config, url_fetcher=fetcher
        )
        # No base_url: nothing relative may be fetched, and no machine path enters the PDF.
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(
            font_config=font_config,
            stylesheets=[stylesheet],
            pdf_tags=True,  # tagged PDF: reading order, headings, figure /Alt for screen readers
            pdf_variant=PDF_VARIANT,
        )
        document.metadata.title = title
        document.metadata.lang = html_lang
        date = source_date()
        if date:
            document.metadata.created = document.metadata.modified = date
        pdf = document.write_pdf(
            attachments=downloads_attachments(datasets),
            finisher=_finish,
            pdf_tags=True,
            pdf_variant=PDF_VARIANT,
            full_fonts=True,  # the font is already a per-document subset, embed it as is
        )
    except FatalURLFetchingError as exc:
        raise JJJError(f"PDF render: {exc}") from None
    finally:
        logger.removeHandler(errors)
        # WeasyPrint removes its font folder (weasyprint-*) only in __del__, which a worker
        # that ends with os._exit never runs: remove it here.
        folder = getattr(font_config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    if errors.messages:
        raise JJJError(f"WeasyPrint reported an error: {errors.messages[0]}")
    return pdf


def downloads_attachments(datasets) -> list:
    """Each dataset's CSV (relationship Data) and metadata (Supplement), dated by the commit."""
    import io

    import weasyprint

    from helpers.provenance import FALLBACK_EPOCH

    raw = source_date()
    date = (datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) if raw
            else datetime.fromtimestamp(FALLBACK_EPOCH, tz=UTC))  # fmt: skip
    out = []
    for ds in datasets:
        for name, data, relation in ((ds.csv_name, ds.csv, "Data"),
                                     (ds.meta_name, ds.metadata, "Supplement")):  # fmt: skip
            out.append(weasyprint.Attachment(file_obj=io.BytesIO(data), name=name,
                                             description=ds.title, relationship=relation,
                                             created=date, modified=date))  # fmt: skip
    return out


def page_title(page: str) -> str:
    """The text of a page's <title>."""
    m = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    return html_lib.unescape(m.group(1)).strip() if m else ""


def export(
    nb: nbformat.NotebookNode,
    html_path: Path,
    pdf_path: Path,
    *,
    lang: str,
    title: str,
    description: str,
    header: str = "",
    colophon: dict | None = None,
    notebook: str = "notebook",
) -> None:
    """Write report HTML, PDF and its data files (data/ beside them); all are rendered in
    memory first, then swapped in together."""
    from contextlib import ExitStack

    from helpers.publish import downloads

    page, datasets = page_and_data(
        nb,
        lang=lang,
        title=title,
        description=description,
        header=header,
        colophon=colophon,
        notebook=notebook,
    )
    pdf = html_to_pdf(
        page, lang=lang, title=page_title(page) or title, header=header, datasets=datasets
    )
    files = {Path(html_path): page.encode("utf-8"), Path(pdf_path): pdf}
    files |= downloads.files(datasets, Path(html_path).parent)
    # Nothing on disk changes until every render succeeded; temp files vanish on any error.
    with ExitStack() as stack:
        for path, data in files.items():
            stack.enter_context(atomic_path(path)).write_bytes(data)
    downloads.remove_stale(Path(html_path).parent, lang, keep=files)
