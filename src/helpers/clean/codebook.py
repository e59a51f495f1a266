"""The codebook (data/raw/figures.yml): hand-read statistics of a full-text source, checked.

`clean_full_text` verifies the raw file, reflows it, checks every codebook entry against the
reflowed text, the quantity parser and the extractor, and only then writes the source's
processed files — all of them or none.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
from contextlib import ExitStack
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path

import pandas as pd
import yaml

from helpers import paths
from helpers.clean import models, reflow, schema, sources
from helpers.clean.extract import extract
from helpers.clean.periods import blank
from helpers.engine.atomic import atomic_path
from helpers.errors import JJJError

CODEBOOK = paths.RAW / "figures.yml"
CANDIDATE_COLUMNS = (
    "quote",
    "start",
    "end",
    "value",
    "value_low",
    "value_high",
    "unit_zh",
    "qualifier",
    "kind",
    "reason",
    "period_start",
    "period_end",
    "ambiguous",
    "context",
    "status",
)


@dataclass
class CleanResult:
    blocks: list
    figures: pd.DataFrame
    events: pd.DataFrame
    candidates: pd.DataFrame
    coverage: float


def load_codebook(path: Path | None = None) -> dict:
    """The codebook as a mapping (dates as ISO strings); `_path` names the file in messages."""
    path = Path(path or CODEBOOK)
    if not path.exists():
        raise JJJError(f"{path}: codebook not found")
    text = sources.decode_text(path)  # refuses empty and non-UTF-8 files by name
    try:
        doc = sources.load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise JJJError(f"{path}: not valid YAML{where}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("figures"), list):
        raise JJJError(f"{path}: codebook must be a mapping with a `figures:` list")
    doc = _iso_dates(doc)
    top = {k: v for k, v in doc.items() if k != "_path"}  # a loaded codebook, written back
    models.validate(models.Codebook, top, f"{path}: codebook")  # unknown top-level keys
    doc["_path"] = str(path)
    return doc


def _iso_dates(obj):
    # YAML reads 2024-04-19 as a date; the tables want the ISO string.
    if isinstance(obj, dict):
        return {k: _iso_dates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_iso_dates(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def _nearest(text: str, needle: str) -> str:
    """The passage of `text` most like `needle` (sliding window), to show beside a missing quote."""
    n = len(needle)
    if not n or not text:
        return ""
    best, best_ratio = "", -1.0
    sm = difflib.SequenceMatcher(autojunk=False)
    sm.set_seq2(needle)
    for i in range(0, max(1, len(text) - n + 1)):
        window = text[i : i + n]
        if "\n" in window:
            continue
        sm.set_seq1(window)
        if sm.real_quick_ratio() <= best_ratio or sm.quick_ratio() <= best_ratio:
            continue
        r = sm.ratio()
        if r > best_ratio:
            best, best_ratio = window, r
    return best


def _locate(entry: dict, text: str) -> tuple[int, int] | str:
    """(start, end) of the entry's quote in `text`, or the problem as a message."""
    quote, context = entry.get("quote") or "", entry.get("context") or ""
    anchor = context or quote
    count = text.count(anchor)
    if count == 0:
        what = "context" if context else "quote"
        return f"{what} {anchor!r} not found verbatim; nearest passage {_nearest(text, anchor)!r}"
    if count > 1:
        what = "context" if context else "quote"
        return f"{what} {anchor!r} occurs {count} times; add a unique `context`"
    at = text.index(anchor)
    if context:
        if context.count(quote) != 1:
            return f"quote {quote!r} must occur once in context {context!r}"
        at += context.index(quote)
    return at, at + len(quote)


def _parse(quote: str):
    from helpers.clean.quantities import parse_quantity

    try:
        return parse_quantity(quote)
    except (JJJError, ValueError):
        return None


def _same(a, b) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0)
    except (TypeError, ValueError):
        return False


