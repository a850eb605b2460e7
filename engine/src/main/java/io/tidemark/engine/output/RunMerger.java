package io.tidemark.engine.output;

import io.tidemark.engine.io.ParquetSink;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Merges shard runs, each sorted by (on key, left ordinal) with NULL keys last, into one Parquet
 * file in that order: pandas' row order. A binary heap of run cursors; one batch per run in memory;
 * rows go from the runs' batches straight to the Parquet column writers, in blocks of up to
 * {@link #BLOCK} rows written column by column.
 */
public final class RunMerger
{
    /** Rows handed to the writer at once, column by column. */
    private static final int BLOCK = 1024;

    private RunMerger() {}

    public static long merge(List<Path> runs, BufferAllocator allocator, ParquetSink sink, LongConsumer progress)
    {
        List<Cursor> cursors = new ArrayList<>();
        try {
            for (Path run : runs) {
                Cursor c = new Cursor(run, allocator, sink);
                if (c.advance()) {
                    cursors.add(c);
                }
                else {
                    c.close();
                }
            }
            Cursor[] heap = cursors.toArray(new Cursor[0]);
            int size = heap.length;
            for (int i = size / 2 - 1; i >= 0; i--) {
                down(heap, size, i);
            }
            long rows = 0;
            ParquetSink.Bound[] blockBounds = new ParquetSink.Bound[BLOCK];
            int[] blockRows = new int[BLOCK];
            int block = 0;
            while (size > 0) {
                Cursor top = heap[0];
                blockBounds[block] = top.bound;
                blockRows[block] = top.row;
                block++;
                rows++;
                if ((rows & 0xFFFF) == 0) {
                    progress.accept(0x10000);
                }
                // a cursor's next batch replaces the buffers of its current one: write the block first
                if (block == BLOCK || top.lastInBatch()) {
                    sink.writeRows(blockBounds, blockRows, block);
                    block = 0;
                }
                if (!top.advance()) {
                    heap[0] = heap[--size];
                }
                down(heap, size, 0);
            }
            progress.accept(rows & 0xFFFF);
            return rows;
        }
        finally {
            for (Cursor c : cursors) {
                c.close();
            }
        }
    }

    private static void down(Cursor[] heap, int size, int i)
    {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int smallest = l + 1 < size && heap[l + 1].before(heap[l]) ? l + 1 : l;
            if (!heap[smallest].before(heap[i])) {
                return;
            }
            Cursor t = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = t;
            i = smallest;
        }
    }

    private static final class Cursor
            implements AutoCloseable
    {
        private final Path path;
        private final ArrowStreamReader reader;
        private final VectorSchemaRoot root;
        private final ParquetSink sink;
        private ParquetSink.Bound bound;
        private BigIntVector on;
        private BigIntVector ord;
        private int row = -1;
        private boolean nullKey;
        private long key;
        private long ordinal;

        Cursor(Path path, BufferAllocator allocator, ParquetSink sink)
        {
            this.path = path;
            this.sink = sink;
            try {
                // read through a channel: batch bodies go straight into Arrow buffers, and no heap buffer is
                // held per run (a merge of a few hundred runs would otherwise keep megabytes of them on a small heap)
                reader = new ArrowStreamReader(FileChannel.open(path, StandardOpenOption.READ), allocator);
                root = reader.getVectorSchemaRoot();
            }
            catch (IOException e) {
                throw new TidemarkException(FailureKind.INPUT_LOST, "cannot read run " + path + ": " + e.getMessage(), e);
            }
        }

        boolean advance()
        {
            row++;
            try {
                while (row >= root.getRowCount()) {
                    if (!reader.loadNextBatch()) {
                        return false;
                    }
                    int n = root.getFieldVectors().size();
                    on = (BigIntVector) root.getVector(n - 2);
                    ord = (BigIntVector) root.getVector(n - 1);
                    bound = sink.bind(root);
                    row = 0;
                }
            }
            catch (IOException e) {
                throw new TidemarkException(FailureKind.INPUT_LOST, "cannot read run " + path + ": " + e.getMessage(), e);
            }
            nullKey = on.isNull(row);
            key = nullKey ? 0 : on.get(row);
            ordinal = ord.get(row);
            return true;
        }

        boolean lastInBatch()
        {
            return row == root.getRowCount() - 1;
        }

        boolean before(Cursor o)
        {
            if (nullKey != o.nullKey) {
                return o.nullKey;
            }
            if (key != o.key) {
                return key < o.key;
            }
            return ordinal < o.ordinal;
        }

        @Override
        public void close()
        {
            try {
                reader.close();
            }
            catch (IOException ignored) {
                // a run is a temporary file: nothing to save
            }
        }
    }
}
