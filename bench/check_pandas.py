#!/usr/bin/env python3
"""Check bin/tidemark against pandas merge_asof, row for row in file order, on generated data.

  bench/check_pandas.py [--rows 1_000_000] [--work DIR] [--memory 512m]

Generates the logs and taq datasets with ../shared/bench/gen.py (unsorted, skewed keys), then for
every option set below runs `bin/tidemark join` and pandas on the same files and compares the
results with ../shared/bench/compare.py (--ordered for single-file output). Prints one line per
check and exits non-zero if any differs. Needs pandas and pyarrow.
"""
import argparse
import os
import subprocess
import sys

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")

DATASETS = {"logs": ("ts", "url"), "taq": ("ts", "sym")}
OPTIONS = [
    [],
    ["--direction", "forward"],
    ["--direction", "nearest"],
    ["--tolerance", "1h"],
    ["--direction", "nearest", "--tolerance", "30s"],
    ["--no-exact-matches"],
    ["--direction", "forward", "--no-exact-matches", "--tolerance", "2h"],
    ["--how", "inner"],
    ["--shards", "7", "--workers", "1"],
    ["--dataset-output"],
]

UNITS = {"ms": "ms", "s": "s", "m": "min", "h": "h", "d": "D"}


def pandas_join(d, on, by, opts):
    left = pd.read_parquet(os.path.join(d, "left.parquet"), dtype_backend="pyarrow")
    right = pd.read_parquet(os.path.join(d, "right.parquet"), dtype_backend="pyarrow")
    direction = opts[opts.index("--direction") + 1] if "--direction" in opts else "backward"
    tol = None
    if "--tolerance" in opts:
        t = opts[opts.index("--tolerance") + 1]
        unit = t.lstrip("0123456789")
        tol = pd.Timedelta(int(t[: len(t) - len(unit)]), UNITS[unit])
    out = pd.merge_asof(left.sort_values(on, kind="stable"), right.sort_values(on, kind="stable"),
                        on=on, by=by, direction=direction, tolerance=tol,
                        allow_exact_matches="--no-exact-matches" not in opts)
    if "--how" in opts:
        marker = [c for c in right.columns if c not in (on, by)][0]
        out = out[out[marker].notna()]
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    p.add_argument("--work", default="/tmp/tidemark-check")
    p.add_argument("--memory", default="512m")
    a = p.parse_args()
    failures = 0
    for name, (on, by) in DATASETS.items():
        d = os.path.join(a.work, f"{name}-{a.rows}")
        if not os.path.exists(os.path.join(d, "right.parquet")):
            subprocess.run([sys.executable, os.path.join(SHARED, "gen.py"), name, "--rows", str(a.rows), "--out", d],
                           check=True, stdout=subprocess.DEVNULL)
        for opts in OPTIONS:
            dataset = "--dataset-output" in opts
            cli_opts = [o for o in opts if o != "--dataset-output"]
            expected = os.path.join(d, "expected.parquet")
            pandas_join(d, on, by, cli_opts).to_parquet(expected, index=False)
            out = os.path.join(d, "out" if dataset else "out.parquet")
            cmd = [os.path.join(ROOT, "bin", "tidemark"), "join", os.path.join(d, "left.parquet"),
                   os.path.join(d, "right.parquet"), "-o", out, "--on", on, "--by", by, "--memory", a.memory,
                   "--quiet"] + cli_opts
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode != 0:
                print(f"FAIL {name} {' '.join(opts)}: tidemark exited {run.returncode}: {run.stderr.strip()}")
                failures += 1
                continue
            cmp = [sys.executable, os.path.join(SHARED, "compare.py"), expected, out] + ([] if dataset else ["--ordered"])
            res = subprocess.run(cmp, capture_output=True, text=True)
            verdict = "ok  " if res.returncode == 0 else "FAIL"
            failures += res.returncode != 0
            print(f"{verdict} {name} {' '.join(opts) or '(defaults)'}: {res.stdout.strip().splitlines()[-1]}", flush=True)
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