def _fmt(v) -> str:
    """A number as printed in messages: 2188000000, 1.4 (never 2.188e+09)."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return repr(v)
    return str(int(x)) if x.is_integer() else repr(x)


def _cand(c) -> dict:
    d = asdict(c) if is_dataclass(c) else dict(c if isinstance(c, dict) else vars(c))
    return {k: d.get(k) for k in CANDIDATE_COLUMNS if k != "status"}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _spans(codebook: dict, text: str, issues: list[str]) -> tuple[dict, dict]:
    """Figure and excluded spans in `text`; problems appended to `issues`."""
    where = codebook.get("_path", "codebook")
    figures: dict[str, tuple[int, int]] = {}
    excluded: dict[int, tuple[tuple[int, int], str]] = {}
    for f in codebook.get("figures") or []:
        fid = _entry_id(f, "figure", models.CodebookFigure, figures, where, issues)
        if fid is None:
            continue
        span = _locate(f, text)
        if isinstance(span, str):
            issues.append(f"{where}: figure {fid}: {span}")
            continue
        figures[fid] = span
        if not blank(f.get("attribution")) and f["attribution"] not in text:
            issues.append(
                f"{where}: figure {fid}: attribution {f['attribution']!r} not found verbatim; "
                f"nearest passage {_nearest(text, f['attribution'])!r}"
            )
        q = _parse(f["quote"])
        if q is None:
            issues.append(f"{where}: figure {fid}: quote {f['quote']!r} does not parse as a number")
            continue
        if not _same(f["value"], q.value):
            issues.append(
                f"{where}: figure {fid}: codebook value {_fmt(f['value'])} disagrees with "
                f"parse_quantity({f['quote']!r}) = {_fmt(q.value)}"
            )
        if f["qualifier"] != q.qualifier:
            issues.append(
                f"{where}: figure {fid}: codebook qualifier {f['qualifier']!r} disagrees with "
                f"parse_quantity({f['quote']!r}) = {q.qualifier!r}"
            )
    for i, e in enumerate(codebook.get("excluded") or []):
        label = f"excluded #{i + 1} ({e.get('quote')!r})" if isinstance(e, dict) else f"#{i + 1}"
        found = models.problems(models.CodebookExcluded, e, f"{where}: {label}")
        if found:
            issues += found
            continue
        span = _locate(e, text)
        if isinstance(span, str):
            issues.append(f"{where}: {label}: {span}")
            continue
        excluded[i] = (span, e["reason"])
    return figures, excluded


def _entry_id(entry, kind: str, model, seen, where: str, issues: list[str]) -> str | None:
    """The id of a well-formed (`model`), new codebook entry; None (issues noted) otherwise."""
    eid = entry.get("id") if isinstance(entry, dict) else None
    if blank(eid):
        issues.append(f"{where}: a {kind} has no id: {entry!r}"[:300])
        return None
    found = models.problems(model, entry, f"{where}: {kind} {eid}")
    if found:
        issues += found
        return None
    if eid in seen:
        issues.append(f"{where}: {kind} {eid}: duplicate {kind} id")
        return None
    return eid


def _events(codebook: dict, text: str, issues: list[str]) -> list[dict]:
    where = codebook.get("_path", "codebook")
    seen: set[str] = set()
    rows = []
    for i, e in enumerate(codebook.get("events_undated") or []):
        name = e.get("id") if isinstance(e, dict) else None
        issues += models.problems(models.CodebookUndatedEvent, e, f"{where}: event {name or i + 1}")
    for e in codebook.get("events") or []:
        eid = _entry_id(e, "event", models.CodebookEvent, seen, where, issues)
        if eid is None:
            continue
        seen.add(eid)
        before = len(issues)
        for key in ("quote", "date_text"):
            if not blank(e.get(key)) and e[key] not in text:
                near = _nearest(text, e[key])
                issues.append(
                    f"{where}: event {eid}: {key} {e[key]!r} not found verbatim; "
                    f"nearest passage {near!r}"
                )
        if len(issues) == before:  # rows are written only when no entry has an issue
            rows.append(e)
    return rows


def _status(cand: dict, figures: dict, excluded: dict) -> str | None:
    """How the codebook accounts for a candidate; None when it does not."""
    span = (int(cand["start"]), int(cand["end"]))
    for fid, fspan in figures.items():
        if _overlaps(span, fspan):
            return f"in_codebook:{fid}"
    for ex_span, reason in excluded.values():
        if _overlaps(span, ex_span):
            return f"excluded:{reason}"
    kind = cand.get("kind")
    return kind if kind in ("date", "period", "not_statistic") else None


def _audit(codebook: dict, text: str, candidates: list, reference_date: dt.date | None = None):
    """(issues, candidate rows with status, events) of `codebook` against `text`."""
    issues: list[str] = []
    figures, excluded = _spans(codebook, text, issues)
    events = _events(codebook, text, issues)
    where = codebook.get("_path", "codebook")
    issues += duplicate_quotes(figures, where)
    issues += event_dates(events, reference_date, where)
    issues += figure_periods(codebook.get("figures") or [], reference_date, where)
    rows = []
    for c in map(_cand, candidates):
        if text[int(c["start"]) : int(c["end"])] != c["quote"]:
            issues.append(
                f"{where}: candidate {c['quote']!r} at char {c['start']} is not at its place in "
                "the reflowed text (extractor and reflow disagree)"
            )
            continue
        status = _status(c, figures, excluded)
        if status is None:
            issues.append(
                f"{where}: candidate statistic {c['quote']!r} at char {c['start']} is neither "
                "a figure nor excluded (coverage must be 100 %)"
            )
        rows.append({**c, "status": status})
    return issues, rows, events


def check(
    codebook: dict, text: str, candidates: list, reference_date: dt.date | None = None
) -> list[str]:
    """Every problem of `codebook` against the reflowed `text` and the extractor's candidates."""
    return _audit(codebook, text, candidates, reference_date)[0]


