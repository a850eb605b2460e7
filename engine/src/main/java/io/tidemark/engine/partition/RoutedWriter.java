package io.tidemark.engine.partition;

import io.tidemark.engine.plan.SpillLayout;
import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Routes the rows of batches to N spill files (Arrow IPC streams), one per target: a hash bucket
 * while partitioning, a time piece while splitting a bucket. Rows keep their relative order. One
 * scratch batch is filled per target and written at once, so memory is one batch, not N buffers.
 */
public final class RoutedWriter
        implements AutoCloseable
{
    private final SpillLayout layout;
    private final BufferAllocator allocator;
    private final SpillDir dir;
    private final String prefix;
    private final VectorSchemaRoot scratch;
    private final ArrowStreamWriter[] writers;
    private final Path[] paths;
    private final Fragments[] fragments;
    private final int bufferBytes;
    private long bytesWritten;

    public RoutedWriter(SpillLayout layout, BufferAllocator allocator, SpillDir dir, String prefix, int targets)
    {
        this.layout = layout;
        this.allocator = allocator;
        this.dir = dir;
        this.prefix = prefix;
        this.scratch = VectorSchemaRoot.create(layout.stored(), allocator);   // files hold the stored columns
        this.writers = new ArrowStreamWriter[targets];
        this.paths = new Path[targets];
        this.fragments = new Fragments[targets];
        // off heap, from the allocator; Arrow buffers at least this large bypass it: all of one writer's <= 4 MiB
        this.bufferBytes = Math.max(4 << 10, Math.min(32 << 10, (4 << 20) / targets));
        for (int t = 0; t < targets; t++) {
            fragments[t] = new Fragments(layout.schema().getFields().size());
        }
    }

    /**
     * Writes rows of {@code src} (vectors by spill column; the layout's derived one is not read and
     * may be null) grouped by target: {@code order[starts[t] .. starts[t+1])} are the rows of target
     * t. {@link #route} computes both from a target per row.
     */
    public void write(FieldVector[] src, int[] order, int[] starts)
    {
        int largest = 0;
        for (int t = 0; t < writers.length; t++) {
            largest = Math.max(largest, starts[t + 1] - starts[t]);
        }
        if (largest == 0) {
            return;
        }
        long[] var = new long[layout.schema().getFields().size()];   // by spill column: the derived one holds no bytes
        try {
            // the scratch batch is allocated once for the largest target and refilled for each: every row
            // of a target is overwritten (values, validity, offsets), so nothing needs zeroing in between
            int stored = scratch.getFieldVectors().size();
            boolean[] nulls = new boolean[stored];   // each column's validity read once per batch, not once per target
            for (int s = 0; s < stored; s++) {
                Gather.reserve(scratch.getVector(s), largest, Gather.estimateBytes(src[layout.column(s)], largest));
                nulls[s] = Gather.hasNulls(src[layout.column(s)]);
            }
            for (int t = 0; t < writers.length; t++) {
                if (starts[t + 1] > starts[t]) {
                    writeTarget(t, src, order, starts[t], starts[t + 1] - starts[t], var, nulls);
                }
            }
        }
        finally {
            scratch.clear();
        }
    }

    /**
     * Writes one target's rows as one batch. A method of its own: the JIT compiles it once, where it
     * compiled the loop over targets on-stack and again as a whole (0.37 s of C2 time per run).
     */
    private void writeTarget(int t, FieldVector[] src, int[] order, int from, int count, long[] var, boolean[] nulls)
    {
        long bytes = 0;
        for (int s = 0; s < scratch.getFieldVectors().size(); s++) {
            FieldVector out = scratch.getVector(s);
            int c = layout.column(s);
            if (layout.narrowed(c) && src[c] instanceof BigIntVector) {
                narrow((BigIntVector) src[c], order, from, count, (IntVector) out);
            }
            else {
                Gather.gather(src[c], order, from, count, out, 0, nulls[s]);   // a narrowed column read from a file is narrow already
            }
            out.setValueCount(count);
            var[c] = Gather.usedBytes(out, count);
            bytes += out.getBufferSize();
        }
        scratch.setRowCount(count);
        try {
            writer(t).writeBatch();
        }
        catch (IOException e) {
            throw dir.writeFailed(paths[t], e);
        }
        fragments[t].addBatch(count, bytes + (long) layout.loadedExtraBytes() * count, var);   // fragments count rows as loaded
        bytesWritten += bytes;
    }

    /** Rows {@code order[from, from + count)} of a 64-bit column that never holds NULL, as 32-bit values. */
    private static void narrow(BigIntVector src, int[] order, int from, int count, IntVector out)
    {
        ArrowBuf values = src.getDataBuffer();
        ArrowBuf narrowed = out.getDataBuffer();
        for (int j = 0; j < count; j++) {
            narrowed.setInt(4L * j, (int) values.getLong(8L * order[from + j]));
        }
        Gather.setValid(out.getValidityBuffer(), 0, count);
    }

    /** Counting sort of rows by target; a target of -1 drops the row. Returns {order, starts}. */
    public static int[][] route(int[] target, int rows, int targets)
    {
        int[] starts = new int[targets + 1];
        for (int i = 0; i < rows; i++) {
            if (target[i] >= 0) {
                starts[target[i] + 1]++;
            }
        }
        for (int t = 0; t < targets; t++) {
            starts[t + 1] += starts[t];
        }
        int[] cursor = java.util.Arrays.copyOf(starts, targets);
        int[] order = new int[starts[targets]];
        for (int i = 0; i < rows; i++) {
            if (target[i] >= 0) {
                order[cursor[target[i]]++] = i;
            }
        }
        return new int[][] {order, starts};
    }

    public Fragments fragments(int target)
    {
        return fragments[target];
    }

    public long bytesWritten()
    {
        return bytesWritten;
    }

    private ArrowStreamWriter writer(int t)
            throws IOException
    {
        if (writers[t] == null) {
            paths[t] = dir.file(prefix + "-" + t + ".arrows");
            writers[t] = new ArrowStreamWriter(scratch, null, SpillChannel.create(paths[t], allocator, bufferBytes));
            writers[t].start();
            fragments[t].addFile(paths[t]);
        }
        return writers[t];
    }

    @Override
    public void close()
    {
        RuntimeException failure = null;
        for (int t = 0; t < writers.length; t++) {
            if (writers[t] != null) {
                failure = dir.end(writers[t], paths[t], failure);
            }
        }
        scratch.close();
        if (failure != null) {
            throw failure;
        }
    }
}
