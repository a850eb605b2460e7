#!/usr/bin/env python3
"""Regenerate the Tidemark golden conformance cases, with pandas as the oracle.

Usage (from the repository root):

    python3 engine/src/test/resources/golden/make_golden.py

For every case this writes ``cases/<name>/``:

* ``left.parquet`` / ``right.parquet``: the inputs (most cases shuffled with a
  fixed seed, so the engine has to sort them itself);
* ``case.json``: the join parameters (see README.md);
* ``expected.parquet``: pandas' answer (column names, column order, row order
  and values from pandas) with every column cast back to the Arrow type of the
  source column it came from. Error cases have no expected.parquet; their
  case.json carries ``"error"`` instead.

The pandas answer is computed as

    pd.merge_asof(left.sort_values(on, kind="stable"),
                  right.sort_values(on, kind="stable"), ...)

(or ``pd.merge(left.sort_values(on, kind="stable"), right, on=[on]+by, ...)``
for ``kind == "exact"``), with left/right read back from the parquet files just
written, so rows with equal ``on`` keep their file order.

Every answer is cross-checked three ways: pandas with the default (numpy)
dtypes, pandas with ``dtype_backend="pyarrow"`` and a brute-force Python
reference implementation written below. If both pandas variants run they must
agree; the brute-force result must agree with pandas. Where one pandas variant
cannot run the case, the other one is used and the fact is recorded in
MANIFEST.json ("notes").

The output is deterministic: fixed seed, per-case random streams derived from
the case name (crc32), no wall-clock data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
SEED = 20240611
ROW_GROUP_SIZE = 512

# ----------------------------------------------------------------------------
# tolerance strings: "<integer><unit>", unit in ns, us, ms, s, min, h, d
# ----------------------------------------------------------------------------
UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "min": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
    "d": 86400 * 1_000_000_000,
}
TOL_RE = re.compile(r"^(-?\d+)(ns|us|ms|s|min|h|d)$")


def tolerance_ns(tol: str) -> int:
    m = TOL_RE.match(tol)
    if not m:
        raise ValueError(f"bad tolerance string {tol!r}")
    return int(m.group(1)) * UNIT_NS[m.group(2)]


def pandas_tolerance(tol):
    if tol is None:
        return None
    if isinstance(tol, str):
        return pd.Timedelta(tolerance_ns(tol), unit="ns")
    return tol


# ----------------------------------------------------------------------------
# small constructors
# ----------------------------------------------------------------------------
BASE = dt.datetime(2024, 3, 8, 9, 30, 0)  # naive; used as "local" wall clock
BASE_UTC_S = int(BASE.replace(tzinfo=dt.timezone.utc).timestamp())
PER_S = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def ts(offsets, unit="ms", tz=None, scale=None, base_s=BASE_UTC_S):
    """Timestamps = base + offset*scale, offsets in `scale` units of `unit`.

    scale defaults to one second (i.e. offsets are seconds). None stays null.
    """
    if scale is None:
        scale = PER_S[unit]
    vals = [None if o is None else base_s * PER_S[unit] + int(round(o * scale)) for o in offsets]
    return pa.array(vals, pa.timestamp(unit, tz))


def i64(v):
    return pa.array(v, pa.int64())


def i32(v):
    return pa.array(v, pa.int32())


def i16(v):
    return pa.array(v, pa.int16())


def f64(v):
    return pa.array(v, pa.float64())


def s(v):
    return pa.array(v, pa.string())


def b(v):
    return pa.array(v, pa.bool_())


def d32(days):
    base = dt.date(2024, 1, 1)
    return pa.array([None if x is None else base + dt.timedelta(days=x) for x in days], pa.date32())


def ids(n):
    """Placeholder id column; replaced by the row's index in the written file."""
    return pa.array([0] * n, pa.int64())


def table(**cols):
    return pa.table(cols)


# ----------------------------------------------------------------------------
# case registry
# ----------------------------------------------------------------------------
CASES: list[dict] = []

SPEC_DEFAULTS = {
    "kind": "asof",
    "on": None,
    "left_on": None,
    "right_on": None,
    "by": None,
    "left_by": None,
    "right_by": None,
    "direction": "backward",
    "tolerance": None,
    "allow_exact_matches": True,
    "how": "left",
    "suffixes": ["_x", "_y"],
    "validate": None,
    "description": "",
}


def case(name, left, right, *, sorted_input=False, error=None, **spec):
    unknown = set(spec) - set(SPEC_DEFAULTS)
    if unknown:
        raise ValueError(f"{name}: unknown spec keys {unknown}")
    full = dict(SPEC_DEFAULTS)
    full.update(spec)
    if full["kind"] == "exact":
        full["direction"] = None
    CASES.append(dict(name=name, left=left, right=right, spec=full,
                      sorted_input=sorted_input, error=error))


def rng_for(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(name.encode("utf-8"))])


# ============================================================================
# C1: ties
# ============================================================================
def c1_ties():
    # right: several rows at the same `on`; payload tells which one matched.
    r_t = [1, 1, 1, 4, 4, 6, 9, 9, 9, 9]
    r_tag = ["a1", "a2", "a3", "b1", "b2", "c1", "d1", "d2", "d3", "d4"]
    l_t = [0, 1, 1, 2, 4, 5, 6, 7, 9, 9, 10]
    for direction in ("backward", "forward"):
        left = table(t=ts(l_t, "ms"), lid=ids(len(l_t)))
        right = table(t=ts(r_t, "ms"), rid=ids(len(r_t)), tag=s(r_tag))
        pick = "last" if direction == "backward" else "first"
        case(f"ties_{direction}_no_by", left, right, on="t", direction=direction,
             description=f"Right has runs of equal `on`; {direction} picks the {pick} of a run "
                         "in right file order (rid = file row index). Left also has equal keys.")
    # with by: ties inside one key, same timestamps in another key must not leak
    r_t = [1, 1, 1, 1, 1, 4, 4, 4, 6, 6, 9, 9]
    r_k = ["A", "B", "A", "A", "B", "A", "B", "A", "B", "B", "A", "A"]
    l_t = [0, 1, 1, 2, 3, 4, 5, 6, 8, 9, 9, 10, 1, 4]
    l_k = ["A", "A", "B", "A", "B", "A", "B", "B", "A", "A", "B", "A", "C", "C"]
    for direction in ("backward", "forward"):
        left = table(t=ts(l_t, "us"), k=s(l_k), lid=ids(len(l_t)))
        right = table(t=ts(r_t, "us"), k=s(r_k), rid=ids(len(r_t)))
        pick = "last" if direction == "backward" else "first"
        case(f"ties_{direction}_by_string", left, right, on="t", by=["k"], direction=direction,
             description=f"Ties inside each `by` group; {direction} picks the {pick} tied right row "
                         "of the same key in file order. Key C has no right rows.")
    # sorted-input variant: ties, stored sorted, so file order == rid order
    left = table(t=ts(l_t, "us"), k=s(l_k), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "us"), k=s(r_k), rid=ids(len(r_t)))
    case("ties_nearest_by_string_sorted_input", left, right, sorted_input=True, on="t", by=["k"],
         direction="nearest",
         description="Same data as ties_*_by_string, inputs stored sorted by `on` (stable), nearest.")


