"""data/processed/datapackage.json, checked with the real validator (`frictionless validate`)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.clean import combine, datapackage
from helpers.errors import JJJError

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def package(cleaned_sources, tmp_path_factory) -> Path:
    """data/processed of the real sources, combined and packaged in a temporary folder."""
    out = tmp_path_factory.mktemp("package")
    shutil.copytree(cleaned_sources, out, dirs_exist_ok=True)
    combine.combine(out)
    datapackage.write(out)
    return out


def validate(folder: Path) -> dict:
    """`frictionless validate --json`: its report, and the exit status said in it."""
    p = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(p.stdout)
    assert (p.returncode == 0) == report["valid"], p.stderr
    return report


def errors(report: dict) -> dict[str, list[str]]:
    return {t["name"]: [e["type"] for e in t["errors"]] for t in report["tasks"] if t["errors"]}


def copy(package: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(package, tmp_path / "processed"))


def test_the_package_is_valid_and_lists_every_csv(package):
    report = validate(package)
    assert report["valid"], errors(report)
    doc = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"] for r in doc["resources"]}
    assert listed == {p.relative_to(package).as_posix() for p in package.rglob("*.csv")}
    assert len(listed) >= 10  # nine tables and sources.csv
    figures = next(r for r in doc["resources"] if r["path"] == "figures.csv")
    assert figures["encoding"] == "utf-8"
    assert figures["schema"]["primaryKey"] == ["figure_id"]
    assert figures["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "sources",
        "fields": ["source_id"],
    }
    value = next(f for f in figures["schema"]["fields"] if f["name"] == "value")
    assert value["type"] == "number" and "scale applied" in value["description"]
    assert doc["licenses"] and doc["sources"]
    assert doc["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert figures["type"] == "table"


def test_a_planted_bad_value_fails(package, tmp_path):
    folder = copy(package, tmp_path)
    path = folder / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    head = lines[0].split(",")
    cells = lines[1].split(",")
    cells[head.index("value")] = "many"
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    report = validate(folder)
    assert not report["valid"]
    assert "type-error" in errors(report)["figures"]


def test_an_unknown_source_id_breaks_the_foreign_key(package, tmp_path):
    folder = copy(package, tmp_path)
    path = folder / "events.csv"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[1].split(",")[1]  # the first event's source_id
    path.write_text(text.replace(f",{first},", ",no-such-source,", 1), encoding="utf-8")
    datapackage.write(folder)  # hashes up to date: only the key is wrong
    report = validate(folder)
    assert not report["valid"]
    assert errors(report) == {"events": ["foreign-key"]}


def test_a_file_changed_after_packaging_fails_its_hash(package, tmp_path):
    folder = copy(package, tmp_path)
    path = folder / "citations.csv"
    path.write_bytes(path.read_bytes().replace(b"2015-11-06", b"2015-11-07", 1))
    assert "hash-count" in errors(validate(folder))["citations"]


def test_schema_and_dictionary_cannot_drift(package, tmp_path):
    text = datapackage.DICTIONARY.read_text(encoding="utf-8")
    row = next(ln for ln in text.splitlines() if ln.startswith("| `attribution` |"))
    with pytest.raises(JJJError, match="figures.csv column 'attribution' is not described"):
        datapackage.package(package, text.replace(row + "\n", ""), "data-dictionary.md")
    wrong = text.replace("| `year` | int | yes |", "| `year` | str | yes |")
    with pytest.raises(JJJError, match="column 'year' is str there, int"):
        datapackage.package(package, wrong, "data-dictionary.md")
    extra = text.replace(row, row + "\n| `colour` | str | no | not written |")
    with pytest.raises(JJJError, match="'colour' is described but not written"):
        datapackage.package(package, extra, "data-dictionary.md")


def test_a_broken_descriptor_fails(package, tmp_path):
    folder = copy(package, tmp_path)
    path = folder / "datapackage.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["resources"][0]["schema"]["fields"][0]["type"] = "strng"
    path.write_text(json.dumps(doc), encoding="utf-8")
    report = validate(folder)
    assert not report["valid"] and "field-error" in json.dumps(report)


def test_descriptions_are_the_dictionarys():
    documented = datapackage.dictionary_columns(datapackage.DICTIONARY.read_text(encoding="utf-8"))
    assert set(documented) >= {"figures", "events", "citations", "candidates", "sources"}
    assert documented["figures"]["qualifier"]["type"] == "str"
    assert datapackage._plain("[`a`](x.py) `b`") == "a b"
