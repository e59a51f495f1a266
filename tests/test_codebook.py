"""helpers.clean.codebook: the hand-read codebook, its checks, and the all-or-nothing clean step."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import paths
from helpers.clean import codebook, reflow, sources
from helpers.errors import JJJError

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"
OUTPUTS = ("article.json", "article.md", "figures.csv", "events.csv", "candidates.csv")


@pytest.fixture(scope="module")
def seed() -> sources.Source:
    return sources.get(paths.SEED_SOURCE_ID)


@pytest.fixture(scope="module")
def text(seed) -> str:
    raw = sources.read_text(seed)
    return reflow.article_text(reflow.reflow(raw, sources.load_layout(seed.id)))


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An output folder holding a previous run's files, which a failing run must not touch."""
    d = tmp_path / "out"
    d.mkdir()
    for name in OUTPUTS:
        (d / name).write_text(f"previous {name}\n", encoding="utf-8")
    return d


def assert_untouched(d: Path) -> None:
    assert sorted(p.name for p in d.iterdir()) == sorted(OUTPUTS)  # no temp files left
    for name in OUTPUTS:
        assert (d / name).read_text(encoding="utf-8") == f"previous {name}\n"


def candidate(quote: str, start: int, kind: str = "statistic") -> dict:
    return {"quote": quote, "start": start, "end": start + len(quote), "kind": kind}


def test_load_real_codebook():
    cb = codebook.load_codebook()
    assert len(cb["figures"]) == 28
    assert len({f["id"] for f in cb["figures"]}) == 28
    assert cb["_path"].endswith("figures.yml")
    by_id = {f["id"]: f for f in cb["figures"]}
    assert by_id["taikang_elder_care_institutions"]["period_end"] == "2023-12-31"  # ISO string
    measures = {f["measure"] for f in cb["figures"] if f["category"] == "headline"}
    assert measures == {
        "orgs_participating",
        "projects_landed",
        "funds_yuan",
        "counties_covered",
        "beneficiaries_person_times",
        "cooperation_fields",
        "foundations_active",
        "orgs_planning_projects_2024",
        "project_intentions_2024",
        "projects_signed_on_site",
    }


def test_real_codebook_checks_clean(text):
    assert codebook.check(codebook.load_codebook(), text, []) == []


@pytest.mark.parametrize(
    "name, problem",
    [
        ("empty.yml", "file is empty"),
        ("not_utf8.yml", "not UTF-8"),
    ],
)
def test_unreadable_codebook_names_file(name, problem):
    with pytest.raises(JJJError, match=problem) as e:
        codebook.load_codebook(FIXTURES / name)
    assert str(FIXTURES / name) in str(e.value)


