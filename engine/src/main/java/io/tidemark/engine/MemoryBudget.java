package io.tidemark.engine;

import io.tidemark.protocol.ResourceSpec;

/**
 * How one process divides its {@code --memory} budget (peak RSS). The launcher gives the JVM heap
 * {@link #HEAP_SHARE} of it and leaves {@link #NATIVE_SHARE} to the JVM itself (metaspace, code,
 * threads, GC, malloc arenas); Arrow's off-heap allocator is capped at {@link #ARROW_SHARE}. Inside
 * those caps: each worker loads one piece at a time, bounded in bytes (off heap) and rows (its
 * primitive key arrays live on heap); batches and row groups are bounded in bytes.
 * See docs/memory-model.md.
 */
public final class MemoryBudget
{
    public static final double HEAP_SHARE = 0.30;
    public static final double ARROW_SHARE = 0.40;
    public static final double NATIVE_SHARE = 0.30;
    /** The JVM's own native memory never gets less than this (metaspace, code cache, threads, GC). */
    public static final long MIN_NATIVE_BYTES = 100L << 20;
    /**
     * Heap bytes per loaded row: on key, ordinal, hash, key id, sort buffers, match, and the ids
     * of up to four string columns of few values (2 bytes each, {@code ValueIds}).
     */
    public static final int HEAP_BYTES_PER_ROW = 72;
    /** The one-sort plan's carried rows: at most this share of Arrow's cap, else the join hashes by key. */
    public static final double CARRY_SHARE = 0.6;
    /** About half of a typical shared L3 cache, so two workers' buckets fit in it together. */
    public static final long CACHE_FRIENDLY_BUCKET_BYTES = 16L << 20;
    /** Heap kept for Parquet page buffers of readers (one row group per worker) and the writer. */
    public static final long HEAP_RESERVE_FRACTION_DIVISOR = 3;

    private final long total;
    private final long arrow;
    private final long heap;
    private final int workers;
    private final long rowGroupBytes;
    private final long pieceLimitRows;
    private final long carryLimit;

    public MemoryBudget(ResourceSpec resources, long heapMax)
    {
        this(resources, heapMax, 0, -1);
    }

    private MemoryBudget(ResourceSpec resources, long heapMax, long pieceLimitRows, long carryLimit)
    {
        this.total = resources.memoryBytes();
        this.workers = resources.workers();
        this.heap = heapMax > 0 ? Math.min(heapMax, total) : (long) (total * HEAP_SHARE);
        // Arrow gets what the launcher's heap and the native reserve leave; a JVM not sized for this
        // budget (the engine embedded in a larger process, tests) gives Arrow its plain share.
        long left = total - heap - nativeReserve(total);
        this.arrow = left >= total / 4 ? left : (long) (total * ARROW_SHARE);
        this.rowGroupBytes = resources.rowGroupBytes();
        this.pieceLimitRows = pieceLimitRows;
        this.carryLimit = carryLimit;
    }

    /**
     * What the JVM itself may use of {@code total}: the launcher's reserve when {@code total} is the
     * process's whole budget (bin/tidemark sets a larger one for a process running cluster roles),
     * else {@link #NATIVE_SHARE} of it, at least {@link #MIN_NATIVE_BYTES}.
     */
    static long nativeReserve(long total)
    {
        long launcher = Long.getLong("tidemark.native", 0);
        if (launcher > 0 && total == Long.getLong("tidemark.memory", 0)) {
            return launcher;
        }
        return Math.max((long) (total * NATIVE_SHARE), MIN_NATIVE_BYTES);
    }

    /** The same budget with pieces capped at {@code rows}: forces time pieces and carried rows on small data. */
    public MemoryBudget withPieceRows(long rows, ResourceSpec resources)
    {
        return new MemoryBudget(resources, heap, rows, carryLimit);
    }

    /** The same budget with the carried rows capped at {@code bytes}: forces the hash plan on small data. */
    public MemoryBudget withCarryBytes(long bytes, ResourceSpec resources)
    {
        return new MemoryBudget(resources, heap, pieceLimitRows, bytes);
    }

    public long total()
    {
        return total;
    }

    /** The cap of the root Arrow allocator. */
    public long arrowLimit()
    {
        return arrow;
    }

    /** Bytes of one input or output batch. */
    public long batchBytes()
    {
        return Math.max(1 << 20, Math.min(8L << 20, arrow / (8L * workers)));
    }

    /** What the one-sort plan's carried rows may take (off heap): {@link #CARRY_SHARE} of Arrow's cap. */
    public long carryBytes()
    {
        return carryLimit >= 0 ? carryLimit : (long) (arrow * CARRY_SHARE);
    }

