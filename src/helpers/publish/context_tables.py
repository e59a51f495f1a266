"""The campaign's dated record of one year, as a table under its timeline chart."""

from __future__ import annotations

import pandas as pd

from helpers.publish import present
from helpers.publish.i18n import STRINGS, region_label, t

COLUMNS = {
    "date": "col_date",
    "region_label": "col_region",
    "item": "col_item",
    "value_text": "col_value",
    "source_label": "col_source",
}


def _item(r, lang: str) -> str:
    if r["kind"] == "event":
        key = f"ev_{r['item_id']}"
        short = t(key, lang) if key in STRINGS else ""
        return short or str(r["quote"] if lang == "zh" else r["text_en"])
    return str(r["quote"]) if lang == "zh" else f"{r['text_en']} ({r['quote']})"


def facts(items: pd.DataFrame, lang: str, data=None) -> str:
    """HTML table of dated items (analyze.campaign_record): date, region, what, value, source
    (its publisher and date when `data` is given; never the data's id)."""
    from helpers.publish.sections import _source_label

    rows = items.copy()
    rows["source_label"] = [
        _source_label(s, data, lang) if data is not None else "" for s in items["source_id"]
    ]
    dates = zip(items["date_start"], items["date_end"], strict=True)
    rows["date"] = [present.date_label(s, e) for s, e in dates]
    rows["region_label"] = [region_label(r, lang) for r in items["region"]]
    rows["item"] = [_item(r, lang) for _, r in items.iterrows()]
    rows["value_text"] = [
        "" if r["kind"] == "event" else present.value_text(r, lang) for _, r in items.iterrows()
    ]
    return present.table(rows, COLUMNS, lang, cls="compact")
