import shutil
from pathlib import Path

import pytest
from pypdf.generic import IndirectObject

from helpers import paths


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
