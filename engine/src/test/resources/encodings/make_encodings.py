#!/usr/bin/env python3
"""One table written by pyarrow in every page layout and encoding Tidemark's reader must handle.

Run from this folder: python3 make_encodings.py. EncodingsTest reads every file and expects the
same rows as reference.parquet.
"""
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

rng = np.random.default_rng(7)
n = 5000
valid = rng.random(n) > 0.1
def nullable(values, t):
    return pa.array([v if ok else None for v, ok in zip(values.tolist(), valid)], type=t)

table = pa.table({
    "i64": nullable(rng.integers(-10**12, 10**12, n), pa.int64()),
    "i32": nullable(rng.integers(-1000, 1000, n), pa.int32()),
    "i16": nullable(rng.integers(-300, 300, n), pa.int16()),
    "f64": nullable(rng.normal(0, 1e6, n), pa.float64()),
    "f32": nullable(rng.normal(0, 1, n).astype(np.float32), pa.float32()),
    "flag": nullable(rng.random(n) > 0.5, pa.bool_()),
    "s": nullable(np.array([f"k{v}-{'x' * (v % 7)}" for v in rng.integers(0, 50, n)]), pa.string()),
    "ts": nullable(rng.integers(0, 10**15, n), pa.timestamp("us", tz="UTC")),
    "d": nullable(rng.integers(0, 20000, n).astype(np.int32), pa.date32()),
    "req": pa.array(rng.integers(0, 100, n), pa.int64()),
    "dec": pa.array([None if not ok else Decimal(int(v)).scaleb(-4) for v, ok in
                     zip(rng.integers(-10**12, 10**12, n), valid)], pa.decimal128(18, 4)),
    "dec_small": pa.array([None if not ok else Decimal(int(v)).scaleb(-2) for v, ok in
                           zip(rng.integers(-10**6, 10**6, n), valid)], pa.decimal128(9, 2)),
})
schema = table.schema.set(table.schema.get_field_index("req"), pa.field("req", pa.int64(), nullable=False))
table = table.cast(schema)

pq.write_table(table, "reference.parquet", use_dictionary=False, compression="none", row_group_size=2000)
pq.write_table(table, "dictionary_v1_snappy.parquet", use_dictionary=True, compression="snappy", row_group_size=1500)
pq.write_table(table, "dictionary_v2_zstd.parquet", use_dictionary=True, compression="zstd", data_page_version="2.0",
               data_page_size=4096)
pq.write_table(table, "plain_v2_gzip.parquet", use_dictionary=False, compression="gzip", data_page_version="2.0")
pq.write_table(table, "delta.parquet", use_dictionary=False, compression="snappy",
               column_encoding={"i64": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY",
                                "ts": "DELTA_BINARY_PACKED", "d": "DELTA_BINARY_PACKED"})
pq.write_table(table, "decimal_as_integer.parquet", use_dictionary=["dec_small"], store_decimal_as_integer=True)
pq.write_table(table, "delta_length_v2.parquet", use_dictionary=False, data_page_version="2.0",
               column_encoding={"s": "DELTA_LENGTH_BYTE_ARRAY", "f64": "BYTE_STREAM_SPLIT", "f32": "BYTE_STREAM_SPLIT",
                                "flag": "RLE"})
# dictionaries that outgrow their page fall back to plain pages within the same chunk
pq.write_table(table, "dictionary_fallback.parquet", use_dictionary=True, dictionary_pagesize_limit=64, data_page_size=512,
               row_group_size=1500)
print("wrote", n, "rows in 7 layouts")
