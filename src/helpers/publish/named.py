"""The named values the notebooks' prose uses: figures, ratios, counts and short texts.

Each is a formatting.Value with its provenance (quote, who said it, the source as readers cite
it) or a str. Nothing here is a sentence: the sentences are in the notebooks. Computes nothing
either: counts and ratios come from helpers.analyze, the conditions (bools) that choose the
sentences from helpers.publish.conditions.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers import paths
from helpers.analyze import years
from helpers.clean.periods import period_label
from helpers.publish import conditions
from helpers.publish.formatting import Citation, Value, from_figure
from helpers.publish.i18n import t

SEED = paths.SEED_SOURCE_ID


def _both(key: str, **kw) -> dict:
    return {lang: t(key, lang, **kw) for lang in ("zh", "en")}


def seed_citation(data) -> Citation:
    """The article: publisher inferred, no date printed — both said, never stated flatly."""
    s = data.sources[SEED]

    def meeting(lang: str) -> str:  # the date of the meeting it reports, which it followed
        return period_label(s.get("event_date"), s.get("event_date"), lang)

    return Citation(
        publisher={
            "zh": t("most_likely", "zh", who=s.get("publisher_zh", "")),
            "en": t("most_likely", "en", who=s.get("publisher_en", "")),
        },
        title={"zh": s.get("title_zh", ""), "en": f"{s.get('title_zh', '')} ({s.get('title_en')})"},
        date="",
        url="",
        note={lang: t("seed_citation_note", lang, meeting=meeting(lang)) for lang in ("zh", "en")},
    )


def _pick_col(row, *names) -> str:
    for n in names:
        v = row.get(n) if hasattr(row, "get") else None
        if isinstance(v, str) and v:
            return v
    return ""


_LEADING_CJK = re.compile(r"^([\u4e00-\u9fff]+)")
_CJK_THEN_GLOSS = re.compile(r"^([\u4e00-\u9fff]+) \(([^()]*)\)")
_REPORTER = re.compile(r",? reporter [\u4e00-\u9fff]+")


def publisher_text(raw: str, url: str, lang: str) -> str:
    """The record's publisher line as a reader of `lang` cites it.

    The record writes one mixed line ("公益时报 (China Philanthropy Times) e-paper, reporter
    王勇"). A Chinese reader gets the publisher's Chinese name, or the site's address when the
    line names none; an English reader gets the English line with the Chinese name as the gloss
    ("China Philanthropy Times (公益时报) e-paper").
    """
    from urllib.parse import urlsplit

    from helpers.publish.i18n import PUBLISHERS_EN

    raw = str(raw or "")
    if lang == "zh":
        m = _LEADING_CJK.match(raw)
        return m.group(1) if m else (urlsplit(url).netloc or raw)
    from helpers.publish.i18n import gloss_en

    text = gloss_en(_REPORTER.sub("", raw))
    if m := _CJK_THEN_GLOSS.match(text):
        return f"{m.group(2)} ({m.group(1)}){text[m.end() :]}"
    if (m := _LEADING_CJK.match(text)) and m.group(1) in PUBLISHERS_EN:
        return f"{PUBLISHERS_EN[m.group(1)]} ({m.group(1)}){text[m.end() :]}"
    return text


# Pages of the record that are copies of another publisher's page on an unrelated site: those
# the record marks (url_note "mirror", "republished copy") and these, whose sites only
# reprint (found by a reader; the record names a publisher the site is not).
MIRROR_HOSTS = ("newcairotravel.com", "m.bm463.com", "wap.newstx.cn", "xsdnews.net",
                "www.jus24x7.com")  # fmt: skip


def mirror_host(url: str, url_note: str = "") -> str:
    """The site a copied page sits on, or "" when the page is the publisher's own."""
    from urllib.parse import urlsplit

    host = urlsplit(str(url or "")).netloc
    note = str(url_note or "").lower()
    return host if host in MIRROR_HOSTS or "mirror" in note or "copy" in note else ""


def record_citation(data, source_id: str) -> Citation:
    """A page of the public record: publisher, title, date, URL; a copy named as a copy."""
    rows = data.citations[data.citations["source_id"] == source_id]
    if rows.empty:
        return Citation(publisher=source_id)
    r = rows.iloc[0]
    url = str(r["url"] or "")
    publisher = {
        "zh": _pick_col(r, "publisher_zh") or publisher_text(r["publisher"], url, "zh"),
        "en": _pick_col(r, "publisher_en") or publisher_text(r["publisher"], url, "en"),
    }
    if host := mirror_host(url, r.get("url_note", "")):
        publisher = {lang: t("copy_on", lang, what=p, host=host) for lang, p in publisher.items()}
    title = {"zh": _pick_col(r, "title_zh", "title"), "en": _pick_col(r, "title_en", "title")}
    date = str(r["date_published_text"] or r["date_published"] or "")
    return Citation(
        publisher=publisher,
        title=title,
        date={"zh": _pick_col(r, "date_published_text_zh") or date, "en": date},
        url=str(r["url"] or ""),
    )


def citation(data, source_id: str) -> Citation:
    return seed_citation(data) if source_id == SEED else record_citation(data, source_id)


def name_of(figure_id: str, source_id: str) -> str:
    """fig.<id> for the article's figures; rec.<source>.<measure> for the public record's."""
    if source_id == SEED:
        return f"fig.{figure_id}"
    measure = figure_id.split("/", 1)[-1]
    return "rec." + re.sub(r"\W", "_", source_id) + "." + re.sub(r"\W", "_", measure)


def figures(data) -> dict[str, Value]:
    """Every figure of data/processed/figures.csv as a Value, named by name_of()."""
    cites: dict[str, Citation] = {}
    out = {}
    for _, row in data.figures.iterrows():
        sid = row["source_id"]
        if sid not in cites:
            cites[sid] = citation(data, sid)
        out[name_of(row["figure_id"], sid)] = from_figure(row, cites[sid])
    return out


def ratios(table: pd.DataFrame, values: dict[str, Value]) -> dict[str, Value]:
    """ratio.<id> for each row of analyze.outcomes.ratios, its terms as the basis."""
    out = {}
    for r in table.itertuples(index=False):
        out[f"ratio.{r.ratio_id}"] = Value(
            number=float(r.value),
            unit=r.unit_en,
            unit_zh=r.unit_zh,
            qualifier=r.qualifier,
            low=None if pd.isna(r.value_low) else float(r.value_low),
            high=None if pd.isna(r.value_high) else float(r.value_high),
            sig=int(r.sig),
            basis=(values[f"fig.{r.numerator}"], values[f"fig.{r.denominator}"]),
            operation="÷",
        )
    return out


def count(n: int, unit_key: str, note_key: str) -> Value:
    """A count the report makes (events of a year, figures covering it), with where it is."""
    return Value(
        number=float(n),
        unit=t(f"unit_{unit_key}", "en"),
        unit_zh=t(f"unit_{unit_key}", "zh"),
        note=_both(note_key),
    )


def year_values(data, view) -> dict:
    """The named values of one year's report, every figure (fig.…, rec.…) among them."""
    from helpers.publish.present import value_text

    k = view.known
    ev = view.events
    events_zh = "；".join(str(z) for z in ev.get("text_zh", []))
    events_en = _dashes(years.join_en(ev.get("text_en", [])))
    alone = view.covering[view.covering["year_alone"]] if len(view.covering) else view.covering
    out = {
        "year": str(view.year),
        "n_events": count(k["events"], "event", "note_counted_events"),
        "n_covering": count(k["covering"], "figure", "note_counted_covering"),
        "n_alone": count(k["alone"], "figure", "note_counted_covering"),
        "n_public": count(k["public_record"], "figure", "note_counted_public"),
        "n_undated": count(k["undated"], "figure", "note_counted_undated"),
        "n_ambiguous": count(k["ambiguous"], "figure", "note_counted_covering"),
        "events_zh": events_zh,
        "events_en": events_en,
        "alone_zh": "、".join(alone["quote"]) + _said(alone, "zh") if len(alone) else "",
        "alone_en": ", ".join(value_text(r, "en") for _, r in alone.iterrows())
        + _said(alone, "en"),
    }
    # The year's own figures, each a value with its quote note (144家、184个、9个).
    for i in range(1, 4):
        if len(alone) >= i:
            row = alone.iloc[i - 1]
            out[f"alone_{i}"] = from_figure(row, citation(data, row["source_id"]))
    out["alone_said_zh"], out["alone_said_en"] = _said(alone, "zh"), _said(alone, "en")
    return figures(data) | out | lead_values(data, view)


def _said(rows: pd.DataFrame, lang: str) -> str:
    """Who gave the figures, when the article names one for all of them: （据了解）."""
    from helpers.publish.i18n import attribution

    who = {str(a) for a in rows.get("attribution", pd.Series(dtype=object)) if isinstance(a, str)}
    if len(who) != 1 or len(rows["attribution"].dropna()) != len(rows):
        return ""
    text = attribution(who.pop(), lang)
    return f"（{text}）" if lang == "zh" else f" ({text})"


_BRACKETS = re.compile(r"\s*[（(][^（）()]*[）)]")


def title_text(text: str, lang: str) -> str:
    """An event's text as a title says it: no bracketed detail, the region's name with dashes,
    an English sentence's first letter capital."""
    text = re.split(r"；|; ", str(text or ""))[0]  # one occasion's texts joined: the first
    text = _BRACKETS.sub("", text).strip()
    if lang == "en":
        text = _dashes(text)
        text = text[:1].upper() + text[1:]
    return text


SHORT = {"zh": 10, "en": 26}  # a timeline label's most characters


def short_label(text: str, lang: str, event_id: str = "") -> str:
    """An event as a timeline label: its label in i18n.EVENT_LABELS, else its text's first
    clause, cut at a word, "…" when cut."""
    from helpers.publish.i18n import EVENT_LABELS

    if event_id in EVENT_LABELS:
        return EVENT_LABELS[event_id][0 if lang == "zh" else 1]
    first = re.split(r"[，,；;：:]", title_text(text, lang))[0].strip()
    n = SHORT[lang]
    if len(first) <= n:
        return first
    if lang == "en":
        cut = first[: n + 1].rsplit(" ", 1)[0]
        return cut.rstrip(" -–") + "…"
    return first[:n] + "…"


def _dashes(text: str) -> str:
    from helpers.publish.i18n import dashes

    return dashes(text)


def lead_values(data, view) -> dict:
    """The values of the title's lead (helpers.publish.conditions.lead) and the main point's
    key figures: an event lead names its text and, when counted, the organizations taking part;
    a counties-exit lead counts the campaign's year."""
    from helpers.analyze import campaign_record
    from helpers.publish import present

    lead = conditions.lead(data, view)
    out: dict = {}
    ev = view.events.set_index("event_id")
    for lang in ("zh", "en"):
        text = ev.loc[lead["event_id"], f"text_{lang}"] if lead["event_id"] else ""
        out[f"lead_event_{lang}"] = title_text(text, lang)
    if lead["figure_id"] is not None:
        row = data.figures.set_index("figure_id").loc[lead["figure_id"]]
        out["lead_figure"] = from_figure(row, citation(data, row["source_id"]))
    keys = years.key_figures(view, lead["figure_id"])
    for i in range(1, 4):
        if len(keys) >= i:
            row = keys.iloc[i - 1]
            out[f"key_{i}"] = from_figure(row, citation(data, row["source_id"]))
            out[f"key_{i}_what_zh"] = str(row["subject_zh"])
            out[f"key_{i}_what_en"] = _dashes(str(row["subject_en"]))
            # A multi-year total is never read as the year's: its period goes with it.
            out[f"key_{i}_when_zh"] = present.period_text(row, "zh")
            out[f"key_{i}_when_en"] = present.period_text(row, "en")
    if lead["kind"] == "counties_exit":
        start = int(campaign_record.START[:4])
        out["camp_ordinal_zh"] = t(f"ordinal_{view.year - start}", "zh")
        out["camp_ordinal_en"] = t(f"ordinal_{view.year - start}", "en")
    return out


def reference_date(data) -> str | None:
    """The article's date as the codebook reads it (the meeting it reports)."""
    return data.sources[SEED].get("event_date")


def ten_year_values(data) -> dict:
    """The named values of the ten-year report: every figure, the ratios, the count of the
    article's figures."""
    from helpers.analyze import outcomes

    values: dict = figures(data)
    values |= ratios(outcomes.ratios(data.figures), values)
    values["n_seed"] = count(
        len(outcomes.seed_figures(data.figures)), "figure", "note_counted_seed"
    )
    return values
