"""Figures as report text and HTML tables, in one language. Never computes a statistic.

Everything from a source (quotes, names, glosses) is escaped here: text from a source is data.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from helpers.clean.periods import blank
from helpers.publish.i18n import t


def number(v: float | None, lang: str, *, sig: int | None = None, direction: str = "") -> str:
    """A number as the language writes it (helpers.publish.formatting.number); "—" when blank."""
    from helpers.publish import formatting

    if blank(v):
        return "—"
    return formatting.number(float(v), lang, sig=sig, direction=direction)


def value_text(row, lang: str) -> str:
    """'more than 6,300 organizations' / '6300多家' from a figure row."""
    from helpers.publish import formatting

    return formatting.format_value(formatting.from_figure(row), lang)


def bounds_text(low, high, lang: str, *, sig: int | None = None) -> str:
    """The interval a qualifier gives, bounds rounded outward."""
    lo, hi = (None if blank(low) else low), (None if blank(high) else high)
    if lo is None and hi is None:
        return "—"
    if lo is not None and hi is not None:
        if math.isclose(float(lo), float(hi)):
            return number(lo, lang, sig=sig)
        lo_t, hi_t = (
            number(lo, lang, sig=sig, direction="down"),
            number(hi, lang, sig=sig, direction="up"),
        )
        return f"{lo_t} – {hi_t}"
    if lo is not None:
        return f"≥ {number(lo, lang, sig=sig, direction='down')}"
    return f"≤ {number(hi, lang, sig=sig, direction='up')}"


def attribution_text(row, lang: str) -> str:
    """Who the source says gave the figure: as printed in zh, glossed in en."""
    from helpers.publish.i18n import attribution

    who = row.get("attribution") if hasattr(row, "get") else None
    return attribution(who, lang) if isinstance(who, str) and who else ""


def quote_text(row, lang: str) -> str:
    """The figure's quote as printed; one the source prints in English said to be English."""
    from helpers.publish.notes import QUOTE_EN

    lang_of = row.get("expr_lang") if hasattr(row, "get") else None
    quote = str(row["quote"])
    if lang_of == "en":
        return QUOTE_EN[lang].format(q=quote)
    return quote


def date_label(start: str, end: str) -> str:
    """An ISO span at the precision it has: 2018-08-22, 2014-02, 2020, or start → end."""
    import calendar

    if not start:
        return ""
    end = end or start
    if start == end:
        return start
    y1, m1, d1 = (int(x) for x in start.split("-"))
    y2, m2, d2 = (int(x) for x in end.split("-"))
    if (m1, d1, m2, d2) == (1, 1, 12, 31) and y1 == y2:
        return str(y1)
    if y1 == y2 and m1 == m2 and d1 == 1 and d2 == calendar.monthrange(y2, m2)[1]:
        return start[:7]
    return f"{start} → {end}"


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


def _english_form(text: str) -> bool:
    """Latin words or ASCII brackets: a period the record wrote in English form."""
    return re.search(r"[A-Za-z()]", str(text)) is not None


def _span(s, e, lang: str) -> str:
    if blank(s) and blank(e):
        return t("no_period", lang)
    s, e = ("" if blank(s) else str(s)), ("" if blank(e) else str(e))
    if s == e:
        return s
    if not s:
        return f"{t('as_of', lang)}{'' if lang == 'zh' else ' '}{e[:7]}"
    return f"{s[:7]} → {e[:7]}"


def period_text(row, lang: str) -> str:
    """The period as dates with the source's own words, glossed in en; an ambiguous 近N年 gives
    both readings (alt_period_start / alt_period_end, from helpers.analyze.years)."""
    from helpers.publish.i18n import period_gloss

    get = row.get if hasattr(row, "get") else (lambda k, d=None: d)
    words = get("period_text") or ""
    span = _span(get("period_start"), get("period_end"), lang)
    alt_s = get("alt_period_start")
    if isinstance(alt_s, str) and alt_s:
        alt = _span(alt_s, get("alt_period_end"), lang)
        # The other reading runs to the article's date: it counts the article's year too.
        counted = str(get("alt_period_end"))[:4]
        span = t("two_readings", lang, first=span, second=alt, counted=counted)
    if not words:
        return span
    if lang == "zh":
        # The record's periods are written in English form with the page's words inside
        # ("2019 (去年)", "2017-12 to 2020-10 (3年来)"): a zh reader gets the dates alone.
        return f"{words}（{span}）" if _cjk(words) and not _english_form(words) else span
    if _cjk(words) and _english_form(words):
        # "2017-12 to 2020-10 (3年来)": the dates are the span; the page's words glossed.
        m = re.search(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)", words)
        if m:
            gloss = period_gloss(m.group(1))
            return f"{span} (“{m.group(1)}”{', ' + gloss if gloss else ''})"
    if _cjk(words):
        gloss = period_gloss(words)
        return f"{span} (“{words}”{', ' + gloss if gloss else ''})"
    return span


def table(
    df: pd.DataFrame,
    columns: dict[str, str],
    lang: str,
    *,
    cls: str = "",
    data: pd.DataFrame | None = None,
) -> str:
    """An HTML table of `df[columns]` with translated headers; every cell escaped. Its rows as
    the data files hold them (`data`, else `df` without display columns) follow as a marker:
    the export links them under the table as CSV (helpers.publish.downloads)."""
    from helpers.publish import downloads

    head = "".join(
        f"<th scope='col'>{html.escape(t(label, lang))}</th>" for label in columns.values()
    )
    body = []
    for _, row in df.iterrows():
        cells = []
        for col in columns:
            v = row[col] if col in row else ""
            text = "" if blank(v) else str(v)
            if lang == "en":
                from helpers.publish.i18n import dashes

                text = dashes(text)  # one name for the region, whatever the record writes
            cells.append(f"<td>{html.escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    # A table of many rows cannot fit one page: let it break between rows (see report.css).
    classes = " ".join(c for c in (cls, "long" if len(df) > 6 else "") if c)
    klass = f" class='{html.escape(classes)}'" if classes else ""
    return (
        f"<div class='table-wrap'><table{klass}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
        + downloads.marker(downloads.data_frame(df, data), "table")
    )


def paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def heading(key: str, lang: str, level: int = 2) -> str:
    return f"<h{level}>{html.escape(t(key, lang))}</h{level}>"


def show(fragment: str):
    """Display an HTML fragment as a notebook output (the reports are built from outputs)."""
    from IPython.display import HTML, display

    display(HTML(fragment))
