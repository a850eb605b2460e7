package io.tidemark.engine.shard;

import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.SpillLayout;
import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Batches of held right rows, the rows a {@link CarryStore} keeps ({@link SpillLayout#held}: the
 * spilled columns without the by-key hash and the on column's copy): gathered from spilled or held
 * rows, and their by columns.
 */
final class HeldRows
{
    private final SpillLayout layout;
    private final Schema held;
    private final BufferAllocator allocator;

    HeldRows(SpillLayout layout, BufferAllocator allocator)
    {
        this.layout = requireNonNull(layout, "layout is null");
        this.held = layout.held();
        this.allocator = requireNonNull(allocator, "allocator is null");
    }

    /**
     * Gathers {@code rowLists[s]} of each source (spill-schema or held rows) into held rows, column
     * by column; with {@code release} each source column is freed once copied (compaction: the copy
     * then needs room for one column of the live rows, not all of them). The caller closes the batch.
     */
    VectorSchemaRoot gather(List<VectorSchemaRoot> sources, int[][] rowLists, boolean release)
    {
        int total = 0;
        for (int[] r : rowLists) {
            total += r.length;
        }
        FieldVector[][] from = new FieldVector[sources.size()][];
        for (int s = 0; s < from.length; s++) {
            from[s] = layout.columnsOfAny(sources.get(s));
        }
        VectorSchemaRoot out = VectorSchemaRoot.create(held, allocator);
        try {
            for (int h = 0; h < out.getFieldVectors().size(); h++) {
                int c = layout.column(h);
                FieldVector dst = out.getVector(h);
                long bytes = 0;
                for (int s = 0; s < rowLists.length; s++) {
                    bytes += Gather.dataBytes(from[s][c], rowLists[s], 0, rowLists[s].length);
                }
                Gather.reserve(dst, total, bytes);
                int to = 0;
                for (int s = 0; s < rowLists.length; s++) {
                    Gather.gather(from[s][c], rowLists[s], rowLists[s].length, dst, to);
                    to += rowLists[s].length;
                }
                dst.setValueCount(total);
                if (release) {
                    for (FieldVector[] source : from) {
                        source[c].clear();
                    }
                }
            }
            out.setRowCount(total);
            return out;
        }
        catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** The by columns of a batch of held rows. */
    KeyColumns keys(VectorSchemaRoot heldRows)
    {
        return layout.keys(layout.columns(heldRows));
    }
}
