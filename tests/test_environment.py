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
    extras = meta["optional-dependencies"]
    deps = meta["dependencies"] + extras["dev"] + extras["dask"]
    for dep in deps:
        name = _norm(re.split(r"[\[<>=~! ]", dep, maxsplit=1)[0])
        assert name in lock, f"{name} not pinned in requirements.lock"
    # Each pinned requirement is a block "name==version [; marker] \" then its hash lines.
    text = (paths.ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    unhashed = [b.split()[0] for b in blocks if "--hash=sha256:" not in b]
    assert len(blocks) == len(lock) and not unhashed, unhashed


def test_lock_is_universal():
    """One lock for Linux, macOS and Windows: platform-only packages carry their markers."""
    text = (paths.ROOT / "requirements.lock").read_text()
    assert re.search(r"^appnope==\S+ ; sys_platform == 'darwin'", text, flags=re.M)
    assert re.search(r"^colorama==\S+ ; sys_platform == 'win32'", text, flags=re.M)
    assert "--universal" in (paths.ROOT / "Makefile").read_text()


def test_environment_yml_installs_the_lock_on_the_same_python():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-r requirements.lock" in pip
    # Not "-e .": in the same pip call as the hashed lock, pip refuses an editable directory
    # ("cannot be installed when requiring hashes"); make installs it into the conda env.
    assert not any(r.startswith("-e") for r in pip)
    bootstrap = (paths.ROOT / "scripts" / "bootstrap-env").read_text()
    assert re.search(r"conda-meta.*\n.*pip install .*--no-deps .*-e \.", bootstrap), bootstrap
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
