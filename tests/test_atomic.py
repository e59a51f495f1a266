import pytest

from helpers.engine import atomic


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A throw-away root with a sentinel file outside it; writes confined to the root."""
    root = tmp_path / "repo"
    (root / "reports").mkdir(parents=True)
    sentinel = tmp_path / "elsewhere" / "file"
    sentinel.parent.mkdir()
    sentinel.write_text("sentinel\n")
    monkeypatch.delenv("JJJ_ROOT", raising=False)
    atomic.confine(root)
    yield root, sentinel
    atomic.confine(None)


def test_writes_inside_root(repo):
    root, _ = repo
    atomic.write_text(root / "reports" / "2019" / "a.html", "x")
    assert (root / "reports" / "2019" / "a.html").read_text() == "x"


def test_symlinked_output_is_refused_and_outside_file_kept(repo):
    root, sentinel = repo
    link = root / "reports" / "report.en.html"
    link.symlink_to(sentinel)
    with pytest.raises(atomic.UnsafeOutput, match="is a symlink") as e:
        atomic.write_text(link, "overwritten")
    assert "\n" not in str(e.value)
    assert sentinel.read_text() == "sentinel\n" and link.is_symlink()
    assert list(sentinel.parent.iterdir()) == [sentinel]


def test_symlinked_folder_is_refused(repo):
    root, sentinel = repo
    (root / "reports" / "2019").symlink_to(sentinel.parent)
    with pytest.raises(atomic.UnsafeOutput, match="2019: is a symlink"):
        atomic.write_text(root / "reports" / "2019" / "report.en.html", "x")
    assert list(sentinel.parent.iterdir()) == [sentinel]  # no temp file either


@pytest.mark.parametrize("rel", ["../elsewhere/new", "reports/../../elsewhere/new"])
def test_outside_root_is_refused(repo, rel):
    root, sentinel = repo
    with pytest.raises(atomic.UnsafeOutput, match="outside the repository"):
        atomic.write_text(root / rel, "x")
    assert list(sentinel.parent.iterdir()) == [sentinel]


def test_root_from_environment(repo, monkeypatch):
    root, sentinel = repo
    atomic.confine(None)
    monkeypatch.setenv("JJJ_ROOT", str(root))
    with pytest.raises(atomic.UnsafeOutput, match="outside the repository"):
        atomic.write_text(sentinel, "x")


def test_without_root_a_final_symlink_is_still_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("JJJ_ROOT", raising=False)
    (tmp_path / "t").write_text("t")
    (tmp_path / "l").symlink_to(tmp_path / "t")
    with pytest.raises(atomic.UnsafeOutput, match="is a symlink"):
        atomic.write_text(tmp_path / "l", "x")
    assert (tmp_path / "t").read_text() == "t"
