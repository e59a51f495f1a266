"""The stages' arrows point down only, as one table says (ALLOWED); no module imports itself
back through others (no circles); analyze never opens data/raw. Checked on the source (ast):
imports at module level and inside functions, relative ones, and importlib.import_module /
__import__ of a literal name; each kind of violation is planted in a small fake package and
must be found."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

HELPERS = Path(__file__).parents[1] / "src" / "helpers"
ARCHITECTURE = Path(__file__).parents[1] / "docs" / "architecture.md"

# Stage → the stages it may import (its own modules always). A stage is a package under
# helpers (clean, analyze, publish, engine) or a top-level module; "helpers" is the package's
# __init__ (its version). Data flows clean → analyze → publish; the engine is generic and
# imports nothing of the project; the plan (pipeline) and the command line sit on top.
BASE = {"helpers", "errors", "paths"}
ALLOWED: dict[str, set[str]] = {
    "helpers": set(),
    "errors": set(),
    "paths": set(),
    "engine": set(),
    "clean": BASE | {"engine"},
    "analyze": BASE | {"clean"},
    "provenance": BASE | {"clean"},  # the colophon reads the manifest's sha256 values
    "publish": BASE | {"engine", "clean", "analyze", "provenance"},
    "lint": BASE | {"engine"},
    "pairs": BASE | {"engine", "lint"},
    "release": BASE | {"engine", "provenance"},
    "pipeline": BASE | {"engine", "clean", "analyze", "publish", "provenance", "lint", "pairs"},
    "preview": BASE | {"engine", "pairs", "pipeline"},
    "cli": BASE | {"engine", "clean", "pipeline", "preview"},
}
# Names through which a module reaches data/raw: the layout's raw paths and the raw readers.
RAW_NAMES = {"RAW", "SOURCES_MANIFEST"}
RAW_READERS = "helpers.clean.sources"


def modules(helpers: Path) -> dict[str, Path]:
    """{dotted name: file} of every module of the package rooted at `helpers`."""
    out = {}
    for path in sorted(helpers.rglob("*.py")):
        parts = (helpers.name, *path.relative_to(helpers).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _relative(level: int, name: str, package: str) -> str:
    """`from .name` (level 1) or `..name` as an absolute name, from inside `package`."""
    base = package.split(".")[: len(package.split(".")) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, name) of every import in `tree`: statements anywhere (module level, functions),
    relative ones resolved, and import_module / __import__ calls of a literal name. `from a
    import b` gives a.b: the module b, or the name b of module a."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _relative(node.level, node.module or "", package) if node.level else node.module
            found += [(node.lineno, base if a.name == "*" else f"{base}.{a.name}")
                      for a in node.names]  # fmt: skip
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            target = _literal(node.args[0]) if node.args else None
            if name in ("import_module", "__import__") and target:
                if target.startswith("."):  # import_module(".x", "helpers.clean")
                    anchor = _literal(node.args[1]) if len(node.args) > 1 else package
                    level = len(target) - len(target.lstrip("."))
                    target = _relative(level, target.lstrip("."), anchor or package)
                found.append((node.lineno, target))
    return found


def edges(helpers: Path) -> dict[str, dict[str, int]]:
    """{module: {project module it imports: first line}}: names resolved to the module they
    are (a.b when b is a module of a, else a)."""
    mods = modules(helpers)
    out: dict[str, dict[str, int]] = {}
    for module, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: dict[str, int] = {}
        for line, name in imported(tree, module, path.name == "__init__.py"):
            while name and name not in mods:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.setdefault(name, line)
        out[module] = targets
    return out


def _raw_uses(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    # Docstrings and comments may name data/raw ("never data/raw"); code may not.
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    found = [(n.lineno, n.attr) for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and n.attr in RAW_NAMES]  # fmt: skip
    found += [(n.lineno, repr(n.value)) for n in ast.walk(tree)
              if isinstance(n, ast.Constant) and isinstance(n.value, str)
              and "data/raw" in n.value and id(n) not in docs]  # fmt: skip
    found += [(line, m) for line, m in imported(tree, module, is_package)
              if m.rpartition(".")[2] in RAW_NAMES
              or m == RAW_READERS or m.startswith(f"{RAW_READERS}.")]  # fmt: skip
    return found


def violations(helpers: Path) -> list[str]:
    """One line per arrow the table does not allow (or a stage missing from it), and per
    use of data/raw in analyze, naming the file and line."""
    mods = modules(helpers)
    out = []
    for module, targets in edges(helpers).items():
        where = mods[module].relative_to(helpers.parent).as_posix()
        stage = _stage(module)
        if stage not in ALLOWED:
            out.append(f"{where}: stage {stage!r} is not in test_layers.ALLOWED")
            continue
        for target, line in targets.items():
            if _stage(target) not in ALLOWED[stage] | {stage}:
                out.append(f"{where}:{line}: {stage} imports {target}")
        if stage == "analyze":
            path = mods[module]
            uses = _raw_uses(ast.parse(path.read_text(encoding="utf-8")), module,
                             path.name == "__init__.py")  # fmt: skip
            out += [f"{where}:{line}: analyze reaches data/raw via {what}"
                    for line, what in sorted(set(uses))]  # fmt: skip
    return out


def cycles(helpers: Path) -> list[list[str]]:
    """Each circle of imports (lazy or not) as a path a → b → … → a, one per strongly
    connected group of modules (Tarjan's algorithm, iterative)."""
    graph = {m: sorted(t) for m, t in edges(helpers).items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(graph[child])))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(set(group))
    return [_loop(graph, sorted(g)[0], g) for g in groups]


