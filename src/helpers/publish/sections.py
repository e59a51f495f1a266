"""The reports' sections: each function displays one section of a notebook's output.

Notebooks stay narrative (a call per section); the layout and wording live here, in both
languages, from publish.i18n. Numbers come from analyze.outcomes / analyze.years; nothing
is computed here.
"""

from __future__ import annotations

import html

import pandas as pd

from helpers.publish import present
from helpers.publish.i18n import t

SEED = "cpt-2024-04-jjj-ten-years"


def _section(heading: str, df: pd.DataFrame, lang: str) -> bool:
    """Show a section's heading; False (after saying "none") when it has nothing to show."""
    present.show(present.heading(heading, lang))
    if df.empty:
        present.show(present.paragraph(t("none_known", lang)))
        return False
    return True


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
    from helpers.analyze import outcomes
    from helpers.publish import charts

    head = outcomes.headline(figures)
    present.show(present.heading("h_headline", lang))
    present.show(present.table(_figure_rows(head, lang), FIGURE_COLUMNS, lang))
    counts = head[head["unit"] != "yuan"]
    if len(counts):
        import matplotlib.pyplot as plt

        charts.use_style()
        fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(counts) + 0.8))
        labels = [f"{q}" for q in counts["quote"]]
        # An exact figure is a plain bar: its equal bounds are no interval to draw.
        exact = (counts["qualifier"] == "exact").tolist()
        charts.bar_with_bounds(
            ax,
            labels,
            counts["value"].tolist(),
            [None if x else v for x, v in zip(exact, _none(counts["value_low"]), strict=True)],
            [None if x else v for x, v in zip(exact, _none(counts["value_high"]), strict=True)],
            lang=lang,
        )
        ax.set_xscale("log")
        charts.show(fig, t("alt_headline", lang))


def _none(series: pd.Series) -> list:
    return [None if pd.isna(v) else float(v) for v in series]


def cases(figures: pd.DataFrame, lang: str) -> None:
    """One panel per organization case."""
    from helpers.analyze import outcomes

    present.show(present.heading("h_cases", lang))
    cols = {k: v for k, v in FIGURE_COLUMNS.items() if k != "source_id"}
    for org, df in outcomes.cases(figures).items():
        from helpers.publish.i18n import organization

        name = organization(org, lang) if org else t("other_orgs", lang)
        present.show(f"<h3>{html.escape(name)}</h3>")
        present.show(present.table(_figure_rows(df, lang), cols, lang))


