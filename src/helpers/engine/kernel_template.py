"""A kernel template: one Python process that imports ipykernel and the modules its kernels
imported, then forks a fresh kernel process for each request (engine.forking is its client).

Run as a script by its own path (`python -c` boot line in engine.forking), so a kernel never
imports the engine or anything of the project it did not ask for. Protocol, one line each way:
    → {"module": "ipykernel_launcher", "args": [...], "env": {...}, "preload": [...]}
    ← <pid of the new kernel>
The kernel is forked twice, so that it becomes the child of the template's owner (a
subreaper): the owner waits for it, signals it and sees it die as if it had started it, and
the kernel's parent is the worker, as with a kernel started the usual way. The template never
runs a notebook's code, only imports, so nothing of one report reaches the next. It ends when
its standard input closes.
"""

import importlib
import json
import os
import signal
import sys
import time

_DIR: list = []  # argv[1]: where ended kernels leave the list of modules they imported
_PER_KERNEL = {"matplotlib_inline", "ipykernel_launcher", "ipywidgets"}


def _learned() -> list[str]:
    """Modules the template's ended kernels imported (their .modules files, then removed)."""
    names = []
    for entry in os.scandir(_DIR[0]):
        if entry.name.endswith(".modules"):
            with open(entry.path) as f:
                names += f.read().split()
            os.unlink(entry.path)
    return names


def _preload(names) -> None:
    for name in names:
        # Modules that act on the running IPython shell when imported must be imported in
        # each kernel (matplotlib's inline backend registers its hooks then), and __main__.
        if name.split(".")[0] in _PER_KERNEL or name.startswith("__"):
            continue
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001 — the notebook reports its own import errors
                pass


def _become_kernel(request: dict, owner: int, middle: int, reply_fd: int) -> None:
    """In the forked grandchild: a new session, stdio on /dev/null, the kernel's environment."""
    import random
    import runpy

    os.setsid()  # its own process group, as jupyter_client starts kernels: killpg reaches it
    os.close(reply_fd)
    for sig in (signal.SIGINT, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, _on_term)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    while os.getppid() == middle:
        time.sleep(0.001)  # until adopted by the owner, which ipykernel then watches
    if os.getppid() != owner:  # the owner ended meanwhile: nobody would ever end this kernel
        os._exit(1)
    os.environ.clear()
    os.environ.update(request["env"], JPY_PARENT_PID=str(owner))  # as jupyter_client sets it
    random.seed()  # as a new process would be
    # ipykernel read JPY_PARENT_PID when the template imported it: say it again, so the
    # kernel ends with its owner (ipykernel polls its parent).
    sys.argv = [request["module"], *request["args"], f"--IPKernelApp.parent_handle={owner}"]
    code = 0
    try:
        runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        _note_modules()
    raise SystemExit(code)


def _on_term(*_) -> None:
    """SIGTERM (engine.forking.Forked.finish, once the notebook is done): say what was
    imported and leave at once, without tearing the interpreter down."""
    try:
        _note_modules()
    finally:
        os._exit(0)


def _note_modules() -> None:
    """What this kernel imported, for the template to import before the next fork."""
    path = os.path.join(_DIR[0], f"{os.getpid()}.modules")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(sys.modules))
    os.replace(path + ".tmp", path)


def _fork(request: dict, owner: int, reply_fd: int) -> int:
    """The new kernel's PID, once it is the owner's child (its first parent has ended)."""
    r, w = os.pipe()
    middle = os.fork()
    if middle == 0:
        os.close(r)
        me = os.getpid()
        kernel = os.fork()
        if kernel == 0:
            os.close(w)
            _become_kernel(request, owner, me, reply_fd)
        os.write(w, f"{kernel}\n".encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        pid = int(f.readline())
    os.waitpid(middle, 0)
    return pid


def main() -> None:
    owner = os.getppid()
    _DIR.append(sys.argv[1])
    reply_fd = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)  # imports' chatter must not reach the reply pipe
    os.dup2(null, 2)
    # As ipykernel does before any notebook code, so matplotlib imported here picks it too.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the worker's to handle
    _preload(sys.argv[2:])
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        request = json.loads(line)
        _preload([*request.get("preload", ()), *_learned()])
        pid = _fork(request, owner, reply_fd)
        os.write(reply_fd, f"{pid}\n".encode())


if __name__ == "__main__":
    main()
