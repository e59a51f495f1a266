"""Figures as report text and HTML tables, in one language. Never computes a statistic.

Everything from a source (quotes, names, glosses) is escaped here: text from a source is data.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from helpers.publish.i18n import t


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def number(v: float | None, lang: str) -> str:
    """12345.0 → '12,345'; 417.4107 → '417.4'; keeps at most 4 significant decimals."""
    if _blank(v):
        return "—"
    v = float(v)
    if v.is_integer():
        return f"{int(v):,}"
    digits = 1 if abs(v) >= 100 else 2 if abs(v) >= 1 else 4
    return f"{v:,.{digits}f}"


def value_text(row, lang: str) -> str:
    """'more than 6,300 organizations' / '多于6,300家' from a figure row."""
    q = t(f"q_{row['qualifier']}", lang)
    if lang == "zh":
        return f"{q}{number(row['value'], lang)}{row.get('unit_zh') or ''}"
    return f"{q}{number(row['value'], lang)} {row.get('unit') or ''}".strip()


def bounds_text(low, high, lang: str) -> str:
    lo, hi = (None if _blank(low) else low), (None if _blank(high) else high)
    if lo is None and hi is None:
        return "—"
    if lo is not None and hi is not None:
        if math.isclose(float(lo), float(hi)):
            return number(lo, lang)
        return f"{number(lo, lang)} – {number(hi, lang)}"
    if lo is not None:
        return f"≥ {number(lo, lang)}"
    return f"≤ {number(hi, lang)}"


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


def period_text(row, lang: str) -> str:
    """The period as dates, with the source's own words: Chinese first in zh, dates first in en."""
    s, e = row.get("period_start"), row.get("period_end")
    words = row.get("period_text") or ""
    if _blank(s) and _blank(e):
        span = t("no_period", lang)
    else:
        span = f"{(s or '')[:7]} → {(e or '')[:7]}" if s != e else str(s)
    if not words:
        out = span
    else:
        out = f"{words} ({span})" if lang == "zh" else f"{span}; “{words}”"
    if bool(row.get("period_ambiguous")):
        out += f" ⚠ {t('ambiguous', lang)}"
    return out


def table(df: pd.DataFrame, columns: dict[str, str], lang: str, *, cls: str = "") -> str:
    """An HTML table of `df[columns]` with translated headers; every cell escaped."""
    head = "".join(
        f"<th scope='col'>{html.escape(t(label, lang))}</th>" for label in columns.values()
    )
    body = []
    for _, row in df.iterrows():
        cells = []
        for col in columns:
            v = row[col] if col in row else ""
            cells.append(f"<td>{html.escape('' if _blank(v) else str(v))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    # A table of many rows cannot fit one page: let it break between rows (see report.css).
    classes = " ".join(c for c in (cls, "long" if len(df) > 6 else "") if c)
    klass = f" class='{html.escape(classes)}'" if classes else ""
    return (
        f"<div class='table-wrap'><table{klass}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def heading(key: str, lang: str, level: int = 2) -> str:
    return f"<h{level}>{html.escape(t(key, lang))}</h{level}>"


def show(fragment: str):
    """Display an HTML fragment as a notebook output (the reports are built from outputs)."""
    from IPython.display import HTML, display

    display(HTML(fragment))