def ratios(table: pd.DataFrame, lang: str) -> None:
    if not _section("h_ratios", table, lang):
        return
    rows = table.copy()
    rows["label"] = table["label_zh" if lang == "zh" else "label_en"]
    rows["value_text"] = [
        f"{present.number(v, lang)} {u}"
        for v, u in zip(table["value"], table[f"unit_{lang}"], strict=True)
    ]
    rows["bounds_text"] = [
        present.bounds_text(lo, hi, lang)
        for lo, hi in zip(table["value_low"], table["value_high"], strict=True)
    ]
    rows["basis"] = [
        f"{n} ÷ {d}"
        for n, d in zip(table["numerator_quote"], table["denominator_quote"], strict=True)
    ]
    present.show(
        present.table(
            rows,
            {
                "label": "col_ratio",
                "value_text": "col_value",
                "bounds_text": "col_bounds",
                "basis": "col_basis",
            },
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
    if not _section("h_events", df, lang):
        return
    rows = df.copy()
    text = df["text_zh"] if lang == "zh" else df["text_en"]
    rows["event"] = [
        (z if isinstance(z, str) and z else e) for z, e in zip(text, df["text_en"], strict=True)
    ]
    # English readers get the date itself; Chinese readers the words the source prints.
    if lang == "en":
        rows["date_text"] = [
            present.date_label(s, e) for s, e in zip(df["date_start"], df["date_end"], strict=True)
        ]
    present.show(
        present.table(
            rows,
            {"date_text": "col_date", "event": "col_event", "source_id": "col_source"},
            lang,
        )
    )


def covering(df: pd.DataFrame, lang: str) -> None:
    if not _section("h_covering", df, lang):
        return
    rows = _figure_rows(df, lang)
    rows["relation_text"] = [t(f"pt_{r}", lang) for r in df["relation"]]
    cols = {
        "subject": "col_figure",
        "quote": "col_quote",
        "value_text": "col_value",
        "period_label": "col_period",
        "relation_text": "col_period_type",
        "source_id": "col_source",
    }
    present.show(present.table(rows, cols, lang))


def campaign_note(data, view, lang: str) -> None:
    """In a year of the 2017-12 → 2020-10 campaign: the article's undated headline totals are
    that campaign's, so say so where a reader of that year looks for them."""
    from helpers.analyze import reconcile
    from helpers.publish import campaign_text, charts

    if not int(charts.CAMPAIGN_START[:4]) <= view.year <= int(charts.CAMPAIGN_END[:4]):
        return
    seed = data.figures[data.figures["source_id"] == SEED]
    public = data.figures[data.figures["source_id"] != SEED]
    rec = reconcile.reconcile(seed, public, data.citations)
    present.show(present.paragraph(campaign_text.headline_statement(rec, lang)))


def public_record(df: pd.DataFrame, lang: str) -> None:
    """Other sources' figures for the year, each with publisher, date and URL."""
    if not _section("h_public_record", df, lang):
        return
    rows = _figure_rows(df, lang)
    rows["subject"] = df["subject_en"] if lang == "en" else df["quote"]
    # The source id and date here; publisher and URL in the sources list at the end.
    rows["cite"] = [
        f"{s} ({d})" for s, d in zip(df["source_id"], df["date_published"], strict=True)
    ]
    cols = {
        "subject": "col_figure",
        "quote": "col_quote",
        "value_text": "col_value",
        "period_label": "col_period",
        "cite": "col_source",
    }
    if lang == "zh":
        cols.pop("subject")
    present.show(present.table(rows, cols, lang))


def _sources_list(data, ids: list[str] | None, lang: str) -> str:
    seed, citations = data.sources[SEED], data.citations
    items = [
        f"<li id='src-{html.escape(SEED)}'><b>{html.escape(SEED)}</b>: "
        f"{html.escape(seed.get('publisher_zh', ''))} "
        f"({html.escape(seed.get('publisher_en', ''))}), "
        f"《{html.escape(seed.get('title_zh', ''))}》, {html.escape(seed.get('byline', ''))}; "
        f"{html.escape(seed.get('date_published_note', ''))}.</li>"
    ]
    if len(citations):
        for r in citations.itertuples(index=False):
            if ids is not None and r.source_id not in ids:
                continue
            url = html.escape(r.url, quote=True)
            items.append(
                f"<li id='src-{html.escape(r.source_id)}'><b>{html.escape(r.source_id)}</b>: "
                f"{html.escape(r.publisher)}, {html.escape(str(r.date_published_text))}; "
                f'<a href="{url}">{html.escape(r.url)}</a></li>'
            )
    return f"<ol class='sources'>{''.join(items)}</ol>"


def sources(data, lang: str, source_ids: list[str] | None = None) -> None:
    """The reference list: every source cited, the article's own uncertainty stated."""
    present.show(present.heading("h_sources", lang))
    present.show(_sources_list(data, source_ids, lang))


def ten_year_intro(data, lang: str) -> None:
    from helpers.publish.i18n import t as tr

    present.show(f"<h1>{html.escape(tr('ten_year_title', lang))}</h1>")
    present.show(present.paragraph(tr("ten_year_description", lang)))


def reconciliation(data, lang: str) -> None:
    """Headline totals against the campaign's public figures, a chart and a plain statement."""
    from helpers.analyze import consistency, reconcile
    from helpers.publish import campaign_text, charts

    present.show(present.heading("h_reconciliation", lang))
    seed = data.figures[data.figures["source_id"] == SEED]
    public = data.figures[data.figures["source_id"] != SEED]
    rec = reconcile.reconcile(seed, public, data.citations)
    present.show(present.paragraph(campaign_text.headline_statement(rec, lang)))
    rows = rec.copy()
    rows["relation_text"] = [t(f"rel_{r}", lang) for r in rec["relation"]]
    rows["explanation"] = rec[f"explanation_{lang}"]
    present.show(
        present.table(
            rows,
            {
                "seed_quote": "col_quote",
                "public_quote": "col_printed",
                "public_source_id": "col_source",
                "public_date_published": "col_published",
                "relation_text": "col_relation",
                "explanation": "col_basis",
            },
            lang,
            cls="compact",
        )
    )
    present.show(present.heading("h_campaign", lang, level=3))
    import matplotlib.pyplot as plt

    charts.use_style()
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.2))
    # Oldest page first: a later restatement of a figure is not drawn over the original.
    dated = public.merge(data.citations[["source_id", "date_published"]], on="source_id")
    dated = dated.sort_values(["date_published", "figure_id"], kind="stable")
    charts.campaign(axes, dated, seed, lang=lang)
    charts.show(fig, t("alt_campaign", lang))
    violations = consistency.check_all(data.figures) + reconcile.check_seed_bounds(
        seed, data.figures
    )
    if violations:
        items = "".join(f"<li>{html.escape(v)}</li>" for v in violations)
        present.show(f"<p>{html.escape(t('consistency_bad', lang))}</p><ul>{items}</ul>")
    else:
        present.show(present.paragraph(t("consistency_ok", lang)))
    conf = consistency.conflicts(data.figures)
    present.show(present.heading("h_conflicts", lang, level=3))
    if conf.empty:
        present.show(present.paragraph(t("none_known", lang)))
    else:
        conf = conf.assign(kind=[t(f"conf_{k}", lang) for k in conf["kind"]])
        present.show(
            present.table(
                conf,
                {
                    "measure": "col_figure",
                    "quote_a": "col_quote",
                    "source_a": "col_source",
                    "quote_b": "col_printed",
                    "source_b": "col_source",
                    "kind": "col_relation",
                },
                lang,
                cls="compact",
            )
        )


