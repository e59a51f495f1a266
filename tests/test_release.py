"""`make release`: a byte-reproducible zip whose SHA256SUMS checks with sha256sum."""

import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

from helpers import __version__, paths, release
from helpers.engine import atomic
from helpers.errors import JJJError

EPOCH = 1764000000


def tree(root: Path) -> Path:
    """A small checkout with built reports and data: what a release reads."""
    root.mkdir(parents=True)
    for name in release.TOP_FILES:
        shutil.copy(paths.ROOT / name, root / name)
    for rel, text in {
        "reports/index.html": "<p>index</p>",
        "reports/2019/report.en.html": "<p>2019</p>",
        "reports/2019/data/table-1.en.csv": "\ufeffValue\n1.0\n",
        "data/processed/figures.csv": "value\n1.0\n",
        "data/processed/datapackage.json": "{}\n",
        "data/processed/.gitkeep": "",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def confined(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_root", lambda: tmp_path)
    return tmp_path


def test_two_checkouts_give_the_same_zip_and_its_sums_check(confined):
    a, b = tree(confined / "a"), tree(confined / "b")
    (b / "reports/2019/report.en.html").touch()  # other mtimes, other paths: same bytes
    za = release.write_zip(a, a / "dist/r.zip", EPOCH)
    zb = release.write_zip(b, b / "dist/r.zip", EPOCH)
    assert za.read_bytes() == zb.read_bytes()
    top = f"jjj-report-{__version__}"
    with zipfile.ZipFile(za) as z:
        names = z.namelist()
        z.extractall(confined / "out")
    assert names == sorted(names) and f"{top}/SHA256SUMS" in names
    assert f"{top}/data/processed/.gitkeep" not in names
    assert {f"{top}/CITATION.cff", f"{top}/data/processed/datapackage.json"} <= set(names)
    folder = confined / "out" / top
    ok = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=folder,
                        capture_output=True, text=True)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count(": OK") == len(names) - 1
    (folder / "reports/index.html").write_text("changed")
    bad = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
    assert bad.returncode != 0


def test_nothing_to_release_and_a_version_mismatch_are_one_line(confined):
    root = tree(confined / "a")
    cff = root / "CITATION.cff"
    cff.write_text(cff.read_text().replace(f'version: "{__version__}"', 'version: "9.9"'))
    with pytest.raises(JJJError, match=r"CITATION.cff: version '9.9', but jjj-report is"):
        release.write_zip(root, root / "dist/r.zip", EPOCH)
    root = tree(confined / "b")
    shutil.rmtree(root / "reports")
    (root / "reports").mkdir()
    with pytest.raises(JJJError, match="reports: empty; run `make reports`"):
        release.write_zip(root, root / "dist/r.zip", EPOCH)


def test_the_version_comes_from_one_place():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "helpers.__version__"
    cff = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert release.cff_version(cff) == __version__
