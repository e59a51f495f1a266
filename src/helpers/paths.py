"""Where everything lives: the one module that knows the project's layout.

The root is found from this file (src layout, editable install) unless JJJ_ROOT is set,
so notebooks, tests and the CLI agree on it wherever they run from.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    """JJJ_ROOT; else the checkout this file lies in (src layout, editable install); else,
    for a plain `pip install .`, the working folder or the nearest parent holding the project
    (data/raw/sources.yml and notebooks/)."""
    if os.environ.get("JJJ_ROOT"):
        return Path(os.environ["JJJ_ROOT"])
    here = Path(__file__).resolve().parents[2]
    if (here / "data" / "raw").is_dir():
        return here
    cwd = Path.cwd()
    for folder in (cwd, *cwd.parents):
        if (folder / "data" / "raw" / "sources.yml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return here


ROOT = _find_root()
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
BUILD = ROOT / "build"  # build state, hashes, logs of failed notebooks (ignored by git)

# The notebooks the build runs, as its tasks name them (relative to ROOT).
NB_CLEAN = "notebooks/01_clean_source_figures.ipynb"
NB_TEN_YEAR = "notebooks/02_ten_year_outcomes.ipynb"
NB_YEAR = "notebooks/03_year_report.ipynb"

SOURCES_MANIFEST = RAW / "sources.yml"
SEED_SOURCE_ID = "cpt-2024-04-jjj-ten-years"

YEARS = range(2014, 2025)  # the article's ten years, 2014-02 → 2024-04
# Every year the record covers: the article's decade plus the public record after it (2025).
REPORT_YEARS = range(2014, 2026)
LANGS = ("zh", "en")


def source_dir(source_id: str) -> Path:
    """data/processed/sources/<id>/: one cleaned source's tables."""
    return PROCESSED / "sources" / source_id
