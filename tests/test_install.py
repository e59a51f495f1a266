"""Installed as a library (`pip install .`, not editable): the package finds the project it is
run in and has every module the build imports."""

import subprocess
import sys

import pytest
from conftest import copy_repo

from helpers import paths


@pytest.mark.slow  # builds a wheel and runs a dry-run build from it
def test_a_plain_install_finds_the_project_from_its_folder(tmp_path):
    wheel_dir, site = tmp_path / "wheel", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheel_dir),
                    str(paths.ROOT)], check=True, capture_output=True)  # fmt: skip
    (wheel,) = wheel_dir.glob("jjj_report-*.whl")
    import zipfile

    shipped = set(zipfile.ZipFile(wheel).namelist())
    templates = paths.ROOT / "src/helpers/publish/templates"
    wanted = {f"helpers/{p.relative_to(templates.parents[1]).as_posix()}"
              for p in templates.rglob("*") if p.is_file()}  # fmt: skip
    assert wanted and wanted <= shipped, sorted(wanted - shipped)
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)  # fmt: skip
    project = copy_repo(tmp_path / "project")
    (project / "src").rename(tmp_path / "src-unused")  # nothing of the checkout's code is used
    code = (
        "import helpers, helpers.paths as p, importlib.metadata as m;"
        "print(helpers.__file__); print(p.ROOT);"
        "print(any(r.startswith('jupytext') and 'extra' not in r"
        " for r in m.requires('jjj-report')))"
    )
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=project / "notebooks", env=env,
                         capture_output=True, text=True, check=True).stdout.split("\n")  # fmt: skip
    assert out[0].startswith(str(site)), out  # the wheel's package, not the editable one
    assert out[1] == str(project) and out[2] == "True", out
    dry = subprocess.run([sys.executable, "-m", "helpers.cli", "build", "--years", "2019",
                          "--lang", "en", "--dry-run"], cwd=project, env=env,
                         capture_output=True, text=True)  # fmt: skip
    assert dry.returncode == 0 and "export-2019-en" in dry.stdout, dry.stdout + dry.stderr
