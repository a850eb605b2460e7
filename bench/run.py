#!/usr/bin/env python3
"""Benchmark bin/tidemark against pandas, Polars and DuckDB on the same as-of joins.

  bench/run.py [--datasets logs,taq] [--rows 5_000_000,20_000_000] [--memory 1g]
               [--engines tidemark,tidemark-threads,polars,polars-streaming,duckdb,duckdb-1gb,pandas,floor]
               [--work DIR] [--repeat 1] [--once-above ROWS] [--out docs/benchmarks.md]

For every (dataset, rows) it generates the inputs once with ../shared/bench/gen.py (cached under
--work), then, in every repeat, runs each engine once -- one after the other, never two at a
time, in an order rotated per repeat so that machine noise is shared -- each as its own process
under `/usr/bin/time -v`. Wall time (Elapsed) and peak RSS (Maximum resident set size) of that
whole process are the figures reported. The joins are backward as-of joins: logs on ts by url,
taq on ts by sym. Peers run through ../shared/bench/peer.py. `tidemark` is bin/tidemark as it
runs by default (the embedded cluster roles); `tidemark-threads` is the same command with
`--cluster off` (the engine on plain threads in one JVM), compared with `tidemark` like a peer.
`floor` is bench/floor.py: pyarrow reading both inputs and writing a file of the output's shape, no
join at all (the time any engine needs at least); its output is not compared.

Every peer's output is checked against Tidemark's output of the same repeat with a streaming
multiset check (see row_hashes): both files are read in batches, every row is hashed over all
columns in a canonical form, and the sorted 64-bit hashes are compared. It needs 8 bytes per
output row, not the output itself, so it works at any size.

A crash, an OOM kill, a non-zero exit or a --timeout is recorded, not fatal. Writes --out
(Markdown), and next to it the same name with .png (plots) and .json (every raw measurement).
`--render-only` rewrites the Markdown and the plots from an existing .json without running.
Exits 1 if any output differs from Tidemark's (the reports are written all the same).
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
GEN = os.path.join(SHARED, "gen.py")
PEER = os.path.join(SHARED, "peer.py")
FLOOR = os.path.join(ROOT, "bench", "floor.py")
TIDEMARK = os.path.join(ROOT, "bin", "tidemark")
TIME = "/usr/bin/time"

DATASETS = {  # name -> (on, by, what it is)
    "logs": ("ts", "url", "server logs (left) joined to crawl states (right, 20% of left rows), ~1M skewed urls"),
    "taq": ("ts", "sym", "trades (left) joined to quotes (right, 20% of left rows), 5,000 skewed symbols"),
}
ALL_ENGINES = ["tidemark", "tidemark-threads", "polars", "polars-streaming", "duckdb", "duckdb-1gb", "pandas", "floor"]
DUCKDB_LIMITED = re.compile(r"^duckdb-(\d+)(gb|mb)$")
TIDEMARK_ENGINES = ("tidemark", "tidemark-threads")  # the engines that run bin/tidemark


def int_list(s):
    return [int(x.replace("_", "")) for x in s.split(",") if x.strip()]


def str_list(s):
    return [x.strip() for x in s.split(",") if x.strip()]


def fmt_rows(n):
    return f"{n:,}"


# ---------------------------------------------------------------------------------------------
# machine and versions

def sh(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.SubprocessError) as e:
        return f"({e})"


def machine_info():
    mem_kib = swap_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
            elif line.startswith("SwapTotal:"):
                swap_kib = int(line.split()[1])
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for mod in ["pandas", "polars", "duckdb", "pyarrow", "numpy", "matplotlib"]:
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 -- a missing peer is reported, not fatal
            versions[mod] = "not installed"
    commit = sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = sh(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem_total_gib": round(mem_kib / 1024 / 1024, 1),
        "swap_total_gib": round(swap_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "java": sh(["java", "-version"]).splitlines(),
        "versions": versions,
        "tidemark_commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


# ---------------------------------------------------------------------------------------------
# data

def dataset_dir(work, name, rows):
    return os.path.join(work, "data", f"{name}-{rows}")


def ensure_dataset(work, name, rows):
    d = dataset_dir(work, name, rows)
    if os.path.exists(os.path.join(d, ".complete")):
        return d
    tmp = d + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"generating {name} {fmt_rows(rows)} rows -> {d}", flush=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, GEN, name, "--rows", str(rows), "--out", tmp],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(tmp, ".complete"), "w") as f:
        f.write(f"{name} {rows}\n")
    shutil.rmtree(d, ignore_errors=True)
    os.rename(tmp, d)
    print(f"  generated in {time.perf_counter() - t0:.1f} s", flush=True)
    return d


def input_sizes(d):
    out = {}
    for side in ["left", "right"]:
        p = os.path.join(d, f"{side}.parquet")
        out[side] = {"rows": pq.ParquetFile(p).metadata.num_rows, "bytes": os.path.getsize(p)}
    return out


# ---------------------------------------------------------------------------------------------
# engines

def engine_cmd(engine, d, on, by, out, a, spill):
    if engine in TIDEMARK_ENGINES:
        cmd = [TIDEMARK, "join", os.path.join(d, "left.parquet"), os.path.join(d, "right.parquet"),
               "-o", out, "--on", on, "--by", by, "--memory", a.memory, "--quiet", "--spill-dir", spill]
        return cmd + (["--cluster", "off"] if engine == "tidemark-threads" else [])
    if engine == "floor":
        return [sys.executable, FLOOR, d, "--on", on, "--by", by, "--out", out]
    peer = [sys.executable, PEER]
    common = ["asof", d, "--on", on, "--by", by, "--out", out]
    if engine == "polars":
        return peer + ["polars"] + common
    if engine == "polars-streaming":
        return peer + ["polars"] + common + ["--streaming"]
    if engine == "duckdb":
        return peer + ["duckdb"] + common
    m = DUCKDB_LIMITED.match(engine)
    if m:
        return peer + ["duckdb"] + common + ["--memory-limit", f"{m.group(1)}{m.group(2).upper()}"]
    if engine == "pandas":
        return peer + ["pandas"] + common
    raise SystemExit(f"unknown engine {engine!r}; known: {', '.join(ALL_ENGINES)} (or duckdb-<N>gb)")


def engine_label(engine):
    m = DUCKDB_LIMITED.match(engine)
    if m:
        return f"DuckDB, memory_limit {m.group(1)} {m.group(2).upper()}"
    return {"tidemark": "Tidemark", "tidemark-threads": "Tidemark, --cluster off (threads)",
            "polars": "Polars", "polars-streaming": "Polars streaming", "duckdb": "DuckDB", "pandas": "pandas",
            "floor": "Floor: pyarrow read + write, no join"}[engine]


def parse_elapsed(s):  # "1:02:03.45", "2:03.45" or "0:01.20"
    parts = [float(p) for p in s.strip().split(":")]
    secs = 0.0
    for p in parts:
        secs = secs * 60 + p
    return secs


def parse_time_v(path):
    res = {}
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return res
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Command terminated by signal"):
            res["signal"] = int(line.rsplit(" ", 1)[1])
        elif line.startswith("Command exited with non-zero status"):
            res["exit_status"] = int(line.rsplit(" ", 1)[1])
        elif ":" not in line:
            continue
        key, _, val = line.rpartition(": ")
        if key.startswith("Elapsed (wall clock) time"):
            res["wall_s"] = parse_elapsed(val)
        elif key == "Maximum resident set size (kbytes)":
            res["peak_rss_kib"] = int(val)
        elif key == "User time (seconds)":
            res["user_s"] = float(val)
        elif key == "System time (seconds)":
            res["sys_s"] = float(val)
        elif key == "Exit status":
            res["exit_status"] = int(val)
        elif key == "Percent of CPU this job got":
            res["cpu_percent"] = val
    return res


def kill_group(proc):
    """Kill the process group this runner started for one engine (and nothing else)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_engine(engine, cmd, log_prefix, cwd, timeout):
    """Runs cmd under /usr/bin/time -v in its own process group; returns the measurement."""
    time_file = log_prefix + ".time"
    stdout_file, stderr_file = log_prefix + ".stdout", log_prefix + ".stderr"
    full = [TIME, "-v", "-o", time_file] + cmd
    t0 = time.perf_counter()
    timed_out = False
    with open(stdout_file, "w") as so, open(stderr_file, "w") as se:
        proc = subprocess.Popen(full, stdout=so, stderr=se, cwd=cwd, start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout or None)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            rc = proc.wait()
        except BaseException:
            kill_group(proc)
            proc.wait()
            raise
    outer_wall = time.perf_counter() - t0
    m = parse_time_v(time_file)
    with open(stdout_file, errors="replace") as f:
        stdout = f.read()
    with open(stderr_file, errors="replace") as f:
        stderr = f.read()
    r = {"engine": engine, "cmd": shlex.join(cmd), "returncode": rc, "outer_wall_s": round(outer_wall, 3)}
    r.update(m)
    if "wall_s" not in r:
        r["wall_s"] = round(outer_wall, 3)
    sig = m.get("signal")
    if timed_out:
        r["status"], r["error"] = "timeout", f"killed after the --timeout of {timeout} s"
    elif sig is not None:
        r["status"] = "OOM-killed" if sig == signal.SIGKILL else f"signal {sig}"
        r["error"] = f"terminated by signal {sig}" + (" (most likely the kernel OOM killer)" if sig == 9 else "")
        r["stderr_tail"] = last_lines(stderr, 3)
    elif rc != 0:
        r["status"] = f"exit {m.get('exit_status', rc)}"
        r["error"] = error_line(stderr) or last_lines(stdout, 3)
    else:
        r["status"] = "ok"
    if engine in TIDEMARK_ENGINES:
        done = [l for l in stderr.splitlines() if l.startswith("tidemark: done:")]
        if done:
            r["summary"] = done[-1]
            mm = re.search(r"peak RSS ([\d.,]+) (KiB|MiB|GiB)", done[-1])
            if mm:
                scale = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[mm.group(2)]
                r["self_reported_peak_rss_mib"] = round(float(mm.group(1).replace(",", "")) * scale, 1)
            mm = re.search(r"spilled ([\d.,]+ \w+)", done[-1])
            if mm:
                r["spilled"] = mm.group(1)
            mm = re.search(r"([\d,]+) rows out", done[-1])
            if mm:
                r["rows_out"] = int(mm.group(1).replace(",", ""))
        elif r["status"] == "ok":
            r["status"], r["error"] = "no summary line", last_lines(stderr, 3)
    else:
        mm = re.search(r"rows_out=(\d+) seconds=([\d.]+)", stdout)
        if mm:
            r["rows_out"] = int(mm.group(1))
            r["inner_s"] = float(mm.group(2))
    return r