# ============================================================================
# C2: nearest
# ============================================================================
def c2_nearest():
    # equidistant: left at 5, right at 3 (x2) and 7 (x2) -> backward row (last of the 3s)
    r_t = [3, 3, 7, 7, 20, 30, 30]
    r_tag = ["b1", "b2", "f1", "f2", "m", "z1", "z2"]
    l_t = [5, 4, 6, 25, 0, 40, 13.5]
    left = table(t=ts(l_t, "ms", scale=1000), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "ms"), rid=ids(len(r_t)), tag=s(r_tag))
    case("nearest_equidistant_picks_backward", left, right, on="t", direction="nearest",
         description="Left 5 between right 3,3 and 7,7: equal distance -> backward row (last 3). "
                     "Left 25 between 20 and 30: backward. 13.5 (13500ms) is equidistant from 7 and 20.")
    # nearest, exact matches among duplicates
    r_t = [2, 2, 2, 5, 5, 8]
    r_tag = ["e1", "e2", "e3", "g1", "g2", "h"]
    l_t = [2, 5, 8, 3, 1, 9]
    left = table(t=ts(l_t, "ns"), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "ns"), rid=ids(len(r_t)), tag=s(r_tag))
    case("nearest_exact_among_duplicates", left, right, on="t", direction="nearest",
         description="Left keys equal to a run of duplicate right keys: distance 0 on both sides, "
                     "nearest resolves to the backward candidate = last of the run.")
    left = table(t=ts(l_t, "ns"), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "ns"), rid=ids(len(r_t)), tag=s(r_tag))
    case("nearest_no_exact_matches", left, right, on="t", direction="nearest",
         allow_exact_matches=False,
         description="Same data, allow_exact_matches=False: exact right keys are skipped, nearest "
                     "strictly-before vs strictly-after, ties -> backward.")
    # nearest with by and ties
    r_t = [0, 4, 4, 10, 0, 6, 6, 8]
    r_k = [1, 1, 1, 1, 2, 2, 2, 2]
    l_t = [2, 7, 12, 3, 7, 6, -1]
    l_k = [1, 1, 1, 2, 2, 2, 3]
    left = table(t=i64(l_t), k=i64(l_k), lid=ids(len(l_t)))
    right = table(t=i64(r_t), k=i64(r_k), rid=ids(len(r_t)))
    case("nearest_by_int64_equidistant", left, right, on="t", by=["k"], direction="nearest",
         description="int64 on and by; several equidistant situations inside groups.")


# ============================================================================
# C3: tolerance
# ============================================================================
def c3_tolerance():
    NS = 1_000_000_000
    # backward, timestamp[ns], "3s": distances 3s-1ns, 3s, 3s+1ns
    r_t = [0, 100 * NS, 200 * NS]
    l_t = [3 * NS - 1, 3 * NS, 3 * NS + 1, 100 * NS + 3 * NS, 100 * NS + 3 * NS + 1, 200 * NS, -1]
    left = table(t=ts(l_t, "ns", scale=1), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "ns", scale=1), rid=ids(len(r_t)))
    case("tolerance_backward_ts_ns_3s_boundary", left, right, on="t", direction="backward",
         tolerance="3s",
         description="Distance == 3s matches (inclusive), 3s+1ns does not, 3s-1ns does.")
    # forward, timestamp[ms], "250ms"
    r_t = [1000, 2000, 5000]
    l_t = [750, 749, 751, 1000, 1751, 1750, 4750, 4749, 5001]
    left = table(t=ts(l_t, "ms", scale=1), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "ms", scale=1), rid=ids(len(r_t)))
    case("tolerance_forward_ts_ms_250ms_boundary", left, right, on="t", direction="forward",
         tolerance="250ms",
         description="Forward: right - left == 250ms matches, 251ms does not.")
    # nearest, timestamp[us], "1d"
    DAY = 86400 * 1_000_000
    r_t = [0, 10 * DAY]
    l_t = [DAY, DAY + 1, -DAY, -DAY - 1, 9 * DAY, 9 * DAY - 1, 5 * DAY, 11 * DAY, 11 * DAY + 1]
    left = table(t=ts(l_t, "us", scale=1), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "us", scale=1), rid=ids(len(r_t)))
    case("tolerance_nearest_ts_us_1d_boundary", left, right, on="t", direction="nearest",
         tolerance="1d",
         description="Nearest with '1d' on timestamp[us]: exactly 1 day away in either direction "
                     "matches, 1 day + 1us does not.")
    # tolerance 0 == exact only
    r_t = [1, 2, 2, 5]
    l_t = [1, 2, 3, 5, 0]
    for direction in ("backward", "forward", "nearest"):
        left = table(t=ts(l_t, "ms"), lid=ids(len(l_t)))
        right = table(t=ts(r_t, "ms"), rid=ids(len(r_t)))
        case(f"tolerance_zero_{direction}", left, right, on="t", direction=direction,
             tolerance="0s",
             description="Tolerance 0: only exact key matches survive (ties: backward/nearest last, "
                         "forward first).")
    # tolerance combined with allow_exact_matches=False
    r_t = [10, 10, 20, 23]
    l_t = [10, 12, 13, 20, 22, 23, 26, 27]
    for direction in ("backward", "forward", "nearest"):
        left = table(t=ts(l_t, "s", tz="UTC").cast(pa.timestamp("ms", "UTC")), lid=ids(len(l_t)))
        right = table(t=ts(r_t, "s", tz="UTC").cast(pa.timestamp("ms", "UTC")), rid=ids(len(r_t)))
        case(f"tolerance_3s_no_exact_{direction}", left, right, on="t", direction=direction,
             tolerance="3s", allow_exact_matches=False,
             description="timestamp[ms, UTC]; tolerance 3s together with allow_exact_matches=False.")
    # numeric tolerances
    r_t = [0, 10, 20, 20, 35]
    l_t = [5, 6, 10, 15, 25, 26, 40, 41, -3]
    left = table(t=i64(l_t), lid=ids(len(l_t)))
    right = table(t=i64(r_t), rid=ids(len(r_t)))
    case("tolerance_int64_backward_5", left, right, on="t", direction="backward", tolerance=5,
         description="int64 key, integer tolerance 5: distance 5 matches, 6 does not.")
    left = table(t=i32(l_t), lid=ids(len(l_t)))
    right = table(t=i32(r_t), rid=ids(len(r_t)))
    case("tolerance_int32_forward_5", left, right, on="t", direction="forward", tolerance=5,
         description="int32 key, integer tolerance 5, forward.")
    r_t = [0.0, 1.0, 1.0, 2.5, 4.0]
    l_t = [0.25, 0.5, 0.75, 1.25, 1.5, 2.0, 2.25, 2.75, 3.0, 4.25, 4.5, -0.25, -0.5]
    for direction in ("backward", "forward", "nearest"):
        left = table(t=f64(l_t), lid=ids(len(l_t)))
        right = table(t=f64(r_t), rid=ids(len(r_t)))
        case(f"tolerance_float64_{direction}_0_25", left, right, on="t", direction=direction,
             tolerance=0.25,
             description="float64 key, tolerance 0.25 (all values exact binary fractions): "
                         "distance 0.25 matches, 0.5 does not.")
    # date32 with "2d"
    r_d = [0, 3, 3, 10]
    l_d = [0, 1, 2, 5, 6, 8, 12, 13, -1]
    for direction in ("backward", "nearest"):
        left = table(d=d32(l_d), lid=ids(len(l_d)))
        right = table(d=d32(r_d), rid=ids(len(r_d)))
        case(f"tolerance_date32_{direction}_2d", left, right, on="d", direction=direction,
             tolerance="2d",
             description="date32 key, tolerance '2d' (pandas cannot merge_asof on dates; computed "
                         "via datetime64[s] and cast back to date32).")
    # America/New_York across the 2024-03-10 DST switch, "1h"
    # base = 2024-03-08 09:30 UTC; DST starts 2024-03-10 07:00 UTC
    H = 3600
    dst = (dt.datetime(2024, 3, 10, 7, 0, tzinfo=dt.timezone.utc).timestamp() - BASE_UTC_S)
    r_t = [dst - 2 * H, dst - H, dst, dst + H]
    l_t = [dst - 1.5 * H, dst - 0.5 * H, dst + 0.5 * H, dst + 1.0 * H, dst + 2 * H, dst + 2 * H + 1]
    left = table(t=ts(l_t, "us", tz="America/New_York"), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "us", tz="America/New_York"), rid=ids(len(r_t)))
    case("tolerance_ts_us_new_york_dst_1h", left, right, on="t", direction="backward",
         tolerance="1h",
         description="timestamp[us, America/New_York] around the 2024-03-10 DST jump; as-of works "
                     "on instants, tolerance 1h inclusive.")