# ---- meaning checks: the entry is well-formed, but does it say what the text says?


def duplicate_quotes(figures: dict[str, tuple[int, int]], where: str) -> list[str]:
    """The same printed number coded under two ids would be counted twice in the reports."""
    issues, seen = [], []
    for fid, span in figures.items():
        first = next((other for other, at in seen if _overlaps(span, at)), None)
        if first is not None:
            issues.append(
                f"{where}: figure {fid}: its quote at char {span[0]} is already figure {first} "
                "(one printed number, one figure)"
            )
        seen.append((fid, span))
    return issues


def _resolved(phrase, reference_date: dt.date | None) -> dict | None:
    """The date or period a phrase such as 2014年2月, 截至目前 or 近三年 names, if any."""
    if blank(phrase):
        return None
    for c in map(_cand, extract(str(phrase), reference_date=reference_date)):
        if c["kind"] in ("date", "period") and c.get("period_end"):
            return c
    return None


def event_dates(events: list[dict], reference_date: dt.date | None, where: str) -> list[str]:
    """An event's date must be the year (and month, when printed) its date_text says."""
    issues = []
    for e in events:
        eid, said, quote = e["id"], e.get("date_text"), e.get("quote")
        if not blank(quote) and not blank(said) and said not in quote:
            issues.append(f"{where}: event {eid}: date_text {said!r} is not in its quote")
            continue
        named = _resolved(said, reference_date)
        if named is None or not named.get("period_start"):
            continue
        start = str(e["date_start"])
        want = named["period_start"][:7] if "月" in named["quote"] else named["period_start"][:4]
        if start[: len(want)] != want:
            issues.append(
                f"{where}: event {eid}: dated {start} but its text says {said!r} ({want})"
            )
    return issues


def figure_periods(figures: list[dict], reference_date: dt.date | None, where: str) -> list[str]:
    """A figure's period_end (and period_start) must fall in the year its period_text names:
    an edited date would otherwise move the figure to another year's report."""
    issues = []
    for f in figures:
        if not isinstance(f, dict):
            continue
        named = _resolved(f.get("period_text"), reference_date)
        if named is None:
            continue
        for key in ("period_end", "period_start"):
            given, said = f.get(key), named.get(key)
            point = named["period_start"] == named["period_end"]  # 截至…: no start printed
            if blank(given) or not said or (key == "period_start" and point):
                continue
            if str(given)[:4] != said[:4]:
                issues.append(
                    f"{where}: figure {f.get('id')}: {key} {given} disagrees with its "
                    f"period_text {f['period_text']!r} ({said[:4]})"
                )
    return issues


