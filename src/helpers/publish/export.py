"""The build's exporter: an executed report notebook → its HTML, PDF and downloads (render),
titled from i18n, with the colophon from provenance; and the colophon's "uncommitted changes"
mark, which the plan asks about (unmark) so a marked report is exported again once the tree
is clean."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from helpers import paths
from helpers.engine.state import rel
from helpers.engine.tasks import Task
from helpers.paths import NB_TEN_YEAR, NB_YEAR

MARKED = "marked"  # build/marked/<export id>: that report's colophon says uncommitted changes


def _marks(root: Path) -> Path:
    return root / rel(paths.BUILD, paths.ROOT) / MARKED


def unmark(tasks: Iterable[Task], root: Path) -> dict[str, str]:
    """{export id: why} for the reports whose colophon says "(with uncommitted changes)" while
    the tree is clean again: they are exported once more, without the mark. The mark is
    not part of an export's key (an edit would re-export every report); this makes it
    follow the tree all the same. Asks git only when some report is marked."""
    from helpers.provenance import mark_uncommitted

    folder = _marks(root)
    if not folder.is_dir():
        return {}
    marked = {t.id for t in tasks if t.kind == "export" and (folder / t.id).is_file()}
    if not marked or mark_uncommitted("x", root) != "x":
        return {}
    why = "its colophon says uncommitted changes; the tree is clean now"
    return {tid: why for tid in sorted(marked)}


def _note_mark(kind: str, year, lang: str, marked: bool) -> None:
    """Remember (in the build folder) whether this report's colophon carries the mark."""
    from helpers.engine.atomic import write_text

    slug = f"ten-year-{lang}" if kind == "ten-year" else f"{year}-{lang}"
    mark = _marks(paths.ROOT) / f"export-{slug}"
    if marked:
        write_text(mark, "with uncommitted changes\n")
    else:
        mark.unlink(missing_ok=True)


def export_report(
    nb,
    html_path: Path,
    pdf_path: Path,
    *_downloads: Path,
    kind: str,
    year,
    lang: str,
    commit: str | None = None,
) -> None:
    """The real exporter: titles from i18n, colophon from provenance, HTML + PDF from render.
    _downloads: the glob of the data files, which render writes beside the HTML."""
    from helpers import provenance
    from helpers.publish import i18n, render

    meta = i18n.report_meta(kind, year, lang)
    params = {"year": year, "lang": lang} if kind == "year" else {"report": kind, "lang": lang}
    commit = provenance.mark_uncommitted(commit) if commit else None  # None: git_commit()
    _note_mark(kind, year, lang, bool(commit) and commit.endswith(provenance.DIRTY))
    render.export(
        nb,
        html_path,
        pdf_path,
        lang=lang,
        title=meta["title"],
        description=meta["description"],
        header=meta.get("header", ""),
        colophon=provenance.colophon(params, commit),
        notebook=NB_TEN_YEAR if kind == "ten-year" else NB_YEAR,  # named in prose errors
    )
