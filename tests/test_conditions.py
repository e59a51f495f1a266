"""helpers.publish.conditions: the bools that choose a report's sentences, and their tags."""

import pytest

from helpers.errors import JJJError
from helpers.publish import conditions


def test_a_cell_is_kept_when_each_of_its_condition_tags_holds():
    values = {"has_events": True, "nat_range": False}
    assert conditions.holds(["lang-en"], values, "cell 1")  # no condition: always
    assert conditions.holds(["lang-en", "if-has_events"], values, "cell 1")
    assert not conditions.holds(["if-nat_range"], values, "cell 1")
    assert conditions.holds(["unless-nat_range", "description"], values, "cell 1")
    assert not conditions.holds(["if-has_events", "if-nat_range"], values, "cell 1")
    assert conditions.names(["lang-zh", "if-has_events", "unless-nat_range"]) == [
        "has_events", "nat_range"]  # fmt: skip


def test_a_condition_on_no_glued_bool_is_named_with_its_cell():
    with pytest.raises(JJJError, match="cell 4 `x`: condition 'if-nothing': no value 'nothing'"):
        conditions.holds(["if-nothing"], {}, "cell 4 `x`")
    with pytest.raises(JJJError, match="condition 'unless-year': not a bool"):
        conditions.holds(["unless-year"], {"year": "2019"}, "cell 4 `x`")
