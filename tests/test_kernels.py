"""The engine's kernels and subprocesses: their environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.engine import kernels


def test_children_write_bytecode_even_when_the_caller_says_not_to(tmp_path, monkeypatch):
    # Set-up compiles no bytecode: the first process to import a module must write it.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    (tmp_path / "jjj_probe.py").write_text("VALUE = 1\n", encoding="utf-8")
    env = kernels.child_env({"PYTHONPATH": str(tmp_path), "JJJ_X": "y"})
    assert "PYTHONDONTWRITEBYTECODE" not in env and env["JJJ_X"] == "y"
    subprocess.run([sys.executable, "-c", "import jjj_probe"], env=env, cwd=tmp_path, check=True)
    assert [p.name.split(".")[0] for p in (tmp_path / "__pycache__").iterdir()] == ["jjj_probe"]


def _notebook(*sources):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_notebook_imports_are_the_top_level_imports_of_code_cells():
    from helpers.engine import forking

    nb = _notebook(
        "import json, os.path as osp\nfrom helpers.publish import charts, prose",
        "%matplotlib inline\nimport never_seen",  # a magic: not Python, skipped
        "def f():\n    import inside_a_function\nfrom . import relative",
    )
    assert forking.notebook_imports(nb) == [
        "json", "os.path", "helpers.publish.charts", "helpers.publish.prose", "helpers.publish",
    ]  # fmt: skip


def test_a_builds_notebooks_imports_reach_its_first_kernel_template(tmp_path):
    """The pool's warm-up names every top-level import of the build's notebooks, read from
    their JSON (the build process does not import nbformat), once each; an unreadable
    notebook is left to its own task."""
    import nbformat

    from helpers.engine.runner import _imports
    from helpers.engine.tasks import Task

    a = _notebook("import json\nfrom helpers.publish import charts", "import os")
    b = _notebook("import json, csv")
    for name, nb in (("a.ipynb", a), ("b.ipynb", b)):
        nbformat.write(nb, tmp_path / name)
    (tmp_path / "bad.ipynb").write_text("{not json", encoding="utf-8")
    tasks = [Task(id=f"t{i}", kind="notebook", notebook=n, inputs=(), outputs=())
             for i, n in enumerate(["a.ipynb", "b.ipynb", "a.ipynb", "bad.ipynb"])]  # fmt: skip
    tasks.append(Task(id="x", kind="export", notebook="", inputs=(), outputs=()))
    assert _imports(tmp_path, tasks) == [
        "json", "helpers.publish.charts", "helpers.publish", "os", "csv",
    ]  # fmt: skip


@pytest.mark.slow
def test_forked_kernels_are_fresh_processes_and_share_nothing(tmp_path):
    # Each notebook runs on its own kernel process, forked from a template that has only
    # imported modules: what one notebook sets (a global, a module attribute) the next never sees.
    import nbformat

    from helpers.engine import forking, lifeline

    if not forking.enabled():
        pytest.skip("kernels are forked on Linux only")
    first = _notebook("import json, os\njson.LEAK = 1\nLEAK = 2\nprint(os.getpid(), os.getsid(0))")
    check = "import json, os\nprint(os.getpid(), hasattr(json, 'LEAK'), 'LEAK' in globals())"
    second = _notebook(check)
    (tmp_path / "a.ipynb").write_text(nbformat.writes(first), encoding="utf-8")
    (tmp_path / "b.ipynb").write_text(nbformat.writes(second), encoding="utf-8")
    before = set(lifeline.descendants(os.getpid()))  # a fork server of other tests may stay
    try:
        runs = [kernels.run_notebook(tmp_path / n) for n in ("a.ipynb", "b.ipynb", "b.ipynb")]
        assert forking._TEMPLATES, "the kernels were not forked from a template"
        pid, sid = runs[0].cells[0].outputs[0]["text"].split()
        assert pid == sid  # a session of its own: killpg reaches the kernel and its children
        seen = [r.cells[0].outputs[0]["text"].split() for r in runs[1:]]
        assert [s[1:] for s in seen] == [["False", "False"]] * 2
        assert len({pid, seen[0][0], seen[1][0]}) == 3  # three processes
    finally:
        kernels.shutdown_warm()
    assert not forking._TEMPLATES

    def ours():
        return lifeline.running(set(lifeline.descendants(os.getpid())) - before)

    deadline = time.monotonic() + 10
    while ours() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not {p: Path(f"/proc/{p}/cmdline").read_bytes()[:120] for p in ours()}


def test_a_kernel_ended_after_its_notebook_still_tells_its_template_what_it_imported(tmp_path):
    # Kernels are ended by SIGTERM, not shut down gracefully; on the way out they still list the
    # modules they imported, and the template imports those before it forks the next kernel.
    import nbformat

    from helpers.engine import forking

    if not forking.enabled():
        pytest.skip("kernels are forked on Linux only")
    probe = "import sys\nprint('tabnanny' in sys.modules)"
    first = _notebook(probe + "\nimport importlib\nimportlib.import_module('tabnanny')")
    (tmp_path / "a.ipynb").write_text(nbformat.writes(first), encoding="utf-8")
    (tmp_path / "b.ipynb").write_text(nbformat.writes(_notebook(probe)), encoding="utf-8")
    try:
        runs = [kernels.run_notebook(tmp_path / n) for n in ("a.ipynb", "b.ipynb")]
    finally:
        kernels.shutdown_warm()
    assert [r.cells[0].outputs[0]["text"].strip() for r in runs] == ["False", "True"]


def test_workers_skip_jsonschemas_iri_grammars():
    # Importing the worker module keeps jsonschema from compiling rfc3987 grammars (~2.5 s).
    code = "import sys, helpers.engine.worker; print(sys.modules['rfc3987_syntax'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux")
def test_kernels_are_forked_through_the_provisioner_without_package_metadata(tmp_path):
    """The provisioner is registered in code: no entry point in any package's metadata (a stale
    copy on PYTHONPATH once hid it, and every kernel failed with NoSuchKernel)."""
    from importlib.metadata import entry_points

    from helpers.engine import forking, kernels, provisioner

    assert provisioner.NAME not in entry_points(group=provisioner.GROUP).names
    km = kernels._start_kernel(str(tmp_path), {}, "python3")
    try:
        assert isinstance(km.provisioner, provisioner.ForkingProvisioner)
        assert isinstance(km.provisioner.process, forking.Forked) and km.is_alive()
    finally:
        km.shutdown_kernel(now=True)


def test_kernels_keep_no_input_history(tmp_path):
    """A build's kernels run without IPython's history database: nothing reads it back, and
    each cell would be written to it (and `In` still lists the cells)."""
    import nbformat

    nb = _notebook("print(get_ipython().history_manager.enabled, len(In))")
    nbformat.write(nb, tmp_path / "h.ipynb")
    out = kernels.run_notebook(tmp_path / "h.ipynb")
    assert out.cells[0].outputs[0]["text"] == "False 2\n"


def test_a_forked_child_leaves_its_parents_socket_folder_alone():
    # A child forked from a process that started kernels inherits its exit hooks; ending, it
    # removed the parent's socket folder, and the parent's next kernel could not start.
    folder = kernels._ipc_dir()
    pid = os.fork()
    if pid == 0:  # the child: its own folder for its kernels, then its exit clean-up
        own = kernels._ipc_dir()
        kernels.shutdown_warm()
        os._exit(0 if own != folder and not os.path.exists(own) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert os.path.isdir(folder) and kernels._ipc_dir() == folder
