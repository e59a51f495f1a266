"""helpers.publish.notes: a value's note, its quote, who said it and its source."""

from helpers.publish.formatting import Citation, Value
from helpers.publish.notes import Notes, citation_html, note_html, pick

CPT = Citation(
    publisher={"zh": "公益时报", "en": "China Philanthropy Times"},
    title="十年来社会组织助力京津冀协同发展成效显著",
    note={"zh": "发布者为推断", "en": "publisher most likely"},
)
FUNDS = Value(2188000000, "yuan", "about", unit_zh="元", quote="约21.88亿元", citation=CPT)
ORGS = Value(6300, "organizations", "more_than", low=6300, unit_zh="家", quote="6300多家")


def test_derived_value_note_lists_its_terms():
    ratio = Value(437600, "yuan", "at_most_about", sig=2, basis=(FUNDS, ORGS), operation="÷")
    note = note_html(ratio, "en")
    assert "derived: “约21.88亿元” ÷ “6300多家”" in note and "China Philanthropy Times" in note


def test_a_text_field_is_read_in_the_readers_language():
    assert pick({"zh": "公益时报", "en": "China Philanthropy Times"}, "en") == (
        "China Philanthropy Times"
    )
    assert pick({"zh": "公益时报"}, "en") == "公益时报"  # no English: the Chinese as printed
    assert pick(None, "zh") == ""
    assert citation_html(CPT, "zh").startswith("公益时报，《十年来")
    assert citation_html(CPT, "en").endswith("(publisher most likely)")


def test_notes_are_numbered_in_order_of_first_use_one_per_name():
    notes = Notes("en")
    used = (("funds", FUNDS), ("orgs", ORGS), ("funds", FUNDS))
    assert [notes.number(name, value) for name, value in used] == [1, 2, 1]
    assert notes.html().count("<li ") == 2 and 'id="note-2"' in notes.html()
    token = notes.token("<b>6,300</b>", "6,300")
    assert notes.substitute(f"x {token}") == "x <b>6,300</b>" and notes.plain(token) == "6,300"
    assert Notes("zh").html() == ""
