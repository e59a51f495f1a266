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
