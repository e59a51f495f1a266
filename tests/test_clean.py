"""`jjj-report clean` / `make clean`: never pulls the files or the lock from under a build."""

import pytest

from helpers import pipeline
from helpers.engine.lock import BuildLocked, build_lock


@pytest.fixture
def root(tmp_path):
    for rel in ("build/executed/x.ipynb", "reports/2019/report.en.html", "reports/.gitkeep",
                "data/processed/figures.csv", "data/processed/.gitkeep"):  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    outside = tmp_path.parent / f"{tmp_path.name}-sentinel"
    outside.mkdir()
    (outside / "keep.txt").write_text("sentinel")
    (tmp_path / "reports" / "link").symlink_to(outside)
    return tmp_path


def test_clean_is_refused_while_a_build_holds_the_lock(root):
    with build_lock(root / "build"):
        with pytest.raises(BuildLocked, match="another build is running") as e:
            pipeline.clean(root=root)
        assert "\n" not in str(e.value)
        assert (root / "build" / ".lock").exists()
        assert (root / "reports/2019/report.en.html").exists()


def test_clean_removes_generated_files_only(root):
    removed = pipeline.clean(root=root)
    assert "reports/2019" in removed and "data/processed/figures.csv" in removed
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert left == [
        "build", "build/.lock", "data", "data/processed", "data/processed/.gitkeep",
        "reports", "reports/.gitkeep",
    ]  # fmt: skip
    assert (root.parent / f"{root.name}-sentinel" / "keep.txt").read_text() == "sentinel"
