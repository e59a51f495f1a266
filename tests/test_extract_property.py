"""Property: reflowing and extracting a text is stable under re-breaking its lines anywhere.

The fixtures are in the seed's broken layout (a line every few characters, numbers split from
their units). Joining them and breaking the text again at random points — with or without
blank lines between the pieces — must give the same candidates. Fixed seed, derandomized.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import paths
from helpers.clean import reflow, sources
from helpers.clean.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
NAMES = sorted(p.name for p in FIXTURES.glob("*.txt"))
REF = dt.date(2024, 7, 15)


def joined(name: str) -> str:
    """The fixture as one line per paragraph: what re-breaking starts from."""
    return reflow.plain_text((FIXTURES / name).read_text(encoding="utf-8"))


def reading(raw: str) -> list[tuple]:
    """Everything about each candidate except where it sits (offsets and context move)."""
    return [
        (c.quote, c.kind, c.value, c.value_low, c.value_high, c.qualifier, c.unit_zh)
        + (c.period_start, c.period_end, c.ambiguous, c.reason)
        for c in extract(reflow.plain_text(raw), reference_date=REF)
    ]


EXPECTED = {name: reading(joined(name)) for name in NAMES}


def rebreak(text: str, cuts: list[int], blank: list[bool]) -> str:
    """`text` broken after every cut length in turn (cycled), blank lines where `blank` says."""
    out, i, k = [], 0, 0
    for para in text.split("\n\n"):
        lines, i = [], 0
        while i < len(para):
            n = cuts[k % len(cuts)]
            lines.append(para[i : i + n])
            sep = "\n\n" if blank[k % len(blank)] else "\n"
            lines.append(sep)
            i, k = i + n, k + 1
        out.append("".join(lines[:-1]))
    return "\n\n".join(out) + "\n"


@pytest.mark.parametrize("name", NAMES)
def test_fixture_as_printed_reads_like_its_joined_text(name):
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    assert reading(raw) == EXPECTED[name]
    assert any(c[1] == "statistic" for c in EXPECTED[name])


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(NAMES),
    cuts=st.lists(st.integers(1, 16), min_size=1, max_size=40),
    blank=st.lists(st.booleans(), min_size=1, max_size=8),
)
def test_rebreaking_the_text_anywhere_changes_no_candidate(name, cuts, blank):
    raw = rebreak(joined(name), cuts, blank)
    assert re.sub(r"\s", "", raw) == re.sub(r"\s", "", joined(name))
    assert reading(raw) == EXPECTED[name]


@settings(max_examples=4, derandomize=True, deadline=None, database=None)
@given(
    cuts=st.lists(st.integers(1, 16), min_size=1, max_size=40),
    blank=st.lists(st.booleans(), min_size=1, max_size=8),
)
def test_the_seed_rebroken_keeps_its_28_statistics(seed_reading, cuts, blank):
    text, want = seed_reading
    got = reading(rebreak(text, cuts, blank))
    assert got == want
    assert sum(c[1] == "statistic" for c in got) == 28


@pytest.fixture(scope="module")
def seed_reading():
    text = reflow.plain_text(sources.read_text(sources.get(paths.SEED_SOURCE_ID)))
    return text, reading(text)
