"""The hand-written YAML inputs checked by pydantic models: one line naming file, entry, field."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import paths
from helpers.clean import codebook, models, schema, sources
from helpers.errors import JJJError


def _manifest(tmp_path: Path, **change) -> Path:
    shutil.copy(paths.RAW / "cpt-2024-04-jjj-ten-years.txt", tmp_path)
    doc = yaml.safe_load(paths.SOURCES_MANIFEST.read_text(encoding="utf-8"))
    doc["sources"] = [{**doc["sources"][0], **change}]
    out = tmp_path / "sources.yml"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return out


@pytest.mark.parametrize(
    "change, message",
    [
        ({"sha256": "abc"}, "field 'sha256'='abc' must be 64 lower-case hex digits (a sha256)"),
        ({"kind": "pdf"}, "field 'kind'='pdf' not in full_text, citation_only"),
        ({"file": None}, "field 'file'=None: Input should be a valid string"),
        ({"file": "  "}, "missing field 'file'"),
    ],
)
def test_manifest_entry_errors_name_file_source_field(tmp_path, change, message):
    manifest = _manifest(tmp_path, **change)
    with pytest.raises(JJJError) as e:
        sources.load_manifest(manifest)
    assert str(e.value) == f"{manifest}: source 'cpt-2024-04-jjj-ten-years': {message}"


def test_manifest_id_must_be_a_slug(tmp_path):
    manifest = _manifest(tmp_path, id="../x")
    with pytest.raises(JJJError, match=r"source '\.\./x': field 'id'='\.\./x' must be a slug"):
        sources.load_manifest(manifest)


def test_the_manifest_names_the_layout_map():
    assert sources.layout_path(paths.SEED_SOURCE_ID) == (
        paths.RAW / "layout" / f"{paths.SEED_SOURCE_ID}.yml"
    )
    assert sources.layout_path("corroborating") is None  # no `layout:` key: no map
    assert sources.layout_path("not-registered") is None


@pytest.mark.parametrize(
    "block, message",
    [
        ({"starts": "x", "role": "title"}, "block 1 ('x'): field 'role'='title' not in headline"),
        ({"starts": "x", "role": "lead", "sectoin": "y"}, "block 1 ('x'): unknown field 'sectoin'"),
        ({"role": "lead"}, "block 1 (None): missing field 'starts'"),
    ],
)
def test_layout_errors_name_file_block_field(tmp_path, block, message):
    path = tmp_path / "layout.yml"
    path.write_text(yaml.safe_dump({"source_id": "x", "blocks": [block]}), encoding="utf-8")
    with pytest.raises(JJJError) as e:
        sources.load_layout("x", path)
    assert str(e.value).startswith(f"{path}: {message}")


def test_codebook_entry_errors_name_file_figure_field(tmp_path):
    cb = codebook.load_codebook()
    fig = dict(cb["figures"][0], region="PRC", value=-1)
    del fig["unit_zh"]
    issues = codebook.check({**cb, "figures": [fig]}, "", [])
    at = f"{cb['_path']}: figure {fig['id']}"
    assert issues[:3] == [
        f"{at}: field 'value'=-1: Input should be greater than or equal to 0",
        f"{at}: missing field 'unit_zh'",
        f"{at}: field 'region'='PRC' not in {', '.join(schema.REGIONS)}",
    ]


def test_codebook_unknown_top_level_key(tmp_path):
    path = tmp_path / "figures.yml"
    path.write_text("figures: []\nfigurse: []\n", encoding="utf-8")
    with pytest.raises(JJJError, match=f"^{path}: codebook: unknown field 'figurse'$"):
        codebook.load_codebook(path)


def test_real_inputs_pass_the_models():
    for sid in sources.load_manifest():
        sources.load_layout(sid)
    cb = codebook.load_codebook()
    for f in cb["figures"]:
        models.CodebookFigure.model_validate(f)


def test_validating_yaml_does_not_import_pandas():
    # A no-op build validates the manifest; pandas would add about half a second to it.
    code = "import sys, helpers.clean.models, helpers.clean.sources; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
