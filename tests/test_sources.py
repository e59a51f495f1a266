import pytest

from helpers.clean import sources
from helpers.errors import JJJError


def test_every_raw_file_matches_its_manifest_hash():
    verified = sources.verify_all()
    assert {"cpt-2024-04-jjj-ten-years", "corroborating"} <= set(verified)


def test_seed_text_is_the_article():
    text = sources.read_text(sources.get("cpt-2024-04-jjj-ten-years"))
    assert "皮磊" in text and "6300多家" in text


def test_tampered_file_is_refused_naming_file_and_both_hashes(raw_copy):
    f = raw_copy / "cpt-2024-04-jjj-ten-years.txt"
    expected = sources.sha256_of(f)
    f.write_bytes(f.read_bytes().replace(b"6300", b"6301"))
    src = sources.get("cpt-2024-04-jjj-ten-years", raw_copy / "sources.yml")
    with pytest.raises(JJJError) as e:
        sources.verify(src)
    msg = str(e.value)
    assert "\n" not in msg
    assert str(f) in msg and expected in msg and sources.sha256_of(f) in msg


def test_missing_file_and_unknown_id(raw_copy):
    (raw_copy / "corroborating.yml").unlink()
    with pytest.raises(JJJError, match="raw file missing"):
        sources.verify_all(raw_copy / "sources.yml")
    with pytest.raises(JJJError, match="unknown source id 'nope'"):
        sources.get("nope", raw_copy / "sources.yml")


def test_empty_and_non_utf8_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(JJJError, match="empty.txt: file is empty"):
        sources.decode_text(empty)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("社会组织".encode("gbk"))
    with pytest.raises(JJJError, match="gbk.txt: not UTF-8"):
        sources.decode_text(gbk)
