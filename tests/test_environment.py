"""The lock file, environment.yml and pyproject.toml agree."""

import os
import re
import tomllib

import pytest
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
    start = bootstrap.index('if [ -x "$dir/bin/conda" ]')
    conda = bootstrap[start : bootstrap.index("\nelse\n", start)]
    installs = r'pip install .*--require-hashes .*-r "\$lock"\n\s*editable .*pip install'
    assert re.search(installs, conda), conda  # the lock again, then the project
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


# ------------------------------------------------------------------ set-up (make, bootstrap-env)

SETUP_FILES = ("Makefile", "pyproject.toml", "requirements.lock", "README.md", "scripts", "src")


def _project_copy(dst):
    """What `make venv` reads, copied (no .venv, no build state)."""
    import shutil

    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    dst.mkdir(parents=True, exist_ok=True)
    for name in SETUP_FILES:
        src = paths.ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=ignore)
        else:
            shutil.copy(src, dst / name)
    return dst


def _python(version: str):
    """An interpreter of `version` (e.g. "3.10") on this machine, or None."""
    import glob
    import shutil
    import subprocess

    found = [shutil.which(f"python{version}"), *sorted(glob.glob(
        f"{os.path.expanduser('~')}/.pyenv/versions/{version}.*/bin/python{version}"))]  # fmt: skip
    for exe in filter(None, found):
        out = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True)  # fmt: skip
        if out.returncode == 0 and out.stdout.strip() == version:
            return exe
    return None


def _make(root, *args, env=None):
    import subprocess

    return subprocess.run(["make", "-C", str(root), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)  # fmt: skip


def test_an_old_python_is_refused_at_once_in_one_line_and_leaves_nothing(tmp_path):
    old = _python("3.10")
    if old is None:
        pytest.skip("no Python 3.10 on this machine (pyenv or PATH) to refuse")
    root = _project_copy(tmp_path)
    done = _make(root, "venv", f"PYTHON={old}")
    assert done.returncode != 0
    ours = [ln for ln in done.stderr.splitlines() if not ln.startswith("make")]
    assert ours == [f"jjj-report needs Python 3.11 or newer; PYTHON={old} is "
                    f"{ours[0].split(' is ')[-1].split(':')[0]}: run make PYTHON=python3.11 "
                    "(or a path to any 3.11+)"], done.stderr  # fmt: skip
    assert " is 3.10." in ours[0]
    assert not (root / ".venv").exists()


@pytest.mark.slow  # a real set-up (uv, warm cache): ~10 s
def test_a_venv_made_with_an_old_python_is_made_again(tmp_path):
    import subprocess

    old = _python("3.10")
    if old is None:
        pytest.skip("no Python 3.10 on this machine (pyenv or PATH)")
    root = _project_copy(tmp_path)
    subprocess.run([old, "-m", "venv", str(root / ".venv")], check=True)  # the broken one
    done = _make(root, "venv", "PYTHON=python3")
    assert done.returncode == 0, done.stderr
    assert "made with Python 3.10" in done.stderr and "making it again" in done.stderr
    out = subprocess.run([root / ".venv/bin/jjj-report", "--version"], capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout.startswith("jjj-report ")


def _tiny_wheel(folder, version: str) -> str:
    """A wheel of a one-module package `tinydep` at `version` in `folder`; its pinned,
    hashed lock line."""
    import subprocess
    import sys

    from helpers.engine.state import file_sha256

    src = folder / f"tinydep-{version}"
    src.mkdir(parents=True)
    (src / "tinydep.py").write_text(f"__version__ = {version!r}\n")
    (src / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        f'[project]\nname = "tinydep"\nversion = "{version}"\n'
        '[tool.setuptools]\npy-modules = ["tinydep"]\n'
    )
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(folder / "wheels"), str(src)],
                   check=True, capture_output=True)  # fmt: skip
    wheel = next((folder / "wheels").glob(f"tinydep-{version}-*.whl"))
    return f"tinydep=={version} \\\n    --hash=sha256:{file_sha256(wheel)}\n"


