#!/usr/bin/env python3
"""Prints the README's results table from a JMH JSON result file.

  java -jar bench/jmh/target/benchmarks.jar -rf json -rff bench/jmh/target/results.json
  python3 bench/jmh/table.py bench/jmh/target/results.json

Every stage is compared with the floor that bounds it: stages that consume or produce the Parquet
file against the sequential read of that file (FloorBench.sequentialRead), in-memory stages
against memcpy (FloorBench.memcpy), RadixSort against Arrays.sort of as many longs.
"""
import json
import sys


def main(path):
    runs = json.load(open(path))
    by = {}
    for r in runs:
        name = r["benchmark"].rsplit(".", 2)
        key = (name[-2] + "." + name[-1], tuple(sorted(r.get("params", {}).items())))
        sec = {k: v["score"] for k, v in r.get("secondaryMetrics", {}).items()}
        by[key] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], sec, r.get("params", {}))

    def get(bench, **params):
        want = tuple(sorted((k, str(v)) for k, v in params.items()))
        return by.get((bench, want))

    read = get("FloorBench.sequentialRead")
    copy = get("FloorBench.memcpy")
    read_mb = read[2]["MB"] if read else float("nan")
    copy_mb = copy[2]["MB"] if copy else float("nan")

    rows = []

    def ms(ops):
        return "%.1f" % (1000.0 / ops) if ops else "-"

    def err(r):
        score, error = r[0], r[1]
        return "±%.0f%%" % (100.0 * error / score) if score and error == error else ""

    def mrows(r):
        return "%.1f" % (r[2]["rows"] / 1e6) if "rows" in r[2] else "-"

    def pct(x, floor):
        return "%.1f%% (%.0fx below)" % (100.0 * x / floor, floor / x) if x < floor else "%.0f%% (%.1fx above)" % (100.0 * x / floor, x / floor)

    if read:
        rows.append(("floor: sequential read", "1 MiB direct buffer", ms(read[0]), err(read), "-", "%.0f file" % read_mb, "= 100%"))
    if copy:
        rows.append(("floor: memcpy", "ArrowBuf to ArrowBuf", ms(copy[0]), err(copy), "-", "%.0f" % copy_mb, "= 100%"))
    r = get("DecodeBench.decode")
    if r:
        rows.append(("1 decode Parquet to Arrow", "1M rows", ms(r[0]), err(r), mrows(r),
                     "%.0f file / %.0f Arrow" % (r[2]["fileMB"], r[2]["arrowMB"]),
                     "file %s of seq. read" % pct(r[2]["fileMB"], read_mb)))
    r = get("PartitionBench.partition", buckets=32)
    if r:
        rows.append(("2 partition (incl. decode)", "1M rows, 32 buckets", ms(r[0]), err(r), mrows(r),
                     "%.0f file / %.0f spill" % (r[2]["fileMB"], r[2]["spillMB"]),
                     "file %s of seq. read" % pct(r[2]["fileMB"], read_mb)))
    for n in ("1000000", "4000000"):
        radix = get("SortBench.radixSort", n=n)
        floor = get("SortBench.arraysSort", n=n)
        if radix and floor:
            rows.append(("3 sort: RadixSort.sort", "%dM keys" % (int(n) // 1000000), ms(radix[0]), err(radix), mrows(radix), "-",
                         "%s of Arrays.sort" % pct(radix[2]["rows"], floor[2]["rows"])))
            rows.append(("3 floor: Arrays.sort(long[])", "%dM keys" % (int(n) // 1000000), ms(floor[0]), err(floor), mrows(floor), "-", "= 100%"))
    for d in ("BACKWARD", "NEAREST"):
        for layout in ("sorted", "shuffled"):
            r = get("AsofBench.match", direction=d, layout=layout)
            if r:
                rows.append(("4 as-of merge", "%s, %s" % (d.lower(), layout), ms(r[0]), err(r), mrows(r), "%.0f arrays" % r[2]["arrayMB"],
                             "%s of memcpy" % pct(r[2]["arrayMB"], copy_mb)))
    for c in ("bigint", "varchar"):
        for i in ("random", "sequential"):
            r = get("GatherBench.gather", column=c, index=i)
            if r:
                rows.append(("5 gather", "%s, %s index" % (c, i), ms(r[0]), err(r), mrows(r), "%.0f out" % r[2]["outMB"],
                             "%s of memcpy" % pct(r[2]["outMB"], copy_mb)))
    r = get("EncodeBench.encode")
    if r:
        rows.append(("6 encode Arrow to Parquet", "1M rows", ms(r[0]), err(r), mrows(r),
                     "%.0f Arrow / %.0f file" % (r[2]["arrowMB"], r[2]["fileMB"]),
                     "file %s of seq. read" % pct(r[2]["fileMB"], read_mb)))

    head = ("Stage", "Case", "ms/op", "err", "Mrows/s", "MB/s", "vs floor")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---", "---", "---:", "---:", "---:", "---:", "---"]) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/jmh/target/results.json")
