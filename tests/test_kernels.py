"""The engine's kernels and subprocesses: their environment."""

from __future__ import annotations

import subprocess
import sys

from helpers.engine import kernels


def test_children_write_bytecode_even_when_the_caller_says_not_to(tmp_path, monkeypatch):
    # Set-up compiles no bytecode: the first process to import a module must write it.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    (tmp_path / "jjj_probe.py").write_text("VALUE = 1\n", encoding="utf-8")
    env = kernels.child_env({"PYTHONPATH": str(tmp_path), "JJJ_X": "y"})
    assert "PYTHONDONTWRITEBYTECODE" not in env and env["JJJ_X"] == "y"
    subprocess.run([sys.executable, "-c", "import jjj_probe"], env=env, cwd=tmp_path, check=True)
    assert [p.name.split(".")[0] for p in (tmp_path / "__pycache__").iterdir()] == ["jjj_probe"]
