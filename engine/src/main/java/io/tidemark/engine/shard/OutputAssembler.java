package io.tidemark.engine.shard;

import io.tidemark.engine.io.KeyIdColumn;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.OutputColumn;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.BufferAllocator;
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
 * side, a byte-capped batch at a time; a right row of -1 gives nulls.
 */
public final class OutputAssembler
        implements AutoCloseable
{
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
        this.leftKey = keyed(plan) >= 0 ? leftKey : null;
        this.cuts = cuts;
        this.leftOn = (org.apache.arrow.vector.BigIntVector) left.vector(JoinPlan.ON);
        this.columns = plan.output().columns();
        this.left = left;
        this.right = right;
        this.sink = sink;
        this.batch = VectorSchemaRoot.create(runKeys ? runSchema(plan) : orderedSchema(plan), allocator);
        long rowBytes = (runKeys ? 16 : 0) + (this.leftKey != null ? 4 : 0) + bytesPerRow(left) + bytesPerRow(right);   // __on, __ord and key ids too
        this.batchRows = (int) Math.max(256, Math.min(1 << 16, batchBytes / rowBytes));
        this.lIdx = new int[batchRows];
        this.rIdx = new int[batchRows];
    }

    /**
     * The schema of a shard's output: output columns, the left rows' by-key ids when the by key is
     * one string column of the output ({@link KeyIdColumn}: its encoder hashes each key once per
     * batch), then the left on key and ordinal (always the last two).
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
        int keyed = keyed(plan);
        if (keyed >= 0) {
            fields.add(KeyIdColumn.field(keyed));
        }
        return new Schema(fields);
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
            OutputColumn column = columns.get(c);
            boolean fromLeft = column.side() == Side.LEFT;
            gather((fromLeft ? left : right).vector(column.source() + JoinPlan.PAYLOAD), fromLeft ? lIdx : rIdx, n, batch.getVector(c));
        }
        int size = batch.getFieldVectors().size();
        if (leftKey != null) {
            IntVector keys = (IntVector) batch.getVector(columns.size());
            keys.allocateNew(n);
            for (int j = 0; j < n; j++) {
                keys.set(j, leftKey[lIdx[j]]);
            }
            keys.setValueCount(n);
        }
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
