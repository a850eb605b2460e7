package io.tidemark.engine;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.OnSampler;
import io.tidemark.engine.io.RowGroupReader;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.shard.PieceSplitter;
import io.tidemark.engine.shard.TimelineRunner;
import io.tidemark.engine.vec.Gather;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.JoinSpec;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Whether a join takes the one-sort plan, and its time cuts: decided before anything is spilled,
 * from a projection read of the on columns (a sample, for the cuts) and of the right side's by
 * columns (a sketch of its distinct keys, for the carried rows: one per key, which must fit {@link
 * MemoryBudget#carryBytes} off heap and {@link MemoryBudget#carryHeapBytes} on it). As many
 * ranges as the hash plan would have buckets, each fitting the CPU cache and a piece.
 */
public record TimelinePlan(long[] cuts, long carryBytes)
{
    /** Rows a side's row size is measured on. */
    private static final int SIZED_ROWS = 1 << 14;

    public TimelinePlan
    {
        cuts = requireNonNull(cuts, "cuts is null").clone();
    }

    @Override
    public long[] cuts()
    {
        return cuts.clone();
    }

    public int ranges()
    {
        return cuts.length + 1;
    }

    /**
     * Whether a join can take this plan at all: backward as-of joins (exact joins and the other
     * directions hash by key), unless {@code -Dtidemark.timeline=false} (for comparing the plans).
     */
    public static boolean applies(JoinSpec spec)
    {
        return !spec.exact() && spec.direction() == Direction.BACKWARD && !"false".equals(System.getProperty("tidemark.timeline"));
    }

    /** The plan of a join, or null when it hashes by key (another kind of join, or too many keys to carry). */
    public static TimelinePlan of(JoinPlan plan, MemoryBudget budget, int workers, BufferAllocator allocator)
    {
        if (!applies(plan.spec())) {
            return null;
        }
        int threads = Math.max(1, Math.min(4, workers));   // each reads a batch of its columns at a time
        List<RowSize> rows = Workers.map(threads, 2, i -> rowBytes(plan.table(i == 0 ? Side.RIGHT : Side.LEFT), allocator));
        RowSize rightRow = rows.get(0);
        long rightRowBytes = rightRow.bytes();
        int ranges = ranges(plan, budget, workers, rows.get(1).bytes(), rightRowBytes);
        int wanted = Math.min(1 << 16, ranges * 64);
        // both sides' parts (row groups, dictionaries) on every thread, the right's first (it may decode every row group)
        OnSampler.Parts rightParts = OnSampler.parts(plan.table(Side.RIGHT), plan.onColumn(Side.RIGHT), plan.onKey(Side.RIGHT),
                plan.byColumns(Side.RIGHT), wanted);
        OnSampler.Parts leftParts = OnSampler.parts(plan.table(Side.LEFT), plan.onColumn(Side.LEFT), plan.onKey(Side.LEFT), new int[0], wanted);
        int split = rightParts.count();
        List<OnSampler.Part> read = Workers.map(threads, split + leftParts.count(),
                i -> i < split ? rightParts.read(i, allocator) : leftParts.read(i - split, allocator));
        OnSampler.Sample right = rightParts.merge(read.subList(0, split));
        OnSampler.Sample left = leftParts.merge(read.subList(split, read.size()));
        long keys = right.byKeys().distinct();
        long held = Math.max(8, rightRowBytes - plan.spillLayout(Side.RIGHT).leftOutBytes());
        long carry = TimelineRunner.carryBytes(keys, held, rightRow.widest());
        if (carry > budget.carryBytes() || TimelineRunner.carryHeapBytes(keys) > budget.carryHeapBytes()) {
            return null;
        }
        return new TimelinePlan(PieceSplitter.boundaries(left.keys(), right.keys(), ranges), carry);
    }

    /** Arrow bytes of a spilled row, and of its widest column (at least the 8 of the on key, ordinal and hash). */
    private record RowSize(long bytes, long widest) {}

    /**
     * Arrow bytes of one row of a side as spilled (its columns with their offsets and validity, plus
     * on key, ordinal and hash), measured on the first rows of the first row group: Parquet's own
     * sizes say little (dictionaries). Only the variable-width columns are read (a fixed width needs
     * no reading), so a table of numbers reads nothing and logs' left side a third of its row group.
     */
    private static RowSize rowBytes(InputTable table, BufferAllocator allocator)
    {
        List<Field> fields = table.schema().getFields();
        for (InputFile file : table.files()) {
            for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                long groupRows = file.footer().getBlocks().get(g).getRowCount();
                if (groupRows == 0) {
                    continue;
                }
                int n = (int) Math.min(SIZED_ROWS, groupRows);
                long[] columnBytes = new long[fields.size()];
                List<Integer> variable = new ArrayList<>();
                for (int c = 0; c < fields.size(); c++) {
                    try (FieldVector v = fields.get(c).createVector(allocator)) {   // no buffers until allocated
                        columnBytes[c] = (long) n * fixedBytes(v);
                        if (v instanceof BaseVariableWidthVector) {
                            variable.add(c);
                        }
                    }
                }
                if (!variable.isEmpty()) {
                    int[] projection = variable.stream().mapToInt(Integer::intValue).toArray();
                    try (RowGroupReader reader = new RowGroupReader(file, g, table.schema(), projection);
                            VectorSchemaRoot root = VectorSchemaRoot.create(reader.schema(), allocator)) {
                        reader.next(root, n);
                        for (int i = 0; i < projection.length; i++) {
                            columnBytes[projection[i]] += Gather.usedBytes(root.getVector(i), n);
                        }
                    }
                }
                long bytes = 0;
                long widest = 0;
                for (long column : columnBytes) {
                    bytes += column;
                    widest = Math.max(widest, column);
                }
                int columns = fields.size() + 3;
                return new RowSize((bytes + (long) n * columns / 8) / n + 3 * 8, Math.max(8, widest / n + 1));
            }
        }
        return new RowSize(0, 0);
    }

    /** Bytes per row besides variable-width data: a fixed width, or a variable width's offset. */
    private static int fixedBytes(FieldVector vector)
    {
        if (vector instanceof BaseFixedWidthVector) {
            return ((BaseFixedWidthVector) vector).getTypeWidth();
        }
        return vector instanceof BaseVariableWidthVector ? 4 : 0;
    }

    /**
     * Ranges of about {@link MemoryBudget#bucketBytes} of spilled rows each (measured Arrow row
     * bytes; Parquet's sizes understate strings), at most three quarters of a piece so that a range
     * is cut into pieces only when the times are skewed, and at least two per worker.
     */
    private static int ranges(JoinPlan plan, MemoryBudget budget, int workers, long leftRowBytes, long rightRowBytes)
    {
        long bytes = plan.table(Side.LEFT).rows() * leftRowBytes + plan.table(Side.RIGHT).rows() * rightRowBytes;
        long rows = plan.table(Side.LEFT).rows() + plan.table(Side.RIGHT).rows();
        long byBytes = (long) Math.ceil((double) bytes / Math.min(budget.bucketBytes(), budget.timelinePieceBytes() * 3 / 4));
        long byRows = (long) Math.ceil(rows / (budget.pieceRows() * 0.6));
        return (int) Math.min(4096, Math.max(2L * workers, Math.max(byBytes, byRows)));
    }
}
