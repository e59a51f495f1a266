"""The reports' tables and charts: each function displays one of them in a notebook's output.

The sentences and headings are the notebooks' (markdown cells, one per language); here are the
tables (headers from publish.i18n), the charts (labels in the report's language, a source line,
alt text) and the lists. Numbers come from helpers.analyze; nothing is computed here.
"""

from __future__ import annotations

import html

import pandas as pd

from helpers import paths
from helpers.publish import present
from helpers.publish.i18n import measure_label, organization, region_label, t

SEED = paths.SEED_SOURCE_ID


def _none_if_empty(df: pd.DataFrame, lang: str) -> bool:
    if df.empty:
        present.show(present.paragraph(t("none_known", lang)))
        return True
    return False


def figure_rows(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Figure rows with their display columns: value with qualifier, bounds, period, who said."""
    out = df.copy()
    out["value_text"] = [present.value_text(r, lang) for _, r in df.iterrows()]
    out["bounds_text"] = [
        present.bounds_text(r["value_low"], r["value_high"], lang) for _, r in df.iterrows()
    ]
    out["period_label"] = [present.period_text(r, lang) for _, r in df.iterrows()]
    out["subject"] = df["subject_zh" if lang == "zh" else "subject_en"]
    # Every figure of the article says who gave it: the person or phrase it prints, else the
    # reporter; the public record's pages speak for themselves (their source column).
    out["said_by"] = [
        present.attribution_text(r, lang)
        or (t("said_by_article", lang) if r.get("source_id") == SEED else "")
        for _, r in df.iterrows()
    ]
    out["quote"] = [present.quote_text(r, lang) for _, r in df.iterrows()]
    return out


READER_COLUMNS = {
    "subject": "col_figure",
    "value_text": "col_value",
    "period_label": "col_period",
    "said_by": "col_said_by",
}


def figure_table(df: pd.DataFrame, lang: str, *, quote: bool = True) -> None:
    """A table of figures for the body: what, how much, when, who said it (and the print)."""
    if _none_if_empty(df, lang):
        return
    cols = dict(READER_COLUMNS)
    if quote:
        cols = {"subject": "col_figure", "quote": "col_quote", **dict(list(cols.items())[1:])}
    rows = figure_rows(df, lang)
    if not rows["said_by"].astype(bool).any():
        cols.pop("said_by")
    present.show(present.table(rows, cols, lang))


def headline_group(figures: pd.DataFrame, group: str) -> pd.DataFrame:
    """The article's headline figures of one kind: the ten-year totals, the recent years' (近三年,
    近两年), or those of the meeting it reports."""
    from helpers.analyze import outcomes

    head = outcomes.headline(figures)
    text = head["period_text"].fillna("")
    kinds = {
        "ten_year": text.str.startswith("十年"),
        "recent": text.str.startswith("近"),
        "meeting": ~text.str.startswith("十年") & ~text.str.startswith("近"),
    }
    return head[kinds[group]].reset_index(drop=True)


def headline_table(figures: pd.DataFrame, group: str, lang: str, reference: str | None) -> None:
    from helpers.analyze.years import with_readings

    figure_table(with_readings(headline_group(figures, group), reference), lang)


def cases(figures: pd.DataFrame, lang: str, reference: str | None) -> None:
    """One table per organization case, the organization as a heading."""
    from helpers.analyze import outcomes
    from helpers.analyze.years import with_readings

    for org, df in outcomes.cases(figures).items():
        name = organization(org, lang) if org else t("other_orgs", lang)
        present.show(f"<h3>{html.escape(name)}</h3>")
        figure_table(with_readings(df, reference), lang, quote=True)


def full_figure_table(figures: pd.DataFrame, lang: str, reference: str | None) -> None:
    """Appendix: every figure of the article, with its bounds and period (no data id: a
    reader's page never shows one)."""
    from helpers.analyze import outcomes
    from helpers.analyze.years import with_readings

    rows = figure_rows(with_readings(outcomes.seed_figures(figures), reference), lang)
    cols = {
        "subject": "col_figure",
        "quote": "col_quote",
        "value_text": "col_value",
        "bounds_text": "col_bounds",
        "period_label": "col_period",
        "said_by": "col_said_by",
    }
    present.show(present.table(rows, cols, lang, cls="compact"))


def ratios(table: pd.DataFrame, values: dict, lang: str) -> None:
    """Appendix: each ratio with its qualifier and bounds, rounded to what its terms support."""
    from helpers.publish.formatting import format_value

    if _none_if_empty(table, lang):
        return
    rows = table.copy()
    rows["label"] = table["label_zh" if lang == "zh" else "label_en"]
    rows["value_text"] = [format_value(values[f"ratio.{r}"], lang) for r in table["ratio_id"]]
    rows["bounds_text"] = [
        present.bounds_text(lo, hi, lang, sig=4)
        for lo, hi in zip(table["value_low"], table["value_high"], strict=True)
    ]
    rows["basis"] = [
        _basis(values[f"ratio.{r}"], n, d, lang)
        for r, n, d in zip(
            table["ratio_id"], table["numerator_quote"], table["denominator_quote"], strict=True
        )
    ]
    cols = {
        "label": "col_ratio",
        "value_text": "col_value",
        "bounds_text": "col_bounds",
        "basis": "col_basis",
    }
    present.show(present.table(rows, cols, lang))


def _basis(value, num_quote: str, den_quote: str, lang: str) -> str:
    """The ratio's terms as printed; in en, in English with the print in parentheses."""
    from helpers.publish.formatting import format_value

    printed = f"{num_quote} ÷ {den_quote}"
    if lang == "zh" or len(value.basis) != 2:
        return printed
    num, den = (format_value(b, lang) for b in value.basis)
    return f"{num} ÷ {den} ({printed})"


def backtest(table: pd.DataFrame, lang: str) -> None:
    """Appendix: every reproduced value against the value printed in the article."""
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


def _source_label(source_id: str, data, lang: str) -> str:
    """A source as a short reader's label: publisher and date (the full entry in the list)."""
    from helpers.publish import named
    from helpers.publish.notes import pick

    c = named.citation(data, source_id)
    pub = pick(c.publisher, lang)
    date = pick(c.date, lang)
    return f"{pub}{'，' if lang == 'zh' else ', '}{date}" if date else pub


def reconciliation(data, lang: str) -> None:
    """Appendix: each headline total against each public figure of the same measure."""
    from helpers.analyze.reconcile import reconcile

    seed = data.figures[data.figures["source_id"] == SEED]
    public = data.figures[data.figures["source_id"] != SEED]
    rec = reconcile(seed, public, data.citations)
    rows = rec.assign(relation_text=[t(f"rel_{r}", lang) for r in rec["relation"]])
    cols = {
        "seed_quote": "col_quote",
        "public_quote": "col_public_quote",
        "public_source_id": "col_source",
        "relation_text": "col_relation",
    }
    _pair_table(rows, data, lang, cols, sources=("public_source_id",))


def consistency(data, lang: str) -> None:
    """Appendix: the consistency rules that do not hold, if any (the notebook says whether):
    each rule in the report's language, the figures as printed, their sources."""
    from helpers.analyze.consistency import check_all

    violations = check_all(data.figures)
    if not violations:
        return
    source_of = dict(zip(data.figures["figure_id"], data.figures["source_id"], strict=True))
    sep = "；" if lang == "zh" else "; "
    rows = pd.DataFrame(
        {
            "rule": [t(f"rule_{v.rule}", lang) for v in violations],
            "quotes": [sep.join(q for _, q in v.figures) for v in violations],
            "sources": [
                sep.join(
                    dict.fromkeys(_source_label(source_of[f], data, lang) for f, _ in v.figures)
                )
                for v in violations
            ],
        }
    )
    cols = {"rule": "col_rule", "quotes": "col_quote", "sources": "col_source"}
    present.show(present.table(rows, cols, lang, cls="compact"))


def conflicts(data, lang: str) -> None:
    """Appendix: where two sources give the same measure differently."""
    from helpers.analyze.consistency import conflicts as find

    conf = find(data.figures)
    if _none_if_empty(conf, lang):
        return
    conf = conf.assign(kind_text=[t(f"conf_{k}", lang) for k in conf["kind"]])
    cols = {
        "quote_a": "col_quote",
        "source_a": "col_source",
        "quote_b": "col_public_quote",
        "source_b": "col_source",
        "kind_text": "col_relation",
    }
    _pair_table(conf, data, lang, cols, sources=("source_a", "source_b"))


def _pair_table(rows, data, lang: str, cols: dict[str, str], sources: tuple[str, ...]) -> None:
    """A compact table of figures paired with figures (reconciliation, conflicts): the
    measure's label first, then `cols` (column → heading key), each `sources` column shown
    as a reader's label of its source."""
    from helpers.publish import downloads

    shown = downloads.data_frame(rows)  # the download keeps the source ids the labels replace
    rows = rows.assign(
        measure_text=[measure_label(m, lang) for m in rows["measure"]],
        **{col: [_source_label(s, data, lang) for s in rows[col]] for col in sources},
    )
    cols = {"measure_text": "col_figure", **cols}
    present.show(present.table(rows, cols, lang, cls="compact", data=shown))


def campaign_chart(data, lang: str) -> None:
    """Projects and funds of the 2017-12 → 2020-10 campaign by report date, two panels (one
    unit each), the article's headline totals beside them."""
    import matplotlib.pyplot as plt

    from helpers.publish import charts

    seed = data.figures[data.figures["source_id"] == SEED]
    public = data.figures[data.figures["source_id"] != SEED]
    charts.use_style()
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.2))
    # Oldest page first: a later restatement of a figure is not drawn over the original.
    dated = public.merge(data.citations[["source_id", "date_published"]], on="source_id")
    dated = dated.sort_values(["date_published", "figure_id"], kind="stable")
    charts.campaign(axes, dated, seed, lang=lang)
    drawn = dated[dated["measure"].isin(charts.CAMPAIGN_PANELS)]
    ids = sorted(set(drawn["source_id"]))
    rows = pd.concat([seed[seed["measure"].isin(charts.CAMPAIGN_PANELS)], drawn])
    charts.show(fig, t("alt_campaign", lang), source=sources_line(data, [SEED, *ids], lang),
                data=rows[[*CHART_FIGURE_COLUMNS, "date_published"]])  # fmt: skip