def error_line(text):
    """The most telling line of a failed run's stderr: tidemark's own error line, else the first
    exception / error line (a Java stack trace or a Python traceback), else the last lines."""
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    for pat in (r"^tidemark: error", r"(Error|Exception)\b.*:", r"(Error|Exception|error)\b"):
        hits = [l for l in lines if re.search(pat, l)]
        if hits:
            # Python puts the exception last, Java first
            pick = hits[-1] if lines and lines[0].startswith("Traceback") else hits[0]
            return pick[:600]
    return last_lines(text, 3)


def last_lines(text, n):
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    return " | ".join(lines[-n:])[-600:]


# ---------------------------------------------------------------------------------------------
# equality: a multiset of per-row hashes, computed in batches

M64 = (1 << 64) - 1
NULL_TOKEN = np.uint64(0x6E756C6C5F746F6B)  # "null_tok": every null of every type hashes to this
LEN_SALT = np.uint64(0x5BD1E9955BD1E995)
POLY = (0x9E3779B97F4A7C15 | 1)              # odd, so invertible modulo 2**64
POLY_INV = pow(POLY, -1, 1 << 64)
BYTE_TABLE = None
_POW, _INV = np.ones(1, np.uint64), np.ones(1, np.uint64)


def mix64(x):
    """splitmix64 finaliser on a uint64 array (wrapping arithmetic)."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _powers(n):
    """POLY**i and POLY**-i mod 2**64 for i < n (grown by doubling, kept between batches)."""
    global _POW, _INV
    if len(_POW) < n:
        size = max(n, 2 * len(_POW))
        p = np.full(size, POLY, dtype=np.uint64)
        p[0] = 1
        _POW = np.cumprod(p, dtype=np.uint64)
        q = np.full(size, POLY_INV, dtype=np.uint64)
        q[0] = 1
        _INV = np.cumprod(q, dtype=np.uint64)
    return _POW, _INV


def hash_binary(arr):
    """Per-value hash of a string/binary array: sum of T[byte_i] * POLY**i over the value's own
    bytes (position relative to the value's start), then mixed with its length."""
    global BYTE_TABLE
    if BYTE_TABLE is None:
        BYTE_TABLE = mix64(np.arange(256, dtype=np.uint64) + np.uint64(0x1234567))
    arr = arr.cast(pa.large_binary())
    n = len(arr)
    bufs = arr.buffers()
    offs = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset: arr.offset + n + 1]
    base = int(offs[0])
    offs = offs - base
    total = int(offs[-1])
    lengths = np.diff(offs).astype(np.uint64)
    if total == 0:
        sums = np.zeros(n, dtype=np.uint64)
    else:
        data = np.frombuffer(bufs[2], dtype=np.uint8)[base: base + total]
        pw, inv = _powers(total + 1)   # a trailing empty value starts at offset == total
        w = BYTE_TABLE[data] * pw[:total]
        c = np.empty(total + 1, dtype=np.uint64)
        c[0] = 0
        np.cumsum(w, out=c[1:])
        starts = offs[:-1]
        sums = (c[offs[1:]] - c[starts]) * inv[starts]
    return mix64(sums ^ (lengths * LEN_SALT))