# ============================================================================
# C4: allow_exact_matches=False for each direction
# ============================================================================
def c4_no_exact():
    r_t = [1, 1, 3, 5, 5, 5, 8]
    r_k = ["x", "y", "x", "x", "y", "x", "x"]
    l_t = [1, 1, 2, 3, 4, 5, 5, 6, 8, 9, 0]
    l_k = ["x", "y", "x", "x", "x", "x", "y", "y", "x", "x", "x"]
    for direction in ("backward", "forward", "nearest"):
        left = table(t=ts(l_t, "ms"), k=s(l_k), lid=ids(len(l_t)))
        right = table(t=ts(r_t, "ms"), k=s(r_k), rid=ids(len(r_t)))
        case(f"no_exact_matches_{direction}", left, right, on="t", by=["k"], direction=direction,
             allow_exact_matches=False,
             description=f"allow_exact_matches=False, {direction}: equal keys never match; "
                         "ties among the remaining candidates as usual.")


# ============================================================================
# C5: NULL in by
# ============================================================================
def c5_null_by():
    r_t = [0, 1, 2, 3, 4, 5]
    r_k = ["a", None, "a", None, "", "b"]
    l_t = [1, 2, 3, 4, 5, 6, 0.5]
    l_k = [None, "a", None, "", None, "", None]
    left = table(t=ts(l_t, "ms", scale=1000), k=s(l_k), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "ms"), k=s(r_k), rid=ids(len(r_t)), rv=f64([0.5, 1.5, 2.5, None, 4.5, 5.5]))
    case("null_by_string_matches_null", left, right, on="t", by=["k"],
         description="A NULL string `by` value matches NULL on the right (pandas default); the empty "
                     "string is a different key from NULL.")
    # two-column by with NULL in the string part
    r_t = [0, 1, 2, 3, 4, 5, 6]
    r_sym = ["A", None, None, "A", None, "B", None]
    r_ven = [1, 1, 2, 1, 1, 2, 2]
    l_t = [1, 2, 3, 4, 5, 6, 7, 8]
    l_sym = [None, None, "A", None, "B", None, "A", None]
    l_ven = [1, 2, 1, 1, 2, 3, 2, 2]
    left = table(t=ts(l_t, "us"), sym=s(l_sym), venue=i64(l_ven), lid=ids(len(l_t)))
    right = table(t=ts(r_t, "us"), sym=s(r_sym), venue=i64(r_ven), rid=ids(len(r_t)))
    case("null_in_two_column_by", left, right, on="t", by=["sym", "venue"],
         description="by = [sym (string), venue (int64)]; (NULL, 1) matches (NULL, 1) only.")
    # int64 by with NULL on both sides
    r_k = [1, None, 2, None, 1, 2]
    l_k = [None, 1, None, 2, None, 1, 3]
    left = table(t=i64([1, 2, 3, 4, 5, 6, 7]), k=i64(l_k), lid=ids(7))
    right = table(t=i64([0, 1, 2, 3, 4, 5]), k=i64(r_k), rid=ids(6))
    case("null_by_int64_both_sides", left, right, on="t", by=["k"],
         description="int64 by column with NULLs on both sides; NULL matches NULL.")
    # int64 by with NULL on the left side only
    r_k = [1, 2, 1, 2, 1, 2]
    left = table(t=i64([1, 2, 3, 4, 5, 6, 7]), k=i64(l_k), lid=ids(7))
    right = table(t=i64([0, 1, 2, 3, 4, 5]), k=i64(r_k), rid=ids(6))
    case("null_by_int64_left_only", left, right, on="t", by=["k"],
         description="int64 by column with NULLs only on the left: those rows are unmatched.")


