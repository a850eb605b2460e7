package io.tidemark.engine.shard;

import io.tidemark.engine.kernel.AsofKernel;
import io.tidemark.engine.kernel.ExactKernel;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.How;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The output of one piece, pulled a byte-capped batch at a time: the kernel runs once on the sorted
 * keys, then each {@link #next} gathers the next batch of (left, right) pairs in (on key, left
 * ordinal) order, left rows with a NULL on key last. Who pulls decides the pace (a sink, or a
 * backpressured stream stage); the caller owns each returned batch and closes it.
 */
public final class PieceOutput
        implements AutoCloseable
{
    private final boolean inner;
    private final PreparedShard prepared;
    private final int[] match;
    private final ExactKernel exact;
    private final OutputAssembler assembler;
    private final BufferAllocator allocator;
    private VectorSchemaRoot ready;
    private int next;
    private int nullNext;
    private int exactNext;
    private boolean flushed;

    /** {@code keys}: the rows' key ids when the caller has them, else null (computed here). */
    PieceOutput(JoinPlan plan, ShardData left, ShardData right, PreparedShard.Keys keys, BufferAllocator allocator, long batchBytes,
            long[] cuts, boolean runKeys)
    {
        this.allocator = allocator;
        this.inner = plan.spec().how() == How.INNER;
        boolean isExact = plan.spec().exact();
        this.prepared = keys == null ? new PreparedShard(plan, left, right, isExact) : new PreparedShard(plan, left, right, keys);
        PreparedShard p = prepared;
        if (isExact) {
            this.exact = new ExactKernel(p.leftSorted, p.leftOn, p.leftKey, p.rightSorted, p.rightOn, p.rightKey, p.keys);
            this.match = null;
        }
        else {
            AsofKernel kernel = new AsofKernel(plan.spec().direction(), plan.spec().allowExactMatches(), plan.tolerance(),
                    plan.onKey(Side.LEFT).floating());
            this.match = kernel.match(p.leftSorted, p.leftOn, p.leftKey, p.rightSorted, p.rightOn, p.rightKey, p.keys);
            this.exact = null;
        }
        this.assembler = new OutputAssembler(plan, left, right, p.leftKey, allocator, batchBytes, cuts, runKeys, new ShardSink()
        {
            @Override
            public void write(VectorSchemaRoot batch)
            {
                take(batch);
            }

            @Override
            public void close() {}
        });
    }

    /** The next output batch (the caller closes it), or null when the piece is done. */
    public VectorSchemaRoot next()
    {
        while (ready == null && !flushed) {
            if (!addOne()) {
                assembler.flush();
                flushed = true;
            }
        }
        VectorSchemaRoot out = ready;
        ready = null;
        return out;
    }

    /** Rows emitted so far and, of them, rows with a matching right row. */
    public long rows()
    {
        return assembler.rows();
    }

    public long matched()
    {
        return assembler.matched();
    }

    /** Adds the next (left, right) pair; false when there are none left. */
    private boolean addOne()
    {
        int[] sorted = prepared.leftSorted;
        if (match != null) {
            while (next < sorted.length) {
                int i = next++;
                if (!inner || match[i] >= 0) {
                    assembler.add(sorted[i], match[i]);
                    return true;
                }
            }
        }
        else {
            while (next < sorted.length) {
                int count = exact.count(next);
                if (count == 0) {
                    next++;
                    exactNext = 0;
                    if (!inner) {
                        assembler.add(sorted[next - 1], -1);
                        return true;
                    }
                    continue;
                }
                assembler.add(sorted[next], exact.rightAt(exact.start(next) + exactNext));
                if (++exactNext == count) {
                    next++;
                    exactNext = 0;
                }
                return true;
            }
        }
        if (!inner && nullNext < prepared.leftNullOn.length) {
            assembler.add(prepared.leftNullOn[nullNext++], -1);
            return true;
        }
        return false;
    }

    /** The assembler's sink: moves its batch's buffers into a batch the caller owns. */
    private void take(VectorSchemaRoot batch)
    {
        VectorSchemaRoot out = VectorSchemaRoot.create(batch.getSchema(), allocator);
        for (int c = 0; c < batch.getFieldVectors().size(); c++) {
            FieldVector from = batch.getVector(c);
            from.makeTransferPair(out.getVector(c)).transfer();
        }
        out.setRowCount(batch.getRowCount());
        ready = out;
    }

    @Override
    public void close()
    {
        if (ready != null) {
            ready.close();
            ready = null;
        }
        assembler.close();
    }
}
