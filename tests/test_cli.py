import subprocess
import sys
import time

import pytest

from helpers import cli
from helpers.errors import JJJError


def test_years_ranges_and_lists():
    assert cli.parse_years("2014-2016") == [2014, 2015, 2016]
    assert cli.parse_years("2018,2015-2016") == [2015, 2016, 2018]
    assert cli.parse_years("2025") == [2025]


@pytest.mark.parametrize(
    "text, needle",
    [("2013", "2013 is outside"), ("abc", "'abc' is not a year"), ("2020-2016", "backwards")],
)
def test_bad_years_name_the_value_and_the_allowed_range(text, needle):
    with pytest.raises(JJJError) as e:
        cli.parse_years(text)
    assert needle in str(e.value) and "allowed 2014-2025" in str(e.value)


def test_langs():
    assert cli.parse_langs("zh,en") == ["zh", "en"]
    with pytest.raises(JJJError, match="'fr' is not supported; allowed zh, en"):
        cli.parse_langs("fr")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--years", "2013"], "2013 is outside the record"),
        (["--years", "abc"], "'abc' is not a year"),
        (["--lang", "fr"], "'fr' is not supported"),
        (["--jobs", "0"], "--jobs '0'"),
    ],
)
def test_build_rejects_bad_parameters_before_any_kernel(args, needle):
    t0 = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "build", *args], capture_output=True, text=True
    )
    assert p.returncode == 2
    assert needle in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert time.monotonic() - t0 < 10


def test_help_does_not_import_the_pipeline():
    code = (
        "import sys, helpers.cli as c\n"
        "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'papermill', 'nbconvert', 'weasyprint', 'matplotlib') "
        "if m in sys.modules]\nprint(heavy)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.stdout.strip().endswith("[]"), p.stdout


def test_dry_run_after_a_raw_file_changed_says_the_build_will_stop(tmp_path):
    """Not "9 would run": the raw file's sha256 mismatch, first and last, as the build says it."""
    from conftest import copy_repo

    from helpers import pipeline

    root = copy_repo(tmp_path)
    assert "will stop" not in pipeline.dry_run([2019], ["en"], root=root)
    article = root / "data/raw/cpt-2024-04-jjj-ten-years.txt"
    article.write_bytes(article.read_bytes() + b"\n")
    lines = pipeline.dry_run([2019], ["en"], root=root).splitlines()
    for line in (lines[0], lines[-1]):
        assert line.startswith("the build will stop at verify, before any report: ")
        assert "cpt-2024-04-jjj-ten-years.txt: sha256 mismatch" in line
        assert line.endswith("every task after it is blocked and its earlier outputs removed")
    assert any(line.startswith("run    verify") for line in lines)
