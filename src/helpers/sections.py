"""The reports' sections: each function displays one section of a notebook's output.

Notebooks stay narrative (a call per section); the layout and wording live here, in both
languages, from helpers.i18n. Numbers come from helpers.outcomes / helpers.years; nothing is
computed here.
"""

from __future__ import annotations

import html

import pandas as pd

from . import present
from .i18n import t

SEED = "cpt-2024-04-jjj-ten-years"


def _subject_col(lang: str) -> str:
    return "subject_zh" if lang == "zh" else "subject_en"


def _figure_rows(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = df.copy()
    out["value_text"] = [present.value_text(r, lang) for _, r in df.iterrows()]
    out["bounds_text"] = [
        present.bounds_text(r["value_low"], r["value_high"], lang) for _, r in df.iterrows()
    ]
    out["period_label"] = [present.period_text(r, lang) for _, r in df.iterrows()]
    out["subject"] = df[_subject_col(lang)]
    return out


FIGURE_COLUMNS = {
    "subject": "col_figure",
    "quote": "col_quote",
    "value_text": "col_value",
    "bounds_text": "col_bounds",
    "period_label": "col_period",
    "source_id": "col_source",
}


def intro(lang: str, text: str) -> None:
    present.show(present.paragraph(text))


def headline(figures: pd.DataFrame, lang: str) -> None:
    """The headline totals: a table with provenance and a chart that draws bounds honestly."""
    from . import charts, outcomes

    head = outcomes.headline(figures)
    present.show(present.heading("h_headline", lang))
    present.show(present.table(_figure_rows(head, lang), FIGURE_COLUMNS, lang))
    counts = head[head["unit"] != "yuan"]
    if len(counts):
        import matplotlib.pyplot as plt

        charts.use_style()
        fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(counts) + 0.8))
        labels = [f"{q}" for q in counts["quote"]]
        charts.bar_with_bounds(
            ax,
            labels,
            counts["value"].tolist(),
            _none(counts["value_low"]),
            _none(counts["value_high"]),
            lang=lang,
        )
        ax.set_xscale("log")
        alt = (
            "十年总量（对数刻度），超过/近似的数字按下限或上限绘制"
            if lang == "zh"
            else "Headline counts (log scale); 'more than' and 'nearly' figures drawn as bounds"
        )
        charts.show(fig, alt)


def _none(series: pd.Series) -> list:
    return [None if pd.isna(v) else float(v) for v in series]


def cases(figures: pd.DataFrame, lang: str) -> None:
    """One panel per organization case."""
    from . import outcomes

    present.show(present.heading("h_cases", lang))
    cols = {k: v for k, v in FIGURE_COLUMNS.items() if k != "source_id"}
    for org, df in outcomes.cases(figures).items():
        name = org or ("其他" if lang == "zh" else "Other")
        present.show(f"<h3>{html.escape(name)}</h3>")
        present.show(present.table(_figure_rows(df, lang), cols, lang))


def ratios(table: pd.DataFrame, lang: str) -> None:
    present.show(present.heading("h_ratios", lang))
    if table.empty:
        present.show(present.paragraph(t("none_known", lang)))
        return
    rows = table.copy()
    rows["label"] = table["label_zh" if lang == "zh" else "label_en"]
    rows["value_text"] = [
        f"{present.number(v, lang)} {u}" for v, u in zip(table["value"], table[f"unit_{lang}"], strict=True)
    ]
    rows["bounds_text"] = [
        present.bounds_text(lo, hi, lang)
        for lo, hi in zip(table["value_low"], table["value_high"], strict=True)
    ]
    rows["basis"] = [
        f"{n} ÷ {d}" for n, d in zip(table["numerator_quote"], table["denominator_quote"], strict=True)
    ]
    present.show(
        present.table(
            rows,
            {"label": "col_ratio", "value_text": "col_value", "bounds_text": "col_bounds", "basis": "col_basis"},
            lang,
        )
    )


def backtest(table: pd.DataFrame, lang: str) -> None:
    present.show(present.heading("h_backtest", lang))
    rows = table.copy()
    rows["printed_text"] = [present.number(v, lang) for v in table["printed"]]
    rows["reproduced_text"] = [present.number(v, lang) for v in table["reproduced"]]
    rows["check"] = [t("ok" if ok else "mismatch", lang) for ok in table["ok"]]
    cols = {
        "quote": "col_quote",
        "printed_text": "col_printed",
        "reproduced_text": "col_reproduced",
        "check": "col_check",
    }
    present.show(present.table(rows, cols, lang, cls="compact"))


def events(df: pd.DataFrame, lang: str) -> None:
    present.show(present.heading("h_events", lang))
    if df.empty:
        present.show(present.paragraph(t("none_known", lang)))
        return
    rows = df.copy()
    text = df["text_zh"] if lang == "zh" else df["text_en"]
    rows["event"] = [
        (z if isinstance(z, str) and z else e)
        for z, e in zip(text, df["text_en"], strict=True)
    ]
    present.show(
        present.table(
            rows,
            {"date_text": "col_date", "event": "col_event", "source_id": "col_source"},
            lang,
        )
    )


def covering(df: pd.DataFrame, lang: str) -> None:
    present.show(present.heading("h_covering", lang))
    if df.empty:
        present.show(present.paragraph(t("none_known", lang)))
        return
    rows = _figure_rows(df, lang)
    rows["relation_text"] = [t(f"pt_{r}", lang) for r in df["relation"]]
    cols = dict(FIGURE_COLUMNS)
    cols = {
        "subject": "col_figure",
        "quote": "col_quote",
        "value_text": "col_value",
        "period_label": "col_period",
        "relation_text": "col_period_type",
        "source_id": "col_source",
    }
    present.show(present.table(rows, cols, lang))