    /**
     * What the one-sort plan's carried rows' hash table may take on the heap: the readers' reserve
     * (see {@link #pieceRows}), which no Parquet reader holds while pieces are joined (the ranges
     * are joined once every input row is partitioned).
     */
    public long carryHeapBytes()
    {
        return heap / HEAP_RESERVE_FRACTION_DIVISOR;
    }

    /**
     * The largest piece of the one-sort plan: what the carried rows leave of Arrow's cap, per worker,
     * over four copies of a piece at once (left rows; right rows, which grow to take the carried ones
     * appended, the larger vectors beside the old while each is copied; the carried rows as looked
     * up; output batches).
     */
    public long timelinePieceBytes()
    {
        return Math.max(1 << 20, (long) (arrow * (1 - CARRY_SHARE)) / (4L * workers));
    }

    /** Bytes of spilled rows (left plus right) one worker may load as one piece. */
    public long pieceBytes()
    {
        if (pieceLimitRows > 0) {
            return Long.MAX_VALUE / 4;   // rows decide
        }
        return Math.max(1 << 20, (long) (arrow * 0.7 / workers) - 2 * batchBytes());
    }

    /**
     * Target bytes of one hash bucket: small enough that a worker's random gathers (sorting rows into
     * output order) hit the CPU cache, never more than a piece. Buckets that grow past a piece (hot
     * keys) are cut into time pieces instead.
     */
    public long bucketBytes()
    {
        return Math.min(pieceBytes(), CACHE_FRIENDLY_BUCKET_BYTES);
    }

    /** Rows one worker may load as one piece, bounded by the heap its key arrays take. */
    public long pieceRows()
    {
        if (pieceLimitRows > 0) {
            return pieceLimitRows;
        }
        long writers = workers * Math.min(rowGroupBytes(), heap / 8);   // directory output: one open row group per worker
        long usable = heap - heap / HEAP_RESERVE_FRACTION_DIVISOR - writers;
        return Math.max(10_000, usable / workers / HEAP_BYTES_PER_ROW);
    }

    /**
     * How many threads may read Parquet at once: each holds one compressed row group and a page per
     * column on the heap (parquet-java reads a row group whole). Fails clearly when not even one fits.
     */
    public int readers(io.tidemark.engine.io.InputTable table)
    {
        io.tidemark.engine.io.InputTable.LargestRowGroup largest = table.largestRowGroup();
        return readers(largest.compressedBytes(), table.schema().getFields().size(), largest.where());
    }

    /** As {@link #readers(io.tidemark.engine.io.InputTable)} for row groups of a given compressed size. */
    public int readers(long rowGroupBytes, int columns, String where)
    {
        long perReader = rowGroupBytes + columns * (2L << 20);
        long usable = (long) (heap * 0.7);
        if (perReader > usable) {
            // the JVM reports a little less heap than the launcher's -Xmx (one survivor space): scale by what it gave
            long launcherHeap = (total - Math.max((long) (total * NATIVE_SHARE), MIN_NATIVE_BYTES)) * 3 / 7;
            double given = launcherHeap > 0 && heap < launcherHeap ? (double) heap / launcherHeap : 1.0;
            long heapNeeded = (long) (perReader / 0.7 / given);
            long small = heapNeeded * 7 / 3 + MIN_NATIVE_BYTES;   // the launcher's split while native memory is at its floor
            long needed = (small <= MIN_NATIVE_BYTES / NATIVE_SHARE ? small : (long) (heapNeeded / HEAP_SHARE)) + (1L << 20);
            throw io.tidemark.protocol.TidemarkException.fatal(where + " has row groups of " + io.tidemark.engine.partition.Bytes.format(rowGroupBytes)
                    + " (compressed), more than --memory " + io.tidemark.engine.partition.Bytes.format(total) + " can read; raise --memory to at least "
                    + io.tidemark.engine.partition.Bytes.format(needed) + " or write the input with smaller row groups");
        }
        return (int) Math.max(1, Math.min(workers, usable / perReader));
    }

    /**
     * Output row groups are cut at {@code --row-group-size}, or smaller when one open row group per
     * worker would not fit the heap's share for writers.
     */
    public long rowGroupBytes()
    {
        return Math.max(1L << 20, Math.min(rowGroupBytes, (long) (heap * 0.4 / workers)));
    }

    /** Batch bytes of shard runs, so that one batch of every run fits while merging them. */
    public long runBatchBytes(int runs)
    {
        return Math.max(64 << 10, Math.min(batchBytes(), (long) (arrow * 0.6 / Math.max(1, runs))));
    }

    public int workers()
    {
        return workers;
    }
}
