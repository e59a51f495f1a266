"""helpers.clean.schema: a processed table's text can be printed, or the field is named."""

import pandas as pd
import pytest

from helpers.clean import schema
from helpers.errors import JJJError


def _events(text_en: str) -> pd.DataFrame:
    row = {
        "event_id": "e1",
        "source_id": "s",
        "date_start": "2019-01-01",
        "date_end": "2019-12-31",
        "date_text": "2019年",
        "quote": None,
        "text_zh": "事件",
        "text_en": text_en,
    }
    return pd.DataFrame([row], columns=schema.EVENTS.names)


@pytest.mark.parametrize(
    "ch, name",
    [
        ("😀", "GRINNING FACE"),
        ("\U00020000", "CJK UNIFIED IDEOGRAPH-20000"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\x07", "unnamed"),
        ("\ue000", "unnamed"),  # private use
        ("\u0378", "unnamed"),  # unassigned
    ],
)
def test_unprintable_character_names_row_field_and_character(ch, name):
    with pytest.raises(JJJError) as e:
        schema.validate(_events(f"A meeting{ch}"), schema.EVENTS, "figures.yml")
    assert str(e.value) == (
        f"figures.yml: row 'e1' text_en: character U+{ord(ch):04X} ({name}) "
        "cannot be printed in the reports"
    )


def test_printable_text_passes():
    ok = _events("Ten years · 十年 — “quoted” 5%\nsecond line")
    assert schema.validate(ok, schema.EVENTS).loc[0, "text_en"].startswith("Ten")
