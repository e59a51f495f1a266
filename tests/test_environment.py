"""The lock file, environment.yml and pyproject.toml agree."""

import re
import tomllib

import yaml

from helpers import paths


def _lock() -> dict[str, str]:
    text = (paths.ROOT / "requirements.lock").read_text()
    return dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", text, flags=re.M))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_is_pinned_with_hashes():
    lock = {_norm(k): v for k, v in _lock().items()}
    meta = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    deps = meta["dependencies"] + meta["optional-dependencies"]["dev"]
    for dep in deps:
        name = _norm(re.split(r"[\[<>=~! ]", dep, maxsplit=1)[0])
        assert name in lock, f"{name} not pinned in requirements.lock"
    text = (paths.ROOT / "requirements.lock").read_text()
    assert text.count("==") == text.count("\n    --hash=sha256:") or "--hash=sha256:" in text


def test_environment_yml_installs_the_lock_on_the_same_python():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-r requirements.lock" in pip
    # Any package environment.yml pins itself must carry the lock's version.
    lock = {_norm(k): v for k, v in _lock().items()}
    for d in deps:
        if isinstance(d, str) and "=" in d and not d.startswith("python"):
            name, ver = re.split(r"=+", d, maxsplit=1)
            if _norm(name) in lock:
                assert lock[_norm(name)] == ver, d


def test_lock_targets_the_projects_python():
    meta = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    assert meta["requires-python"] == ">=3.11"
    assert "--python-version 3.11" in (paths.ROOT / "Makefile").read_text()
