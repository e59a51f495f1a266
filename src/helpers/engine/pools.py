"""Where tasks run: a local process pool, or a Dask scheduler's workers."""

from __future__ import annotations

import os
import time

from helpers.engine.worker import run_task, worker_init


class LocalPool:
    def __init__(self, jobs: int, env: dict, sys_path: list[str], warm: tuple | None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers fork from a clean server process that imported papermill once
        # (no threads, locks or fds inherited from this one); ~15 % faster than spawn here.
        method = os.environ.get("JJJ_MP_METHOD", "forkserver")
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(
                ["helpers.engine.worker", "papermill.engines", "jupyter_client"]
            )
        self.ex = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=worker_init,
            initargs=(env, sys_path, warm),
        )

    def submit(self, payload):
        return self.ex.submit(run_task, payload)

    @staticmethod
    def wait(futures):
        from concurrent.futures import FIRST_COMPLETED, wait

        return wait(futures, return_when=FIRST_COMPLETED).done

    def abort(self, grace: float = 2.0):
        """Ctrl-C: interrupt running tasks, then end the workers (queued calls never start)."""
        import signal

        procs = list((self.ex._processes or {}).values())  # noqa: SLF001 — no public accessor
        self.ex.shutdown(wait=False, cancel_futures=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            for proc in procs:
                if proc.is_alive():
                    try:
                        os.kill(proc.pid, sig)
                    except ProcessLookupError:
                        pass
            deadline = time.monotonic() + grace
            for proc in procs:
                proc.join(max(0.0, deadline - time.monotonic()))
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join()

    def close(self):
        self.ex.shutdown(wait=True)


class DaskPool:
    def __init__(self, address: str):
        from distributed import Client

        self.client = Client(address)

    def submit(self, payload):
        return self.client.submit(
            run_task,
            payload,
            pure=False,
            key=f"{payload['task']['id']}-{os.getpid()}-{time.monotonic_ns()}",
        )

    @staticmethod
    def wait(futures):
        from distributed import wait

        return wait(list(futures), return_when="FIRST_COMPLETED").done

    def abort(self):
        self.client.close()  # pending futures are released, the cluster's workers stay up

    def close(self):
        self.client.close()
