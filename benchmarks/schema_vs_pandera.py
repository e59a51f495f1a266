"""helpers.clean.schema vs pandera on the processed tables: import time, validation time.

pandera is not in the lock: run this from a scratch environment outside the repository, e.g.
    uv venv /tmp/pv && uv pip install --python /tmp/pv/bin/python pandera pandas pyyaml
    PYTHONPATH=src /tmp/pv/bin/python benchmarks/schema_vs_pandera.py [data/processed]
Each table is validated as built, and 100 times longer (ids made unique), best of five.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd


def import_seconds(mod: str) -> float:
    """Best of three: seconds to import `mod` in a fresh interpreter."""
    code = f"import time; t=time.perf_counter(); import {mod}; print(time.perf_counter()-t)"
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            for _ in range(3)]  # fmt: skip
    return min(float(r.stdout) for r in runs)


def to_pandera(sch):
    """The same checks as schema.validate: columns in order, required, vocabularies, unique
    key, printable text."""
    import pandera.pandas as pa

    from helpers.clean import schema

    def printable(v) -> bool:
        return schema.unprintable(v) is None if isinstance(v, str) else True

    cols = {}
    for c in sch.columns:
        checks = [pa.Check.isin(list(c.allowed))] if c.allowed else []
        if c.kind in ("str", "date"):
            checks.append(pa.Check(lambda s: s.map(printable)))
        cols[c.name] = pa.Column(None, nullable=not c.required, checks=checks,
                                 unique=c.name == sch.key, required=c.required)  # fmt: skip
    return pa.DataFrameSchema(cols, strict=True, ordered=True)


def best(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(processed: Path) -> None:
    from helpers.clean import schema

    pd_s, pa_s = import_seconds("pandas"), import_seconds("pandera.pandas")
    print(f"import pandas {pd_s:.3f} s; import pandera.pandas (with pandas) {pa_s:.3f} s")
    for name, sch in (("figures", schema.FIGURES), ("events", schema.EVENTS),
                      ("citations", schema.CITATIONS)):  # fmt: skip
        df = schema.read_csv(processed / f"{name}.csv", sch)
        checker = to_pandera(sch)
        for scale in (1, 100):
            big = pd.concat([df] * scale, ignore_index=True)
            big[sch.key] = [f"{k}-{i}" for i, k in enumerate(big[sch.key])]
            ours = best(lambda big=big, sch=sch: schema.validate(big, sch))
            theirs = best(lambda big=big, checker=checker: checker.validate(big, lazy=True))
            print(f"{name} ×{scale} ({len(big)} rows): schema.py {ours:.4f} s, "
                  f"pandera {theirs:.4f} s")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/processed"))
