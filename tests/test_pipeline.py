"""End to end: the real notebooks, built by the real engine, in a copy of the repository.

Back-tests against the printed article and checks of what a reader gets (PDF text and fonts,
self-contained HTML, the index), plus the two failure modes a reader must never see:
a tampered raw file and a non-reproducible build.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import (
    BUILD_LANGS,
    BUILD_YEARS,
    ONE_YEAR,
    copy_built,
    ligature_words,
    pdf_fonts,
    pdf_text,
)
from pypdf import PdfReader

from helpers import paths, pipeline
from helpers.clean import schema
from helpers.engine.state import file_sha256

pytestmark = pytest.mark.slow

YEARS, LANGS = BUILD_YEARS, BUILD_LANGS  # the `built` fixture (conftest): one build per session


def _hashes(root: Path) -> dict[str, str]:
    out = {}
    for d in ("data/processed", "reports"):
        for f in sorted((root / d).rglob("*")):
            if f.is_file():
                out[f.relative_to(root).as_posix()] = file_sha256(f)
    return out


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def test_every_report_exists(built):
    reports = built / "reports"
    for folder in [*(str(y) for y in YEARS), "ten-year"]:
        for lang in LANGS:
            for ext in ("html", "pdf"):
                f = reports / folder / f"report.{lang}.{ext}"
                assert f.is_file() and f.stat().st_size > 1000, f
    assert (reports / "index.html").is_file()


def test_zh_ten_year_pdf_prints_every_statistic_as_the_article_does(built):
    figures = schema.read_csv(built / "data/processed/figures.csv", schema.FIGURES)
    seed = figures[figures["source_id"] == paths.SEED_SOURCE_ID]
    assert len(seed) == 28
    text = _pdf_text(built / "reports/ten-year/report.zh.pdf")
    missing = [q for q in seed["quote"] if re.sub(r"\s+", "", q) not in text]
    assert not missing, missing
    for printed in ("6300", "21.88", "116877", "3086", "369", "35000", "1.4", "144", "184"):
        assert printed in text
    assert "5367" in text  # the reconciliation with the campaign's total


def test_en_ten_year_pdf_reads_the_region_names(built):
    text = _pdf_text(built / "reports/ten-year/report.en.pdf")
    for word in ("Beijing", "Tianjin", "Hebei", "5,367"):
        assert word in text


def test_every_pdf_embeds_only_the_project_font(built):
    for pdf in sorted((built / "reports").rglob("*.pdf")):
        found = pdf_fonts(PdfReader(pdf))
        assert found and all(found.values()), (pdf, found)
        assert all("Noto-Sans-CJK-SC" in name for name in found), (pdf, found)


def test_every_pdf_reads_back_the_fi_fl_words_of_its_html(built):
    checked = 0
    for page in sorted((built / "reports").rglob("report.*.html")):
        words = ligature_words(page.read_text(encoding="utf-8"))
        text = pdf_text(page.with_suffix(".pdf"))
        assert [w for w in sorted(words) if w not in text] == [], page
        checked += len(words)
    assert checked > 10  # the English reports have many ("figures", "fields", "official")


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        for key in ("src", "href"):
            if a.get(key):
                self.refs.append((tag, key, a[key]))


def test_html_is_self_contained_and_declares_its_language(built):
    for page in sorted((built / "reports").rglob("report.*.html")):
        text = page.read_text(encoding="utf-8")
        p = _Refs()
        p.feed(text)
        assert p.lang == {"zh": "zh-Hans", "en": "en"}[page.name.split(".")[1]], page
        assert "<script" not in text.lower(), page
        loads = [r for r in p.refs if r[0] != "a" and not r[2].startswith(("data:", "#"))]
        assert not loads, (page, loads)
        assert '<meta name="viewport"' in text and '<meta name="description"' in text


def test_every_index_link_resolves(built):
    reports = built / "reports"
    for name, lang, other in (("index.html", "zh", "index.en.html"), ("index.en.html", "en", "")):
        p = _Refs()
        p.feed((reports / name).read_text(encoding="utf-8"))
        links = [v for tag, k, v in p.refs if tag == "a"]
        # HTML and PDF of each report in the page's language, and the other language's page.
        assert len(links) == 2 * (len(YEARS) + 1) + 1, (name, links)
        assert all(f"report.{lang}." in x for x in links if x.startswith(("ten", "20"))), links
        assert other in links or lang == "en"
        for link in links:
            assert not re.match(r"^[a-z]+:", link), link  # relative: file:// and any host
            assert (reports / link).is_file(), link


def test_zh_pages_have_no_english_and_en_pages_gloss_their_chinese(built):
    import language

    found = []
    for page in sorted((built / "reports").rglob("report.*.html")):
        lang = page.name.split(".")[1]
        found += [f"{page.parent.name}/{page.name}: {p}" for p in
                  language.problems(page.read_text(encoding="utf-8"), lang)]  # fmt: skip
    assert found == []


def test_every_number_in_prose_links_to_its_note(built):
    for page in sorted((built / "reports").rglob("report.*.html")):
        text = page.read_text(encoding="utf-8")
        values = re.findall(r'<span class="value">[^<]*</span><sup class="note-ref"><a href="#'
                            r'(note-\d+)"', text)  # fmt: skip
        assert values and len(values) == text.count('<span class="value">'), page
        assert all(f'<li id="{n}">' in text for n in values), page


def test_a_sentence_changed_in_the_year_notebook_rebuilds_the_year_reports_only(built, tmp_path):
    """Edit one sentence in 03's .py half only: the dry run lists exactly what the build then
    runs, and why — the year reports, their exports and the index; not the clean steps, not
    the ten-year report."""
    import os

    import jupytext

    root = tmp_path / "copy"
    copy_built(built, root)  # the shared build stays as it is
    py = root / "notebooks/03_year_report.py"
    book = jupytext.read(py)
    tags = [c.metadata.get("tags", []) for c in book.cells]
    cell = next(
        c
        for c, t in zip(book.cells, tags, strict=True)
        if "lang-en" in t and not any(x.startswith(("if-", "unless-")) for x in t)
    )  # shown every year
    cell.source += " Edited."
    jupytext.write(book, py, fmt="py:percent")
    later = (root / "notebooks/03_year_report.ipynb").stat().st_mtime + 10
    os.utime(py, (later, later))

    pairs, decided = pipeline.decisions(YEARS, LANGS, root=root)
    assert pairs == ["notebooks/03_year_report.ipynb: out of sync with 03_year_report.py; the "
                     "build syncs it from the newer 03_year_report.py"]  # fmt: skip
    run = {d.task.id: d.reason for d in decided if d.action == "run"}
    synced = "notebooks/03_year_report.ipynb changes before the build: synced from the newer "
    expected = {f"report-{y}-{lang}": synced + "03_year_report.py" for y in YEARS for lang in LANGS}
    expected |= {f"export-{y}-{lang}": f"after report-{y}-{lang} (its output may change)"
                 for y in YEARS for lang in LANGS}  # fmt: skip
    assert {k: v for k, v in run.items() if k != "index"} == expected
    assert run["index"].startswith("after export-")

    # The real build, for one year in one language: exactly the dry run's list.
    pairs, decided = pipeline.decisions([YEARS[0]], ["en"], root=root)
    run = {d.task.id for d in decided if d.action == "run"}
    assert run == {f"report-{YEARS[0]}-en", f"export-{YEARS[0]}-en", "index"}
    result = pipeline.run([YEARS[0]], ["en"], root=root, progress=False)
    assert {r.id for r in result.by_status("built")} == run, result.summary_table()
    assert "Edited." in (root / f"reports/{YEARS[0]}/report.en.html").read_text(encoding="utf-8")
    _, decided = pipeline.decisions([YEARS[0]], ["en"], root=root)
    assert {d.action for d in decided} == {"skip"}


def test_year_reports_show_their_public_record(built):
    text = _pdf_text(built / "reports/2018/report.en.pdf")
    # 403 projects, cited by publisher and date (a mirror named as one), never by internal id
    assert "403" in text and "2018-08-23" in text and "hebei-2018-08-23" not in text
    assert "5,367" in text  # a campaign year: the headline totals are the campaign's
    text = _pdf_text(built / "reports/2025/report.zh.pdf")
    assert "16条意见" in text and "2025-12-30" in text and "chinanpo-2025-12-30" not in text


def test_a_second_clean_build_elsewhere_is_byte_identical(built, built_one):
    # One year in one language (built_one, a clean build in its own folder) is enough to catch
    # paths, timestamps or ids in the bytes, at a third of the cost: every file it writes must
    # equal the shared build's (the index pages list fewer reports, so they differ by design).
    assert ONE_YEAR == YEARS[0]
    a, b = _hashes(built), _hashes(built_one)
    for page in ("reports/index.html", "reports/index.en.html"):
        b.pop(page)
    reports = {
        f"reports/{d}/report.en.{x}" for d in (YEARS[0], "ten-year") for x in ("html", "pdf")
    }
    folders = tuple(f"reports/{d}/data/" for d in (YEARS[0], "ten-year"))
    downloads = {k for k in a if k.startswith(folders) and ".en." in k}  # CSV + metadata
    assert downloads
    assert {k for k in b if k.startswith("reports/")} == reports | downloads
    assert {k for k in b if k.startswith("data/")} == {k for k in a if k.startswith("data/")}
    assert [k for k in b if a[k] != b[k]] == []


def test_a_tampered_raw_file_stops_the_build_and_replaces_nothing(built, tmp_path):
    root = tmp_path / "c"
    copy_built(built, root)
    before = _hashes(root)
    raw = root / "data/raw/cpt-2024-04-jjj-ten-years.txt"
    raw.write_bytes(raw.read_bytes().replace("6300多家".encode(), "6400多家".encode()))
    result = pipeline.run(YEARS, LANGS, root=root, progress=False)
    assert not result.ok
    failed = [r for r in result.results if r.status == "failed"]
    assert [r.id for r in failed] == ["verify"]
    assert "sha256 mismatch" in failed[0].error and str(raw.name) in failed[0].error
    assert "\n" not in failed[0].error
    # Nothing is rebuilt from the tampered input: what was built from the old inputs is removed
    # (never passed off as current), what stays is unchanged, and only the index is rewritten
    # (it no longer lists the removed reports).
    after = _hashes(root)
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed <= {"reports/index.html", "reports/index.en.html"}, sorted(changed)
    assert not [p for p in after if p.startswith("reports/2018/report.")], sorted(after)
    assert "data/processed/figures.csv" not in after


def test_a_no_op_build_imports_only_what_it_needs(built, tmp_path):
    """Nothing to do: decided without pydantic, YAML, filelock, package metadata, jupytext or
    anything that runs a notebook (benchmarks/build.py times it: ≤ 0.2 s)."""
    import os
    import subprocess
    import sys

    root = tmp_path / "copy"
    copy_built(built, root)  # the shared build stays as it is
    years = ",".join(map(str, YEARS))
    code = (
        "import sys\nfrom helpers import cli\n"
        f"rc = cli.main(['build', '--years', {years!r}, '--lang', {','.join(LANGS)!r}])\n"
        "heavy = ('pydantic', 'yaml', 'filelock', 'importlib.metadata', 'jupytext', 'pandas', "
        "'papermill', 'nbclient', 'jupyter_client', 'tqdm')\n"
        "print(rc, [m for m in heavy if m in sys.modules])"
    )
    env = {**os.environ, "JJJ_ROOT": str(root), "PYTHONPATH": str(root / "src")}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    lines = p.stdout.strip().splitlines()
    assert lines[-1] == "0 []", p.stdout + p.stderr
    assert re.search(r"tasks: 0 built, (\d+) skipped, 0 failed", p.stdout), p.stdout


def _newer(py: Path) -> None:
    """The .py half newer than its .ipynb: the build syncs the pair from it."""
    import os

    later = py.with_suffix(".ipynb").stat().st_mtime + 10
    os.utime(py, (later, later))


def _plant(py: Path, pick, add: str) -> str:
    """Append `add` to the first cell of the .py half that `pick` accepts (then the newer
    half); the cell as JupyterLab numbers it, and its first line."""
    import jupytext

    book = jupytext.read(py)
    n, cell = next((i, c) for i, c in enumerate(book.cells, 1) if pick(c))
    first = next(ln.strip() for ln in cell.source.splitlines() if ln.strip())
    cell.source += add
    jupytext.write(book, py, fmt="py:percent")
    _newer(py)
    return f"cell {n} `{first}`"


# long: three failures in a row on one built copy (a build each), each checked where it shows
def test_a_failed_report_is_removed_and_its_cell_named_as_jupyterlab_counts(built, tmp_path):
    """Issue 28: after a planted failure in a year's en report, neither the page nor the index
    presents the previous report as current, and the error names the cell by its number in
    the notebook as saved and its first line — in the notebook's run and in the export. Then
    a changed raw file: nothing of the earlier inputs stays listed."""
    root = tmp_path / "a"
    copy_built(built, root)  # the shared build stays as it is; a copy of it is built on
    year = YEARS[0]
    # As a one-year build's: the en index lists this year's report and the ten-year one only.
    shutil.rmtree(root / "reports" / str(YEARS[1]))
    page, pdf = root / f"reports/{year}/report.en.html", root / f"reports/{year}/report.en.pdf"
    index = root / "reports/index.en.html"
    assert pipeline.run([year], ["en"], root=root, progress=False).ok
    assert page.is_file() and pdf.is_file() and f'href="{year}/report.en.html"' in index.read_text()
    assert "This notebook is not the report" not in page.read_text(encoding="utf-8")
    py = root / "notebooks/03_year_report.py"
    original = py.read_bytes()

    def tags(c):
        return c.metadata.get("tags", [])

    # 1. A code cell raises: the notebook fails, its export is blocked.
    cell = _plant(py, lambda c: c.cell_type == "code" and "parameters" not in tags(c),
                  "\nraise RuntimeError('planted')")  # fmt: skip
    result = pipeline.run([year], ["en"], root=root, progress=False)
    by_id = {r.id: r for r in result.results}
    assert by_id[f"report-{year}-en"].status == "failed", result.summary_table()
    assert by_id[f"report-{year}-en"].cell == cell
    assert by_id[f"export-{year}-en"].status == "blocked" and by_id["index"].status == "built"
    assert not page.exists() and not pdf.exists()
    assert f"{year}/report.en" not in index.read_text(encoding="utf-8")

    # Repaired: the report and its line in the index are back.
    py.write_bytes(original)
    _newer(py)
    assert pipeline.run([year], ["en"], root=root, progress=False).ok
    assert page.is_file() and f'href="{year}/report.en.html"' in index.read_text()

    # 2. An unknown name in a prose cell: the export fails.

    def shown_every_year(c):
        return "lang-en" in tags(c) and not any(t.startswith(("if-", "unless-")) for t in tags(c))

    cell = _plant(py, shown_every_year, "\n\nSee {{ planted_typo }}.")
    result = pipeline.run([year], ["en"], root=root, progress=False)
    failed = {r.id: r for r in result.results}[f"export-{year}-en"]
    assert failed.status == "failed", result.summary_table()
    assert f"notebooks/03_year_report.ipynb: {cell}: unknown name 'planted_typo'" in failed.error
    assert not page.exists() and not pdf.exists()
    assert f"{year}/report.en" not in index.read_text(encoding="utf-8")

    # 3. A raw file changed.
    py.write_bytes(original)
    _newer(py)
    _a_changed_raw_file_leaves_nothing_of_the_earlier_inputs(root, year)


def _a_changed_raw_file_leaves_nothing_of_the_earlier_inputs(root: Path, year: int) -> None:
    """verify fails, everything after it is blocked, and no report or processed table of the
    earlier inputs is left; the index lists none."""
    page, index = root / f"reports/{year}/report.en.html", root / "reports/index.en.html"
    assert pipeline.run([year], ["en"], root=root, progress=False).ok
    article = root / "data/raw/cpt-2024-04-jjj-ten-years.txt"
    article.write_bytes(article.read_bytes() + b"\n")
    result = pipeline.run([year], ["en"], root=root, progress=False)
    st = {r.id: r.status for r in result.results}
    assert st["verify"] == "failed" and st["index"] == "built", result.summary_table()
    assert {s for t, s in st.items() if t not in ("verify", "index")} == {"blocked"}
    assert not page.exists() and not (root / "reports/ten-year/report.en.html").exists()
    assert not (root / "data/processed/figures.csv").exists()
    assert "report.en.html" not in index.read_text(encoding="utf-8")