# ============================================================================
# column naming
# ============================================================================
def naming():
    l_t = [1, 2, 3, 4, 5]
    r_t = [0, 2, 2, 4, 6]
    left = table(ltime=ts(l_t, "ms"), lsym=s(["a", "b", "a", "b", "c"]), lid=ids(5))
    right = table(rtime=ts(r_t, "ms"), rsym=s(["a", "a", "b", "b", "a"]), rid=ids(5))
    case("left_on_right_on_left_by_right_by", left, right, left_on="ltime", right_on="rtime",
         left_by=["lsym"], right_by=["rsym"],
         description="Differently named on and by columns; both sides' key columns appear in the "
                     "output (right ones null when unmatched).")
    left = table(t=ts(l_t, "ms"), sym=s(["a", "b", "a", "b", "c"]), lid=ids(5), px=f64([1, 2, 3, 4, 5]))
    right = table(time=ts(r_t, "ms"), sym=s(["a", "a", "b", "b", "a"]), rid=ids(5), px=f64([10, 20, 30, 40, 50]))
    case("left_on_right_on_same_by", left, right, left_on="t", right_on="time", by=["sym"],
         description="left_on/right_on with a shared by column; overlapping payload px -> px_x/px_y.")
    left = table(t=ts(l_t, "ms"), k=s(["a", "b", "a", "b", "c"]), v=i64([1, 2, 3, 4, 5]), lid=ids(5))
    right = table(t=ts(r_t, "ms"), k2=s(["a", "a", "b", "b", "a"]), v=i64([10, 20, 30, 40, 50]),
                  k=i32([7, 8, 9, 10, 11]), rid=ids(5))
    case("left_by_right_by_overlapping_names", left, right, on="t", left_by=["k"], right_by=["k2"],
         description="left_by=k, right_by=k2, while right also has an unrelated column named k: "
                     "pandas suffixes k -> k_x (left by) / k_y (right payload), v -> v_x / v_y.")
    left = table(t=ts(l_t, "ms"), k=s(["a", "b", "a", "b", "c"]), v=i64([1, 2, None, 4, 5]),
                 w=s(["p", "q", "r", "s", "t"]), lid=ids(5))
    right = table(t=ts(r_t, "ms"), k=s(["a", "a", "b", "b", "a"]), v=i64([10, 20, 30, 40, 50]),
                  w=f64([0.5, 1.5, 2.5, 3.5, 4.5]), rid=ids(5))
    case("overlapping_columns_default_suffixes", left, right, on="t", by=["k"],
         description="Non-key columns v and w on both sides -> v_x, w_x, v_y, w_y (types differ "
                     "per side and are kept). Left v has a NULL and stays int64.")
    left = table(t=ts(l_t, "ms"), k=s(["a", "b", "a", "b", "c"]), v=i64([1, 2, 3, 4, 5]), lid=ids(5))
    right = table(t=ts(r_t, "ms"), k=s(["a", "a", "b", "b", "a"]), v=i64([10, 20, 30, 40, 50]), rid=ids(5))
    case("overlapping_columns_custom_suffixes", left, right, on="t", by=["k"], suffixes=["_l", "_r"],
         direction="forward", description="suffixes ['_l', '_r'] -> v_l, v_r.")


# ============================================================================
# edge shapes
# ============================================================================
def shapes():
    schema_l = pa.schema([("t", pa.timestamp("ms")), ("k", pa.string()), ("lid", pa.int64())])
    schema_r = pa.schema([("t", pa.timestamp("ms")), ("k", pa.string()), ("rid", pa.int64()),
                          ("rv", pa.int64()), ("rs", pa.string()), ("rb", pa.bool_()),
                          ("rts", pa.timestamp("us"))])
    left = table(t=ts([1, 2, 3], "ms"), k=s(["a", "b", None]), lid=ids(3))
    right = table(t=ts([0, 2, 2, 5], "ms"), k=s(["a", "a", "b", None]), rid=ids(4),
                  rv=i64([1, 2, 3, 4]), rs=s(["w", "x", "y", "z"]), rb=b([True, False, True, False]),
                  rts=ts([10, 20, 30, 40], "us"))
    case("empty_left", schema_l.empty_table(), right, on="t", by=["k"],
         description="Left has zero rows: output has zero rows and the full output schema.")
    case("empty_right", left, schema_r.empty_table(), on="t", by=["k"],
         description="Right has zero rows: every right column is all-NULL with its source type.")
    case("empty_both", schema_l.empty_table(), schema_r.empty_table(), on="t", by=["k"],
         direction="nearest", description="Both sides empty.")
    rng = rng_for("one_hot_key")
    nl, nr = 60, 45
    l_t = sorted(rng.integers(0, 40, nl).tolist())
    r_t = sorted(rng.integers(0, 40, nr).tolist())
    left = table(t=ts(l_t, "ms"), k=s(["HOT"] * nl), lid=ids(nl))
    right = table(t=ts(r_t, "ms"), k=s(["HOT"] * nr), rid=ids(nr), rv=f64(rng.normal(size=nr).round(3).tolist()))
    case("one_hot_key", left, right, on="t", by=["k"],
         description="Every row on both sides has the same by key (one hot partition), with ties.")
    keys_r = ["naïve", "nai\u0308ve", "日本", "😀", "😀😀", "A", "a", "", "Ω≈ç"]
    keys_l = ["naïve", "nai\u0308ve", "日本", "日本語", "😀", "😀😀", "A", "a", "", "ω≈ç", "naive"]
    r_t = list(range(len(keys_r)))
    l_t = [x + 0.5 for x in range(len(keys_l))]
    left = table(t=ts(l_t, "ms", scale=1000), k=s(keys_l), lid=ids(len(keys_l)))
    right = table(t=ts([0] * len(keys_r), "ms"), k=s(keys_r), rid=ids(len(keys_r)),
                  label=s([f"r:{x}" for x in keys_r]))
    case("unicode_by_keys", left, right, on="t", by=["k"],
         description="Unicode by keys matched byte-for-byte: precomposed vs decomposed 'naïve' differ, "
                     "'日本' vs '日本語' differ, emoji, case, empty string.")


