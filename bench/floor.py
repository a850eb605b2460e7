#!/usr/bin/env python3
"""The floor of a join's wall time: read both inputs and write one file of the join output's shape,
with no join, no sort and no memory bound (pyarrow's C++ reader and writer on every core).

  bench/floor.py DIR --on ON --by BY --out OUT

DIR holds left.parquet and right.parquet. OUT gets left's columns, then right's columns other than
ON and BY, right's rows repeated to left's length (zero-copy): the as-of join's output columns and
row count, Snappy, row groups of 1,048,576 rows. What a join engine does beyond this (partition,
spill, sort, merge, gather) is what it costs above the floor. Prints one line like peer.py:
engine, op, rows out, seconds inside the process.
"""
import argparse
import os
import time

import pyarrow as pa
import pyarrow.parquet as pq


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--on", required=True)
    p.add_argument("--by", default="")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    t0 = time.perf_counter()
    left = pq.read_table(os.path.join(a.dir, "left.parquet"))
    right = pq.read_table(os.path.join(a.dir, "right.parquet"))
    keys = {a.on} | {k for k in a.by.split(",") if k}
    n = left.num_rows
    columns = {name: left.column(name) for name in left.column_names}
    if right.num_rows:
        copies = -(-n // right.num_rows)
        for name in right.column_names:
            if name in keys:
                continue
            chunks = [c for _ in range(copies) for c in right.column(name).chunks]
            columns[name if name not in columns else name + "_y"] = pa.chunked_array(chunks, right.schema.field(name).type).slice(0, n)
    tmp = a.out + ".tmp"
    pq.write_table(pa.table(columns), tmp, compression="snappy", row_group_size=1 << 20)
    os.replace(tmp, a.out)
    print(f"engine=floor op=read+write rows_out={n} seconds={time.perf_counter() - t0:.2f}")


if __name__ == "__main__":
    main()
