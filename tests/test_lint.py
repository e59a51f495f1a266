"""helpers.lint: notebooks stripped and paired, big files and conflict markers, exit codes."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers import lint, paths
from helpers.clean import schema

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
DICTIONARY = paths.ROOT / "docs" / "data-dictionary.md"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers.lint", *args], capture_output=True, text=True, timeout=60
    )


def _copy(root: Path, notebooks: list[Path]) -> Path:
    (root / "notebooks").mkdir()
    for nb in notebooks:
        for f in (nb, nb.with_suffix(".py")):
            shutil.copy2(f, root / "notebooks" / f.name)
    shutil.copy2(paths.ROOT / "jupytext.toml", root / "jupytext.toml")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal project: copies of the real notebook pairs and jupytext.toml, nothing else."""
    return _copy(tmp_path, NOTEBOOKS)


@pytest.fixture
def one_pair(tmp_path: Path) -> Path:
    """The same with the first pair only, the one a test edits: the other pairs would only
    repeat test_committed_notebooks_are_paired_and_in_sync, at about a second per check."""
    return _copy(tmp_path, NOTEBOOKS[:1])


def _first(project: Path) -> Path:
    return sorted((project / "notebooks").glob("*.ipynb"))[0]


def _add_output(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.9"}
    cell.metadata["ExecuteTime"] = {"start_time": "2024-04-19T10:00:00Z"}
    nbformat.write(nb, path)


# ---------------------------------------------------------------------- the real notebooks


def test_repo_has_notebooks():
    assert [p.stem for p in NOTEBOOKS][:3] == [
        "01_clean_source_figures",
        "02_ten_year_outcomes",
        "03_year_report",
    ]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_stripped(nb):
    assert lint.strip_problems(nb) == []


def test_committed_notebooks_are_paired_and_in_sync():
    assert lint.pair_problems(paths.ROOT) == []


def test_repo_has_no_big_file_or_conflict_marker():
    files = lint.git_files(paths.ROOT)
    assert files, "git ls-files found nothing"
    assert lint.large_files(files) == []
    assert lint.conflict_markers(files) == []


# ----------------------------------------------------------------------------- fixtures


def test_clean_copy_has_no_findings(project):
    assert lint.check(project, with_ruff=False) == []


def test_outputs_are_flagged_by_file_name(one_pair):
    nb = _first(one_pair)
    _add_output(nb)
    found = lint.strip_problems(nb, one_pair)
    name = f"notebooks/{nb.name}"
    assert any(p.startswith(f"{name}: outputs in 1 cell(s)") for p in found), found
    assert any(p.startswith(f"{name}: execution counts") for p in found), found
    vol = [p for p in found if "volatile metadata" in p]
    assert vol and "metadata.language_info" in vol[0] and "cell.metadata.ExecuteTime" in vol[0]
    # outputs do not make the pair out of sync: jupytext compares inputs only
    assert lint.pair_problems(one_pair) == []


def test_out_of_sync_pair_is_flagged(one_pair):
    py = _first(one_pair).with_suffix(".py")
    py.write_text(py.read_text(encoding="utf-8") + "\n# %%\nx = 1\n", encoding="utf-8")
    found = lint.pair_problems(one_pair)
    assert len(found) == 1
    assert found[0].startswith(f"notebooks/{py.stem}.ipynb: out of sync with notebooks/{py.name}")
    assert "cells vs" in found[0]


def test_changed_source_is_flagged_with_its_cell(one_pair):
    py = _first(one_pair).with_suffix(".py")
    text = py.read_text(encoding="utf-8")
    edited = re.sub(r"(# %% tags=\[\"parameters\"\]\n)", r"\1changed = True\n", text, count=1)
    assert edited != text
    py.write_text(edited, encoding="utf-8")
    (found,) = lint.pair_problems(one_pair)
    assert re.search(r"cell \d+ `[^`]+`: source differs", found), found


def test_metadata_the_sync_hook_would_rewrite_is_flagged(one_pair):
    # The cells agree, but the .ipynb lacks the metadata filter jupytext --sync writes back:
    # the pre-commit hook would change the file on a clean clone.
    nb_path = _first(one_pair)
    nb = nbformat.read(nb_path, as_version=4)
    nb.metadata["jupytext"].pop("notebook_metadata_filter", None)
    nbformat.write(nb, nb_path)
    assert lint.pair_problems(one_pair) == [
        f"notebooks/{nb_path.name}: `jupytext --sync` would rewrite it; {lint.FIX_HINT}"
    ]


def test_missing_pair_is_flagged(one_pair):
    nb = _first(one_pair)
    nb.with_suffix(".py").unlink()
    assert lint.pair_problems(one_pair) == [
        f"notebooks/{nb.name}: no paired notebooks/{nb.stem}.py; {lint.FIX_HINT}"
    ]


def test_big_file_and_font_are_flagged(tmp_path):
    big = tmp_path / "data.bin"
    big.write_bytes(b"\0" * (lint.MAX_BYTES + 1))
    small = tmp_path / "ok.txt"
    small.write_text("fine\n")
    font = tmp_path / "NotoSansCJKsc-Regular.otf"
    font.write_bytes(b"OTTO")
    found = lint.large_files([big, small, font], tmp_path)
    assert len(found) == 2
    assert found[0].startswith("data.bin: 1.0 MB, over the 1 MB limit")
    assert found[1].startswith("NotoSansCJKsc-Regular.otf: a font file")


def test_conflict_marker_is_flagged(tmp_path):
    bad = tmp_path / "figures.yml"
    bad.write_text("a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> other\n", encoding="utf-8")
    heading = tmp_path / "notes.md"
    heading.write_text("Title\n=======\n\ntext\n", encoding="utf-8")  # a setext heading
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\0<<<<<<< HEAD\n")
    assert lint.conflict_markers([bad, heading, binary], tmp_path) == [
        "figures.yml:2: merge-conflict marker '<<<<<<<'"
    ]


def test_strip_then_clean(one_pair):
    nb = _first(one_pair)
    _add_output(nb)
    assert lint.strip(nb) is True
    assert lint.strip(nb) is False  # idempotent: a clean notebook is not rewritten
    assert lint.strip_problems(nb, one_pair) == []
    assert lint.pair_problems(one_pair) == []


# ---------------------------------------------------------------------------------- CLI


@pytest.mark.slow  # runs the lint command (ruff, jupytext) in subprocesses
def test_cli_exit_codes(project):
    root = ["--root", str(project), "--no-ruff"]
    ok = _run(*root)
    assert (ok.returncode, ok.stdout) == (0, ""), ok.stderr
    nb = _first(project)
    _add_output(nb)
    bad = _run(*root)
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert lines and all(ln.startswith(f"notebooks/{nb.name}: ") for ln in lines), lines
    fixed = _run(*root, "--fix")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"notebooks/{nb.name}: stripped" in fixed.stdout
    assert lint.strip_problems(nb, project) == []


@pytest.mark.slow  # runs the lint command (ruff, jupytext) in subprocesses
def test_cli_fix_syncs_an_edited_py(project):
    nb = _first(project)
    py = nb.with_suffix(".py")
    py.write_text(py.read_text(encoding="utf-8") + "\n# %%\nx = 1\n", encoding="utf-8")
    assert _run("--root", str(project), "--no-ruff", "--fix").returncode == 0
    cells = nbformat.read(nb, as_version=4).cells
    assert cells[-1].source == "x = 1"  # the .py was newer: its edit reached the .ipynb


def test_cli_file_subcommands(tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (lint.MAX_BYTES + 10))
    ok = tmp_path / "ok.py"
    ok.write_text("x = 1\n")
    r = _run("--root", str(tmp_path), "large-files", str(big), str(ok))
    assert (r.returncode, r.stdout.split(":")[0]) == (1, "big.bin")
    assert _run("--root", str(tmp_path), "large-files", str(ok)).returncode == 0
    ok.write_text(">>>>>>> theirs\n")
    r = _run("--root", str(tmp_path), "conflicts", str(ok))
    assert (r.returncode, r.stdout.strip()) == (1, "ok.py:1: merge-conflict marker '>>>>>>>'")


def test_a_long_function_needs_a_reason(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text(f'def short():\n    """Doc."""\n    return 1\n\n'
                              f'def long():\n    """Doc."""\n{body}\n'
                              f'def told():\n    """Doc."""\n    # long: one table\n{body}\n'
                              f'# long: a table, read top to bottom\n@staticmethod\n'
                              f'def above():\n{body}')  # fmt: skip
    assert lint.long_functions(tmp_path) == [
        "src/a.py:5: long is 62 lines, over 60: split it, or say why in a `# long:` comment"
    ]


def test_repo_has_no_long_function_without_a_reason():
    assert lint.long_functions() == []


def test_ruff_findings_name_the_file(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.py").write_text("import os\nx=1\n")
    found = lint.ruff(tmp_path)
    assert any(p.startswith("src/bad.py:1:") and "F401" in p for p in found), found
    assert "src/bad.py: would be reformatted (ruff format)" in found


def test_ruff_reads_the_notebooks_code_cells_with_the_projects_rules(tmp_path):
    """The py:percent half is linted (its .ipynb is not); prose lines and late imports pass."""
    import shutil

    shutil.copy(paths.ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "notebooks").mkdir()
    prose = "# " + "一个很长的句子，" * 30
    (tmp_path / "notebooks" / "n.py").write_text(
        f"# %% [markdown]\n{prose}\n\n# %%\nx = 1\n\n# %%\nimport os\n\nprint(x)\n"
    )
    found = lint.ruff(tmp_path)
    assert found == ["notebooks/n.py:8:8: F401 [*] `os` imported but unused"], found
    assert lint.ruff(paths.ROOT) == []  # the project's own notebooks pass


# ------------------------------------------------------------------------------- docs


@pytest.mark.parametrize(
    "sch",
    [schema.FIGURES, schema.EVENTS, schema.CITATIONS, schema.RECONCILIATION, schema.CONFLICTS],
    ids=lambda s: s.name,
)
def test_data_dictionary_names_every_column(sch):
    text = DICTIONARY.read_text(encoding="utf-8")
    missing = [c for c in sch.names if f"`{c}`" not in text]
    assert not missing, f"{DICTIONARY.name}: {sch.name} column(s) not described: {missing}"


def test_data_dictionary_names_candidate_columns():
    from helpers.clean.codebook import CANDIDATE_COLUMNS

    text = DICTIONARY.read_text(encoding="utf-8")
    assert [c for c in CANDIDATE_COLUMNS if f"`{c}`" not in text] == []


@pytest.mark.parametrize("name", ["02_ten_year_outcomes", "03_year_report"])
def test_a_report_notebook_says_first_which_command_gives_the_report(name):
    """Run with plain papermill + nbconvert the notebook is a template; its first cell (shown
    by nbconvert, removed from the report) and the README say so and name the command."""
    import nbformat

    nb = nbformat.read(paths.ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "remove-cell" in first.metadata.get("tags", [])
    assert "This notebook is not the report" in first.source
    assert ".venv/bin/jjj-report build" in first.source and "{{ name }}" in first.source
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "papermill" in readme and "not the report" in readme
