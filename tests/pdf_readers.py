"""What a PDF reader sees: embedded CID fonts read with fontTools, pages drawn by real engines.

Three engines follow three readings of the standard: poppler (pdftoppm; evince, okular) and
the strict MuPDF (mutool; SumatraPDF, zathura) and Ghostscript (gs; print pipelines, close to
Acrobat). A page is right when all three draw the same glyphs. They come from Debian's
poppler-utils, mupdf-tools and ghostscript (.ci/run installs them); a test skips without them.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from conftest import _fonts
from pypdf import PdfReader

ENGINES = {"poppler": "pdftoppm", "mupdf": "mutool", "ghostscript": "gs"}
DPI = 72


def missing_engines() -> list[str]:
    return [f"{name} ({cmd})" for name, cmd in ENGINES.items() if shutil.which(cmd) is None]


def cid_fonts(pdf: Path) -> dict[str, bytes]:
    """BaseFont → the embedded FontFile3 (CFF/OpenType) of every CIDFontType0 in the PDF."""
    found = {}
    for page in PdfReader(pdf).pages:
        for font in _fonts(page.get("/Resources")):
            if font.get("/Subtype") != "/Type0":
                continue
            cid = font["/DescendantFonts"][0].get_object()
            if cid.get("/Subtype") != "/CIDFontType0":
                continue
            stream = cid["/FontDescriptor"].get_object()["/FontFile3"].get_object()
            found[str(font["/BaseFont"])] = stream.get_data()
    return found


def cid_mismatches(data: bytes) -> list[tuple[int, int]]:
    """(glyph id, CID) of every glyph whose CID is not its glyph id, in a CFF or OTF font."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    if data[:4] == b"OTTO":
        cff = TTFont(io.BytesIO(data))["CFF "].cff
    else:  # a bare CFF program (FontFile3 /Subtype /CIDFontType0C)
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), otFont=None)
    top = cff.topDictIndex[0]
    assert hasattr(top, "ROS"), "not a CID-keyed font"
    out = []
    for gid, name in enumerate(top.charset):
        cid = 0 if name == ".notdef" else int(name[3:])
        if cid != gid:
            out.append((gid, cid))
    return out


def draw(pdf: Path, engine: str, out: Path, page: int = 1) -> tuple[Path, str]:
    """Page `page` of `pdf` drawn by `engine` as a PNG; returns it and what the engine said."""
    png = out / f"{pdf.stem}.{engine}.png"
    if engine == "poppler":
        cmd = [
            "pdftoppm",
            "-png",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(png.with_suffix("")),
        ]
    elif engine == "mupdf":
        cmd = [
            "mutool",
            "draw",
            "-q",
            "-r",
            str(DPI),
            "-F",
            "png",
            "-o",
            str(png),
            str(pdf),
            str(page),
        ]
    else:
        cmd = [
            "gs",
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=pnggray",
            f"-r{DPI}",
            "-dTextAlphaBits=4",
            "-dGraphicsAlphaBits=4",
            f"-dFirstPage={page}",
            f"-dLastPage={page}",
            f"-sOutputFile={png}",
            str(pdf),
        ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and png.is_file(), (engine, pdf, done.stderr[-500:])
    return png, done.stdout + done.stderr


def _ink(png: Path):
    """The drawing as ink (0 = paper, 1 = black), a numpy array of rows."""
    import numpy as np
    from PIL import Image

    return 1 - np.asarray(Image.open(png).convert("L"), dtype=float) / 255


def text_lines(png: Path) -> list[tuple[int, int]]:
    """The drawing's lines of ink: runs of rows with at least a little ink."""
    per_row = _ink(png).sum(axis=1)
    lines, start = [], None
    for y, ink in enumerate([*per_row, 0]):
        if ink >= 1 and start is None:
            start = y
        elif ink < 1 and start is not None:
            lines.append((start, y))
            start = None
    return lines


def line_agreement(reference: Path, other: Path, min_ink: float = 20) -> list[float]:
    """For each line of ink in `reference` (with at least `min_ink`), how alike `other` draws
    it: the correlation of their ink per column, in the line's rows widened by one each way
    and summed over three columns (engines place glyphs within a pixel of each other). The
    same glyphs give 0.94-1.00 here; missing glyphs, boxes or other glyphs 0.02-0.83."""
    import numpy as np

    ref, oth = _ink(reference), _ink(other)
    height = min(ref.shape[0], oth.shape[0])
    width = min(ref.shape[1], oth.shape[1])
    scores = []
    for top, bottom in text_lines(reference):
        rows = slice(max(0, top - 1), min(height, bottom + 1))
        a = np.convolve(ref[rows, :width].sum(axis=0), np.ones(3), "same")
        b = np.convolve(oth[rows, :width].sum(axis=0), np.ones(3), "same")
        if a.sum() < min_ink or a.std() == 0:
            continue
        scores.append(0.0 if b.std() == 0 else float(np.corrcoef(a, b)[0, 1]))  # blank: 0
    return scores
