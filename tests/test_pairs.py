"""helpers.pairs: a notebook and its py:percent half are one input of the build."""

import os
import shutil
from pathlib import Path

import pytest

from helpers import pairs

PAIR_PY = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
year = 2019

# %%
x = 1
"""


def test_a_notebook_pair_is_one_input(tmp_path):
    """Edit only the .py: the build syncs the .ipynb (newer wins) and says so; a pair that
    cannot be synced stops the build with one line naming the file and the command."""
    from jupytext.cli import jupytext as jupytext_cli

    from helpers.errors import JJJError

    root, name = tmp_path, "notebooks/x.ipynb"
    (root / "notebooks").mkdir()
    shutil.copy(Path(__file__).parents[1] / "jupytext.toml", root)
    nb, py = root / name, root / "notebooks/x.py"
    py.write_text(PAIR_PY)
    jupytext_cli(["--sync", "--quiet", str(py)])
    state = root / "build"
    assert pairs.sync_pairs([name], root, state) == []

    def later(path, text):
        path.write_text(text)
        t = nb.stat().st_mtime + 10
        os.utime(path, (t, t))

    later(py, PAIR_PY.replace("x = 1", "x = 2"))
    assert pairs.sync_pairs([name], root, state, dry=True) == [
        f"{name}: out of sync with x.py; the build syncs it from the newer x.py"
    ]
    assert "x = 1" in nb.read_text()  # a dry run changes nothing
    assert pairs.sync_pairs([name], root, state) == [
        f"{name}: out of sync with x.py; synced from the newer x.py"
    ]
    assert "x = 2" in nb.read_text() and '"outputs": []' in nb.read_text()
    assert pairs.sync_pairs([name], root, state) == []  # in sync now, remembered

    later(nb, "{ not a notebook")
    with pytest.raises(JJJError) as e:
        pairs.sync_pairs([name], root, state)
    msg = str(e.value)
    assert msg.startswith(f"{name}: out of sync with x.py") and "\n" not in msg
    assert msg.endswith(f"run `jupytext --sync {name}`, check the result, and build again")
