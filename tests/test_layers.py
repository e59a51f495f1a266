"""The stages' arrows point down only: clean never imports publish, analyze never opens
data/raw, the engine imports nothing of the project. Checked on the source (ast), and shown
to fail on planted violations."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

HELPERS = Path(__file__).parents[1] / "src" / "helpers"
# Names through which a module reaches data/raw: the layout's raw paths and the raw readers.
RAW_NAMES = {"RAW", "SOURCES_MANIFEST", "helpers.clean.sources"}


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import, including those inside functions."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def _raw_uses(tree: ast.AST) -> list[tuple[int, str]]:
    # Docstrings and comments may name data/raw ("never data/raw"); code may not.
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    found = [(n.lineno, n.attr) for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and n.attr in RAW_NAMES]  # fmt: skip
    found += [(n.lineno, repr(n.value)) for n in ast.walk(tree)
              if isinstance(n, ast.Constant) and isinstance(n.value, str)
              and "data/raw" in n.value and id(n) not in docs]  # fmt: skip
    found += [(line, m) for line, m in _imports(tree) if m in RAW_NAMES or m.endswith(".RAW")]
    return found


def violations(helpers: Path) -> list[str]:
    """One line per arrow pointing the wrong way, naming the file and line."""
    out: dict[tuple[str, int], str] = {}  # `from a import b` is seen as a and a.b: one each
    for path in sorted(helpers.rglob("*.py")):
        stage = path.relative_to(helpers).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(helpers.parent).as_posix()
        for line, mod in _imports(tree):
            if stage == "clean" and mod.startswith("helpers.publish"):
                out.setdefault((where, line), f"{where}:{line}: clean imports {mod}")
            if (
                stage == "engine"
                and mod.startswith("helpers")
                and not mod.startswith("helpers.engine")
            ):
                out.setdefault((where, line), f"{where}:{line}: engine imports {mod}")
        if stage == "analyze":
            for line, what in _raw_uses(tree):
                out.setdefault(
                    (where, line), f"{where}:{line}: analyze reaches data/raw via {what}"
                )
    return list(out.values())


def test_arrows_point_down():
    assert violations(HELPERS) == []


def test_the_check_fails_on_planted_violations(tmp_path):
    helpers = tmp_path / "helpers"
    shutil.copytree(HELPERS, helpers, ignore=shutil.ignore_patterns("__pycache__"))
    plants = {
        "clean/tables.py": "from helpers.publish import render\n",
        "analyze/years.py": "from helpers import paths\nRAW = open(paths.RAW / 'x.txt')\n",
        "analyze/outcomes.py": "TEXT = open('data/raw/sources.yml').read()\n",
        "engine/state.py": "def f():\n    import helpers.paths\n",
    }
    for rel, code in plants.items():
        with open(helpers / rel, "a", encoding="utf-8") as f:
            f.write(code)
    found = violations(helpers)
    assert len(found) == 4, found
    assert any(v.startswith("helpers/clean/tables.py:") and "helpers.publish" in v for v in found)
    assert any(v.startswith("helpers/analyze/years.py:") and "via RAW" in v for v in found)
    assert any("analyze/outcomes.py" in v and "data/raw" in v for v in found)
    assert any(v.startswith("helpers/engine/state.py:") and "helpers.paths" in v for v in found)