def year_intro(view, lang: str) -> None:
    from helpers.analyze import years

    present.show(f"<h1>{html.escape(t('year_title', lang, year=view.year))}</h1>")
    present.show(present.paragraph(years.summary(view, lang)))


def timeline(events_df: pd.DataFrame, view, lang: str) -> None:
    """2014–2025 with the year highlighted and one label per event year."""
    import matplotlib.pyplot as plt

    from helpers import paths
    from helpers.publish import charts

    present.show(present.heading("h_timeline", lang))
    labels: dict[int, str] = {}
    for r in events_df.itertuples(index=False):
        y = int(str(r.date_start)[:4])
        label = str(r.date_text) if lang == "zh" else present.date_label(r.date_start, r.date_end)
        labels.setdefault(y, label)
    charts.use_style()
    fig, ax = plt.subplots(figsize=(7.0, 2.2))
    charts.timeline(ax, list(paths.REPORT_YEARS), view.year, sorted(labels.items()))
    charts.show(fig, t("alt_timeline", lang, year=view.year))


def coverage(view, lang: str) -> None:
    """What is and is not known for the year, stated plainly."""
    present.show(present.heading("h_coverage", lang))
    k = view.known
    known = [
        t("k_events", lang, n=k["events"]),
        t("k_totals", lang, n=k["covering_total"]),
        t("k_as_of", lang, n=k["as_of"]),
        t("k_public", lang, n=k["public_record"]),
        t("k_ambiguous", lang, n=k["ambiguous"]),
    ]
    unknown = [t("u_undated", lang, n=k["undated"]), t("u_split", lang)]
    heads = (t("known", lang), t("not_known", lang))
    lists = ""
    for head, items in zip(heads, (known, unknown), strict=True):
        li = "".join(f"<li>{html.escape(x)}</li>" for x in items)
        lists += f"<div><h3>{html.escape(head)}</h3><ul>{li}</ul></div>"
    present.show(f"<div class='coverage'>{lists}</div>")


def cleaned(source_id: str, result) -> None:
    """Notebook 01's view of a cleaned source: the reflowed article (for a full text), its
    figures and the codebook's coverage of the extracted candidates."""
    blocks = getattr(result, "blocks", None)
    if blocks:
        from IPython.display import Markdown, display

        from helpers.clean.reflow import to_markdown

        display(Markdown(to_markdown(blocks)))
    figs = getattr(result, "figures", None)
    if figs is not None:
        present.show(f"<h2>{html.escape(source_id)}: {len(figs)} figures</h2>")
        cols = {
            "figure_id": "col_figure",
            "quote": "col_quote",
            "value": "col_value",
            "qualifier": "col_qualifier",
            "period_text": "col_period",
        }
        present.show(present.table(figs, cols, "en"))
    cov = getattr(result, "coverage", None)
    if cov is not None:
        present.show(present.paragraph(f"codebook coverage of candidate statistics: {cov:.0%}"))
