"""The benchmarks are run by hand, never by the suite: what they import from the project, in
their code or in the commands they run (`python -c "from helpers… import …"`), must exist, so
a module moved or renamed fails here rather than twenty minutes into `make benchmark`."""

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
IMPORT = re.compile(r"from (helpers(?:\.\w+)*) import (\w+(?:, \w+)*)")


def _imports():
    for path in sorted(BENCHMARKS.glob("*.py")):
        for match in IMPORT.finditer(path.read_text(encoding="utf-8")):
            for name in match.group(2).split(", "):
                yield path.name, match.group(1), name


@pytest.mark.parametrize("file, module, name", sorted(set(_imports())))
def test_what_the_benchmarks_import_exists(file, module, name):
    mod = importlib.import_module(module)
    assert hasattr(mod, name) or importlib.util.find_spec(f"{module}.{name}"), (
        f"benchmarks/{file}: {module} has no {name}"
    )


def _attributes():
    """(file, module, attribute) for each `name.attr` or `wrap(name, "attr"` in a benchmark,
    where `name` is a helpers module it imports (`from helpers.x import name [as alias]`)."""
    alias = re.compile(r"from (helpers(?:\.\w+)*) import (\w+)(?: as (\w+))?")
    for path in sorted(BENCHMARKS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        modules = {}
        for m in alias.finditer(text):
            try:
                module = importlib.import_module(f"{m.group(1)}.{m.group(2)}")
            except ImportError:
                continue  # a function or class, not a module
            modules[m.group(3) or m.group(2)] = module.__name__
        for local, module in modules.items():
            used = [a for a in re.findall(rf"(?<![/\w.]){local}\.(\w+)", text) if a != "py"]
            used += re.findall(rf"wrap(?:_cm)?\({local}, \"(\w+)\"", text)
            for attr in used:
                yield path.name, module, attr


@pytest.mark.parametrize("file, module, attr", sorted(set(_attributes())))
def test_what_the_benchmarks_reach_in_project_modules_exists(file, module, attr):
    assert hasattr(importlib.import_module(module), attr), f"benchmarks/{file}: {module}.{attr}"