# What a chart of figures offers for download: the figure, its value and bounds, its period.
CHART_FIGURE_COLUMNS = [
    "figure_id",
    "source_id",
    "measure",
    "quote",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "unit",
    "period_start",
    "period_end",
]


def sources_line(data, ids: list[str], lang: str) -> str:
    """ "Source: publisher, date; …" for a chart."""
    labels = list(dict.fromkeys(_source_label(s, data, lang) for s in ids))
    sep = "；" if lang == "zh" else "; "
    return f"{t('source_label', lang)}{sep.join(labels)}"


def timeline(events_df: pd.DataFrame, view, data, lang: str) -> None:
    """2014–2025 with the year highlighted and one label per event year."""
    import matplotlib.pyplot as plt

    from helpers.analyze import years
    from helpers.publish import charts
    from helpers.publish.named import short_label

    # One short label per event, naming what happened (the axis gives the year): 2020's
    # three events are three labels, never one "2020年".
    shown = years.one_row_per_event(events_df)
    labels = sorted(
        (int(str(r.date_start)[:4]), short_label(getattr(r, f"text_{lang}"), lang, r.event_id))
        for r in shown.itertuples(index=False)
        if int(str(r.date_start)[:4]) in paths.REPORT_YEARS
    )
    charts.use_style()
    fig, ax = plt.subplots(figsize=(7.0, 2.2))
    charts.timeline(ax, list(paths.REPORT_YEARS), view.year, labels)
    ids = list(dict.fromkeys(shown["source_id"]))
    text = "text_zh" if lang == "zh" else "text_en"
    cols = ["event_id", "source_id", "date_start", "date_end", "date_text", text]
    charts.show(fig, t("alt_timeline", lang, year=view.year), source=sources_line(data, ids, lang),
                data=shown[cols])  # fmt: skip


