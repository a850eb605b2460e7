package io.tidemark.engine.partition;

import io.tidemark.engine.io.ChunkBuffers;
import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.RowGroupReader;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.shard.PieceSplitter;
import io.tidemark.protocol.NullKeys;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * The map side, one per thread and side: reads row groups into byte-capped Arrow batches, adds the
 * normalized on key, the input ordinal and the by-key hash (hashed once per row, here; time ranges,
 * whose files leave the hash out, are not hashed), and routes each row to its hash bucket's spill
 * file, or to its time range's when cut by on-key boundaries (a left row with a NULL on key goes to
 * the last range). Right rows that can never match (NULL on, or
 * NULL by with {@code --null-keys never}) are dropped here.
 */
public final class Partitioner
        implements AutoCloseable
{
    private final JoinPlan plan;
    private final Side side;
    private final int buckets;
    private final TimeCuts cuts;
    private final long batchBytes;
    private final BufferAllocator allocator;
    private final RoutedWriter writer;
    /** The compressed chunks' arrays, kept from one row group to the next (at most about the table's largest row group). */
    private final ChunkBuffers chunks;
    /**
     * Whether rows are hashed: to route them to hash buckets, or for files that hold the hash. Time
     * ranges route by on key and their loaders hash the rows again, so their rows are not hashed here.
     */
    private final boolean hashed;

    public Partitioner(JoinPlan plan, Side side, int buckets, long batchBytes, BufferAllocator allocator, SpillDir dir, int thread)
    {
        this(plan, side, buckets, null, batchBytes, allocator, dir, thread);
    }

    /** Routes by time: {@code cuts.length + 1} ranges, a row to the range of its on key ({@link PieceSplitter#rangeOf}). */
    public static Partitioner byTime(JoinPlan plan, Side side, long[] cuts, long batchBytes, BufferAllocator allocator, SpillDir dir,
            int thread)
    {
        return new Partitioner(plan, side, cuts.length + 1, new TimeCuts(cuts), batchBytes, allocator, dir, thread);
    }

    private Partitioner(JoinPlan plan, Side side, int buckets, TimeCuts cuts, long batchBytes, BufferAllocator allocator, SpillDir dir,
            int thread)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.side = requireNonNull(side, "side is null");
        this.buckets = buckets;
        this.cuts = cuts;
        this.batchBytes = batchBytes;
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.writer = new RoutedWriter(plan.spillLayout(side), allocator, dir, side.name().toLowerCase() + "-t" + thread + (cuts == null ? "-b" : "-r"), buckets);
        this.hashed = cuts == null || plan.spillLayout(side).isStored(JoinPlan.HASH);
        // what one reader holds at once anyway; arrays are rounded up by at most an eighth
        this.chunks = new ChunkBuffers(plan.table(side).largestRowGroup().compressedBytes() / 8 * 9);
    }

    /** Partitions one row group; {@code progress} receives rows as they are read. */
    public void partition(InputFile file, int rowGroup, LongConsumer progress)
    {
        Schema tableSchema = plan.table(side).schema();
        BlockMetaData block = file.footer().getBlocks().get(rowGroup);
        long firstOrdinal = file.firstOrdinal();
        for (int g = 0; g < rowGroup; g++) {
            firstOrdinal += file.footer().getBlocks().get(g).getRowCount();
        }
        long rowBytes = Math.max(16, block.getTotalByteSize() / Math.max(1, block.getRowCount()) + 24);
        int maxRows = (int) Math.max(1024, Math.min(1 << 17, batchBytes / rowBytes));
        boolean dropNullBy = plan.spec().nullKeys() == NullKeys.NEVER && side == Side.RIGHT;
        try (RowGroupReader reader = new RowGroupReader(file, rowGroup, tableSchema, chunks);
                VectorSchemaRoot in = VectorSchemaRoot.create(tableSchema, allocator);
                BigIntVector on = new BigIntVector("__on", allocator);
                BigIntVector ord = new BigIntVector("__ord", allocator);
                BigIntVector hash = new BigIntVector("__hash", allocator)) {
            long ordinal = firstOrdinal;
            int n;
            while ((n = reader.next(in, maxRows)) > 0) {
                route(in, n, ordinal, on, ord, hash, dropNullBy);
                ordinal += n;
                progress.accept(n);
            }
        }
    }

    /**
     * Routes one batch of {@code n} rows read, the first with input ordinal {@code ordinal}. Its
     * loops are methods of their own, and hold no branch on the side: the JIT compiles each once
     * for both sides (a branch the left side never took made the right side's first batch throw
     * away the whole compiled read loop, several times per run).
     */
    private void route(VectorSchemaRoot in, int n, long ordinal, BigIntVector on, BigIntVector ord, BigIntVector hash, boolean dropNullBy)
    {
        plan.onKey(side).normalize(in.getVector(plan.onColumn(side)), n, on);
        ord.setInitialCapacity(n);
        ord.allocateNew();
        KeyColumns keys = new KeyColumns(in, plan.byColumns(side));
        if (hashed) {
            hash.setInitialCapacity(n);
            hash.allocateNew();
            numberAndHash(keys, n, ordinal, ord, hash);
            hash.setValueCount(n);
        }
        else {
            number(n, ordinal, ord);   // the hash column stays empty: no file holds it
        }
        int[] target = targets(on, hash, n);
        dropUnmatchable(on, keys, side == Side.RIGHT, dropNullBy, target, n);
        ord.setValueCount(n);
        List<FieldVector> vectors = new ArrayList<>(List.of(on, ord, hash));
        vectors.addAll(in.getFieldVectors());
        int[][] routed = RoutedWriter.route(target, n, buckets);
        sample(on, ord, hash, target, n);
        writer.write(vectors.toArray(new FieldVector[0]), routed[0], routed[1]);   // the spill schema's columns
    }

    /** Each row's input ordinal and by-key hash ({@link KeyColumns#hash}: 0 without by keys). */
    private static void numberAndHash(KeyColumns keys, int n, long ordinal, BigIntVector ord, BigIntVector hash)
    {
        for (int i = 0; i < n; i++) {
            ord.set(i, ordinal + i);
            hash.set(i, keys.hash(i));
        }
    }

    /** Each row's input ordinal. */
    private static void number(int n, long ordinal, BigIntVector ord)
    {
        for (int i = 0; i < n; i++) {
            ord.set(i, ordinal + i);
        }
    }

    /** Each row's bucket: its time range (a NULL on key: the last), or its hash's bucket. */
    private int[] targets(BigIntVector on, BigIntVector hash, int n)
    {
        int[] target = new int[n];
        if (buckets == 1) {
            return target;
        }
        for (int i = 0; i < n; i++) {
            target[i] = cuts != null ? (on.isNull(i) ? buckets - 1 : cuts.rangeOf(on.get(i))) : (int) Long.remainderUnsigned(hash.get(i), buckets);
        }
        return target;
    }

    /** Right rows that can never match (NULL on, or NULL by under {@code --null-keys never}) get target -1; evaluated without branches. */
    private static void dropUnmatchable(BigIntVector on, KeyColumns keys, boolean right, boolean dropNullBy, int[] target, int n)
    {
        for (int i = 0; i < n; i++) {
            if (right & (on.isNull(i) | (dropNullBy & keys.anyNull(i)))) {
                target[i] = -1;
            }
        }
    }

    /** Offers every routed row with an on key to its bucket's sample. */
    private void sample(BigIntVector on, BigIntVector ord, BigIntVector hash, int[] target, int n)
    {
        for (int i = 0; i < n; i++) {
            if (target[i] >= 0 && !on.isNull(i)) {
                if (hashed) {
                    writer.fragments(target[i]).row(on.get(i), ord.get(i), hash.get(i));
                }
                else {
                    writer.fragments(target[i]).row(on.get(i), ord.get(i));
                }
            }
        }
    }

    public Fragments fragments(int bucket)
    {
        return writer.fragments(bucket);
    }

    public long bytesWritten()
    {
        return writer.bytesWritten();
    }

    @Override
    public void close()
    {
        chunks.clear();
        writer.close();
    }
}
