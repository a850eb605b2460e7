package io.tidemark.engine.shard;

import io.tidemark.engine.io.KeyIdColumn;
import io.tidemark.engine.kernel.ValueIds;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.OutputColumn;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds output batches from (left row, right row) pairs by gathering each output column from its
 * side, a byte-capped batch at a time; a right row of -1 gives nulls. String columns of few values
 * are numbered per piece ({@link ValueIds}): their strings are copied from each value's first row,
 * and the batch carries the ids for the encoder ({@link KeyIdColumn}), as it does the by key's.
 */
public final class OutputAssembler
        implements AutoCloseable
{
    /** String columns numbered besides the by key: each costs 2 bytes of heap per loaded row ({@link ValueIds}). */
    static final int MAX_NUMBERED = 4;

    private final List<OutputColumn> columns;
    private final ShardData left;
    private final ShardData right;
    private final ShardSink sink;
    private final VectorSchemaRoot batch;
    private final int batchRows;
    private final int[] lIdx;
    private final int[] rIdx;
    private final long[] cuts;
    private final org.apache.arrow.vector.BigIntVector leftOn;
    /** The left rows' by-key ids (equal for equal keys, -1 for none) when the batches number the by column ({@link #keyed}), else null. */
    private final int[] leftKey;
    /** The output column that is the left's by key ({@link #keyed(JoinPlan)}), or -1. */
    private final int keyed;
    /** The output columns the batches number, in the order of their id vectors ({@link #numbered}). */
    private final int[] numbered;
    /** Per output column: its source rows' values numbered, or null (not a numbered string column besides the by key, or too many values). */
    private final ValueIds[] values;
    /** Per output column: whether its source holds a NULL (read once per piece, not once per batch). */
    private final boolean[] sourceNulls;
    /** Scratch: the rows a numbered column's strings are copied from ({@link #sourceRows}). */
    private final int[] firstRows;
    /** Whether batches end with the left on key and ordinal, which merging runs needs ({@link #runSchema}). */
    private final boolean runKeys;
    private int range = -1;
    private int pending;
    private long rows;
    private long matched;

    /**
     * @param cuts on-key boundaries of output ranges: a batch never spans two ranges, so a sink can
     *        send each range to its own writer (empty: one range)
     * @param runKeys end batches with the left on key and ordinal, for a merge of runs; without them
     *        ({@link #orderedSchema}) for output already in order (the one-sort plan's pieces)
     */
    OutputAssembler(JoinPlan plan, ShardData left, ShardData right, int[] leftKey, BufferAllocator allocator, long batchBytes, long[] cuts,
            boolean runKeys, ShardSink sink)
    {
        this.runKeys = runKeys;
        this.keyed = keyed(plan);
        this.leftKey = keyed >= 0 ? leftKey : null;
        this.cuts = cuts;
        this.leftOn = (org.apache.arrow.vector.BigIntVector) left.vector(JoinPlan.ON);
        this.columns = plan.output().columns();
        this.left = left;
        this.right = right;
        this.sink = sink;
        this.batch = VectorSchemaRoot.create(runKeys ? runSchema(plan) : orderedSchema(plan), allocator);
        this.sourceNulls = new boolean[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            sourceNulls[c] = Gather.hasNulls(source(c));
        }
        this.numbered = numbered(plan);
        this.values = new ValueIds[columns.size()];
        for (int c : numbered) {
            FieldVector source = source(c);
            if (c != keyed && source instanceof BaseVariableWidthVector && source.getValueCount() > 0) {
                values[c] = ValueIds.of((BaseVariableWidthVector) source);
            }
        }
        long rowBytes = (runKeys ? 16 : 0) + 4L * numbered.length + bytesPerRow(left) + bytesPerRow(right);   // __on, __ord and ids too
        this.batchRows = (int) Math.max(256, Math.min(1 << 16, batchBytes / rowBytes));
        this.lIdx = new int[batchRows];
        this.rIdx = new int[batchRows];
        this.firstRows = new int[batchRows];
    }

    /**
     * The schema of a shard's output: output columns, ids numbering its string columns ({@link
     * #numbered}; {@link KeyIdColumn}: their encoders hash each value once per batch), then the
     * left on key and ordinal (always the last two).
     */
    public static Schema runSchema(JoinPlan plan)
    {
        List<Field> fields = new ArrayList<>(orderedSchema(plan).getFields());
        fields.add(new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field("__ord", FieldType.nullable(new ArrowType.Int(64, true)), null));
        return new Schema(fields);
    }

    /** The schema of output that needs no merge: {@link #runSchema} without the left on key and ordinal. */
    public static Schema orderedSchema(JoinPlan plan)
    {
        List<Field> fields = new ArrayList<>(plan.output().schema().getFields());
        for (int column : numbered(plan)) {
            fields.add(KeyIdColumn.field(column));
        }
        return new Schema(fields);
    }

    /**
     * The output columns whose rows the batches number: the left's by key when that is one string
     * column ({@link #keyed}), by its key ids; then up to {@link #MAX_NUMBERED} other string
     * columns, by {@link ValueIds} (ids of -1 where a piece's column has too many values).
     */
    private static int[] numbered(JoinPlan plan)
    {
        int keyed = keyed(plan);
        List<OutputColumn> columns = plan.output().columns();
        List<Integer> out = new ArrayList<>();
        if (keyed >= 0) {
            out.add(keyed);
        }
        for (int c = 0; c < columns.size() && out.size() < MAX_NUMBERED + (keyed >= 0 ? 1 : 0); c++) {
            if (c != keyed && KeyIdColumn.numbers(columns.get(c).field().getType())) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The output column that is the left's by key, when that is one string column, else -1. */
    private static int keyed(JoinPlan plan)
    {
        int[] by = plan.byColumns(Side.LEFT);
        List<OutputColumn> columns = plan.output().columns();
        for (int c = 0; by.length == 1 && c < columns.size(); c++) {
            OutputColumn column = columns.get(c);
            if (column.side() == Side.LEFT && column.source() == by[0] && KeyIdColumn.numbers(column.field().getType())) {
                return c;
            }
        }
        return -1;
    }

    private static long bytesPerRow(ShardData data)
    {
        if (data == null || data.rows() == 0) {
            return 0;
        }
        long total = 0;
        for (FieldVector v : data.root().getFieldVectors()) {
            total += v.getBufferSize();
        }
        return total / data.rows();
    }

    void add(int leftRow, int rightRow)
    {
        if (cuts.length > 0) {
            boolean nullKey = leftOn.isNull(leftRow);
            int r = PieceSplitter.rangeOf(cuts, nullKey, nullKey ? 0 : leftOn.get(leftRow));
            if (r != range) {
                flush();
                range = r;
            }
        }
        lIdx[pending] = leftRow;
        rIdx[pending] = rightRow;
        pending++;
        rows++;
        if (rightRow >= 0) {
            matched++;
        }
        if (pending == batchRows) {
            flush();
        }
    }

    void flush()
    {
        if (pending == 0) {
            return;
        }
        int n = pending;
        for (int c = 0; c < columns.size(); c++) {
            FieldVector src = source(c);
            FieldVector dst = batch.getVector(c);
            Gather.reserve(dst, n, Gather.estimateBytes(src, n));
            Gather.gather(src, sourceRows(c, columns.get(c).side() == Side.LEFT ? lIdx : rIdx, n), 0, n, dst, 0, sourceNulls[c]);
            dst.setValueCount(n);
        }
        for (int v = 0; v < numbered.length; v++) {
            number(v, n);
        }
        int size = batch.getFieldVectors().size();
        if (runKeys) {
            gather(left.vector(JoinPlan.ON), lIdx, n, batch.getVector(size - 2));
            gather(left.vector(JoinPlan.ORD), lIdx, n, batch.getVector(size - 1));
        }
        batch.setRowCount(n);
        try {
            sink.write(batch);
        }
        finally {
            batch.clear();
        }
        pending = 0;
    }

    /** The vector output column {@code c} is gathered from: its column of its side's rows. */
    private FieldVector source(int c)
    {
        OutputColumn column = columns.get(c);
        return (column.side() == Side.LEFT ? left : right).vector(column.source() + JoinPlan.PAYLOAD);
    }

    /**
     * Fills the id vector of numbered column {@code numbered[v]}: the by key's ids, else its values'
     * ids (-1 for a null or an unmatched row, and every row when the piece's column has too many values).
     */
    private void number(int v, int n)
    {
        IntVector ids = (IntVector) batch.getVector(columns.size() + v);
        ids.allocateNew(n);
        ValueIds numbers = values[numbered[v]];
        int[] keys = numbered[v] == keyed ? leftKey : null;
        int[] idx = columns.get(numbered[v]).side() == Side.LEFT ? lIdx : rIdx;
        for (int j = 0; j < n; j++) {
            int row = idx[j];
            ids.set(j, row < 0 ? -1 : numbers != null ? numbers.id(row) : keys != null ? keys[row] : -1);
        }
        ids.setValueCount(n);
    }

    /**
     * The rows to gather column {@code c} from: {@code idx}, or for a column whose values are
     * numbered, the first row of each row's value (the same string, and a row in cache).
     */
    private int[] sourceRows(int c, int[] idx, int n)
    {
        ValueIds numbers = values[c];
        if (numbers == null) {
            return idx;
        }
        for (int j = 0; j < n; j++) {
            firstRows[j] = idx[j] < 0 ? -1 : numbers.firstRow(idx[j]);
        }
        return firstRows;
    }

    private static void gather(FieldVector src, int[] idx, int n, FieldVector dst)
    {
        Gather.reserve(dst, n, Gather.estimateBytes(src, n));
        Gather.gather(src, idx, n, dst, 0);
        dst.setValueCount(n);
    }

    long rows()
    {
        return rows;
    }

    long matched()
    {
        return matched;
    }

    @Override
    public void close()
    {
        batch.close();
    }
}