# ============================================================================
# key types
# ============================================================================
def key_types():
    l_off = [0, 1, 1, 2.5, 4, 7, 9, 12]
    r_off = [0.5, 1, 1, 3, 6, 6, 11]
    l_k = ["a", "b", "a", "a", "b", "a", "b", "a"]
    r_k = ["a", "a", "b", "a", "b", "a", "b"]
    for unit in ("ns", "us", "ms"):
        left = table(t=ts(l_off, unit), k=s(l_k), lid=ids(len(l_off)))
        right = table(t=ts(r_off, unit), k=s(r_k), rid=ids(len(r_off)))
        case(f"on_timestamp_{unit}", left, right, on="t", by=["k"], direction="backward",
             description=f"on column timestamp[{unit}] (tz-naive).")
    for tz, name in (("UTC", "utc"), ("America/New_York", "new_york")):
        left = table(t=ts(l_off, "us", tz=tz), k=s(l_k), lid=ids(len(l_off)))
        right = table(t=ts(r_off, "us", tz=tz), k=s(r_k), rid=ids(len(r_off)))
        case(f"on_timestamp_us_{name}", left, right, on="t", by=["k"], direction="nearest",
             description=f"on column timestamp[us, tz={tz}].")
    left = table(d=d32([0, 1, 1, 3, 5, 9, 12, 30]), k=s(l_k), lid=ids(8))
    right = table(d=d32([0, 1, 1, 4, 6, 6, 11]), k=s(r_k), rid=ids(7))
    case("on_date32", left, right, on="d", by=["k"], direction="backward",
         description="on column date32 (pandas computed via datetime64[s], cast back to date32).")
    left = table(d=d32([0, 1, 1, 3, 5, 9, 12, 30]), k=s(l_k), lid=ids(8))
    right = table(d=d32([0, 1, 1, 4, 6, 6, 11]), k=s(r_k), rid=ids(7))
    case("on_date32_forward", left, right, on="d", by=["k"], direction="forward",
         description="on column date32, forward.")
    l_i = [-5, 0, 3, 3, 7, 2_000_000_000, 15, 20]
    r_i = [-6, 3, 3, 8, 15, 1_999_999_999, 21]
    left = table(t=i32(l_i), k=s(l_k), lid=ids(8))
    right = table(t=i32(r_i), k=s(r_k), rid=ids(7))
    case("on_int32", left, right, on="t", by=["k"], direction="forward", description="on column int32.")
    l_i = [-5, 0, 3, 3, 7, 2**53, 15, 2**40]
    r_i = [-6, 3, 3, 8, 15, 2**53 - 1, 2**40 + 1]
    left = table(t=i64(l_i), k=s(l_k), lid=ids(8))
    right = table(t=i64(r_i), k=s(r_k), rid=ids(7))
    case("on_int64", left, right, sorted_input=True, on="t", by=["k"], direction="nearest",
         description="on column int64 (values up to 2^53; inputs stored sorted).")
    l_f = [-1.5, 0.0, 0.1, 0.3, 1e-9, 1e300, 2.75, -1e-300]
    r_f = [-2.0, 0.1, 0.1, 0.2, 0.30000000000000004, 1e299, 3.0]
    left = table(t=f64(l_f), k=s(l_k), lid=ids(8))
    right = table(t=f64(r_f), k=s(r_k), rid=ids(7))
    case("on_float64", left, right, on="t", by=["k"], direction="backward",
         description="on column float64 incl. 0.1 vs 0.30000000000000004 and extreme magnitudes.")
    left = table(t=f64(l_f), k=s(l_k), lid=ids(8))
    right = table(t=f64(r_f), k=s(r_k), rid=ids(7))
    case("on_float64_nearest", left, right, on="t", by=["k"], direction="nearest",
         description="on column float64, nearest.")
    left = table(t=f64([-0.0, 0.0, 0.0, -0.0, 1.0, -1.0]), lid=ids(6))
    right = table(t=f64([0.0, -0.0, 0.0, -1.0, 0.5]), rid=ids(5))
    for direction in ("backward", "forward"):
        case(f"on_float64_signed_zero_{direction}", left, right, on="t", direction=direction,
             description="-0.0 and 0.0 compare equal in pandas (numpy ordering), so they tie and "
                         "keep file order; a Java Double.compare ordering would differ.")
    # by key types
    l_t = [1, 2, 3, 4, 5, 6, 7]
    r_t = [0, 1, 2, 3, 4, 5]
    l_b = [1, 2, 1, 2, 3, 1, -7]
    r_b = [1, 2, 2, 1, -7, 1]
    left = table(t=ts(l_t, "ms"), k=i64(l_b), lid=ids(7))
    right = table(t=ts(r_t, "ms"), k=i64(r_b), rid=ids(6))
    case("by_int64", left, right, sorted_input=True, on="t", by=["k"],
         description="by column int64 (inputs stored sorted).")
    left = table(t=ts(l_t, "ms"), k=i32(l_b), lid=ids(7))
    right = table(t=ts(r_t, "ms"), k=i32(r_b), rid=ids(6))
    case("by_int32", left, right, on="t", by=["k"], direction="forward", description="by column int32.")
    left = table(t=ts(l_t, "ms"), sym=s(["a", "a", "b", "a", "b", "a", "a"]), venue=i64(l_b), lid=ids(7))
    right = table(t=ts(r_t, "ms"), sym=s(["a", "a", "a", "a", "b", "a"]), venue=i64(r_b), rid=ids(6))
    case("by_string_and_int64", left, right, on="t", by=["sym", "venue"], direction="nearest",
         description="Two-column by: string + int64.")
    left = table(t=ts(l_t, "ms"), sym=s(["a", "a", "b", "a", "b", "a", "a"]), venue=i32(l_b), lid=ids(7))
    right = table(t=ts(r_t, "ms"), sym=s(["a", "a", "a", "a", "b", "a"]), venue=i32(r_b), rid=ids(6))
    case("by_string_and_int32_sorted_input", left, right, sorted_input=True, on="t",
         by=["sym", "venue"], description="Two-column by: string + int32 (inputs stored sorted).")


# ============================================================================
# payload types
# ============================================================================
def payloads():
    r_t = [1, 3, 3, 6, 8]
    l_t = [0, 1, 2, 3, 4, 7, 9, 0.5]
    l_k = ["a", "a", "b", "a", "c", "a", "b", "a"]
    r_k = ["a", "a", "b", "a", "b"]
    right = table(
        t=ts(r_t, "us"), k=s(r_k), rid=ids(5),
        p_i64=i64([1, None, 3, 2**50, -5]),
        p_i32=i32([10, 20, None, -2**31, 2**31 - 1]),
        p_i16=i16([1, -32768, 32767, None, 0]),
        p_f64=f64([0.5, None, -1.25, 1e100, 0.0]),
        p_bool=b([True, False, None, True, False]),
        p_str=s(["x", None, "", "ü", "long string value"]),
        p_ts_ns=ts([1.5, 2.5, None, 4.5, 5.5], "ns"),
        p_ts_ms_utc=ts([1, 2, 3, None, 5], "ms", tz="UTC"),
        p_date=d32([0, None, 400, -400, 20000]),
    )
    left = table(t=ts(l_t, "us", scale=1_000_000), k=s(l_k), lid=ids(8),
                 l_i64=i64([1, None, 3, None, 5, 6, 7, 8]),
                 l_i16=i16([1, 2, None, 4, 5, 6, 7, 8]),
                 l_bool=b([True, None, False, True, None, False, True, False]))
    for direction in ("backward", "forward"):
        case(f"payload_types_{direction}", left, right, on="t", by=["k"], direction=direction,
             description="Right payloads of many types (some NULL even when matched); unmatched "
                         "rows give NULL and the Arrow types are kept (int16 stays int16, ...). "
                         "Left payloads with NULLs keep their types too.")


