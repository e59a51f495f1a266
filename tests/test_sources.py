from pathlib import Path

import pytest

from helpers import paths
from helpers.clean import sources
from helpers.engine.state import write_checked
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


def _manifest(raw_copy, **changes):
    """Rewrite the copy's manifest with the corroborating entry's fields changed."""
    import yaml

    doc = yaml.safe_load((raw_copy / "sources.yml").read_text(encoding="utf-8"))
    entry = next(s for s in doc["sources"] if s["id"] == "corroborating")
    entry.update(changes)
    (raw_copy / "sources.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    return raw_copy / "sources.yml"


@pytest.fixture
def sentinel(tmp_path):
    """A file outside the raw folder: nothing may read or replace it."""
    f = tmp_path / "outside" / "sentinel.txt"
    f.parent.mkdir()
    f.write_text("sentinel\n")
    return f


@pytest.mark.parametrize(
    "sid", ["../../../X", "/tmp/X", "UPPER", "a/b", "", "-flag", "a b", ".", "é"]
)
def test_source_id_must_be_a_slug(raw_copy, sid):
    manifest = _manifest(raw_copy, id=sid)
    with pytest.raises(JJJError, match="must be a slug") as e:
        sources.load_manifest(manifest)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("file", ["../outside/sentinel.txt", "/etc/passwd", "{sentinel}"])
def test_file_outside_raw_is_refused_unread(raw_copy, sentinel, file, monkeypatch):
    manifest = _manifest(raw_copy, file=file.format(sentinel=sentinel))
    real_open, opened = sources.os.open, []
    monkeypatch.setattr(sources.os, "open", lambda p, *a: opened.append(str(p)) or real_open(p, *a))
    with pytest.raises(JJJError, match="is outside") as e:
        sources.load_manifest(manifest)
    assert opened == [str(manifest)]  # the manifest only: the outside file is never opened
    assert "\n" not in str(e.value)


def test_symlink_to_outside_is_refused(raw_copy, sentinel):
    (raw_copy / "link.yml").symlink_to(sentinel)
    (raw_copy / "sub").symlink_to(sentinel.parent)
    for name in ("link.yml", "sub/sentinel.txt"):
        with pytest.raises(JJJError, match="is a symlink"):
            sources.load_manifest(_manifest(raw_copy, file=name))
    with pytest.raises(JJJError, match="codebook: .* is a symlink"):
        sources.load_manifest(_manifest(raw_copy, file="corroborating.yml", codebook="link.yml"))
    # read_bytes itself refuses a final symlink too (O_NOFOLLOW)
    with pytest.raises(JJJError, match="cannot open"):
        sources.read_bytes(raw_copy / "link.yml")


def test_fifo_directory_and_device_are_refused_at_once(raw_copy):
    import os

    os.mkfifo(raw_copy / "pipe.yml")  # nobody writes: a blocking read would hang forever
    (raw_copy / "folder.yml").mkdir()
    for name, kind in (("pipe.yml", "a FIFO"), ("folder.yml", "a directory")):
        src = sources.load_manifest(_manifest(raw_copy, file=name))["corroborating"]
        with pytest.raises(JJJError, match=f"not a regular file \\({kind}\\)") as e:
            sources.verify(src)
        assert "\n" not in str(e.value)
    with pytest.raises(JJJError, match="not a regular file \\(a character device\\)"):
        sources.read_bytes(Path("/dev/zero"))


def test_oversized_file_is_refused(raw_copy, monkeypatch):
    monkeypatch.setattr(sources, "MAX_BYTES", 10)
    with pytest.raises(JJJError, match="over the 10-byte limit"):
        sources.read_bytes(raw_copy / "corroborating.yml")


# ---------------------------------------------------------------- the manifest, remembered


def _files(found: dict) -> dict:
    return {sid: (s.file, s.translation[0] if s.translation else None) for sid, s in found.items()}


def test_manifest_files_are_load_manifests_and_come_from_the_cache_next_time(raw_copy, tmp_path):
    manifest, cache = raw_copy / "sources.yml", tmp_path / "build" / "manifest.json"
    first = sources.manifest_files(manifest, cache)
    assert first == _files(sources.load_manifest(manifest))
    assert first["corroborating"][1] == raw_copy / "record-zh.yml"
    written = cache.read_bytes()
    assert sources.manifest_files(manifest, cache) == first
    assert cache.read_bytes() == written  # a hit: nothing rewritten


def test_manifest_cache_is_ignored_when_the_manifest_changes(raw_copy, tmp_path):
    cache = tmp_path / "manifest.json"
    sources.manifest_files(raw_copy / "sources.yml", cache)
    (raw_copy / "other.txt").write_text("x\n", encoding="utf-8")
    manifest = _manifest(raw_copy, file="other.txt")  # new bytes: a new key
    assert sources.manifest_files(manifest, cache)["corroborating"][0] == raw_copy / "other.txt"
    _manifest(raw_copy, sha256="abc")  # an invalid manifest fails as load_manifest fails
    with pytest.raises(JJJError) as cached:
        sources.manifest_files(manifest, cache)
    with pytest.raises(JJJError) as loaded:
        sources.load_manifest(manifest)
    assert str(cached.value) == str(loaded.value)
    assert "must be 64 lower-case hex" in str(loaded.value)


@pytest.mark.parametrize("tamper", ["name", "garbage", "shape", "empty"])
def test_a_tampered_manifest_cache_is_ignored(raw_copy, tmp_path, tamper):
    import json

    manifest, cache = raw_copy / "sources.yml", tmp_path / "manifest.json"
    expected = sources.manifest_files(manifest, cache)
    doc = json.loads(cache.read_text(encoding="utf-8"))
    if tamper == "name":  # the checksum no longer matches
        doc["sources"][1][1]["file"] = "cpt-2024-04-jjj-ten-years.txt"
        cache.write_text(json.dumps(doc), encoding="utf-8")
    elif tamper == "shape":  # a consistent checksum over entries of the wrong shape
        doc["sources"] = [["corroborating", {"file": 1}]]
        del doc["checksum"]
        write_checked(cache, doc)
    else:
        cache.write_bytes(b"{not json" if tamper == "garbage" else b"")
    assert sources.manifest_files(manifest, cache) == expected
    # rewritten whole: trusted again next time
    assert [sid for sid, _ in sources._cached(cache, sources._manifest_key(manifest))] == list(
        expected
    )


def test_manifest_cache_still_refuses_a_symlink(raw_copy, tmp_path, sentinel):
    manifest, cache = raw_copy / "sources.yml", tmp_path / "manifest.json"
    sources.manifest_files(manifest, cache)
    (raw_copy / "corroborating.yml").unlink()
    (raw_copy / "corroborating.yml").symlink_to(sentinel)  # the disk changed, the bytes did not
    with pytest.raises(JJJError, match="corroborating.yml is a symlink"):
        sources.manifest_files(manifest, cache)


def test_planning_from_the_manifest_cache_loads_neither_yaml_nor_pydantic(raw_copy, tmp_path):
    import subprocess
    import sys

    manifest, cache = raw_copy / "sources.yml", tmp_path / "manifest.json"
    sources.manifest_files(manifest, cache)
    code = (
        "import sys; from helpers.clean import sources; "
        f"sources.manifest_files({str(manifest)!r}, {str(cache)!r}); "
        "print([m for m in ('yaml', 'pydantic', 'pydantic_core') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_layout(tmp_path: Path):
    assert sources.load_layout("no-such-source") is None
    assert sources.load_layout(paths.SEED_SOURCE_ID)["source_id"] == paths.SEED_SOURCE_ID
    p = tmp_path / "x.yml"
    p.write_bytes(b"\xff\xfe")
    with pytest.raises(JJJError, match="x.yml: unreadable layout map"):
        sources.load_layout("x", p)
