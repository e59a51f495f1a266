"""Draft codebook (`jjj-report extract FILE --format codebook`): valid as written, and the
seed's own codebook is what an analyst gets by confirming the draft's entries."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from helpers import paths
from helpers.clean import codebook, sources
from helpers.clean.codebook_draft import draft, unique_context
from helpers.clean.extract import extract
from helpers.clean.extract_cli import main, read_file
from helpers.errors import JJJError

SEED = paths.RAW / "cpt-2024-04-jjj-ten-years.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "extract"
REF = dt.date(2024, 4, 19)
# What the draft fills in from the parser; the analyst keeps these and writes the rest.
PARSED = ("quote", "value", "qualifier", "unit_zh")


def strip_comments(text: str) -> str:
    """The YAML without its comments, as an analyst leaves it: whole-line comments and
    trailing `  # …` outside double-quoted strings removed."""
    out = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for m in re.finditer(r"\s+#", line):
            if line[: m.start()].count('"') % 2 == 0:
                line = line[: m.start()]
                break
        out.append(line)
    return "\n".join(out) + "\n"


def draft_of(path: Path, capsys, *args: str) -> str:
    assert main([str(path), "--format", "codebook", *args]) == 0
    return capsys.readouterr().out


def write(tmp_path: Path, name: str, doc) -> Path:
    p = tmp_path / name
    p.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    return p


def located(entry: dict, text: str) -> tuple[int, int]:
    anchor = entry.get("context") or entry["quote"]
    assert text.count(anchor) == 1, entry
    at = text.index(anchor) + anchor.index(entry["quote"])
    return at, at + len(entry["quote"])


@pytest.fixture(scope="module")
def seed_text() -> str:
    return read_file(SEED)[0]


def fill(doc: dict) -> dict:
    """The draft with every placeholder written, as an analyst would (words, not TODO)."""
    for entry in doc["figures"]:
        for key, v in entry.items():
            if v == "TODO":
                entry[key] = f"{key} of {entry['id']}"
            elif isinstance(v, str) and v.startswith("todo_"):
                entry[key] = v.removeprefix("todo_")
    return doc


def test_seed_draft_is_a_valid_codebook_once_its_placeholders_are_filled(
    tmp_path, capsys, seed_text
):
    written = draft_of(SEED, capsys)  # the reference date comes from sources.yml
    assert "2024-04-19" in written.splitlines()[2]
    stripped = strip_comments(written)
    assert "#" not in stripped.replace("'#'", "")
    path = write(tmp_path, "draft.yml", stripped)
    doc = codebook.load_codebook(path)
    assert doc["source_id"] == paths.SEED_SOURCE_ID
    assert len(doc["figures"]) == 28 and doc["excluded"] == [] and doc["events"] == []
    cands = extract(seed_text, reference_date=REF)
    refused = codebook.check(doc, seed_text, cands, REF)
    first = doc["figures"][0]["id"]
    assert refused[0] == (f"{path}: figure {first}: field 'subject_en'='TODO': still a "
                          "placeholder of the draft codebook; write what it is")  # fmt: skip
    placeholders = [line for line in refused if "placeholder of the draft codebook" in line]
    named = {line.removeprefix(f"{path}: figure ").split(":")[0] for line in placeholders}
    assert named == {f["id"] for f in doc["figures"]}  # every entry, by name
    assert any(f"field 'measure'='todo_{first}'" in line for line in refused)
    assert codebook.check(fill(doc), seed_text, cands, REF) == []
    assert yaml.safe_load(written) == yaml.safe_load(stripped)  # comments carry no data


def test_a_draft_with_placeholders_is_refused_in_one_line(tmp_path, capsys):
    path = write(tmp_path, "draft.yml", strip_comments(draft_of(SEED, capsys)))
    first = yaml.safe_load(path.read_text(encoding="utf-8"))["figures"][0]["id"]
    source = sources.get(paths.SEED_SOURCE_ID)
    with pytest.raises(JJJError) as e:
        codebook.clean_full_text(source, out_dir=tmp_path / "out", codebook_path=path)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"{path}: figure {first}: field 'subject_en'='TODO'")
    assert not (tmp_path / "out" / "figures.csv").exists()


def test_seed_codebook_is_reproduced_by_confirming_the_draft(tmp_path, capsys, seed_text):
    drafted = yaml.safe_load(strip_comments(draft_of(SEED, capsys)))
    seed_book = yaml.safe_load(codebook.CODEBOOK.read_text(encoding="utf-8"))
    by_span = {located(f, seed_text): f for f in seed_book["figures"]}
    confirmed = []
    for entry in drafted["figures"]:
        hand = by_span.pop(located(entry, seed_text))  # every draft entry is a seed figure
        assert {k: entry[k] for k in PARSED} == {k: hand[k] for k in PARSED}, hand["id"]
        # Confirming: the analyst writes what only a reader knows; the parsed fields stay.
        confirmed.append({**entry, **{k: v for k, v in hand.items() if k not in PARSED}})
    assert by_span == {}  # and every seed figure was drafted
    doc = {**seed_book, "figures": confirmed}
    path = write(tmp_path, "confirmed.yml", doc)
    source = sources.get(paths.SEED_SOURCE_ID)
    codebook.clean_full_text(source, out_dir=tmp_path / "a", codebook_path=path)
    codebook.clean_full_text(source, out_dir=tmp_path / "b")
    for name in ("figures.csv", "candidates.csv", "events.csv"):
        a, b = (tmp_path / d / name for d in "ab")
        assert a.read_bytes() == b.read_bytes(), name


def test_fixture_drafts_are_valid(tmp_path, capsys):
    for path in sorted(FIXTURES.glob("*.txt")):
        written = draft_of(path, capsys, "--reference-date", "2024-03-01")
        doc = codebook.load_codebook(write(tmp_path, path.stem + ".yml", strip_comments(written)))
        doc = fill(doc)
        text = read_file(path)[0]
        cands = extract(text, reference_date=dt.date(2024, 3, 1))
        assert doc["source_id"] == path.stem
        assert len(doc["figures"]) == sum(c.kind == "statistic" for c in cands) > 0
        assert codebook.check(doc, text, cands, dt.date(2024, 3, 1)) == [], path.name


def test_a_text_without_statistics_drafts_an_empty_codebook():
    doc = yaml.safe_load(draft("2014年2月，战略提出。", [], "x", "none"))
    assert doc == {"source_id": "x", "figures": [], "excluded": [], "events": []}


def test_unique_context_is_the_shortest_passage_found_once():
    text = "甲有3个站。乙有3个站，丙有3个点。"
    for start in (1, 8, 14):
        found = unique_context(text, start, start + 2)
        assert text.count(found) == 1 and found.count("3个") == 1
    assert unique_context(text, 8, 10) == "乙有3个站，"  # one more character each side
    assert unique_context("只有3个", 2, 4) is None


def test_the_command_line_writes_the_draft(capsys):
    from helpers import cli

    path = FIXTURES / "district-volunteer-report.txt"
    args = [str(path), "--format", "codebook", "--reference-date", "2024-07-15"]
    assert cli.main(["extract", *args]) == 0
    via_cli = capsys.readouterr().out
    assert via_cli == draft_of(path, capsys, *args[3:]) and "300至500家" in via_cli