def _loop(graph: dict[str, list[str]], start: str, group: set[str]) -> list[str]:
    """A shortest path start → … → start inside `group` (breadth first)."""
    came = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in graph[node]:
            if child == start:
                path = [node]
                while came[path[-1]] is not None:
                    path.append(came[path[-1]])
                return [*reversed(path), start]
            if child in group and child not in came:
                came[child] = node
                queue.append(child)
    return [start]


# ---------------------------------------------------------------------------- the real code


def test_arrows_point_down():
    assert violations(HELPERS) == []


def test_no_import_cycles():
    assert [" → ".join(c) for c in cycles(HELPERS)] == []


def test_the_table_names_only_stages_that_exist():
    stages = {_stage(m) for m in modules(HELPERS)}
    assert set(ALLOWED) == stages
    assert all(allowed <= stages for allowed in ALLOWED.values())


def documented(doc: str) -> set[str]:
    """The modules docs/architecture.md lists: `x.py` or `stage/x.py` at the start of a row of
    its "## Modules" table."""
    section = doc.split("\n## Modules", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([\w/]+\.py)` \|", section, flags=re.M))


def test_architecture_lists_every_module():
    """A module added, moved or removed must be described in docs/architecture.md too."""
    files = {p.relative_to(HELPERS).as_posix() for p in modules(HELPERS).values()}
    listed = documented(ARCHITECTURE.read_text(encoding="utf-8"))
    assert (sorted(files - listed), sorted(listed - files)) == ([], [])
    table = "\n## Modules\n| `a.py` | x |\n| `b/c.py` | y |\n## Tests\n| `d.py` | z |"
    assert documented(table) == {"a.py", "b/c.py"}


# ---------------------------------------------------------------- planted violations

FAKE = ("__init__", "paths", "errors", "clean/__init__", "clean/a", "clean/c",
        "analyze/__init__", "analyze/b", "publish/__init__", "publish/p",
        "engine/__init__", "engine/e")  # fmt: skip


def fake(tmp_path: Path, plants: dict[str, str]) -> Path:
    """A small package named helpers: empty modules, one per stage, and the planted code."""
    helpers = tmp_path / "helpers"
    for name in FAKE:
        (helpers / f"{name}.py").parent.mkdir(parents=True, exist_ok=True)
        (helpers / f"{name}.py").write_text("", encoding="utf-8")
    for rel, code in plants.items():
        (helpers / rel).write_text(code, encoding="utf-8")
    return helpers


def test_the_fake_package_passes(tmp_path):
    helpers = fake(tmp_path, {"analyze/b.py": "from helpers.clean import a\nfrom . import b\n",
                              "publish/p.py": "import helpers.analyze.b\n"})  # fmt: skip
    assert violations(helpers) == [] and cycles(helpers) == []


PLANTED = {
    "module level": ("clean/a.py", "\nfrom helpers.publish import p\n",
                     "helpers/clean/a.py:2: clean imports helpers.publish.p"),
    "module level, import": ("clean/a.py", "import helpers.analyze.b\n",
                             "helpers/clean/a.py:1: clean imports helpers.analyze.b"),
    "in a function": ("analyze/b.py", "def f():\n    from helpers.publish.p import x\n",
                      "helpers/analyze/b.py:2: analyze imports helpers.publish.p"),
    "relative": ("clean/a.py", "from ..analyze import b\n",
                 "helpers/clean/a.py:1: clean imports helpers.analyze.b"),
    "relative, in a package": ("clean/__init__.py", "from ..publish.p import x\n",
                               "helpers/clean/__init__.py:1: clean imports helpers.publish.p"),
    "importlib": ("engine/e.py", "import importlib\nM = importlib.import_module('helpers.paths')\n",
                  "helpers/engine/e.py:2: engine imports helpers.paths"),
    "import_module, relative": (
        "engine/e.py", "from importlib import import_module\n"
        "M = import_module('..clean.a', 'helpers.engine')\n",
        "helpers/engine/e.py:2: engine imports helpers.clean.a"),
    "__import__": ("analyze/b.py", "def f():\n    return __import__('helpers.publish.p')\n",
                   "helpers/analyze/b.py:2: analyze imports helpers.publish.p"),
    "a stage not in the table": ("extras.py", "",
                                 "helpers/extras.py: stage 'extras' is not in test_layers.ALLOWED"),
    "analyze reads data/raw": ("analyze/b.py", "from helpers import paths\nX = paths.RAW / 'x'\n",
                               "helpers/analyze/b.py:2: analyze reaches data/raw via RAW"),
    "analyze names data/raw": ("analyze/b.py", "X = open('data/raw/sources.yml')\n",
                               "helpers/analyze/b.py:1: analyze reaches data/raw via "
                               "'data/raw/sources.yml'"),
}  # fmt: skip


@pytest.mark.parametrize("kind", PLANTED)
def test_a_planted_violation_is_found(tmp_path, kind):
    rel, code, said = PLANTED[kind]
    assert violations(fake(tmp_path, {rel: code})) == [said]


@pytest.mark.parametrize(
    "plants",
    [
        {"clean/a.py": "from helpers.clean import c\n", "clean/c.py": "import helpers.clean.a\n"},
        # lazy and relative: a circle all the same
        {"clean/a.py": "def f():\n    from . import c\n", "clean/c.py": "from .a import x\n"},
        {
            "clean/a.py": "import importlib\nM = importlib.import_module('helpers.clean.c')\n",
            "clean/c.py": "from helpers.analyze import b\n",
            "analyze/b.py": "def f():\n    from helpers.clean import a\n",
        },
    ],
)
def test_a_planted_cycle_is_found(tmp_path, plants):
    (loop,) = cycles(fake(tmp_path, plants))
    assert loop[0] == loop[-1] and len(loop) == len(plants) + 1
    assert set(loop) == {f"helpers.{p[:-3].replace('/', '.')}" for p in plants}
