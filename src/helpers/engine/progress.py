"""Feedback while a build runs: a progress bar on a terminal, else one line per finished task
(CI logs, `make … | tee`), so a long build never looks stuck."""

from __future__ import annotations

import sys


class Progress:
    """update() once per finished task; close() at the end."""

    def __init__(self, total: int, *, enabled: bool = True, out=None, err=None):
        self.total, self.done = total, 0
        self.out, err = out or sys.stdout, err or sys.stderr
        self.bar = None
        self.lines = enabled and not self.out.isatty()
        if enabled and not self.lines and err.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=err, unit="task", dynamic_ncols=True, leave=False)

    def update(self, task_id: str, status: str, seconds: float = 0.0) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{task_id} {status}", refresh=False)
            self.bar.update(1)
        elif self.lines:
            took = f" {seconds:.1f} s" if status in ("built", "failed") else ""
            print(f"[{self.done}/{self.total}] {task_id} {status}{took}", file=self.out, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
