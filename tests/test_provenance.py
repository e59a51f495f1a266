"""helpers.provenance and the export tasks: a colophon never tells a stale story."""

import shutil
import subprocess

from helpers import paths, pipeline, provenance
from helpers.engine import state as st


def _git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_commit_is_marked_while_the_tree_is_dirty_and_unmarked_once_clean(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.txt").write_text("a\n")
    _git(tmp_path, "add", "a.txt")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a")
    clean = provenance.git_commit(tmp_path)
    assert "uncommitted" not in clean and len(clean) == 12
    (tmp_path / "a.txt").write_text("b\n")
    assert provenance.git_commit(tmp_path) == f"{clean} (with uncommitted changes)"
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "b")
    assert "uncommitted" not in provenance.git_commit(tmp_path)


def test_every_export_reads_the_manifest_and_the_commit():
    tasks = pipeline.plan([2014, 2025], ["zh", "en"])
    exports = [t for t in tasks if t.kind == "export"]
    assert len(exports) == 6
    for t in exports:
        assert "data/raw/sources.yml" in t.inputs
        assert t.parameters["commit"] == provenance.head_commit(paths.ROOT)


def test_an_edit_leaves_every_export_defined_as_before_and_marks_the_colophon(tmp_path):
    """An uncommitted edit (a layout map) changes no export's definition: the plan carries
    the commit, the exporter adds the mark when it runs."""
    for d in ("data/raw", "notebooks"):
        shutil.copytree(paths.ROOT / d, tmp_path / d)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a")

    def exports():
        tasks = pipeline.plan([2019], ["en"], root=tmp_path)
        return {t.id: t for t in tasks if t.kind == "export"}

    before = exports()
    layout = next((tmp_path / "data/raw/layout").glob("*.yml"))
    layout.write_text(layout.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert exports() == before
    commit = before["export-2019-en"].parameters["commit"]
    assert len(commit) == 12 and provenance.git_commit(tmp_path) == commit + provenance.DIRTY
    assert provenance.mark_uncommitted(commit, tmp_path) == commit + provenance.DIRTY
    assert provenance.mark_uncommitted("unknown", tmp_path.parent) == "unknown"  # not git


def test_a_change_to_2025_inputs_alone_rebuilds_the_2014_export(tmp_path):
    """corroborating.yml feeds only the 2025 report, but its sha256 is in every colophon."""
    for d in ("data/raw", "notebooks"):
        shutil.copytree(paths.ROOT / d, tmp_path / d)
    plan = {t.id: t for t in pipeline.plan([2014], ["en"], root=tmp_path)}
    export = plan["export-2014-en"]
    before = st.task_key(export, tmp_path, {}, "code", st.Hasher(), {})
    manifest = tmp_path / "data/raw/sources.yml"
    manifest.write_text(manifest.read_text() + "# edited\n")
    after = st.task_key(export, tmp_path, {}, "code", st.Hasher(), {})
    assert before != after
