"""Shared data for the public-record tests: fixture files, a seed table, the tampered map."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.clean import record as c
from helpers.clean import schema, sources

FIX = Path(__file__).parent / "fixtures" / "corroboration"
SEED = "cpt-2024-04-jjj-ten-years"

# The tampered fixture's changed expressions, so its figures still get measure ids.
TAMPERED_MEASURES = {
    **c.MEASURES,
    ("hebei-2018-08-23", "72个贫困县"): ("counties_covered", "Hebei"),
    ("hebei-2018-08-23", "我省…375个"): ("projects_from_hebei", "Hebei"),
    ("hebei-2018-08-23", "约3.75亿元"): ("funds_from_hebei_yuan", "Hebei"),
    ("hebei-2019-annual", "扶贫项目6393个"): ("projects_landed", "Hebei"),
    ("civil-affairs-2022-08-04", "扶贫项目5376个"): ("projects_landed", "Hebei"),
}


def src(path: Path) -> sources.Source:
    return sources.Source("corroborating", "citation_only", path, sources.sha256_of(path), {})


def seed_row(measure, quote, value, qualifier, unit, category="headline"):
    low, high = c.bounds(value, qualifier)
    return {
        "figure_id": f"{SEED}/{measure}",
        "source_id": SEED,
        "quote": quote,
        "value": float(value),
        "value_low": low,
        "value_high": high,
        "qualifier": qualifier,
        "unit": unit,
        "unit_zh": c.unit_zh(quote),
        "subject_zh": quote,
        "subject_en": measure.replace("_", " "),
        "measure": measure,
        "region": "Beijing-Tianjin-Hebei",
        "series": None,
        "period_start": "2014-02-01",
        "period_end": "2024-04-30",
        "period_text": "十年来",
        "period_ambiguous": False,
        "period_type": "total",
        "category": category,
        "organization": "",
    }


def seed(projects=("5000多个", 5000)) -> pd.DataFrame:
    rows = [
        seed_row("orgs_participating", "6300多家", 6300, "more_than", "organizations"),
        seed_row("projects_landed", projects[0], projects[1], "more_than", "projects"),
        seed_row("funds_yuan", "约21.88亿元", 2188000000, "about", "yuan"),
        seed_row("counties_covered", "62个", 62, "exact", "counties"),
        seed_row("beneficiaries_person_times", "280多万人次", 2800000, "more_than", "person-times"),
        seed_row("cooperation_fields", "近30个领域", 30, "nearly", "fields"),
        seed_row("orgs_planning_projects_2024", "144家", 144, "exact", "organizations"),
    ]
    return schema.validate(pd.DataFrame(rows), schema.FIGURES)


def load_real() -> c.Corroboration:
    """The real public record, loaded and checked."""
    return c.load(sources.get("corroborating"))


def load_tampered() -> c.Corroboration:
    """tests/fixtures/corroboration/tampered.yml: internally inconsistent on purpose."""
    return c.load(src(FIX / "tampered.yml"), TAMPERED_MEASURES)
