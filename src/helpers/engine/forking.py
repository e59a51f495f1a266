"""Kernels forked from a template (engine/kernel_template.py) instead of started from scratch.

A new kernel process costs an interpreter, ipykernel's imports and then the notebook's own
imports (pandas, matplotlib…): seconds of CPU per report, the same every time. Each process
keeps one template per (interpreter, folder, environment) that has imported ipykernel and
every module its notebooks import at top level, and forks one fresh kernel process per
notebook from it: a kernel still never sees another notebook's state, only modules already
imported. Linux only (fork after imports is unsafe on macOS); JJJ_FORK_KERNELS=0 turns it off.

Still worth it (2026-12-04, cold `jjj-report build --force`, all 58 tasks, on and off
alternated, CPU of the build and every descendant sampled from /proc): 88.8 and 87.7 CPU-s
forked, 110.2 and 100.9 not: 13–19 % less CPU; peak PSS 603–644 MB against 555–575 MB.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers.engine import lifeline

# Per process, for its whole life: a template pays its imports once for all later kernels.
_TEMPLATES: dict = {}  # key → Template
_PRELOAD: list[str] = []  # modules the notebooks of this process import, in first-seen order
_LOCK = threading.Lock()
_OPTS = ("-X", "-W", "-E", "-s", "-S", "-I", "-O", "-B", "-u")  # interpreter options kept as is
_BOOT = (  # sys.path[0] as `python -m` sets it for a kernel: its working folder
    "import os, runpy, sys; sys.path[0] = os.getcwd(); "
    "sys.argv[0] = {path!r}; runpy.run_path({path!r}, run_name='__main__')"
)


def enabled() -> bool:
    return sys.platform.startswith("linux") and os.environ.get("JJJ_FORK_KERNELS", "1") != "0"


def notebook_imports(nb) -> list[str]:
    """Modules a notebook imports at the top level of its code cells (`from a import b`:
    a.b, which may be a module, then a)."""
    return source_imports(cell.source for cell in nb.cells if cell.cell_type == "code")


def source_imports(sources) -> list[str]:
    """notebook_imports of code cells given by their sources."""
    names: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:  # IPython magics, shell escapes
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names += [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
    return list(dict.fromkeys(names))


def remember_imports(nb) -> None:
    """Templates of this process import these before forking their next kernel."""
    remember_modules(notebook_imports(nb))


def remember_modules(names) -> None:
    """As remember_imports, by module name: given before the first kernel, its template
    imports them before forking it, and no kernel imports them on its own."""
    with _LOCK:
        _PRELOAD.extend(n for n in names if n not in _PRELOAD)


class Forked:
    """A forked kernel, seen as jupyter_client sees a Popen (poll, wait, kill, signals). It is
    this process's child (adopted: this process is a subreaper), so it is waited for here."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: the status is lost
                self.returncode = -signal.SIGKILL
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    async def finish(self, grace: float = 1.0) -> None:
        """SIGTERM: the kernel notes what it imported (kernel_template) and exits without
        tearing its interpreter down; the SIGKILL that follows finds it gone, or ends it."""
        import asyncio

        self.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while self.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.002)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Template:
    def __init__(self, python: list[str], cwd: str, env: dict, private: str):
        path = Path(__file__).with_name("kernel_template.py")
        self.proc = subprocess.Popen(
            [*python, "-c", _BOOT.format(path=str(path)), private, "ipykernel.kernelapp"],
            cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, start_new_session=True,  # Ctrl-C is the worker's
        )  # fmt: skip

    def alive(self) -> bool:
        return self.proc.poll() is None

    def fork(self, module: str, args: list[str], env: dict) -> int:
        request = {"module": module, "args": args, "env": env, "preload": list(_PRELOAD)}
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            raise OSError(f"the kernel template ended (exit status {self.proc.poll()})")
        return int(line)

    def close(self) -> None:
        """Ends once its kernels have (they are shut down by their managers)."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def kill(self) -> None:
        if self.alive():
            self.proc.kill()


def launch(cmd: list[str], kw: dict, private: str) -> Forked | None:
    """Fork the kernel `cmd` (`python [-X…] -m module args…`) from its template; None: not
    forkable here (the caller starts it as usual)."""
    m = cmd.index("-m") if "-m" in cmd else 0
    # The template runs with the kernel's interpreter options (kernel.json: -Xfrozen_modules=off).
    if not enabled() or m < 1 or m + 1 >= len(cmd) or any(a[:2] not in _OPTS for a in cmd[1:m]):
        return None
    if not lifeline.adopt_orphans_once():
        return None
    if kw.get("stdout") is not subprocess.DEVNULL or kw.get("stderr") is not subprocess.DEVNULL:
        return None
    env, cwd = dict(kw.get("env") or os.environ), str(kw.get("cwd") or os.getcwd())
    # What the interpreter reads at start-up must match: the whole environment but the
    # parent's PID and the session name, which the child sets for itself.
    key = (
        tuple(cmd[:m]),
        cwd,
        tuple(sorted((k, v) for k, v in env.items() if not k.startswith("JPY_"))),
    )
    with _LOCK:
        template = _TEMPLATES.get(key)
        if template is None or not template.alive():
            template = _TEMPLATES[key] = Template(cmd[:m], cwd, env, private)
        try:
            pid = template.fork(cmd[m + 1], cmd[m + 2 :], env)
        except OSError:
            _TEMPLATES.pop(key, None)
            template.kill()
            return None
    return Forked(pid)


def close_templates(kill: bool = False) -> None:
    """At the end of a worker: templates end (killed outright from a signal handler)."""
    for template in list(_TEMPLATES.values()):
        template.kill() if kill else template.close()
    if not kill:
        _TEMPLATES.clear()