# ============================================================================
# randomized medium cases
# ============================================================================
def medium():
    def build(name, n_left=2000, n_right=1500):
        rng = rng_for(name)
        keys = [f"K{i:02d}" for i in range(20)]
        l_keys = rng.choice(keys + ["LONLY"], n_left, p=[0.049] * 20 + [0.02]).tolist()
        r_keys = rng.choice(keys + ["RONLY"], n_right, p=[0.049] * 20 + [0.02]).tolist()
        for i in rng.choice(n_left, 30, replace=False):
            l_keys[i] = None
        for i in rng.choice(n_right, 20, replace=False):
            r_keys[i] = None
        # coarse 1s grid over 100s + a few sub-second offsets -> many ties on both sides
        l_t = (rng.integers(0, 100, n_left) * 1000 + rng.choice([0, 0, 0, 0, 500], n_left)).tolist()
        r_t = (rng.integers(0, 100, n_right) * 1000 + rng.choice([0, 0, 0, 0, 250], n_right)).tolist()
        price = rng.normal(100, 5, n_right).round(2).tolist()
        for i in rng.choice(n_right, 40, replace=False):
            price[i] = None
        left = table(ts=ts(l_t, "ms", scale=1), sym=s(l_keys), lid=ids(n_left),
                     side=s(rng.choice(["B", "S"], n_left).tolist()),
                     v=f64(rng.integers(0, 1000, n_left).astype(float).tolist()))
        right = table(ts=ts(r_t, "ms", scale=1), sym=s(r_keys), rid=ids(n_right),
                      price=f64(price), qty=i32(rng.integers(1, 500, n_right).tolist()),
                      venue=s(rng.choice(["X", "Y", "Z", "ü"], n_right).tolist()),
                      v=i64(rng.integers(0, 1000, n_right).tolist()))
        return left, right

    for direction in ("backward", "forward", "nearest"):
        for tol in (None, "3s"):
            name = f"medium_random_{direction}" + ("_tol_3s" if tol else "")
            left, right = build(name)
            case(name, left, right, on="ts", by=["sym"], direction=direction, tolerance=tol,
                 description="Randomized: ~2000 x 1500 rows, 20 shared keys + one key per side only + "
                             "NULL keys, 1s grid over 100s (many ties both sides), overlapping v, unsorted.")
    name = "medium_random_nearest_no_exact_sorted_input"
    left, right = build(name)
    case(name, left, right, sorted_input=True, on="ts", by=["sym"], direction="nearest",
         allow_exact_matches=False, tolerance="2s",
         description="Randomized, inputs stored sorted, nearest, allow_exact_matches=False, tol 2s.")


# ============================================================================
# exact joins
# ============================================================================
def exact():
    r_t = [1, 1, 2, 3, 3, 3, 5, 2]
    r_k = ["a", "a", "a", "b", "b", "a", "a", None]
    l_t = [1, 2, 3, 3, 4, 5, 2, 1]
    l_k = ["a", "a", "b", "a", "a", "b", None, "b"]
    for how in ("left", "inner"):
        left = table(t=ts(l_t, "us"), k=s(l_k), lid=ids(8), v=i64([1, 2, 3, 4, 5, 6, 7, 8]))
        right = table(t=ts(r_t, "us"), k=s(r_k), rid=ids(8), v=f64([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]),
                      q=i16([1, 2, 3, 4, 5, 6, 7, None]))
        case(f"exact_{how}_one_to_many", left, right, kind="exact", on="t", by=["k"], how=how,
             validate="one_to_many",
             description=f"Exact join how={how} on [t, k]; duplicate right keys fan out in right file "
                         "order; NULL k matches NULL k (pandas merge semantics); overlapping v.")
    left = table(t=i64([1, 2, 2, 3, 4]), lid=ids(5), v=s(["p", "q", "r", "s", "t"]))
    right = table(t=i64([2, 2, 3, 3, 9]), rid=ids(5), v=s(["A", "B", "C", "D", "E"]))
    for how in ("left", "inner"):
        case(f"exact_{how}_no_by_many_to_many_custom_suffixes", left, right, kind="exact", on="t",
             how=how, suffixes=["_l", "_r"],
             description="Exact join on an int64 key only, many-to-many, suffixes _l/_r.")
    left = table(t=ts([1, 2, 3], "ms"), k=s(["a", "a", "b"]), lid=ids(3))
    right = table(t=ts([1, 2, 3], "ms"), k=s(["a", "a", "b"]), rid=ids(3))
    case("exact_inner_one_to_one_ok", left, right, kind="exact", on="t", by=["k"], how="inner",
         validate="one_to_one", description="validate one_to_one passes with unique keys.")
    # error: duplicated datetime key in right
    left = table(t=ts([1, 2, 3], "ms"), k=s(["a", "a", "b"]), lid=ids(3))
    right = table(t=ts([1, 1, 3], "ms"), k=s(["a", "a", "b"]), rid=ids(3))
    case("error_exact_validate_one_to_one_duplicate_datetime", left, right, kind="exact", on="t",
         by=["k"], how="left", validate="one_to_one", error="not a one-to-one merge",
         description="Right has (t=+1s, k=a) twice; pandas: 'Merge keys are not unique in right "
                     "dataset; not a one-to-one merge'.")
    left = table(t=ts([1, 1, 3], "ms"), k=s(["a", "a", "b"]), lid=ids(3))
    right = table(t=ts([1, 2, 3], "ms"), k=s(["a", "a", "b"]), rid=ids(3))
    case("error_exact_validate_one_to_one_duplicate_left", left, right, kind="exact", on="t",
         by=["k"], how="inner", validate="one_to_one", error="not a one-to-one merge",
         description="Left has a duplicated key; pandas: 'Merge keys are not unique in left "
                     "dataset; not a one-to-one merge'.")
    left = table(t=ts([1, 2, 3], "ms"), k=s(["a", "a", "b"]), lid=ids(3))
    right = table(t=ts([1, 1, 3], "ms"), k=s(["a", "a", "b"]), rid=ids(3))
    case("error_exact_validate_many_to_one_duplicate_right", left, right, kind="exact", on="t",
         by=["k"], how="inner", validate="many_to_one", error="not a many-to-one merge",
         description="pandas: 'Merge keys are not unique in right dataset; not a many-to-one merge'.")


# ============================================================================
# asof errors
# ============================================================================
def errors():
    left = table(t=ts([1, 2, 3], "ms"), lid=ids(3))
    right = table(t=ts([0, 2], "ms"), rid=ids(2))
    case("error_negative_tolerance_temporal", left, right, on="t", tolerance="-3s",
         error="tolerance must be positive", description="Negative Timedelta tolerance.")
    left = table(t=i64([1, 2, 3]), lid=ids(3))
    right = table(t=i64([0, 2]), rid=ids(2))
    case("error_negative_tolerance_int64", left, right, on="t", tolerance=-1, direction="nearest",
         error="tolerance must be positive", description="Negative integer tolerance.")
    left = table(t=ts([1, None, 3], "ms"), lid=ids(3))
    right = table(t=ts([0, 2], "ms"), rid=ids(2))
    case("error_null_on_key_left", left, right, on="t", error="Merge keys contain null values",
         description="NULL in the left `on` column; pandas: 'Merge keys contain null values on "
                     "left side'.")
    left = table(t=ts([1, 2, 3], "ms"), lid=ids(3))
    right = table(t=ts([0, None, 2], "ms"), rid=ids(3))
    case("error_null_on_key_right", left, right, on="t", error="Merge keys contain null values",
         description="NULL in the right `on` column; pandas: 'Merge keys contain null values on "
                     "right side'.")


