"""Where tasks run: a local process pool, or a Dask scheduler's workers."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from helpers.engine.kernels import shutdown_warm
from helpers.engine.tasks import EngineError, one_line
from helpers.engine.worker import run_task, worker_init


def _signal(pid: int, sig: int) -> bool:
    """Send `sig` (0: only look); False once the process is gone."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with SIGHUP ignored (it ignores SIGINT and
    SIGTERM itself). A closed terminal's SIGHUP killed it; its replacement then printed a
    KeyError traceback for every semaphore the pool released."""
    import signal
    import threading
    from multiprocessing import resource_tracker

    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # inherited through its exec
    try:
        resource_tracker.ensure_running()
    finally:
        signal.signal(signal.SIGHUP, previous)


class LocalPool:
    def __init__(self, jobs: int, env: dict, sys_path: list[str], warm: tuple | None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers fork from a clean server process (no threads, locks or fds
        # inherited from this one); ~15 % faster than spawn here. The server imports only the
        # worker module: it lives as long as the build, and with papermill and jupyter_client
        # it held ~50 MB more that the workers import anyway, while their first kernel boots.
        method = os.environ.get("JJJ_MP_METHOD", "forkserver")
        # The fork server and workers get -B from this flag: let them write bytecode (see
        # kernels.child_env) so their imports are compiled once, not in every build.
        sys.dont_write_bytecode = False
        _start_resource_tracker()
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(["helpers.engine.worker"])
        # Each worker reports its PID here: abort() signals the workers themselves, and the
        # executor has no public list of its processes.
        self.pids = ctx.SimpleQueue()
        self.ex = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=worker_init,
            initargs=(env, sys_path, warm, self.pids, os.getpid()),
        )

        # Each running task is marked <pid>.task in this folder; a worker the broken pool ends
        # marks <pid>.ended: the marked task of a worker that did not is the one that died.
        self.markers = None
        if env.get("TMPDIR"):
            self.markers = tempfile.mkdtemp(prefix="workers-", dir=env["TMPDIR"])

    def submit(self, payload):
        return self.ex.submit(run_task, {**payload, "markers": self.markers})

    @staticmethod
    def wait(futures):
        from concurrent.futures import FIRST_COMPLETED, wait

        return wait(futures, return_when=FIRST_COMPLETED).done

    @staticmethod
    def broke(future) -> bool:
        """True when the future failed because a worker process died (the pool is broken)."""
        from concurrent.futures.process import BrokenProcessPool

        return future.done() and isinstance(future.exception(), BrokenProcessPool)

    def dead_workers(self) -> dict[str, int]:
        """{task id: PID} of the tasks whose worker died (not ended by the broken pool)."""
        if not self.markers:
            return {}
        # The broken pool ends the surviving workers (SIGTERM: they mark <pid>.ended) from its
        # own thread; read the marks only once it has, or a survivor's task looks dead too.
        self.ex.shutdown(wait=True)
        folder = Path(self.markers)
        out = {}
        for mark in folder.glob("*.task"):
            if not (folder / f"{mark.stem}.ended").exists():
                out[mark.read_text(encoding="utf-8")] = int(mark.stem)
        return out

    def abort(self, grace: float = 1.0):
        """Ctrl-C: interrupt running tasks, then end the workers (queued calls never start)."""
        import signal

        pids = set()
        while not self.pids.empty():
            pids.add(self.pids.get())
        self.ex.shutdown(wait=False, cancel_futures=True)
        for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
            pids = {pid for pid in pids if _signal(pid, sig)}
            deadline = time.monotonic() + grace
            while pids and time.monotonic() < deadline:
                time.sleep(0.05)
                pids = {pid for pid in pids if _signal(pid, 0)}

    def close(self):
        self.ex.shutdown(wait=True)
        if self.markers:
            shutil.rmtree(self.markers, ignore_errors=True)


def probe_scheduler(address: str, timeout: float) -> None:
    """EngineError unless a Dask scheduler answers Dask's handshake at `address` within
    `timeout` seconds, connection included. distributed's own connect waits for the reply
    to its handshake without a limit: a listener that accepts and never answers (an HTTP
    server waiting for a request line) hung the build for good, and one that answers in
    another protocol gave its bytes read as a frame length (MemoryError: 3.07 EiB)."""
    import asyncio

    from distributed.comm import connect

    async def hello():
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    where = f"cannot connect to the Dask scheduler at {address}"
    try:
        reply = asyncio.run(asyncio.wait_for(hello(), timeout))
    except TimeoutError:
        raise EngineError(f"{where}: no answer to Dask's handshake within {timeout:g} s "
                          "(is it a Dask scheduler?)") from None  # fmt: skip
    except OSError as e:
        raise EngineError(f"{where}: {type(e).__name__}: {one_line(e)}") from None
    except Exception:  # noqa: BLE001 — MemoryError, a bad frame: its bytes are not Dask's
        raise EngineError(f"{where}: it answered in another protocol, not Dask's") from None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        kind = reply.get("type") if isinstance(reply, dict) else type(reply).__name__
        raise EngineError(f"{where}: what answers there is not a Dask scheduler ({kind})")


class DaskPool:
    def __init__(self, address: str, timeout: float = 10.0, no_worker_grace: float = 30.0):
        try:
            from distributed import Client
        except ImportError:
            raise EngineError(
                f"a Dask scheduler ({address}) needs Dask: pip install 'dask[distributed]'"
            ) from None

        probe_scheduler(address, timeout)
        # A lost scheduler is reported once, as the build's failure: not also as Dask's own
        # log line "Failed to reconnect to scheduler…" and its tracebacks.
        logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
        self.address = address
        try:
            self.client = Client(address, timeout=timeout)
        except Exception as e:  # noqa: BLE001 — whatever the client says, in one line
            raise EngineError(
                f"cannot connect to the Dask scheduler at {address}: "
                f"{type(e).__name__}: {one_line(e)}"
            ) from None
        self.no_worker_grace = no_worker_grace

    def submit(self, payload):
        return self.client.submit(
            run_task,
            payload,
            pure=False,
            key=f"{payload['task']['id']}-{os.getpid()}-{time.monotonic_ns()}",
        )

    @staticmethod
    def broke(future) -> bool:  # Dask reschedules the tasks of a lost worker itself
        return False

    def wait(self, futures):
        """The finished futures; EngineError once the cluster has had no worker for a while
        (Dask would otherwise keep the tasks queued, and the build would wait forever)."""
        from distributed import wait

        alone_since = None
        while True:
            try:
                return wait(list(futures), timeout=2, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                pass
            except Exception as e:  # noqa: BLE001 — FuturesCancelledError, CommClosedError…
                raise self._lost(e) from None
            try:
                workers = self.client.scheduler_info().get("workers")
            except Exception as e:  # noqa: BLE001
                raise self._lost(e) from None
            if workers:
                alone_since = None
                continue
            alone_since = alone_since or time.monotonic()
            if time.monotonic() - alone_since > self.no_worker_grace:
                raise EngineError(
                    f"every Dask worker is gone (none for {self.no_worker_grace:g} s); "
                    f"{len(futures)} tasks were running — start workers and build again"
                )

    def _lost(self, e: Exception) -> EngineError:
        why = "lost the connection" if self.client.status != "running" else type(e).__name__
        return EngineError(
            f"the Dask scheduler at {self.address} was lost mid-build ({why}); "
            "outputs written so far are intact — start it and build again"
        )

    def abort(self):
        self.close()  # pending futures are released, the cluster's workers stay up

    def close(self):
        try:  # no idle kernel left on the workers after the build
            self.client.run(shutdown_warm)
        except Exception:  # noqa: BLE001 — best effort, the workers may be gone
            pass
        try:
            self.client.close(timeout=5)
        except Exception:  # noqa: BLE001 — the scheduler may be gone
            pass