def events(view, lang: str) -> None:
    """The year's events, one row per event, dated at the precision the source gives."""
    df = view.events
    if _none_if_empty(df, lang):
        return
    rows = df.copy()
    rows["event"] = df["text_zh" if lang == "zh" else "text_en"]
    rows["date_shown"] = [
        d if lang == "zh" and any("\u4e00" <= ch <= "\u9fff" for ch in str(d)) else
        present.date_label(s, e)
        for d, s, e in zip(df["date_text"], df["date_start"], df["date_end"], strict=True)
    ]  # fmt: skip
    cols = {"date_shown": "col_date", "event": "col_event"}
    present.show(present.table(rows, cols, lang))


def covering(view, lang: str) -> None:
    """The article's figures whose period contains the year, each with what kind it is."""
    df = view.covering
    if _none_if_empty(df, lang):
        return
    rows = figure_rows(df, lang)
    rows["relation_text"] = [
        t("pt_alone" if alone else f"pt_{r}", lang)
        for r, alone in zip(df["relation"], df["year_alone"], strict=True)
    ]
    cols = {
        "subject": "col_figure",
        "quote": "col_quote",
        "value_text": "col_value",
        "period_label": "col_period",
        "relation_text": "col_period_type",
        "said_by": "col_said_by",
    }
    if not rows["said_by"].astype(bool).any():
        cols.pop("said_by")
    present.show(present.table(rows, cols, lang))


