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