@pytest.mark.slow  # installs into a stand-in for a conda environment: ~15 s
def test_a_changed_lock_is_installed_into_a_conda_environment(tmp_path):
    """No conda here: a venv with conda-meta/ is what bootstrap-env takes for one (the project's
    own packages made visible to it by a .pth); the lock pins a local wheel, offline."""
    import subprocess
    import sys
    import sysconfig

    root = _project_copy(tmp_path / "project")
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    (env_dir / "conda-meta").mkdir()
    site = next(env_dir.glob("lib/python3.*/site-packages"))
    (site / "project-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip_env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(tmp_path / "wheels"),
               "JJJ_ENV": str(env_dir)}  # fmt: skip

    def installed():
        out = subprocess.run([env_dir / "bin/python", "-c", "import tinydep, helpers; "
                              "print(tinydep.__version__, helpers.__file__)"],
                             capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout.split()

    for version in ("1.0", "2.0"):
        (root / "requirements.lock").write_text(_tiny_wheel(tmp_path, version))
        done = _make(root, "venv", env=pip_env)
        assert done.returncode == 0, done.stderr
        assert f"environment: {env_dir}" in done.stdout
        got, helpers_file = installed()
        assert got == version and helpers_file.startswith(str(root / "src"))


def test_make_lab_takes_a_port_and_jupyter_options():
    """`make -n` prints the command make would run: the port and options reach jupyter lab."""
    done = _make(paths.ROOT, "-n", "lab", "PORT=9999", "LAB_ARGS=--no-browser --ServerApp.token=")
    lab = [ln for ln in done.stdout.splitlines() if "jupyter lab" in ln]
    assert done.returncode == 0 and len(lab) == 1, done.stdout + done.stderr
    assert "--notebook-dir=notebooks --port=9999 --no-browser --ServerApp.token=" in lab[0]
    default = _make(paths.ROOT, "-n", "lab").stdout
    assert "--port=8888" in default and "--no-browser" not in default


@pytest.mark.slow  # a real set-up (uv, warm cache): ~10 s
def test_set_up_under_the_c_locale_in_a_path_with_spaces_and_chinese(tmp_path):
    """Python 3.11 reads .pth files in the locale's encoding (ASCII under LANG=C): the editable
    install's .pth once failed to be written (UnicodeEncodeError) for such a path."""
    import subprocess

    root = _project_copy(tmp_path / "a b" / "报告 项目")
    c = {"LANG": "C", "LC_ALL": "C"}
    done = _make(root, "venv", "PYTHON=python3", env=c)
    assert done.returncode == 0, done.stderr
    pth = next((root / ".venv").glob("lib/python3*/site-packages/__editable__*jjj_report*.pth"))
    assert pth.read_bytes().isascii()
    where = "import helpers; print(ascii(helpers.__file__))"
    out = subprocess.run([root / ".venv/bin/python", "-c", where], capture_output=True,
                         text=True, env={**os.environ, **c})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ascii(str(root / "src/helpers/__init__.py"))
    version = subprocess.run([root / ".venv/bin/jjj-report", "--version"], capture_output=True,
                             text=True, env={**os.environ, **c})  # fmt: skip
    assert version.returncode == 0 and version.stdout.startswith("jjj-report "), version.stderr


def test_distclean_removes_the_venv_but_never_a_conda_environment():
    conda = {"CONDA_DEFAULT_ENV": "jjj-report", "CONDA_PREFIX": "/opt/conda/envs/jjj-report"}
    cmds = _make(paths.ROOT, "-n", "distclean", env=conda).stdout
    assert "rm -rf .venv" in cmds and "rm -rf /opt/conda" not in cmds, cmds
    assert "kept /opt/conda/envs/jjj-report" in cmds


@pytest.mark.slow  # makes a venv, then pip fails: ~9 s
def test_a_set_up_that_fails_half_way_leaves_no_venv(tmp_path):
    """The lock cannot be installed (offline, a package nobody has): the .venv it started is
    removed, so the next `make` starts over instead of reusing a broken one."""
    root = _project_copy(tmp_path)
    (root / "requirements.lock").write_text(
        "no-such-package-jjj==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    )
    done = _make(root, "venv", "PYTHON=python3", env={"PIP_NO_INDEX": "1"})
    assert done.returncode != 0
    assert ".venv: removed (set-up failed)" in done.stderr, done.stderr
    assert not (root / ".venv").exists()
