"""`jjj-report extract PATH`: a raw file's candidates as CSV, JSON or a codebook draft.

The command line around the extractor (helpers.clean.extract, text in, candidates out): it
reads a file, rebuilds its reading order when the manifest registers it (its layout map),
and dates relative words from the source's date in data/raw/sources.yml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from helpers.clean import reflow, sources
from helpers.clean.extract import Candidate, extract, to_frame
from helpers.clean.sources import Source, decode_text
from helpers.errors import JJJError

FORMATS = ("csv", "json", "codebook")


def read_file(path) -> tuple[str, Source | None]:
    """(reflowed text, registered source or None) of a raw file: the text a codebook is checked
    in, in reading order when the source has a layout map."""
    p = Path(path)
    if not p.is_file():
        raise JJJError(f"{p}: file not found")
    raw = decode_text(p)
    source = sources.source_of(p)
    layout = sources.load_layout(source.id) if source else None
    return reflow.article_text(reflow.reflow(raw, layout)), source


def source_date(source: Source | None) -> dt.date | None:
    """The date relative words count from for a registered source: publication, else event."""
    return sources.reference_date(source) if source is not None else None


def extract_file(path, *, reference_date: dt.date | None = None) -> list[Candidate]:
    """Decode a raw file, rebuild its paragraphs, extract candidates; without a reference date,
    a registered source's date in sources.yml is used."""
    text, source = read_file(path)
    ref = reference_date or source_date(source)
    return extract(text, reference_date=ref)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise JJJError(message)


def _reference(args, source: Source | None) -> tuple[dt.date | None, str]:
    """(reference date, where it comes from) for the command line."""
    if args.reference_date:
        try:
            return dt.date.fromisoformat(args.reference_date), "--reference-date"
        except ValueError:
            raise JJJError(f"--reference-date {args.reference_date!r} is not YYYY-MM-DD") from None
    ref = source_date(source)
    if ref is not None:
        return ref, f"the date of source {source.id} in data/raw/sources.yml"
    return None, "none given: relative dates are listed without dates, flagged ambiguous"


def _write(args, text: str, cands: list[Candidate], source, ref, why: str) -> None:
    if args.format == "json":
        json.dump([asdict(c) for c in cands], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "codebook":
        from helpers.clean.codebook_draft import draft

        sid = source.id if source else Path(args.path).stem
        sys.stdout.write(draft(text, cands, sid, f"{ref} ({why})" if ref else why))
    else:
        to_frame(cands).to_csv(sys.stdout, index=False)
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    """`jjj-report extract PATH [--format csv|json|codebook] [--reference-date YYYY-MM-DD]`."""
    parser = _Parser(prog="jjj-report extract", description="list numeric mentions in a text")
    parser.add_argument("path")
    parser.add_argument("--format", choices=FORMATS, default="csv")
    parser.add_argument("--reference-date", default=None)
    try:
        args = parser.parse_args(argv)
        text, source = read_file(args.path)
        ref, why = _reference(args, source)
        cands = extract(text, reference_date=ref)
    except JJJError as e:
        print(f"jjj-report extract: {e}", file=sys.stderr)
        return 2
    if ref is not None and source is not None and not args.reference_date:
        print(f"jjj-report extract: reference date {ref}, {why}", file=sys.stderr)
    try:
        _write(args, text, cands, source, ref, why)
    except BrokenPipeError:
        # `… | head` closed the pipe: not an error; silence the flush at interpreter exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
