#!/usr/bin/env python3
"""Run every pandas golden case through bin/tidemark and check the output with pyarrow.

  bench/check_golden.py [--cases engine/src/test/resources/golden/cases]

The Java tests compare the engine with pandas' expected files through Tidemark's own Parquet
reader; this checks the other direction: that pyarrow reads every file Tidemark writes with the
exact Arrow types (time zones, int widths, dates, bools) and the exact rows, in order. Error cases
must fail with exit code 1, one line on stderr, and no output file.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIFFERENT_BY_DESIGN = {"error_null_on_key_left", "error_null_on_key_right"}  # C6: Tidemark emits/ignores, pandas refuses


def args_for(case, d, out):
    a = [os.path.join(ROOT, "bin", "tidemark"), "join", os.path.join(d, "left.parquet"), os.path.join(d, "right.parquet"),
         "-o", out, "--quiet", "--memory", "512m"]   # the default path: every cluster role in this process
    if case.get("on"):
        a += ["--on", case["on"]]
    else:
        a += ["--left-on", case["left_on"], "--right-on", case["right_on"]]
    if case.get("by"):
        a += ["--by", ",".join(case["by"])]
    elif case.get("left_by"):
        a += ["--left-by", ",".join(case["left_by"]), "--right-by", ",".join(case["right_by"])]
    if case["kind"] == "exact":
        a += ["--exact", "--how", case.get("how") or "left"]
        if case.get("validate"):
            a += ["--validate", case["validate"]]
    else:
        a += ["--direction", case.get("direction") or "backward"]
        if case.get("tolerance") is not None:
            a += ["--tolerance", str(case["tolerance"])]
        if case.get("allow_exact_matches") is False:
            a.append("--no-exact-matches")
    a += ["--suffixes", ",".join(case["suffixes"])]
    return a


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", default=os.path.join(ROOT, "engine/src/test/resources/golden/cases"))
    a = p.parse_args()
    failed = 0
    names = sorted(n for n in os.listdir(a.cases) if n not in DIFFERENT_BY_DESIGN)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            d = os.path.join(a.cases, name)
            case = json.load(open(os.path.join(d, "case.json")))
            out = os.path.join(tmp, name + ".parquet")
            run = subprocess.run(args_for(case, d, out), capture_output=True, text=True)
            if "error" in case:
                lines = [l for l in run.stderr.splitlines() if l.strip()]
                ok = run.returncode == 1 and len(lines) == 1 and not os.path.exists(out)
                problem = "" if ok else f"exit {run.returncode}, stderr {run.stderr!r}"
            elif run.returncode != 0:
                ok, problem = False, f"exit {run.returncode}: {run.stderr.strip()}"
            else:
                expected = pq.read_table(os.path.join(d, "expected.parquet"))
                actual = pq.read_table(out)
                ok = expected.schema.equals(actual.schema) and expected.equals(actual)
                problem = "" if ok else f"schema {actual.schema} vs {expected.schema}" if not expected.schema.equals(actual.schema) else "rows differ"
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name} {problem}", flush=True)
    print(f"{len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
