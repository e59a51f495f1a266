import re
from pathlib import Path

import pytest

from helpers import paths
from helpers.errors import JJJError
from helpers.publish import i18n


def test_every_string_has_both_languages_and_the_same_placeholders():
    for key, texts in i18n.STRINGS.items():
        assert set(texts) == {"zh", "en"}, key
        fields = [set(re.findall(r"{(\w+)}", texts[lang])) for lang in ("zh", "en")]
        assert fields[0] == fields[1], key


def test_every_key_used_in_the_code_exists():
    used = set()
    for f in Path(paths.ROOT, "src/helpers").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"(\w+)\"", f.read_text(encoding="utf-8")))
    assert used and used <= set(i18n.STRINGS), used - set(i18n.STRINGS)


def test_report_meta_and_errors():
    meta = i18n.report_meta("year", 2018, "zh")
    assert meta["title"].startswith("2018年") and "2018" in meta["header"]
    assert i18n.report_meta("ten-year", None, "en")["title"].startswith("Ten years")
    with pytest.raises(JJJError, match="'fr' is not supported"):
        i18n.t("h_headline", "fr")
    with pytest.raises(JJJError, match="no string 'nope'"):
        i18n.t("nope", "en")


def test_every_case_organization_of_the_codebook_has_an_english_gloss():
    import yaml

    book = yaml.safe_load((paths.RAW / "figures.yml").read_text(encoding="utf-8"))
    orgs = {f.get("organization") for f in book["figures"]} - {None, ""}
    assert orgs and orgs <= set(i18n.ORGANIZATIONS_EN)
    assert i18n.organization("泰康溢彩公益基金会", "en").endswith("(泰康溢彩公益基金会)")
    assert i18n.organization("泰康溢彩公益基金会", "zh") == "泰康溢彩公益基金会"


def test_every_qualifier_of_the_data_has_a_label():
    from helpers.clean import schema

    assert [q for q in schema.QUALIFIERS if f"q_{q}" not in i18n.STRINGS] == []
    assert i18n.t("q_range", "en") == "range" and i18n.t("q_more_than", "zh").startswith("多")