def public_record(view, data, lang: str, basis: str | None = None) -> None:
    """Other sources' figures for the year, each with its region, publisher and date; `basis`
    "period" keeps those whose period falls in the year, "published" those published in it
    about other years (analyze.record_years)."""
    df = view.public_record
    if basis is not None and "basis" in df.columns:
        df = df[df["basis"] == basis].reset_index(drop=True)
    if _none_if_empty(df, lang):
        return
    rows = figure_rows(df, lang)
    # The record's Chinese subject is often its expression itself: then the label says
    # what is counted, or nothing, rather than the quote twice.
    rows["subject"] = [
        measure_label(m, lang, default="" if s == q else s)
        for m, s, q in zip(df["measure"], rows["subject"], df["quote"], strict=True)
    ]
    rows["cite"] = [_source_label(s, data, lang) for s in df["source_id"]]
    rows["region_label"] = [region_label(r, lang) for r in df["region"]]
    cols = {
        "subject": "col_figure",
        "quote": "col_quote",
        "value_text": "col_value",
        "region_label": "col_region",
        "period_label": "col_period",
        "cite": "col_source",
    }
    present.show(present.table(rows, cols, lang))


def sources(data, lang: str, source_ids: list[str] | None = None) -> None:
    """The reference list, numbered: publisher, title, date, URL (each item's anchor is the
    data's id; the id itself is never shown)."""
    from helpers.publish import named
    from helpers.publish.notes import citation_html

    ids = [SEED] + [s for s in data.citations["source_id"] if source_ids is None or s in source_ids]
    items = []
    for sid in dict.fromkeys(ids):
        cite = citation_html(named.citation(data, sid), lang)
        items.append(f"<li id='src-{html.escape(sid)}'>{cite}</li>")
    present.show(f"<ol class='sources'>{''.join(items)}</ol>")


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