def test_invalid_yaml_and_missing_file(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("figures: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(JJJError, match=r"bad.yml: not valid YAML at line"):
        codebook.load_codebook(bad)
    with pytest.raises(JJJError, match=r"nope.yml: codebook not found"):
        codebook.load_codebook(tmp_path / "nope.yml")
    flat = tmp_path / "flat.yml"
    flat.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(JJJError, match=r"flat.yml: codebook must be a mapping"):
        codebook.load_codebook(flat)


# Each broken fixture, the figure id and the problem its one-line message must name.
BROKEN = [
    (
        "quote_not_found.yml",
        "orgs_typo",
        r"quote '6300余家' not found verbatim; nearest .*'6300多家'",
    ),
    (
        "value_mismatch.yml",
        "funds",
        r"codebook value 218800000 disagrees with parse_quantity\('约21.88亿元'\) = 2188000000",
    ),
    (
        "qualifier_mismatch.yml",
        "elders",
        r"codebook qualifier 'more_than' disagrees with parse_quantity\('超35000人次'\) = 'over'",
    ),
    ("duplicate_id.yml", "orgs", "duplicate figure id"),
    ("missing_field.yml", "orgs", r"missing field 'measure'"),
    ("ambiguous_quote.yml", "orgs", r"quote '1000多家' occurs 2 times; add a unique `context`"),
]


@pytest.mark.parametrize("name, fid, problem", BROKEN)
def test_check_names_file_figure_problem(text, name, fid, problem):
    cb = codebook.load_codebook(FIXTURES / name)
    issues = codebook.check(cb, text, [])
    assert issues, name
    first = issues[0]
    assert first.startswith(f"{FIXTURES / name}: figure {fid}: ")
    assert "\n" not in first
    assert re.search(problem, first), first


def test_check_coverage(text):
    cb = codebook.load_codebook()
    at = text.index("6300多家")
    assert codebook.check(cb, text, [candidate("6300多家", at)]) == []
    assert codebook.check(cb, text, [candidate("2014年2月", text.index("2014年2月"), "date")]) == []
    one = text.index("作为一家") + 2
    cb["excluded"] = []
    issues = codebook.check(cb, text, [candidate("一家", one)])
    assert len(issues) == 1 and "candidate statistic '一家'" in issues[0]
    assert "neither a figure nor excluded" in issues[0]
    cb["excluded"] = [{"quote": "一家", "context": "作为一家以养老", "reason": "article"}]
    assert codebook.check(cb, text, [candidate("一家", one)]) == []


def test_check_misplaced_candidate(text):
    issues = codebook.check(codebook.load_codebook(), text, [candidate("6300多家", 0)])
    assert "is not at its place in the reflowed text" in issues[0]


# --- clean_full_text: all or nothing ---------------------------------------------------------


@pytest.mark.parametrize("name, fid, problem", BROKEN)
def test_clean_refuses_broken_codebook(seed, out_dir, name, fid, problem):
    with pytest.raises(JJJError) as e:
        codebook.clean_full_text(seed, out_dir=out_dir, codebook_path=FIXTURES / name)
    msg = str(e.value)
    assert msg.startswith(f"{FIXTURES / name}: figure {fid}: ") and "\n" not in msg
    assert re.search(problem, msg), msg
    assert_untouched(out_dir)


def test_clean_refuses_incomplete_coverage(seed, out_dir):
    path = FIXTURES / "uncovered.yml"
    with pytest.raises(JJJError, match="neither a figure nor excluded") as e:
        codebook.clean_full_text(seed, out_dir=out_dir, codebook_path=path)
    assert str(e.value).startswith(f"{path}: candidate statistic ")
    assert_untouched(out_dir)


@pytest.mark.parametrize("name", ["empty.yml", "not_utf8.yml"])
def test_clean_refuses_unreadable_codebook(seed, out_dir, name):
    with pytest.raises(JJJError, match=str(FIXTURES / name)):
        codebook.clean_full_text(seed, out_dir=out_dir, codebook_path=FIXTURES / name)
    assert_untouched(out_dir)


def test_clean_refuses_tampered_raw(raw_copy: Path, out_dir):
    txt = raw_copy / f"{paths.SEED_SOURCE_ID}.txt"
    txt.write_bytes(txt.read_bytes().replace("6300多家".encode(), "6400多家".encode()))
    src = sources.get(paths.SEED_SOURCE_ID, raw_copy / "sources.yml")
    with pytest.raises(JJJError, match="sha256 mismatch") as e:
        codebook.clean_full_text(src, out_dir=out_dir)
    assert str(txt) in str(e.value)
    assert_untouched(out_dir)


def test_event_quote_must_be_verbatim(text):
    cb = codebook.load_codebook()
    cb["events"][0]["quote"] = "2014年3月，京津冀协同发展上升为重大国家战略"
    issues = codebook.check(cb, text, [])
    assert len(issues) == 1
    assert f"event {cb['events'][0]['id']}: quote '2014年3月" in issues[0]
    assert "nearest passage '2014年2月，京津冀协同发展上升为重大国家战略'" in issues[0]


def test_clean_failing_write_leaves_previous_outputs(seed, out_dir, monkeypatch):
    real = pd.DataFrame.to_csv

    def flaky(self, path, *a, **kw):
        if "candidates.csv" in str(path):
            raise OSError("disk full")
        return real(self, path, *a, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    with pytest.raises(OSError, match="disk full"):
        codebook.clean_full_text(seed, out_dir=out_dir)
    assert_untouched(out_dir)


def test_clean_writes_everything(seed, tmp_path: Path):
    out = tmp_path / "seed"
    res = codebook.clean_full_text(seed, out_dir=out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    assert res.coverage == 1.0
    assert len(res.figures) == 28 and len(res.events) >= 6
    statuses = res.candidates["status"].tolist()
    assert all(statuses), "every candidate is accounted for"
    stats = res.candidates[res.candidates["kind"] == "statistic"]
    assert stats["status"].str.match(r"^(in_codebook|excluded):").all()
    # value bounds come from the parser, not from the codebook
    row = res.figures.set_index("figure_id").loc["jjj_orgs_in_hebei_poverty_relief"]
    assert (row["value_low"], row["value_high"]) == (6300.0, 6400.0)
    assert res.blocks[0].role == "headline"


# --- meaning checks: well-formed entries that say something the text does not -----------------

REF = dt.date(2024, 4, 19)


def _edited(fn) -> dict:
    cb = codebook.load_codebook()
    fn(cb)
    return cb


def _figure(cb: dict, fid: str) -> dict:
    return next(f for f in cb["figures"] if f["id"] == fid)


def _second_id(cb):
    twin = dict(_figure(cb, "cihong_schools"), id="hebei_schools_again")
    cb["figures"].append(twin)


def _event_moved(cb):
    cb["events"][0].update(date_start="2019-02-01", date_end="2019-02-28")


def _month_moved(cb):
    cb["events"][0].update(date_start="2014-05-01", date_end="2014-05-31")


def _period_end_moved(cb):
    _figure(cb, "taikang_elder_care_institutions")["period_end"] = "2021-12-31"


def _recent_years_moved(cb):
    _figure(cb, "jjj_foundations_active_3y")["period_start"] = "2019-01-01"


def _date_text_elsewhere(cb):
    cb["events"][0]["date_text"] = "2020年"


MEANING = [
    (_second_id, "figure hebei_schools_again: its quote at char \\d+ is already figure"),
    (_event_moved, "event strategy_raised_2014_02: dated 2019-02-01 but its text says '2014年2月'"),
    (_month_moved, "event strategy_raised_2014_02: dated 2014-05-01 .*\\(2014-02\\)"),
    (
        _period_end_moved,
        "figure taikang_elder_care_institutions: period_end 2021-12-31 disagrees with its "
        "period_text '截至2023年年底' \\(2023\\)",
    ),
    (_recent_years_moved, "figure jjj_foundations_active_3y: period_start 2019-01-01"),
    (_date_text_elsewhere, "event strategy_raised_2014_02: date_text '2020年' is not in its quote"),
]


@pytest.mark.parametrize("edit, problem", MEANING, ids=[m[0].__name__ for m in MEANING])
def test_meaning_checks_name_the_entry(text, edit, problem):
    issues = codebook.check(_edited(edit), text, [], reference_date=REF)
    assert len(issues) == 1, issues
    assert re.search(problem, issues[0]), issues[0]
    assert "\n" not in issues[0] and issues[0].startswith(str(codebook.CODEBOOK))


def test_clean_refuses_a_meaning_error_untouched(seed, out_dir, tmp_path):
    import yaml

    book = tmp_path / "figures.yml"
    book.write_text(yaml.safe_dump(_edited(_second_id), allow_unicode=True), encoding="utf-8")
    with pytest.raises(JJJError, match="hebei_schools_again: its quote .* already figure"):
        codebook.clean_full_text(seed, out_dir=out_dir, codebook_path=book)
    assert_untouched(out_dir)