def null_mask(arr):
    if arr.null_count == 0:
        return None
    return np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def hash_column(arr):
    """Canonical per-row hash of one column: integers, floats, bools, decimals as float64 values
    (so pandas' int -> float on unmatched rows does not matter; -0.0 = 0.0; NaN counts as null,
    as pandas writes its NaN as null), timestamps as int64 nanoseconds (any unit or zone),
    strings and binaries by their bytes, anything else by its string form."""
    t = arr.type
    if pa.types.is_dictionary(t):
        return hash_column(arr.dictionary_decode())
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t) or pa.types.is_decimal(t):
        f = pc.cast(arr, pa.float64(), safe=False)
        nulls = null_mask(f)
        v = np.array(pc.fill_null(f, 0.0).to_numpy(zero_copy_only=False), dtype=np.float64)
        nan = np.isnan(v)
        v[v == 0.0] = 0.0
        v[nan] = 0.0
        h = mix64(v.view(np.uint64))
        nulls = nan if nulls is None else (nulls | nan)
    elif pa.types.is_timestamp(t):
        scale = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}[t.unit]
        i = pc.cast(arr, pa.int64())
        nulls = null_mask(i)
        v = np.array(pc.fill_null(i, 0).to_numpy(zero_copy_only=False), dtype=np.int64) * scale
        h = mix64(v.view(np.uint64) ^ np.uint64(0x74696D65))
    elif (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t)
          or pa.types.is_large_binary(t) or getattr(pa.types, "is_string_view", lambda _: False)(t)
          or getattr(pa.types, "is_binary_view", lambda _: False)(t)):
        nulls = null_mask(arr)
        h = hash_binary(arr)
    else:
        try:
            s = pc.cast(arr, pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            s = pa.array([None if x is None else repr(x) for x in arr.to_pylist()], type=pa.string())
        nulls = null_mask(s)
        h = hash_binary(s)
    if nulls is not None:
        h[nulls] = NULL_TOKEN
    return h


def row_hashes(path, batch_rows=131_072):
    """Sorted uint64 row hashes of a Parquet file, plus per-column multiset fingerprints (the
    wrapping sum of the column's value hashes: which columns differ, when rows do)."""
    pf = pq.ParquetFile(path)
    names = sorted(pf.schema_arrow.names)
    n = pf.metadata.num_rows
    out = np.empty(n, dtype=np.uint64)
    col_fp = {c: 0 for c in names}
    pos = 0
    with np.errstate(over="ignore"):
        for batch in pf.iter_batches(batch_size=batch_rows, columns=names, use_threads=True):
            h = np.zeros(batch.num_rows, dtype=np.uint64)
            for j, name in enumerate(names):
                ch = hash_column(batch.column(name))
                col_fp[name] = (col_fp[name] + int(ch.sum(dtype=np.uint64))) & M64
                h = mix64(h * np.uint64(0x100000001B3) + (ch ^ np.uint64(j + 1)))
            out[pos: pos + len(h)] = h
            pos += len(h)
    if pos != n:
        raise RuntimeError(f"{path}: metadata says {n} rows, read {pos}")
    out.sort(kind="stable")
    types = {f.name: str(f.type) for f in pf.schema_arrow}
    return out, col_fp, types


def compare_hashes(ref, got):
    """ref, got: (sorted hashes, column fingerprints, types). Returns (verdict, detail)."""
    rh, rfp, rtypes = ref
    gh, gfp, gtypes = got
    if set(rfp) != set(gfp):
        only_t = sorted(set(rfp) - set(gfp))
        only_p = sorted(set(gfp) - set(rfp))
        return "DIFFERENT", f"columns differ: only in Tidemark's {only_t}, only in this engine's {only_p}"
    if len(rh) != len(gh):
        return "DIFFERENT", f"{len(gh):,} rows, Tidemark {len(rh):,}"
    if np.array_equal(rh, gh):
        return "equal", f"{len(rh):,} rows x {len(rfp)} columns"
    # multiset difference of two sorted arrays
    missing = len(rh) - int(np.isin(rh, gh, assume_unique=False).sum())
    cols = [c for c in sorted(rfp) if rfp[c] != gfp[c]]
    typed = {c: (rtypes[c], gtypes[c]) for c in cols if rtypes[c] != gtypes[c]}
    detail = f"about {max(missing, 1):,} of {len(rh):,} rows differ"
    if cols:
        detail += f"; value multisets differ in {', '.join(cols)}"
    if typed:
        detail += f"; types {typed}"
    return "DIFFERENT", detail


def save_hashes(path, hashed):
    h, fp, types = hashed
    np.save(path + ".npy", h)
    with open(path + ".json", "w") as f:
        json.dump({"fingerprints": {k: str(v) for k, v in fp.items()}, "types": types}, f)


def load_hashes(path):
    h = np.load(path + ".npy")
    with open(path + ".json") as f:
        meta = json.load(f)
    return h, {k: int(v) for k, v in meta["fingerprints"].items()}, meta["types"]


# ---------------------------------------------------------------------------------------------
# the run

def jar_stamp():
    d = os.path.join(ROOT, "cli", "target")
    try:
        jars = sorted(f for f in os.listdir(d) if f.startswith("tidemark-cli-") and f.endswith("-all.jar"))
    except OSError:
        return None
    if not jars:
        return None
    st = os.stat(os.path.join(d, jars[0]))
    return f"{jars[0]} {st.st_size} bytes, modified {datetime.datetime.fromtimestamp(st.st_mtime).isoformat(timespec='seconds')}"



def repeats(a, rows):
    """How many repeats a size gets: --repeat, or one above --once-above (the largest inputs take minutes per engine)."""
    return 1 if a.once_above and rows > a.once_above else a.repeat


def run_all(a, results_path):
    work = os.path.abspath(a.work)
    for sub in ["data", "out", "spill", "logs", "hashes", "cwd"]:
        os.makedirs(os.path.join(work, sub), exist_ok=True)
    if any(e in TIDEMARK_ENGINES for e in a.engines):
        # untimed: builds the jar if missing, and makes the launcher's class-data-sharing archive if the
        # jar is newer than it (about 6 s, which would otherwise land on the first timed run)
        print("preparing bin/tidemark (jar, class-data-sharing archive; untimed)", flush=True)
        subprocess.run([TIDEMARK, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    doc = {"command": regen_command(a), "config": vars(a).copy(), "machine": machine_info(),
           "datasets": {}, "runs": []}
    doc["config"].pop("render_only", None)
    for ds_name in a.datasets:
        on, by, what = DATASETS[ds_name]
        doc["datasets"][ds_name] = {"on": on, "by": by, "direction": "backward", "what": what, "sizes": {}}
        for rows in a.rows:
            d = ensure_dataset(work, ds_name, rows)
            doc["datasets"][ds_name]["sizes"][str(rows)] = input_sizes(d)
            for rep in range(repeats(a, rows)):
                k = rep % len(a.engines)
                order = a.engines[k:] + a.engines[:k]
                tag = f"{ds_name}-{rows}-r{rep + 1}"
                hashed = {}
                rep_runs = []
                for pos, engine in enumerate(order):
                    r = {"dataset": ds_name, "rows": rows, "repeat": rep + 1, "position": pos + 1, "engine": engine}
                    if engine == "pandas" and rows > a.skip_pandas_above:
                        r.update(status="skipped", error=f"--skip-pandas-above {a.skip_pandas_above:,}")
                        print(f"{tag} {engine:<17} skipped (rows > --skip-pandas-above {a.skip_pandas_above:,})", flush=True)
                        rep_runs.append(r)
                        continue
                    out = os.path.join(work, "out", f"{tag}-{engine}.parquet")
                    if os.path.isdir(out):
                        shutil.rmtree(out)
                    elif os.path.exists(out):
                        os.remove(out)
                    spill = os.path.join(work, "spill", tag)
                    os.makedirs(spill, exist_ok=True)
                    cmd = engine_cmd(engine, d, on, by, out, a, spill)
                    stamp = jar_stamp() if engine in TIDEMARK_ENGINES else None
                    m = run_engine(engine, cmd, os.path.join(work, "logs", f"{tag}-{engine}"),
                                   os.path.join(work, "cwd"), a.timeout)
                    if engine in TIDEMARK_ENGINES:
                        m["jar"] = stamp
                        if jar_stamp() != stamp:  # somebody rebuilt it under the run
                            m["jar_changed_during_run"] = f"{stamp} -> {jar_stamp()}"
                            print(f"warning: the Tidemark jar changed during this run ({m['jar_changed_during_run']})",
                                  file=sys.stderr, flush=True)
                    shutil.rmtree(spill, ignore_errors=True)
                    shutil.rmtree(os.path.join(work, "cwd", ".tmp"), ignore_errors=True)  # DuckDB's spill
                    r.update(m)
                    line = (f"{tag} {engine:<17} {r['status']:<10} {r['wall_s']:8.2f} s "
                            f"{r.get('peak_rss_kib', 0) / 1024:9.1f} MiB")
                    if r["status"] == "ok" and engine == "floor" and os.path.isfile(out):
                        r["output_bytes"] = os.path.getsize(out)   # not a join's rows: not hashed or compared
                    elif r["status"] == "ok" and os.path.isfile(out):
                        t0 = time.perf_counter()
                        try:
                            hashed_one = row_hashes(out)
                            save_hashes(os.path.join(work, "hashes", f"{tag}-{engine}"), hashed_one)
                            hashed[engine] = os.path.join(work, "hashes", f"{tag}-{engine}")
                            r["output_bytes"] = os.path.getsize(out)
                            r["rows_in_output"] = int(len(hashed_one[0]))
                            del hashed_one
                        except Exception as e:  # noqa: BLE001 -- an unreadable output is a finding
                            r["status"] = "unreadable output"
                            r["error"] = f"{type(e).__name__}: {e}"[:600]
                        r["hash_s"] = round(time.perf_counter() - t0, 2)
                    elif r["status"] == "ok":
                        r["status"], r["error"] = "no output file", f"exit 0 but no {out}"
                    if not a.keep_outputs and os.path.exists(out):
                        os.remove(out)
                    print(line + (f"  [{r['error']}]" if r.get("error") else ""), flush=True)
                    rep_runs.append(r)
                # compare every peer with Tidemark of the same repeat
                ref = load_hashes(hashed["tidemark"]) if "tidemark" in hashed else None
                tm = next((x for x in rep_runs if x["engine"] == "tidemark"), None)
                for r in rep_runs:
                    if r["engine"] == "tidemark":
                        r["equal"] = "reference" if r["status"] == "ok" else "n/a (engine failed)"
                    elif r["status"] == "skipped":
                        r["equal"] = "n/a (skipped)"
                    elif r["engine"] == "floor":
                        r["equal"] = "n/a (no join)"
                    elif r["status"] != "ok":
                        r["equal"] = "n/a (engine failed)"
                    elif ref is None:
                        r["equal"] = "n/a (Tidemark failed)" if tm else "n/a (Tidemark not run)"
                    else:
                        r["equal"], r["equal_detail"] = compare_hashes(ref, load_hashes(hashed[r["engine"]]))
                        print(f"{tag} {r['engine']:<17} {r['equal']}: {r['equal_detail']}", flush=True)
                    if tm and tm["status"] == "ok" and r["status"] == "ok" and tm.get("wall_s"):
                        r["ratio_vs_tidemark"] = round(r["wall_s"] / tm["wall_s"], 3)
                del ref
                if not a.keep_outputs:
                    for p in hashed.values():
                        for ext in (".npy", ".json"):
                            if os.path.exists(p + ext):
                                os.remove(p + ext)
                doc["runs"].extend(rep_runs)
                with open(results_path, "w") as f:  # keep what we have, in case of a later crash
                    json.dump(doc, f, indent=1)
    return doc


# ---------------------------------------------------------------------------------------------
# reporting

def regen_command(a):
    out = os.path.relpath(os.path.abspath(a.out), ROOT)
    cmd = ["python3", "bench/run.py",
           "--datasets", ",".join(a.datasets),
           "--rows", ",".join(f"{r:_}" for r in a.rows),
           "--memory", a.memory,
           "--engines", ",".join(a.engines),
           "--repeat", str(a.repeat),
           "--skip-pandas-above", f"{a.skip_pandas_above:_}"]
    if a.once_above:
        cmd += ["--once-above", f"{a.once_above:_}"]
    if a.timeout:
        cmd += ["--timeout", f"{a.timeout:g}"]
    if os.path.abspath(a.work) != "/tmp/tidemark-bench":
        cmd += ["--work", a.work]
    cmd += ["--out", out if not out.startswith("..") else os.path.abspath(a.out)]
    return shlex.join(cmd)


def median(xs):
    return statistics.median(xs) if xs else None


def summarize(doc):
    """(dataset, rows, engine) -> aggregated figures over the repeats."""
    groups = {}
    for r in doc["runs"]:
        groups.setdefault((r["dataset"], r["rows"], r["engine"]), []).append(r)
    agg = {}
    for key, rs in groups.items():
        ok = [r for r in rs if r["status"] == "ok"]
        bad = [r for r in rs if r["status"] != "ok"]
        eq = sorted({r.get("equal", "") for r in rs})
        agg[key] = {
            "n": len(rs), "ok": len(ok),
            "wall": [r["wall_s"] for r in ok],
            "rss": [r["peak_rss_kib"] / 1024 for r in ok if "peak_rss_kib" in r],
            "ratio": [r["ratio_vs_tidemark"] for r in ok if "ratio_vs_tidemark" in r],
            "failed": bad,
            "equal": eq,
            "details": sorted({r.get("equal_detail", "") for r in rs if r.get("equal") == "DIFFERENT"}),
            "self_rss": [r["self_reported_peak_rss_mib"] for r in ok if "self_reported_peak_rss_mib" in r],
            "spilled": sorted({r["spilled"] for r in ok if "spilled" in r}),
            "rows_out": sorted({r.get("rows_in_output", r.get("rows_out")) for r in ok} - {None}),
        }
    return agg


def fmt_num(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


def fmt_range(xs, digits=1):
    if not xs:
        return "—"
    m = median(xs)
    if len(xs) == 1:
        return fmt_num(m, digits)
    return f"{fmt_num(m, digits)} ({fmt_num(min(xs), digits)}–{fmt_num(max(xs), digits)})"


def failure_text(rs):
    statuses = sorted({r["status"] for r in rs})
    return ", ".join(statuses)


def growth_lines(agg, ds_name, rows, engines):
    """How each engine's wall time grows from the fewest rows to the most, against n log n."""
    if len(rows) < 2:
        return []
    lo, hi = rows[0], rows[-1]
    bound = (hi * math.log(hi)) / (lo * math.log(lo))
    L = [f"Growth from {fmt_rows(lo)} to {fmt_rows(hi)} rows ({hi / lo:.0f}x the rows; n log n grows "
         f"{bound:.1f}x): each engine's median wall time at {fmt_rows(hi)} over its median at {fmt_rows(lo)}.", "",
         "| engine | wall s at " + fmt_rows(lo) + " | wall s at " + fmt_rows(hi) + " | growth | within n log n? |",
         "|---|---:|---:|---:|---|"]
    for e in engines:
        a, b = agg.get((ds_name, lo, e)), agg.get((ds_name, hi, e))
        if not a or not b or not a["wall"] or not b["wall"]:
            continue
        g = median(b["wall"]) / median(a["wall"])
        L.append(f"| {engine_label(e)} | {median(a['wall']):.2f} | {median(b['wall']):.2f} | {g:.1f}x | "
                 f"{'yes' if g <= bound else 'no'} |")
    L.append("")
    return L


def per_repeat_ratio(doc, ds_name, rows, num, den):
    """Median over the repeats of num's wall time over den's in the same repeat (None if never both ran)."""
    walls = {}
    for r in doc["runs"]:
        if r["dataset"] == ds_name and r["rows"] == rows and r["status"] == "ok" and r["engine"] in (num, den):
            walls.setdefault(r["repeat"], {})[r["engine"]] = r["wall_s"]
    ratios = [w[num] / w[den] for w in walls.values() if num in w and den in w and w[den]]
    return median(ratios), ratios


def goal_lines(doc, agg, ds_name, rows):
    """Issue 4's goal figures: Tidemark against Polars, DuckDB at 1 GB and the floor; the floor against DuckDB."""
    engines = doc["config"]["engines"]
    pairs = [("tidemark", "polars", "Tidemark ÷ Polars (goal ≤ 0.8)"),
             ("tidemark", "duckdb-1gb", "Tidemark ÷ DuckDB 1 GB (goal ≤ 0.5)"),
             ("tidemark-threads", "duckdb-1gb", "`--cluster off` ÷ DuckDB 1 GB"),
             ("floor", "duckdb-1gb", "floor ÷ DuckDB 1 GB"),
             ("tidemark", "floor", "Tidemark ÷ floor")]
    pairs = [p for p in pairs if p[0] in engines and p[1] in engines]
    if not pairs:
        return []
    L = ["Against the goal (per repeat: one wall time over the other in the same repeat; the median, "
         "and each repeat's in brackets), and Tidemark's peak RSS (goal ≤ 1,024 MiB):", "",
         "| rows | " + " | ".join(p[2] for p in pairs) + " | Tidemark peak RSS MiB |",
         "|---:|" + "---:|" * len(pairs) + "---:|"]
    for n in rows:
        cells = []
        for num, den, _ in pairs:
            m, rs = per_repeat_ratio(doc, ds_name, n, num, den)
            cells.append("—" if m is None else f"{m:.2f}" + (" (" + " / ".join(f"{x:.2f}" for x in rs) + ")" if len(rs) > 1 else ""))
        g = agg.get((ds_name, n, "tidemark"))
        rss = fmt_num(max(g["rss"]), 0) + " (max)" if g and g["rss"] else "—"
        L.append(f"| {fmt_rows(n)} | " + " | ".join(cells) + f" | {rss} |")
    L.append("")
    return L


def render_markdown(doc, png_name):
    a = doc["config"]
    m = doc["machine"]
    repeat = a["repeat"]
    agg = summarize(doc)
    L = []
    L.append("# Benchmarks")
    L.append("")
    L.append(f"Backward as-of joins of unsorted Parquet inputs: Tidemark at `--memory {a['memory']}` against "
             "pandas, Polars and DuckDB" + (" (and a floor: reading and writing the same data, no join)"
                                            if "floor" in a["engines"] else "") +
             ", each engine on the same files, one at a time, each in its own process. "
             f"Generated by `bench/run.py` on {m['date']}. To regenerate (from the repository root):")
    L.append("")
    L.append("```")
    L.append(doc["command"])
    L.append("```")
    L.append("")
    L.append(f"![peak RSS and wall time against input rows]({png_name})")
    L.append("")
    L.append("## Machine")
    L.append("")
    v = m["versions"]
    L.append(f"- CPU: {m['cpu'] or 'unknown'}, `nproc` = {m['nproc']}")
    L.append(f"- memory: {m['mem_total_gib']} GiB (MemTotal), swap {m['swap_total_gib']} GiB; Linux {m['kernel']}")
    L.append(f"- Java: `{' / '.join(m['java'][:2])}`")
    L.append(f"- Python {v['python']}: pandas {v['pandas']}, Polars {v['polars']}, DuckDB {v['duckdb']}, "
             f"pyarrow {v['pyarrow']}, numpy {v['numpy']}")
    L.append(f"- Tidemark: commit {m['tidemark_commit']}")
    L.append("")
    L.append("## Method")
    L.append("")
    L.append("- **Data**: `../shared/bench/gen.py DATASET --rows N` (seed 42); N is the number of left rows, "
             "the right side has 0.2 N rows. Both sides are unsorted; keys are skewed (Zipf).")
    L.append("- **Wall s** and **peak RSS** are `/usr/bin/time -v`'s *Elapsed* and *Maximum resident set size* of "
             "the engine's whole process (for Tidemark the JVM: heap, Arrow off-heap and native memory; for the "
             "peers the Python process with the library inside), including reading the inputs and writing the "
             "output Parquet file. Inputs are in the page cache (every engine reads the same files).")
    L.append("- **vs Tidemark**: the engine's wall time divided by Tidemark's in the same repeat "
             "(below 1 = faster than Tidemark, above 1 = slower).")
    L.append("- **equal?**: the engine's output compared with Tidemark's as a multiset of rows: every row of both "
             "files is hashed over all columns in a canonical form (numbers as float64, so pandas' int -> float on "
             "unmatched rows does not count; timestamps as nanoseconds; strings by their bytes; nulls and NaN alike) "
             "and the sorted 64-bit hashes are compared. Row order is not compared.")
    once_above = a.get("once_above") or 0
    if repeat > 1:
        L.append(f"- Each figure is the median of {repeat} repeats (min–max in brackets); the engine order is "
                 "rotated in every repeat. The ratio is the median of the per-repeat ratios."
                 + (f" Inputs of more than {once_above:,} left rows run once (a single run per engine: "
                    "each takes minutes there)." if once_above else ""))
    else:
        L.append("- One repeat: each figure is a single run.")
    L.append(f"- pandas is skipped above {a['skip_pandas_above']:,} left rows (it needs about 20 GB at 60M rows).")
    if "tidemark-threads" in a["engines"]:
        L.append("- **Tidemark, --cluster off (threads)** is the same `bin/tidemark join` with `--cluster off`: the "
                 "engine on plain threads in one JVM, without the embedded cluster roles (coordinator, worker, "
                 "collector) that Tidemark runs by default. It is compared with Tidemark like any other engine.")
    if "floor" in a["engines"]:
        L.append("- **Floor** is not a join: `bench/floor.py` reads both inputs with pyarrow (C++, every core) and "
                 "writes one file of the join output's columns and rows (right's columns repeated to left's length), "
                 "with no memory bound. It is what reading and writing the data costs at least; its output is not "
                 "compared.")
    L.append("")
    L.append("| engine | what runs |")
    L.append("|---|---|")
    for e in a["engines"]:
        cmd = engine_cmd(e, "DIR", "ON", "BY", "OUT.parquet",
                         argparse.Namespace(memory=a["memory"]), "SPILL")
        cmd = [os.path.relpath(c, ROOT) if os.path.isabs(c) and c.startswith(os.path.dirname(ROOT)) else
               ("python3" if c == sys.executable else c) for c in cmd]
        L.append(f"| {engine_label(e)} | `{shlex.join(cmd)}` |")
    L.append("")
    for ds_name, ds in doc["datasets"].items():
        L.append(f"## {ds_name}: as-of on `{ds['on']}` by `{ds['by']}`, backward")
        L.append("")
        L.append(f"{ds['what']}. Input Parquet: " + "; ".join(
            f"{fmt_rows(int(r))} rows: left {s['left']['bytes'] / 1e6:,.0f} MB + right "
            f"{s['right']['bytes'] / 1e6:,.0f} MB ({fmt_rows(s['right']['rows'])} rows)"
            for r, s in ds["sizes"].items()) + ".")
        L.append("")
        L.append("| rows | engine | wall s | peak RSS MiB | vs Tidemark | equal? |")
        L.append("|---:|---|---:|---:|---:|---|")
        notes, own, own_threads, any_failed = [], [], [], False
        for rows in sorted(int(r) for r in ds["sizes"]):
            for e in a["engines"]:
                g = agg.get((ds_name, rows, e))
                if g is None:
                    continue
                label = engine_label(e)
                if e == "tidemark":
                    label = f"**{label}** (`--memory {a['memory']}`)"
                elif e in TIDEMARK_ENGINES:
                    label = f"{label} (`--memory {a['memory']}`)"
                if g["ok"]:
                    wall, rss = fmt_range(g["wall"], 2), fmt_range(g["rss"], 0)
                    ratio = "1.00×" if e == "tidemark" else (f"{median(g['ratio']):.2f}×" if g["ratio"] else "—")
                    equal = "/".join(x for x in g["equal"] if x) or "—"
                    if e == "tidemark":
                        equal = "(reference)"
                    if g["details"]:
                        pandas = agg.get((ds_name, rows, "pandas"))
                        oracle = ""
                        if e != "pandas" and pandas and pandas["ok"] and not pandas["details"] and "equal" in pandas["equal"]:
                            oracle = (" pandas, the oracle, gave the same rows as Tidemark in this run, so this engine departs"
                                      " from pandas' semantics here (for example a tie between right rows with the same"
                                      " key and time, which pandas resolves to the last one in input order).")
                        notes.append(f"{engine_label(e)} at {fmt_rows(rows)} rows differs from Tidemark: "
                                     f"{'; '.join(g['details'])}.{oracle}")
                    if g["failed"]:
                        equal += f"; {len(g['failed'])} of {g['n']} runs {failure_text(g['failed'])}"
                else:
                    f0 = g["failed"][0]
                    if f0["status"] == "skipped":
                        wall = rss = ratio = "—"
                        equal = "n/a (skipped)"
                    else:
                        wall = f"({fmt_num(f0.get('wall_s'), 2)})"
                        rss = f"({fmt_num(f0.get('peak_rss_kib', 0) / 1024, 0)})" if f0.get("peak_rss_kib") else "—"
                        ratio = "—"
                        any_failed = True
                        equal = f"n/a (engine failed: {failure_text(g['failed'])})"
                        notes.append(f"{engine_label(e)} at {fmt_rows(rows)} rows: {f0['status']} after {fmt_num(f0.get('wall_s'), 1)} s"
                                     + (f": `{f0['error']}`" if f0.get("error") else "") + ".")
                L.append(f"| {fmt_rows(rows)} | {label} | {wall} | {rss} | {ratio} | {equal} |")
                if e in TIDEMARK_ENGINES and g["ok"]:
                    (own if e == "tidemark" else own_threads).append(
                        f"{fmt_rows(rows)} rows: peak RSS {fmt_range(g['self_rss'], 0)} MiB, "
                        f"spilled {', '.join(g['spilled']) or '—'}")
        L.append("")
        if any_failed:
            L.append("Failures in brackets: the time and peak RSS until the engine failed.")
            L.append("")
        if own_threads:
            notes.insert(0, "Tidemark's own summary line with `--cluster off` (threads): " + "; ".join(own_threads) + ".")
        if own:
            notes.insert(0, "Tidemark's own summary line (its peak RSS is the JVM's VmHWM; the table shows "
                            "/usr/bin/time's figure): " + "; ".join(own) + ".")
        for n in notes:
            L.append(f"- {n}")
        L.append("")
        L.extend(goal_lines(doc, agg, ds_name, sorted(int(r) for r in ds["sizes"])))
        L.extend(growth_lines(agg, ds_name, sorted(int(r) for r in ds["sizes"]), a["engines"]))
    L.append(f"Raw measurements of every run (commands, exit codes, CPU times, row counts): "
             f"[{os.path.basename(doc.get('json_name', 'benchmarks.json'))}]({os.path.basename(doc.get('json_name', 'benchmarks.json'))}).")
    L.append("")
    return "\n".join(L)


STYLE = {  # engine -> (color, marker)
    "tidemark": ("#d62728", "o"),
    "tidemark-threads": ("#e6550d", "X"),
    "polars": ("#1f77b4", "s"),
    "polars-streaming": ("#17becf", "D"),
    "duckdb": ("#2ca02c", "^"),
    "pandas": ("#7f7f7f", "v"),
    "floor": ("#000000", "*"),
}


def render_png(doc, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    agg = summarize(doc)
    a = doc["config"]
    datasets = list(doc["datasets"])
    fig, axes = plt.subplots(len(datasets), 2, figsize=(13, 4.6 * len(datasets)), squeeze=False)
    budget_mib = parse_size_mib(a["memory"])

    def rows_fmt(x, _):
        if x >= 1e6:
            return f"{x / 1e6:g}M"
        if x >= 1e3:
            return f"{x / 1e3:g}k"
        return f"{x:g}"

    def mib_fmt(y, _):
        return f"{y / 1024:g} GiB" if y >= 1024 else f"{y:g} MiB"

    handles = {}
    for i, ds_name in enumerate(datasets):
        ax_rss, ax_wall = axes[i]
        all_rows = sorted(int(r) for r in doc["datasets"][ds_name]["sizes"])
        for e in a["engines"]:
            color, marker = STYLE.get(e, ("#9467bd", "P"))
            if DUCKDB_LIMITED.match(e):
                color, marker = "#98df8a", "v"
            lw = 2.8 if e == "tidemark" else 1.6
            ls = "--" if (e == "polars-streaming" or DUCKDB_LIMITED.match(e)) else "-"
            if e == "tidemark-threads":
                ls = "-."
            if e == "floor":
                ls = ":"
            xs, rss, wall, fx, frss, fwall, fstat = [], [], [], [], [], [], []
            for rows in all_rows:
                g = agg.get((ds_name, rows, e))
                if not g:
                    continue
                if g["ok"]:
                    xs.append(rows)
                    rss.append(median(g["rss"]))
                    wall.append(median(g["wall"]))
                elif g["failed"][0]["status"] != "skipped":
                    f0 = g["failed"][0]
                    fx.append(rows)
                    frss.append(f0.get("peak_rss_kib", 0) / 1024 or np.nan)
                    fwall.append(f0.get("wall_s") or np.nan)
                    fstat.append(f0["status"])
            label = engine_label(e) + (f" (--memory {a['memory']})" if e in TIDEMARK_ENGINES else "")
            for ax, ys, fys in [(ax_rss, rss, frss), (ax_wall, wall, fwall)]:
                if xs:
                    h, = ax.plot(xs, ys, color=color, marker=marker, lw=lw, ls=ls, ms=7, label=label,
                                 zorder=3 if e == "tidemark" else 2)
                    handles.setdefault(label, h)
                if fx:
                    ax.scatter(fx, fys, color=color, marker="x", s=90, lw=2.5, zorder=4)
                    for x, y, st in zip(fx, fys, fstat):
                        if not (isinstance(y, float) and math.isnan(y)):
                            ann = ax.annotate(f"{engine_label(e)}: {st}", xy=(x, y), xytext=(-8, 5),
                                              textcoords="offset points", fontsize=8, color="#333333",
                                              ha="right")
                            ann.set_in_layout(False)
                    handles.setdefault("failed run (OOM / crash / timeout)",
                                       ax.scatter([], [], color="black", marker="x", s=90, lw=2.5))
        if budget_mib:
            ax_rss.axhline(budget_mib, color="#d62728", ls=":", lw=1.2)
            ax_rss.annotate(f"Tidemark budget {a['memory']}", xy=(0.01, budget_mib), xycoords=("axes fraction", "data"),
                            xytext=(0, 4), textcoords="offset points", color="#d62728", fontsize=9)
        for ax, title, ylab in [(ax_rss, "peak RSS (whole process)", "peak RSS"),
                                (ax_wall, "wall time", "seconds")]:
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xticks(all_rows)
            ax.xaxis.set_major_formatter(FuncFormatter(rows_fmt))
            ax.xaxis.set_minor_formatter(NullFormatter())
            if len(all_rows) > 1:
                ax.set_xlim(all_rows[0] / 1.25, all_rows[-1] * 1.25)
            ax.set_xlabel(f"left rows ({ds_name}; right = 0.2 × left)")
            ax.set_ylabel(ylab)
            ax.set_title(f"{ds_name}: {title}", fontsize=12, loc="left")
            ax.grid(True, which="major", alpha=0.35)
            ax.grid(True, which="minor", alpha=0.12)
        lo, hi = ax_rss.get_ylim()
        if budget_mib:
            ax_rss.set_ylim(min(lo, budget_mib / 2), max(hi, budget_mib * 1.5))
        ax_rss.yaxis.set_major_locator(LogLocator(base=2))
        ax_rss.yaxis.set_major_formatter(FuncFormatter(mib_fmt))
        ax_rss.yaxis.set_minor_formatter(NullFormatter())
        ax_wall.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax_wall.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g} s"))
        ax_wall.yaxis.set_minor_formatter(NullFormatter())
    fig.legend(list(handles.values()), list(handles.keys()), loc="lower center",
               ncol=min(4, len(handles)), frameon=False, fontsize=10)
    fig.suptitle(f"As-of join, backward, unsorted Parquet in and out — {doc['machine']['nproc']} cores, "
                 f"{doc['machine']['mem_total_gib']} GiB RAM (lower is better)", fontsize=13)
    nleg_rows = math.ceil(len(handles) / 4)
    fig.tight_layout(rect=(0, 0.035 * nleg_rows + 0.02 / len(datasets), 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_size_mib(s):
    mm = re.match(r"^([\d.]+)\s*([kmgt]?)i?b?$", s.strip().lower())
    if not mm:
        return None
    return float(mm.group(1)) * {"": 1 / 1024 / 1024, "k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}[mm.group(2)]


def write_reports(doc, out):
    base = os.path.splitext(out)[0]
    png, js = base + ".png", base + ".json"
    doc["json_name"] = os.path.basename(js)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(js, "w") as f:
        json.dump(doc, f, indent=1)
    render_png(doc, png)
    with open(out, "w") as f:
        f.write(render_markdown(doc, os.path.basename(png)))
    return png, js


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--datasets", type=str_list, default=["logs", "taq"])
    p.add_argument("--rows", type=int_list, default=[5_000_000, 20_000_000])
    p.add_argument("--memory", default="1g", help="Tidemark's --memory")
    p.add_argument("--engines", type=str_list, default=ALL_ENGINES,
                   help="any of " + ",".join(ALL_ENGINES) + " (or duckdb-<N>gb / duckdb-<N>mb)")
    p.add_argument("--work", default="/tmp/tidemark-bench", help="generated data, outputs, logs, spill")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    p.add_argument("--skip-pandas-above", type=lambda s: int(s.replace("_", "")), default=20_000_001,
                   help="do not run pandas when the left side has more rows than this")
    p.add_argument("--once-above", type=lambda s: int(s.replace("_", "")), default=0,
                   help="run inputs of more left rows than this once, whatever --repeat says (0 = never)")
    p.add_argument("--timeout", type=float, default=0, help="seconds per engine run (0 = none)")
    p.add_argument("--keep-outputs", action="store_true", help="keep every output Parquet file and row hashes")
    p.add_argument("--render-only", action="store_true",
                   help="only rewrite --out and its .png from the .json next to it")
    a = p.parse_args()
    for d in a.datasets:
        if d not in DATASETS:
            p.error(f"unknown dataset {d!r}; known: {', '.join(DATASETS)}")
    for e in a.engines:
        if e not in ALL_ENGINES and not DUCKDB_LIMITED.match(e):
            p.error(f"unknown engine {e!r}; known: {', '.join(ALL_ENGINES)} (or duckdb-<N>gb)")
    if a.repeat < 1:
        p.error("--repeat must be at least 1")
    a.out = os.path.abspath(a.out)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    js = os.path.splitext(a.out)[0] + ".json"
    if a.render_only:
        with open(js) as f:
            doc = json.load(f)
    else:
        if "tidemark" not in a.engines:
            print("note: tidemark is not among --engines: nothing to compare against", file=sys.stderr)
        t0 = time.perf_counter()
        doc = run_all(a, js)
        doc["total_s"] = round(time.perf_counter() - t0, 1)
    png, js = write_reports(doc, a.out)
    print(f"wrote {a.out}, {png}, {js}")
    bad = [r for r in doc["runs"] if r.get("equal") == "DIFFERENT"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
