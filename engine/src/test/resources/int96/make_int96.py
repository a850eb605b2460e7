#!/usr/bin/env python3
"""Legacy INT96 timestamps (as Spark writes them), plain and dictionary, plus the same values as int64 ns."""
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

rng = np.random.default_rng(9)
n = 3000
values = [None if rng.random() < 0.1 else int(v) for v in rng.integers(-2 * 10**18, 4 * 10**18, n)]
values[:20] = [values[20]] * 20   # repeats, so the dictionary has something to do
table = pa.table({"ts": pa.array(values, pa.timestamp("ns")), "id": pa.array(np.arange(n))})
pq.write_table(table, "expected_int64.parquet", use_dictionary=False)
pq.write_table(table, "int96_plain.parquet", use_deprecated_int96_timestamps=True, use_dictionary=False)
pq.write_table(table, "int96_dictionary.parquet", use_deprecated_int96_timestamps=True, use_dictionary=True)
print("wrote", n, "rows")
