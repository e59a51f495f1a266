"""helpers.clean.combine: the union of the manifest's sources, and nothing else."""

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import paths
from helpers.clean import combine, sources
from helpers.errors import JJJError


@pytest.fixture(scope="module")
def cleaned(cleaned_sources) -> Path:
    """data/processed/sources/ of every real source (conftest: cleaned once per session)."""
    return cleaned_sources


def _copy(cleaned: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(cleaned, tmp_path / "processed")
    return tmp_path / "processed"


def test_combine_holds_every_source(cleaned, tmp_path):
    processed = _copy(cleaned, tmp_path)
    combine.combine(processed)
    for name in ("figures", "events"):
        rows = sum(len(pd.read_csv(f)) for f in processed.glob(f"sources/*/{name}.csv"))
        assert len(pd.read_csv(processed / f"{name}.csv")) == rows
    assert set(json.loads((processed / "sources.json").read_text())) == set(sources.load_manifest())


def test_a_removed_source_disappears(cleaned, tmp_path, raw_copy):
    processed = _copy(cleaned, tmp_path)
    combine.combine(processed)
    doc = yaml.safe_load((raw_copy / "sources.yml").read_text(encoding="utf-8"))
    doc["sources"] = [s for s in doc["sources"] if s["id"] != "corroborating"]
    (raw_copy / "sources.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    combine.combine(processed, raw_copy / "sources.yml")
    assert not (processed / "sources" / "corroborating").exists()
    seed = processed / "sources" / paths.SEED_SOURCE_ID
    for name in ("figures", "events"):  # only the seed's rows are left
        combined = pd.read_csv(processed / f"{name}.csv")
        assert len(combined) == len(pd.read_csv(seed / f"{name}.csv")) > 0
        assert set(combined["source_id"]) == {paths.SEED_SOURCE_ID}
    assert list(json.loads((processed / "sources.json").read_text())) == [paths.SEED_SOURCE_ID]


def test_an_uncleaned_source_is_named(cleaned, tmp_path):
    import shutil

    processed = _copy(cleaned, tmp_path)
    shutil.rmtree(processed / "sources" / "corroborating")
    with pytest.raises(JJJError, match="source corroborating not cleaned"):
        combine.combine(processed)
    assert not (processed / "sources.json").exists()


def test_notebook_01_does_not_combine():
    """combine runs only as the build's own task: a failing clean leaves sources.json alone."""
    code = (paths.NOTEBOOKS / "01_clean_source_figures.py").read_text(encoding="utf-8")
    assert "combine(" not in code


def test_the_builds_combine_step_refuses_a_record_that_contradicts_itself(cleaned, tmp_path):
    """The consistency gate (helpers.analyze.consistency) runs in the build's combine step:
    the combined tables the reports read are left as they were."""
    from record_data import FIX, TAMPERED_MEASURES, src

    from helpers import pipeline
    from helpers.clean import record

    processed = _copy(cleaned, tmp_path)
    record.clean_citations(
        src(FIX / "tampered.yml"), processed / "sources" / "corroborating", TAMPERED_MEASURES
    )
    with pytest.raises(JJJError, match=r"corroborating.yml: consistency check failed: "):
        pipeline.combine(processed)
    assert not (processed / "figures.csv").exists()
