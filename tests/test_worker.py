"""The worker side of the engine: how a pool worker runs a task."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# Run in a child interpreter: a pool worker freezes its heap for good, which this test process
# must not do to itself.
_PROBE = textwrap.dedent(
    """
    import gc, json, sys
    import nbformat
    from helpers.engine import worker

    seen = {}

    def exporter(nb, out, *, fail):
        seen.setdefault("enabled", []).append(gc.isenabled())
        if fail:
            raise ValueError("export broke")
        out.write_text("ok", encoding="utf-8")

    sys.modules["jjj_probe"] = sys.modules[__name__]
    root = __import__("pathlib").Path(sys.argv[1])
    nbformat.write(nbformat.v4.new_notebook(), root / "in.ipynb")
    worker._POOL_WORKER["on"] = sys.argv[2] == "pool"
    results = []
    for fail in (True, False):
        task = {"id": f"export-{fail}", "kind": "export", "notebook": None,
                "parameters": {"fail": fail}, "inputs": ["in.ipynb"], "outputs": ["out.txt"],
                "deps": [], "after_failures": False}
        out = worker.run_task({"task": task, "root": str(root), "env": {},
                               "exporter": "jjj_probe:exporter"})
        results.append([out["status"], out["error"], gc.isenabled()])
    print(json.dumps({"during": seen["enabled"], "after": results,
                      "frozen": gc.get_freeze_count()}))
    """
)


def _probe(tmp_path, kind):
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(tmp_path), kind],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(proc.stdout.splitlines()[-1])


def test_a_pool_worker_exports_with_the_collector_paused_and_resumes_it_after(tmp_path):
    got = _probe(tmp_path, "pool")
    assert got["during"] == [False, False]
    # A failing export resumes the collector too, and the next task still runs.
    assert got["after"] == [
        ["failed", "ValueError: export broke", True],
        ["built", None, True],
    ]
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "ok"
    assert got["frozen"] > 0  # what the tasks left alive is no longer walked by the collector


def test_elsewhere_a_task_leaves_the_collector_and_the_heap_alone(tmp_path):
    # On a Dask worker the process is Dask's: the collector runs and nothing is frozen.
    got = _probe(tmp_path, "dask")
    assert got["during"] == [True, True]
    assert [r[2] for r in got["after"]] == [True, True]
    assert got["frozen"] == 0
