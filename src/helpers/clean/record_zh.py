"""Our Chinese texts of the public record (data/raw/record-zh.yml): load, match, apply.

The record's glosses are English only and the record file is never edited, so the Chinese a
zh report shows comes from a second raw file, keyed like the record: source id, then each
figure by its expression and each event by its date. Every figure and event of the record
needs a text, and every key must match something in the record; otherwise the clean step
stops with one line naming the file, the entry and what is missing or unmatched.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, StrictStr, field_validator

from helpers.clean import models, sources
from helpers.clean.record_models import Entry
from helpers.errors import JJJError

Text = models.Text
_LATIN = re.compile(r"[A-Za-z]{2,}")


class ZhEntry(models.Strict):
    """The Chinese texts of one record entry."""

    publisher: Text
    date_published: Text | None = None  # only where the record's date carries English words
    figures: dict[StrictStr, Text] = {}  # expr → what the figure counts
    # date as the record writes it → what happened; a list, in the record's order, where the
    # record has several events on one date (2025: the joint policy, the Xiong'an visit).
    events: dict[StrictStr, Text | list[Text]] = {}

    @field_validator("figures", "events", mode="before")
    @classmethod
    def _keys_as_text(cls, v):
        # An empty `events:` is no events; keys stay text as the record writes them.
        if v is None:
            return {}
        return {str(k): val for k, val in v.items()} if isinstance(v, dict) else v


class ZhFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: dict[StrictStr, dict]


def load(path, sha256: str) -> dict[str, ZhEntry]:
    """The verified file as {source id: ZhEntry}; one-line errors naming file, entry, field."""
    sources.verify(sources.Source("record-zh", "translation", path, sha256, {}))
    doc = sources.parse_yaml(sources.decode_text(path), path)
    top = models.validate(ZhFile, doc, str(path))
    return {
        sid: models.validate(ZhEntry, raw, f"{path}: entry {sid!r}")
        for sid, raw in top.sources.items()
    }


def check(zh: dict[str, ZhEntry], entries: list[Entry], path) -> None:
    """Every figure and event of the record has a Chinese text; every text matches one."""
    known = {e.id: e for e in entries}
    for sid in zh:
        if sid not in known:
            raise JJJError(f"{path}: entry {sid!r} matches no entry of the record")
    for e in entries:
        at = f"{path}: entry {e.id!r}"
        if e.id not in zh:
            raise JJJError(f"{at}: missing (the record's entry has no Chinese text)")
        z = zh[e.id]
        if z.date_published is None and _LATIN.search(e.date_published.text):
            raise JJJError(f"{at}: missing field 'date_published' (the record's is "
                           f"{e.date_published.text!r})")  # fmt: skip
        for kind, have in (("figure", [f.expr for f in e.figures]),
                           ("event", [v.date.text for v in e.events])):  # fmt: skip
            texts = z.figures if kind == "figure" else z.events
            # An unmatched key first: a mistyped key also leaves its item without a text.
            for key in texts:
                if key not in have:
                    raise JJJError(f"{at}: {kind} {key!r} matches no {kind} of the record")
            for key in have:
                if key not in texts:
                    raise JJJError(f"{at}: {kind} {key!r} has no Chinese text")
            if kind == "event":
                for key, text in texts.items():
                    n, given = have.count(key), len(text) if isinstance(text, list) else 1
                    if n != given:
                        raise JJJError(f"{at}: event {key!r}: {given} Chinese text(s) for "
                                       f"the record's {n} event(s) of that date")  # fmt: skip


def event_text(z: ZhEntry, date_text: str, nth: int) -> str:
    """The Chinese text of the record's `nth` (0-based) event dated `date_text`."""
    text = z.events[date_text]
    return text[nth] if isinstance(text, list) else text


def for_source(source: sources.Source, entries: list[Entry]) -> dict[str, ZhEntry] | None:
    """The source's checked Chinese texts, or None when the manifest registers none."""
    if source.translation is None:
        return None
    path, sha = source.translation
    zh = load(path, sha)
    check(zh, entries, path)
    return zh
