import html
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

# The build's workers keep jsonschema's rfc3987 grammars out (~2-5 s of every test run too, as
# the tests import nbformat): importing the worker module applies that rule here.
import helpers.engine.worker  # noqa: F401
from helpers import paths

BUILD_YEARS = [2018, 2025]
BUILD_LANGS = ["zh", "en"]


def copy_repo(dst: Path, src: Path = paths.ROOT) -> Path:
    """What a build reads, copied from `src`: data/raw, notebooks, src, the lock, jupytext's
    config and the data dictionary (the data package's descriptions)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")
    for d in ("data/raw", "notebooks", "src"):
        shutil.copytree(src / d, dst / d, ignore=ignore)
    (dst / "docs").mkdir(exist_ok=True)
    for f in ("requirements.lock", "jupytext.toml", "docs/data-dictionary.md"):
        shutil.copy(src / f, dst / f)
    return dst


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """The folder `make(folder)` fills, made once per test run: under pytest-xdist (make
    test-slow) the first process to ask makes it under a file lock and the others wait for it
    and share it, instead of each making its own. Shared: copy it before changing anything."""
    import os

    from filelock import FileLock

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's
    folder, done = shared / name, shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a process that failed making it
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _build(root: Path, years, langs) -> None:
    from helpers import pipeline

    result = pipeline.run(years, langs, root=root, progress=False)
    assert result.ok, result.summary_table()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A copy of the repository built once per test run (years 2018 and 2025, zh and en)."""
    return once_per_run(
        tmp_path_factory, "built", lambda root: _build(copy_repo(root), BUILD_YEARS, BUILD_LANGS)
    )


# The year of the end-to-end tests that build one year's report in one language.
ONE_YEAR = BUILD_YEARS[0]


@pytest.fixture(scope="session")
def built_one(tmp_path_factory) -> Path:
    """A copy of the repository with ONE_YEAR's en report built, build state included, once per
    test run: a test that needs a built tree to start from copies it (copy_built)."""
    return once_per_run(
        tmp_path_factory, "built-one", lambda root: _build(copy_repo(root), [ONE_YEAR], ["en"])
    )


def copy_built(src: Path, dst: Path) -> Path:
    """A built tree copied whole (inputs, outputs and build state): the copy's next build
    redoes only what a change makes stale."""
    shutil.copytree(src, dst, symlinks=True)
    return dst


@pytest.fixture(scope="session")
def every_report(built, tmp_path_factory) -> Path:
    """`built` copied and built on to every year (both languages), once per test run: only
    the years `built` lacks are built. Its reports/ folder."""
    from helpers import paths

    def make(root: Path) -> None:
        shutil.copytree(built, root, dirs_exist_ok=True)
        _build(root, list(paths.REPORT_YEARS), BUILD_LANGS)

    return once_per_run(tmp_path_factory, "every", make) / "reports"


@pytest.fixture(scope="session")
def cleaned_sources(tmp_path_factory) -> Path:
    """data/processed/sources/ of every real source, cleaned once per session (shared: copy it
    before changing anything in it)."""
    from helpers.clean import processed, sources

    out = tmp_path_factory.mktemp("cleaned")
    for sid in sources.load_manifest():
        processed.clean_source(sid, out_root=out / "sources")
    return out


@pytest.fixture(scope="session")
def processed(cleaned_sources, tmp_path_factory):
    """data/processed rebuilt from data/raw in a temporary folder, loaded as the reports load it
    (shared: a test that plants something changes a copy of a table, never these)."""
    from helpers.clean import combine, processed

    out = tmp_path_factory.mktemp("processed")
    shutil.copytree(cleaned_sources, out, dirs_exist_ok=True)
    combine.combine(out)
    return processed.load(out)


@pytest.fixture(scope="session")
def ref(processed):
    """The reference date of the processed tables (what the reports measure "now" against)."""
    from helpers.publish import named

    return named.reference_date(processed)


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The HTML the section helpers display, as a notebook's outputs receive it: present.show's
    fragments, charts' bundles, Markdown."""
    import IPython.display

    out: list[str] = []

    def display(obj, raw=False, **_):
        out.append(obj["text/html"] if isinstance(obj, dict) else obj.data)

    monkeypatch.setattr(IPython.display, "display", display)
    return out


_VIEWS: dict[tuple, tuple] = {}


def year_view(data, year: int, ref: str | None = None):
    """years.view(data's tables, year, ref), computed once per data, year and ref in a session
    (~0.1 s each, asked for ~100 times); each caller gets its own copy of the tables."""
    import dataclasses

    from helpers.analyze import years

    key = (id(data), year, ref)
    if key not in _VIEWS or _VIEWS[key][0] is not data:  # the data kept, so its id stays its own
        _VIEWS[key] = (data, years.view(data.figures, data.events, data.citations, year, ref))
    v = _VIEWS[key][1]
    tables = ("events", "covering", "public_record", "undated")
    return dataclasses.replace(v, **{t: getattr(v, t).copy() for t in tables})


def cells(fragment: str) -> list[list[str]]:
    """The rows of an HTML table fragment, each a list of its cells' text (header row first)."""
    rows = re.findall(r"<tr>(.*?)</tr>", fragment, flags=re.S)
    return [[html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)] for r in rows]


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw, for tests that tamper with raw files."""
    dst = tmp_path / "raw"
    shutil.copytree(paths.RAW, dst)
    return dst


def _fonts(obj, seen=None):
    """Every font dictionary reachable from a resources dictionary (forms, patterns too)."""
    seen = set() if seen is None else seen
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if not hasattr(obj, "get"):
        return
    for font in (obj.get("/Font") or {}).values():
        yield font.get_object()
    for key in ("/XObject", "/Pattern"):
        for child in (obj.get(key) or {}).values():
            child = child.get_object()
            yield from _fonts(child.get("/Resources"), seen)


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by the PDF itself
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdf_fonts(reader) -> dict[str, bool]:
    """BaseFont name → embedded?, over every page of a pypdf reader."""
    found = {}
    for page in reader.pages:
        for font in _fonts(page.get("/Resources")):
            found[str(font["/BaseFont"])] = _embedded(font)
    return found


class _Text(HTMLParser):
    """The text a reader sees in a page's <body>: no <style>, and no chart (drawn as paths)."""

    SKIP = {"style", "svg", "script", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIP

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIP

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


def ligature_words(page: str) -> set[str]:
    """Words of the page's visible text that a font may draw with an fi/fl ligature."""
    return {w for w in re.findall(r"\w+", html_text(page)) if re.search("f[fil]", w)}


def pdf_text(data: bytes | Path) -> str:
    """A PDF's extracted text (pypdf), whitespace removed: line breaks fall anywhere."""
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
