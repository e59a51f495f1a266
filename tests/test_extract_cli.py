"""helpers.clean.extract_cli: `jjj-report extract` on raw files, its formats and its errors."""

import datetime as dt
import json
from dataclasses import fields
from pathlib import Path

from helpers import paths
from helpers.clean.extract import Candidate
from helpers.clean.extract_cli import extract_file, main

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
SEED = paths.RAW / "cpt-2024-04-jjj-ten-years.txt"


def test_main_csv(capsys):
    assert main([str(SEED), "--reference-date", "2024-04-19"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split(",")[:3] == ["quote", "start", "end"]
    assert sum(",statistic," in line for line in out) == 28
    assert any(line.startswith("约21.88亿元,") and "2188000000.0" in line for line in out)


def test_main_json(capsys):
    assert main([str(FIXTURES / "city-reading-program.txt"), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and set(rows[0]) == {f.name for f in fields(Candidate)}
    (row,) = [r for r in rows if r["quote"] == "超1.2万小时"]
    assert (row["value"], row["qualifier"], row["unit_zh"]) == (12000.0, "over", "小时")


def _error_of(argv, capsys) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("jjj-report extract: ")
    return lines[0]


def test_main_errors_name_the_file(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert str(missing) in _error_of([str(missing)], capsys)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    msg = _error_of([str(empty)], capsys)
    assert str(empty) in msg and "empty" in msg
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("社会组织".encode("gb18030"))
    msg = _error_of([str(latin)], capsys)
    assert str(latin) in msg and "UTF-8" in msg


def test_main_bad_arguments(capsys):
    assert "--reference-date" in _error_of([str(SEED), "--reference-date", "April"], capsys)
    _error_of([str(SEED), "--format", "xml"], capsys)
    _error_of([], capsys)


def test_a_registered_source_counts_from_its_date_in_sources_yml(capsys):
    (c,) = [c for c in extract_file(SEED) if c.quote == "4月19日"]
    assert (c.period_start, c.ambiguous) == ("2024-04-19", False)  # event_date, no flag given
    assert main([str(SEED), "--format", "json"]) == 0
    assert "reference date 2024-04-19" in capsys.readouterr().err
    (c,) = [
        c for c in extract_file(SEED, reference_date=dt.date(2025, 1, 1)) if c.quote == "4月19日"
    ]
    assert c.period_start == "2025-04-19"  # --reference-date wins