def _raise(issues: list[str]) -> None:
    if issues:
        more = f" (+{len(issues) - 1} more)" if len(issues) > 1 else ""
        raise JJJError(issues[0] + more)


def _figure_rows(codebook: dict, source_id: str) -> pd.DataFrame:
    rows = []
    for f in codebook["figures"]:
        q = _parse(f["quote"])
        rows.append(
            {
                "figure_id": f["id"],
                "source_id": source_id,
                "quote": f["quote"],
                "value": float(q.value),
                "value_low": None if q.low is None else float(q.low),
                "value_high": None if q.high is None else float(q.high),
                "qualifier": f["qualifier"],
                "unit": f["unit"],
                "unit_zh": f["unit_zh"],
                "subject_zh": f["subject_zh"],
                "subject_en": f["subject_en"],
                "measure": f["measure"],
                "region": f["region"],
                "period_start": f.get("period_start") or None,
                "period_end": f.get("period_end") or None,
                "period_text": f.get("period_text") or None,
                "period_ambiguous": bool(f.get("period_ambiguous", False)),
                "period_type": f["period_type"],
                "category": f["category"],
                "organization": f.get("organization") or None,
                "attribution": f.get("attribution") or None,
            }
        )
    return pd.DataFrame(rows, columns=schema.FIGURES.names)


def _event_rows(events: list[dict], source_id: str) -> pd.DataFrame:
    rows = [
        {
            "event_id": e["id"],
            "source_id": source_id,
            "date_start": e["date_start"],
            "date_end": e["date_end"],
            "date_text": e["date_text"],
            "quote": e.get("quote") or None,
            "text_zh": e.get("text_zh") or None,
            "text_en": e["text_en"],
        }
        for e in events
    ]
    return pd.DataFrame(rows, columns=schema.EVENTS.names)


def clean_full_text(
    source: sources.Source, out_dir: Path | None = None, codebook_path: Path | None = None
) -> CleanResult:
    """Verify, reflow and check one full-text source; then write its processed files."""
    out_dir = Path(out_dir or paths.source_dir(source.id))
    raw = sources.read_text(source)  # sha256 first: data/raw is immutable
    blocks = reflow.reflow(raw, sources.load_layout(source.id))
    text = reflow.article_text(blocks)
    codebook = load_codebook(codebook_path)
    where = codebook["_path"]
    if codebook.get("source_id") not in (None, source.id):
        raise JJJError(f"{where}: codebook is for {codebook['source_id']!r}, not {source.id!r}")

    candidates = extract(text, reference_date=sources.reference_date(source))
    issues, rows, events = _audit(codebook, text, candidates, sources.reference_date(source))
    _raise(issues)

    stats = [r for r in rows if r["kind"] == "statistic"]
    coverage = 1.0 if not stats else sum(r["status"] is not None for r in stats) / len(stats)
    cand_df = pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))
    cand_df = cand_df.sort_values(["start", "end"], kind="stable").reset_index(drop=True)
    fig_df = schema.validate(_figure_rows(codebook, source.id), schema.FIGURES, f"{where}")
    ev_df = schema.validate(_event_rows(events, source.id), schema.EVENTS, f"{where}")

    # Everything is checked: write. All five go to temp files first and are renamed only when
    # every one is written, so an error leaves the previous outputs as they were.
    texts = {
        "article.json": _article_json(blocks, source, text),
        "article.md": reflow.to_markdown(blocks),
    }
    frames = {"figures.csv": fig_df, "events.csv": ev_df, "candidates.csv": cand_df}
    with ExitStack() as stack:
        for name, body in texts.items():
            stack.enter_context(atomic_path(out_dir / name)).write_bytes(body.encode("utf-8"))
        for name, df in frames.items():
            tmp = stack.enter_context(atomic_path(out_dir / name))
            df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return CleanResult(blocks, fig_df, ev_df, cand_df, coverage)


def _article_json(blocks, source: sources.Source, text: str) -> str:
    # The reading-order text rides along so readers (clean.processed.load) need not rebuild it.
    doc = json.loads(reflow.to_json(blocks, source))
    doc["text"] = text
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