# ============================================================================
# pandas execution
# ============================================================================
def on_columns(spec):
    if spec["kind"] == "exact":
        return spec["on"], spec["on"]
    if spec["on"] is not None:
        return spec["on"], spec["on"]
    return spec["left_on"], spec["right_on"]


def read_pandas(path: Path, backend: str, date_cols) -> pd.DataFrame:
    if backend == "numpy":
        df = pd.read_parquet(path)
        for c in date_cols:
            # object dtype of datetime.date -> datetime64[s]
            df[c] = pd.to_datetime(df[c]).astype("datetime64[s]")
    else:
        df = pd.read_parquet(path, dtype_backend="pyarrow")
        for c in date_cols:
            df[c] = df[c].astype(pd.ArrowDtype(pa.timestamp("s")))
    return df


def run_pandas(case_dir: Path, spec: dict, backend: str, ltab: pa.Table, rtab: pa.Table):
    lon, ron = on_columns(spec)
    ldates = [lon] if pa.types.is_date(ltab.schema.field(lon).type) else []
    rdates = [ron] if pa.types.is_date(rtab.schema.field(ron).type) else []
    L = read_pandas(case_dir / "left.parquet", backend, ldates)
    R = read_pandas(case_dir / "right.parquet", backend, rdates)
    Ls = L.sort_values(lon, kind="stable")
    if spec["kind"] == "asof":
        Rs = R.sort_values(ron, kind="stable")
        kw = dict(direction=spec["direction"], allow_exact_matches=spec["allow_exact_matches"],
                  suffixes=tuple(spec["suffixes"]), tolerance=pandas_tolerance(spec["tolerance"]))
        if spec["on"] is not None:
            kw["on"] = spec["on"]
        else:
            kw["left_on"], kw["right_on"] = spec["left_on"], spec["right_on"]
        if spec["by"] is not None:
            kw["by"] = spec["by"]
        if spec["left_by"] is not None:
            kw["left_by"], kw["right_by"] = spec["left_by"], spec["right_by"]
        res = pd.merge_asof(Ls, Rs, **kw)
    else:
        res = pd.merge(Ls, R, on=[spec["on"]] + (spec["by"] or []), how=spec["how"],
                       suffixes=tuple(spec["suffixes"]), validate=spec["validate"])
    return res.reset_index(drop=True)


def output_columns(spec, lschema: pa.Schema, rschema: pa.Schema):
    """(output name, side, source column) in pandas' output order."""
    if spec["kind"] == "exact":
        shared = [spec["on"]] + (spec["by"] or [])
    else:
        shared = ([spec["on"]] if spec["on"] is not None else []) + (spec["by"] or [])
    lnames, rnames = lschema.names, rschema.names
    sx, sy = spec["suffixes"]
    out = []
    for c in lnames:
        out.append((c + sx if (c in rnames and c not in shared) else c, "left", c))
    for c in rnames:
        if c in shared:
            continue
        out.append((c + sy if c in lnames else c, "right", c))
    return out


def to_arrow(series: pd.Series, target: pa.DataType) -> pa.Array:
    n = len(series)
    if n == 0:
        return pa.array([], target)
    if series.isna().all():
        return pa.nulls(n, target)
    if isinstance(series.dtype, pd.ArrowDtype):
        arr = pa.array(series)
    else:
        arr = pa.array(series, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != target:
        if pa.types.is_null(arr.type):
            return pa.nulls(n, target)
        arr = arr.cast(target)  # safe cast: fails loudly on any loss
    return arr


def pandas_to_table(res: pd.DataFrame, cols, ltab, rtab) -> pa.Table:
    names = [c[0] for c in cols]
    if list(res.columns) != names:
        raise AssertionError(f"pandas output columns {list(res.columns)} != predicted {names}")
    arrays = []
    for name, side, src in cols:
        target = (ltab if side == "left" else rtab).schema.field(src).type
        arrays.append(to_arrow(res[name], target))
    return pa.Table.from_arrays(arrays, names=names)


# ============================================================================
# brute-force reference (independent of pandas)
# ============================================================================
def comparable(arr: pa.ChunkedArray):
    t = arr.type
    if pa.types.is_timestamp(t):
        return arr.cast(pa.int64()).to_pylist()
    if pa.types.is_date32(t):
        return arr.cast(pa.int32()).to_pylist()
    return arr.to_pylist()


def tolerance_in_key_units(tol, t: pa.DataType):
    if tol is None:
        return None
    if isinstance(tol, str):
        ns = tolerance_ns(tol)
        if pa.types.is_timestamp(t):
            f = UNIT_NS[t.unit]
        elif pa.types.is_date32(t):
            f = UNIT_NS["d"]
        else:
            raise AssertionError("string tolerance on a numeric key")
        assert ns % f == 0, "tolerance not a whole number of key units"
        return ns // f
    return tol


def reference(spec, ltab: pa.Table, rtab: pa.Table, cols) -> pa.Table:
    lon, ron = on_columns(spec)
    lby = spec["by"] or spec["left_by"] or []
    rby = spec["by"] or spec["right_by"] or []
    lk = comparable(ltab[lon])
    rk = comparable(rtab[ron])
    lb = list(zip(*[ltab[c].to_pylist() for c in lby])) if lby else [()] * ltab.num_rows
    rb = list(zip(*[rtab[c].to_pylist() for c in rby])) if rby else [()] * rtab.num_rows
    lorder = sorted(range(ltab.num_rows), key=lambda i: lk[i])  # stable
    rorder = sorted(range(rtab.num_rows), key=lambda j: rk[j])  # stable
    groups: dict = {}
    for j in rorder:
        groups.setdefault(rb[j], []).append(j)  # None == None: NULL key matches NULL
    li, ri = [], []
    if spec["kind"] == "exact":
        by_file_order: dict = {}
        for j in range(rtab.num_rows):
            by_file_order.setdefault((rk[j],) + rb[j], []).append(j)
        for i in lorder:
            m = by_file_order.get((lk[i],) + lb[i], [])
            if not m and spec["how"] == "left":
                li.append(i)
                ri.append(None)
            for j in m:
                li.append(i)
                ri.append(j)
    else:
        tol = tolerance_in_key_units(spec["tolerance"], ltab.schema.field(lon).type)
        exact_ok = spec["allow_exact_matches"]
        for i in lorder:
            x = lk[i]
            cand = groups.get(lb[i], [])
            bwd = fwd = None
            for j in cand:  # cand is in stable-sorted order
                y = rk[j]
                if y < x or (exact_ok and y == x):
                    if bwd is None or y >= rk[bwd]:
                        bwd = j  # ties -> last
                if y > x or (exact_ok and y == x):
                    if fwd is None or y < rk[fwd]:
                        fwd = j  # ties -> first
            d = spec["direction"]
            if d == "backward":
                pick = bwd
            elif d == "forward":
                pick = fwd
            else:
                if bwd is None:
                    pick = fwd
                elif fwd is None:
                    pick = bwd
                else:
                    pick = bwd if (x - rk[bwd]) <= (rk[fwd] - x) else fwd
            if pick is not None and tol is not None and abs(rk[pick] - x) > tol:
                pick = None
            li.append(i)
            ri.append(pick)
    lidx = pa.array(li, pa.int64())
    ridx = pa.array(ri, pa.int64())
    arrays = []
    for name, side, src in cols:
        src_tab, idx = (ltab, lidx) if side == "left" else (rtab, ridx)
        arrays.append(src_tab[src].take(idx).combine_chunks())
    return pa.Table.from_arrays(arrays, names=[c[0] for c in cols])


# ============================================================================
# driver
# ============================================================================
def replace_ids(tab: pa.Table) -> pa.Table:
    for c in ("lid", "rid"):
        if c in tab.schema.names:
            tab = tab.set_column(tab.schema.get_field_index(c), c,
                                 pa.array(np.arange(tab.num_rows), pa.int64()))
    return tab


def stable_sort(tab: pa.Table, col: str) -> pa.Table:
    v = comparable(tab[col])
    return tab.take(pa.array(sorted(range(tab.num_rows), key=lambda i: v[i]), pa.int64()))


def write(tab: pa.Table, path: Path):
    pq.write_table(tab, path, row_group_size=ROW_GROUP_SIZE, compression="snappy")


def first_line(e: Exception) -> str:
    return str(e).splitlines()[0] if str(e) else type(e).__name__


def emit(c: dict):
    name, spec = c["name"], c["spec"]
    d = CASES_DIR / name
    d.mkdir(parents=True)
    rng = rng_for(name)
    left, right = c["left"], c["right"]
    if not c["sorted_input"]:
        left = left.take(pa.array(rng.permutation(left.num_rows), pa.int64()))
        right = right.take(pa.array(rng.permutation(right.num_rows), pa.int64()))
    else:
        # store sorted by the on key (stable, so builder order breaks ties)
        lon, ron = on_columns(spec)
        left = stable_sort(left, lon)
        right = stable_sort(right, ron)
    left, right = replace_ids(left), replace_ids(right)
    write(left, d / "left.parquet")
    write(right, d / "right.parquet")
    # read back exactly what the engine will read
    ltab = pq.read_table(d / "left.parquet")
    rtab = pq.read_table(d / "right.parquet")
    assert ltab.schema.equals(left.schema) and rtab.schema.equals(right.schema), name

    notes = []
    entry = dict(name=name, kind=spec["kind"], input_sorted=c["sorted_input"],
                 left_rows=ltab.num_rows, right_rows=rtab.num_rows)
    out_spec = dict(spec)
    out_spec["input_sorted"] = c["sorted_input"]

    if c["error"] is not None:
        msgs = {}
        for backend in ("numpy", "pyarrow"):
            try:
                run_pandas(d, spec, backend, ltab, rtab)
                msgs[backend] = None
            except Exception as e:  # noqa: BLE001
                msgs[backend] = first_line(e)
        if msgs["numpy"] is None or c["error"] not in msgs["numpy"]:
            raise AssertionError(f"{name}: expected pandas error containing {c['error']!r}, got {msgs}")
        if msgs["pyarrow"] != msgs["numpy"]:
            notes.append(f"pyarrow backend: {msgs['pyarrow']!r} (numpy backend: {msgs['numpy']!r})")
        out_spec["error"] = c["error"]
        entry["error"] = c["error"]
        entry["pandas_error"] = msgs["numpy"]
    else:
        cols = output_columns(spec, ltab.schema, rtab.schema)
        results, errs = {}, {}
        for backend in ("numpy", "pyarrow"):
            try:
                res = run_pandas(d, spec, backend, ltab, rtab)
                results[backend] = pandas_to_table(res, cols, ltab, rtab)
            except Exception as e:  # noqa: BLE001
                errs[backend] = f"{type(e).__name__}: {first_line(e)}"
        if not results:
            raise AssertionError(f"{name}: pandas failed with both backends: {errs}")
        for backend, msg in errs.items():
            notes.append(f"pandas {backend} backend failed ({msg}); used the other backend")
        expected = results.get("numpy", results.get("pyarrow"))
        if len(results) == 2 and not results["numpy"].equals(results["pyarrow"]):
            raise AssertionError(f"{name}: pandas numpy and pyarrow backends disagree")
        ref = reference(spec, ltab, rtab, cols)
        if not ref.equals(expected):
            raise AssertionError(f"{name}: brute-force reference disagrees with pandas\n"
                                 f"pandas:\n{expected.to_pandas()}\nreference:\n{ref.to_pandas()}")
        write(expected, d / "expected.parquet")
        back = pq.read_table(d / "expected.parquet")
        assert back.equals(expected), name
        for fname, side, src in cols:
            src_type = (ltab if side == "left" else rtab).schema.field(src).type
            assert back.schema.field(fname).type == src_type, (name, fname)
        entry["expected_rows"] = back.num_rows
    if notes:
        entry["notes"] = notes
    with open(d / "case.json", "w", encoding="utf-8") as f:
        json.dump(out_spec, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return entry


def main():
    warnings.simplefilter("error", FutureWarning)
    for builder in (c1_ties, c2_nearest, c3_tolerance, c4_no_exact, c5_null_by, naming, shapes,
                    key_types, payloads, medium, exact, errors):
        builder()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    if CASES_DIR.exists():
        shutil.rmtree(CASES_DIR)
    CASES_DIR.mkdir(parents=True)
    manifest = []
    for c in CASES:
        manifest.append(emit(c))
    info = dict(generator="make_golden.py", seed=SEED, python=sys.version.split()[0],
                pandas=pd.__version__, pyarrow=pa.__version__, numpy=np.__version__,
                cases=manifest)
    with open(HERE / "MANIFEST.json", "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for e in manifest:
        extra = f" error={e['error']!r}" if "error" in e else f" -> {e['expected_rows']} rows"
        print(f"{e['name']:55s} {e['left_rows']:5d} x {e['right_rows']:5d}{extra}")
        for n in e.get("notes", []):
            print(f"    note: {n}")
    print(f"{len(manifest)} cases; pandas {pd.__version__}, pyarrow {pa.__version__}")


if __name__ == "__main__":
    main()
